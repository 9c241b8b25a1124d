from celery import shared_task
from django.utils import timezone

from asnportal.tasking import DB_LOST, ReconnectingTask

from . import partitions, services


@shared_task(base=ReconnectingTask, autoretry_for=(OSError, *DB_LOST), time_limit=600, soft_time_limit=540)
def remind_missing_logs() -> int:
    """Beat task: remind staff who logged nothing for two working days (idempotent per local day)."""
    return services.reminders_send()


@shared_task(
    name="performance.partitions_ensure",
    base=ReconnectingTask,
    autoretry_for=(OSError, *DB_LOST),
    time_limit=600,
    soft_time_limit=540,
)
def partitions_ensure() -> list[str]:
    """Beat task (daily): the monthly partitions of the log tables for this month and the next
    AHEAD_MONTHS (idempotent: returns the partitions it had to create, usually none)."""
    return partitions.partitions_ensure(today=timezone.localdate())
