"""What every state-changing task shares: retry on a lost database connection, on a fresh connection.

A worker whose PostgreSQL backend was killed (failover, restart, pg_terminate_backend) keeps the dead
connection object: without closing it, every retry fails again on it. The task's transaction was
rolled back by the server, so the retry starts from the state before the attempt.
"""

from celery import Task
from django.db import InterfaceError, OperationalError, connections

DB_LOST = (OperationalError, InterfaceError)


def connection_reset() -> None:
    """Close broken database connections so the next query reconnects (never inside a transaction:
    eager tasks in a test or a request run inside the caller's atomic block)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


class ReconnectingTask(Task):
    """Base of the state-changing tasks: retried with backoff when the database connection drops."""

    autoretry_for = DB_LOST
    retry_backoff = True
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5
    acks_late = True

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        connection_reset()
        super().on_retry(exc, task_id, args, kwargs, einfo)
