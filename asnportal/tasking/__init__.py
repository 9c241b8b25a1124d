"""The one way to run background work (DESIGN.md §2, "Background work never gets lost").

- `enqueue(task_name, **kwargs)` writes an outbox row (a `Job`) in the caller's transaction; once it
  commits the job is sent to the broker, and when the broker is down the row waits for the relay
  (beat task `tasking.relay`, command `manage.py tasking_relay`), which sends it when the broker answers.
- Tasks are `JobTask`s with explicit, stable names: a job runs once per outbox row however often it is
  delivered (the receipt `job:<id>` is taken in the transaction of its effect).
- `mail_queue(...)` is the one way any app sends an email (task `tasking.mail_send`).

This package is the ground floor: it imports only django, celery and asnportal core modules.
"""

from .base import DB_LOST, JobTask, ReconnectingTask, connection_reset

MAIL_SEND = "tasking.mail_send"

__all__ = [
    "DB_LOST",
    "MAIL_SEND",
    "JobTask",
    "ReconnectingTask",
    "connection_reset",
    "enqueue",
    "mail_queue",
    "receipt_take",
]


def enqueue(task_name: str, *, about=None, **kwargs):
    """Queue the task `task_name(**kwargs)` (ids and plain JSON values) with the caller's transaction.

    `about` optionally links the job to the object it works on (an import, a report run). Returns the Job.
    """
    from .outbox import enqueue as _enqueue

    return _enqueue(task_name, about=about, **kwargs)


def mail_queue(*, to: list[str], subject: str, body: str, about=None):
    """Send one email through the outbox: it leaves once the caller's transaction commits, exactly once."""
    return enqueue(MAIL_SEND, about=about, to=list(to), subject=str(subject), body=str(body))


def receipt_take(item: str | int | None = None) -> bool:
    """Inside the effect's transaction of a running job: False when this job already had its effect."""
    from .receipts import receipt_take as _take

    return _take(item)
