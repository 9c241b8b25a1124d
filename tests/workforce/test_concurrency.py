"""Simultaneous restructurings and selection openings on real PostgreSQL transactions."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from asnportal.org.models import Employee
from tests.clock import TODAY
from tests.org.factories import EmployeeFactory, UnitFactory
from workforce import services, structure
from workforce.models import EmployeePlacement, FormationProposal

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(targets) -> tuple[list, list]:
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


def test_a_selection_is_opened_from_a_proposal_only_once(cast):
    assert connection.vendor == "postgresql"
    proposal = ProposalFactory(region=cast.region_a, status=FormationProposal.Status.APPROVED)
    targets = [
        (lambda i=i: services.proposal_mark_opened(proposal_id=proposal.pk, selection_ref=f"SEL-{i}"))
        for i in range(10)
    ]
    results, errors = _in_threads(targets)
    assert len(results) == 1 and len(errors) == 9
    assert all(isinstance(e, ValidationError) for e in errors)
    proposal.refresh_from_db()
    assert proposal.selection_ref == results[0].selection_ref


def test_simultaneous_reassignments_keep_one_unbroken_history(cast):
    units = UnitFactory.create_batch(8, region=cast.region_a)
    person = EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"])
    dates = [dt.date(TODAY.year - 1, 1 + i, 1) for i in range(8)]  # last year's: all in the past
    targets = [
        (
            lambda u=u, d=d: structure.employees_reassign(
                region=cast.region_a, employee_ids=[person.pk], unit_id=u.pk, effective_date=d
            )
        )
        for u, d in zip(units, dates, strict=True)
    ]
    results, errors = _in_threads(targets)
    assert results and all(isinstance(e, ValidationError) for e in errors)
    rows = list(EmployeePlacement.objects.filter(employee=person).order_by("valid_from"))
    assert len(rows) == len(results) + 1  # the baseline and one period per accepted change
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert earlier.valid_to == later.valid_from
    assert rows[-1].valid_to is None
    assert Employee.objects.get(pk=person.pk).unit_id == rows[-1].unit_id
