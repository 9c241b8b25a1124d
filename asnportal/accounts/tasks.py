from celery import shared_task
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from asnportal.tasking import DB_LOST, ReconnectingTask


def receipt_take(key: str | None) -> bool:
    """Claim a side effect once, inside the caller's transaction: False when it was already done.

    The row is committed with the side effect; a concurrent run waits on the unique index and then
    finds it. A failed send rolls the claim back, so the retry sends.
    """
    from .models import TaskReceipt

    if not key:
        return True  # called directly, not as a task: nothing to deduplicate against
    try:
        with transaction.atomic():
            TaskReceipt.objects.create(key=key[:255])
    except IntegrityError:
        return False
    return True


@shared_task(
    bind=True,
    base=ReconnectingTask,
    autoretry_for=(OSError, *DB_LOST),
    retry_backoff_max=600,
    max_retries=8,
)
def mail_send(self, *, to: list[str], subject: str, body: str) -> int:
    """Send one notification email once per task id; SMTP failures are retried with backoff."""
    with transaction.atomic():
        if not receipt_take(f"mail_send:{self.request.id}" if self.request.id else None):
            return 0
        return send_mail(subject, body, None, to, fail_silently=False)


@shared_task(base=ReconnectingTask)
def outbox_flush_task() -> int:
    """Beat job (every minute): send the tasks that waited for the broker."""
    from .outbox import outbox_flush

    return outbox_flush()


RECEIPT_KEEP_DAYS = 14  # far beyond any redelivery (the broker's visibility timeout is hours)


@shared_task(base=ReconnectingTask)
def receipts_purge() -> int:
    """Beat job (daily): forget task receipts older than RECEIPT_KEEP_DAYS; returns how many."""
    import datetime as dt

    from django.utils import timezone

    from .models import TaskReceipt

    cutoff = timezone.now() - dt.timedelta(days=RECEIPT_KEEP_DAYS)
    deleted, _ = TaskReceipt.objects.filter(created_at__lt=cutoff).delete()
    return deleted
