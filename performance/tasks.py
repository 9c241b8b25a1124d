from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(Exception,), retry_backoff=True, max_retries=5, time_limit=600, soft_time_limit=540
)
def remind_missing_logs() -> int:
    """Beat task: remind staff who logged nothing for two working days (idempotent per local day)."""
    return services.reminders_send()
