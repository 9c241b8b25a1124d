"""A lost database connection: what it looks like, and how a task gets a fresh one."""

from django.db import InterfaceError, OperationalError, connections

DB_LOST = (OperationalError, InterfaceError)


def connection_reset() -> None:
    """Close broken database connections so the next query reconnects (never inside a transaction:
    eager tasks in a test or a request run inside the caller's atomic block)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()
