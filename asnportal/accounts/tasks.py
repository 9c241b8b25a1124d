from celery import shared_task
from django.core.mail import send_mail


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
)
def mail_send(self, *, to: list[str], subject: str, body: str) -> int:
    """Send one notification email; SMTP failures are retried with backoff."""
    return send_mail(subject, body, None, to, fail_silently=False)


@shared_task(acks_late=True)
def outbox_flush_task() -> int:
    """Beat job (every minute): send the tasks that waited for the broker."""
    from .outbox import outbox_flush

    return outbox_flush()
