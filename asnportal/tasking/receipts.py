"""Receipts: a job's effect is recorded once, in the transaction of the effect itself."""

import contextvars
import dataclasses

from django.db import IntegrityError, transaction


@dataclasses.dataclass
class Running:
    job_id: int
    taken: bool = False  # the base task already took the job's receipt around the whole run


_running: contextvars.ContextVar[Running | None] = contextvars.ContextVar("tasking_running_job", default=None)


def job_key(job_id: int, item: str | int | None = None) -> str:
    return f"job:{job_id}" if item is None else f"job:{job_id}:{item}"


def current_job_id() -> int | None:
    running = _running.get()
    return running.job_id if running else None


def key_take(key: str) -> bool:
    """Insert the receipt `key` in the current transaction; False when it exists (the effect happened)."""
    from .models import Receipt

    try:
        with transaction.atomic():
            Receipt.objects.create(key=key[:255])
    except IntegrityError:
        return False
    return True


def receipt_take(item: str | int | None = None) -> bool:
    """Claim this job's effect (or one item of it) inside the effect's transaction.

    True when the effect is to happen now: outside a job (a direct call) nothing is deduplicated, and
    when the base task already holds the job's receipt the whole run is the claim.
    """
    running = _running.get()
    if running is None:
        return True
    if item is None and running.taken:
        return True
    return key_take(job_key(running.job_id, item))
