"""The tasks of the ground floor: the one mail sender, the outbox relay, the receipts purge."""

import datetime as dt

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from .base import DB_LOST, JobTask, ReconnectingTask

RECEIPT_KEEP_DAYS = 14  # far beyond any redelivery (the broker's visibility timeout is hours)


@shared_task(
    name="tasking.mail_send",
    bind=True,
    base=JobTask,
    autoretry_for=(OSError, *DB_LOST),
    retry_backoff_max=600,
    max_retries=8,
    time_limit=120,
    soft_time_limit=100,
)
def mail_send(self, *, to: list[str], subject: str, body: str) -> int:
    """Send one email; the job's receipt is committed with the send, so a redelivery sends nothing."""
    return send_mail(subject, body, None, to, fail_silently=False)


@shared_task(name="tasking.relay", base=ReconnectingTask)
def relay_task() -> int:
    """Beat job (every minute): send the jobs that waited for the broker or lost their worker."""
    from .outbox import relay

    return relay()


@shared_task(name="tasking.receipts_purge", base=ReconnectingTask)
def receipts_purge() -> int:
    """Beat job (daily): forget receipts and finished jobs older than RECEIPT_KEEP_DAYS; returns how many."""
    from .models import Job, Receipt

    cutoff = timezone.now() - dt.timedelta(days=RECEIPT_KEEP_DAYS)
    receipts, _ = Receipt.objects.filter(created_at__lt=cutoff).delete()
    jobs, _ = Job.objects.filter(state=Job.State.DONE, finished_at__lt=cutoff).delete()
    return receipts + jobs
