"""Celery tasks: ids in, one service call, idempotent, retried with backoff on a lost connection."""

from celery import shared_task

from asnportal.tasking import DB_LOST, ReconnectingTask

from . import services

# Only what a retry can cure: a dropped database connection (and SMTP for mail). A ValidationError
# (a window not yet closed) is an answer, not a failure to retry five times.
RETRY = {"base": ReconnectingTask}
MAIL_RETRY = {"base": ReconnectingTask, "autoretry_for": (OSError, *DB_LOST)}


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


@shared_task(name="training.notify_enrollment", **MAIL_RETRY)
def notify_enrollment(enrollment_id: int, kind: str) -> bool:
    return services.notice_send(enrollment_id=enrollment_id, kind=kind)


@shared_task(name="training.send_reminders", **RETRY)
def send_reminders() -> int:
    """Beat: remind admitted participants the day before their session starts."""
    due = services.reminders_due()
    for enrollment_id in due:
        notify_enrollment.delay(enrollment_id, "reminder")
    return len(due)
