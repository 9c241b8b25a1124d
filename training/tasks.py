"""Celery tasks: ids in, one service call, idempotent, retried with backoff."""

from celery import shared_task

from . import services

RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "retry_kwargs": {"max_retries": 5}}


@shared_task(name="training.allocate_session", **RETRY)
def allocate_session(session_id: int) -> None:
    services.session_allocate(session_id=session_id)


@shared_task(name="training.allocate_due_sessions", **RETRY)
def allocate_due_sessions() -> int:
    """Beat: allocate every session whose enrollment window has closed."""
    due = services.sessions_due_for_allocation()
    for session_id in due:
        allocate_session.delay(session_id)
    return len(due)


@shared_task(name="training.notify_enrollment", **RETRY)
def notify_enrollment(enrollment_id: int, kind: str) -> bool:
    return services.notice_send(enrollment_id=enrollment_id, kind=kind)


@shared_task(name="training.send_reminders", **RETRY)
def send_reminders() -> int:
    """Beat: remind admitted participants the day before their session starts."""
    due = services.reminders_due()
    for enrollment_id in due:
        notify_enrollment.delay(enrollment_id, "reminder")
    return len(due)
