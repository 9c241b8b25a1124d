"""What the training writes share: the task names, the notice queue and the seat counter."""

import datetime as dt

from django.db.models import F
from django.utils import timezone

from asnportal.org.models import Region
from asnportal.tasking import enqueue

from ..models import Session

NOTIFY_TASK = "training.notify_enrollment"
ALLOCATE_TASK = "training.allocate_session"


def _notify_on_commit(enrollment_ids: list[int], kind: str) -> None:
    """Queue one notice per enrollment with the caller's transaction (the outbox)."""
    for pk in enrollment_ids:
        enqueue(NOTIFY_TASK, enrollment_id=pk, kind=str(kind))


def _seats_take(session_id: int, n: int = 1) -> bool:
    """Take n seats with one conditional UPDATE: it matches only while the seats are free."""
    if n <= 0:
        return True
    return bool(
        Session.objects.filter(pk=session_id, seats_taken__lte=F("capacity") - n).update(
            seats_taken=F("seats_taken") + n
        )
    )


def _seats_release(session_id: int, n: int = 1) -> None:
    Session.objects.filter(pk=session_id, seats_taken__gte=n).update(seats_taken=F("seats_taken") - n)


def _local_today_by_region() -> dict[int, dt.date]:
    now = timezone.now()
    return {r.pk: now.astimezone(r.tzinfo).date() for r in Region.objects.all()}
