"""Fair allocation (issue 4): the seats of a closed window, by the published priority, once."""

import random
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.tasking import enqueue

from .. import rules, selectors
from ..models import Enrollment, Notice, Session
from .common import ALLOCATE_TASK, _local_today_by_region, _notify_on_commit, _seats_take

PRIORITY_FIELDS = ["jp_this_year", "jp_three_years", "below_20", "is_remote", "draw"]


def _requests_locked(session: Session) -> list[Enrollment]:
    return list(
        Enrollment.objects.select_for_update()
        .filter(session=session, status=Enrollment.Status.REQUESTED)
        .select_related("employee")
        .order_by("pk")
    )


def _priorities_freeze(requests: list[Enrollment], *, year: int, seed: int) -> None:
    """Store on each request the facts of its priority and its draw (in request order, so the seed
    reproduces the draws), then sort the requests by the published priority."""
    totals = selectors.jp_totals(employee_ids=[e.employee_id for e in requests], year=year)
    rng = random.Random(seed)  # noqa: S311 - a published, reproducible draw, not a secret
    for enrollment in requests:
        this_year, three_years = totals.get(enrollment.employee_id, (0, 0))
        enrollment.jp_this_year = this_year
        enrollment.jp_three_years = three_years
        enrollment.below_20 = not rules.jp_right_met(this_year)
        enrollment.is_remote = enrollment.employee.is_remote
        enrollment.draw = rng.random()
    requests.sort(
        key=lambda e: rules.allocation_priority(
            below_20=e.below_20, is_remote=e.is_remote, jp_three_years=e.jp_three_years, draw=e.draw
        )
    )


def _ranks_write(requests: list[Enrollment], *, admitted: int, now) -> None:
    """Rank the sorted requests; the first `admitted` get a seat, the rest wait in that order."""
    for position, enrollment in enumerate(requests, start=1):
        enrollment.rank = position
        enrollment.status = (
            Enrollment.Status.ADMITTED if position <= admitted else Enrollment.Status.WAITLISTED
        )
        enrollment.decided_at = now
    Enrollment.objects.bulk_update(
        requests, [*PRIORITY_FIELDS, "rank", "status", "decided_at"], batch_size=500
    )


@transaction.atomic
def session_allocate(*, session_id: int, seed: int | None = None, notify: bool = True) -> Session:
    """Allocate the seats of a session whose window has closed (issue 4 fair allocation).

    Idempotent: a session is allocated once; the seed and every request's priority and rank are
    stored so each employee can see why they got a seat or a waitlist place.
    """
    session = Session.objects.select_for_update().select_related("region").get(pk=session_id)
    if session.allocated_at:
        return session
    if session.window_state() != "closed":
        raise ValidationError(_("Seats are allocated only after the enrollment window closes."))
    requests = _requests_locked(session)
    seed = seed if seed is not None else secrets.randbits(62)
    _priorities_freeze(requests, year=session.enroll_closes.year, seed=seed)
    admitted = rules.seats_admitted(free=session.capacity - session.seats_taken, requests=len(requests))
    if not _seats_take(session.pk, admitted):
        raise ValidationError(_("The seats changed during allocation; try again."))
    now = timezone.now()
    _ranks_write(requests, admitted=admitted, now=now)
    Session.objects.filter(pk=session.pk).update(allocation_seed=seed, allocated_at=now)
    session.allocation_seed, session.allocated_at = seed, now
    if notify:  # (the demo loader replays past allocations silently)
        _notify_on_commit([e.pk for e in requests[:admitted]], Notice.Kind.ADMITTED)
        _notify_on_commit([e.pk for e in requests[admitted:]], Notice.Kind.WAITLISTED)
    return session


def sessions_due_for_allocation() -> list[int]:
    """Sessions whose window closed (in their region's local date) and that are not yet allocated."""
    condition = Q(pk__in=[])
    for region_id, today in _local_today_by_region().items():
        condition |= Q(region_id=region_id, enroll_closes__lt=today)
    return list(Session.objects.filter(condition, allocated_at__isnull=True).values_list("pk", flat=True))


@transaction.atomic
def allocations_due_enqueue() -> int:
    """Beat: queue the allocation of every session whose enrollment window has closed; how many."""
    due = sessions_due_for_allocation()
    for session_id in due:
        enqueue(ALLOCATE_TASK, session_id=session_id)
    return len(due)
