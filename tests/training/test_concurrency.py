"""Capacity is never exceeded under simultaneous requests and cancellations (real PostgreSQL transactions)."""

import threading

import pytest
from django.db import connection

from tests.clock import days
from tests.org.factories import EmployeeFactory
from training import services
from training.models import Enrollment, Session

from .factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50
SEATS = 10


def _in_threads(targets) -> tuple[list, list]:
    """Start every target at the same moment, each on its own database connection."""
    barrier = threading.Barrier(len(targets))
    results, errors = [], []
    lock = threading.Lock()

    def run(target):
        try:
            barrier.wait(timeout=30)
            outcome = target()
            with lock:
                results.append(outcome)
        except Exception as exc:  # collected and asserted by the caller
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def _requests(cast, n: int) -> tuple[Session, list[Enrollment]]:
    assert connection.vendor == "postgresql"
    session = SessionFactory(
        programme__region=cast.region_a,
        capacity=SEATS,
        enroll_opens=days(-24),
        enroll_closes=days(-1),  # closed yesterday: ready for the allocation, the class still ahead
    )
    people = [EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"]) for _i in range(n)]
    rows = [Enrollment.objects.create(session=session, employee=p) for p in people]
    return session, rows


def test_fifty_simultaneous_requests_for_ten_seats_admit_exactly_ten(cast):
    session, rows = _requests(cast, THREADS)
    targets = [lambda pk=r.pk: services.enrollment_admit(enrollment_id=pk) for r in rows]
    results, errors = _in_threads(targets)
    assert errors == []
    assert results.count(True) == SEATS
    assert results.count(False) == THREADS - SEATS
    session.refresh_from_db()
    assert session.seats_taken == SEATS
    assert Enrollment.objects.filter(session=session, status="admitted").count() == SEATS


def test_simultaneous_cancellations_and_promotions_keep_the_capacity(cast):
    session, rows = _requests(cast, THREADS)
    services.session_allocate(session_id=session.pk, seed=11)
    admitted = list(Enrollment.objects.filter(session=session, status="admitted"))
    assert len(admitted) == SEATS
    cancels = [lambda e=e: services.enrollment_cancel(enrollment=e) for e in admitted[:5]]
    promotions = [lambda: services.waitlist_promote(session_id=session.pk) for _i in range(THREADS - 5)]
    _results, errors = _in_threads(cancels + promotions)
    assert errors == []
    session.refresh_from_db()
    held = Enrollment.objects.filter(session=session, status="admitted").count()
    assert held == session.seats_taken == SEATS  # every freed seat refilled, never an 11th
    assert Enrollment.objects.filter(session=session, status="cancelled").count() == 5
    # The promoted are the best-ranked of the waitlist.
    promoted_ranks = sorted(
        Enrollment.objects.filter(session=session, status="admitted", rank__gt=SEATS).values_list(
            "rank", flat=True
        )
    )
    assert promoted_ranks == list(range(SEATS + 1, SEATS + 6))
