from celery import shared_task

from asnportal.tasking import DB_LOST, ReconnectingTask

from . import services


@shared_task(base=ReconnectingTask, autoretry_for=(OSError, *DB_LOST), time_limit=600, soft_time_limit=540)
def remind_missing_logs() -> int:
    """Beat task: remind staff who logged nothing for two working days (idempotent per local day)."""
    return services.reminders_send()
