"""Celery tasks: ids in, one service call, idempotent, retried with backoff on a lost connection."""

from celery import shared_task

from asnportal.tasking import DB_LOST, JobTask, ReconnectingTask

from . import services

# Only what a retry can cure: a dropped database connection. A ValidationError (a window not yet
# closed) is an answer, not a failure to retry five times.
RETRY = {"base": JobTask}


@shared_task(name="training.allocate_session", **RETRY)
def allocate_session(session_id: int) -> None:
    services.session_allocate(session_id=session_id)


@shared_task(name="training.allocate_due_sessions", base=ReconnectingTask)
def allocate_due_sessions() -> int:
    """Beat: allocate every session whose enrollment window has closed (one job each)."""
    return services.allocations_due_enqueue()


@shared_task(name="training.notify_enrollment", base=JobTask, autoretry_for=DB_LOST)
def notify_enrollment(enrollment_id: int, kind: str) -> bool:
    return services.notice_send(enrollment_id=enrollment_id, kind=kind)


@shared_task(name="training.send_reminders", base=ReconnectingTask)
def send_reminders() -> int:
    """Beat: remind admitted participants the day before their session starts (one job each)."""
    return services.reminders_enqueue()
