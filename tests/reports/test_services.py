"""Snapshots: aggregated per region, immutable, idempotent, one per concurrent pair, nothing partial."""

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from reports.models import ReportRun, ReportSnapshot
from reports.periods import period_bounds, period_last_complete, period_previous
from reports.services import run_request, snapshot_compute

from ..org.factories import EmployeeFactory
from .factories import LAST_MONTH

ROOT = Path(__file__).resolve().parents[2]


def test_period_arithmetic():
    assert period_bounds("monthly", dt.date(2026, 2, 17)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_bounds("quarterly", dt.date(2026, 11, 25)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_previous("quarterly", dt.date(2026, 1, 1)) == dt.date(2025, 10, 1)
    assert period_last_complete("monthly", dt.date(2026, 11, 25)) == dt.date(2026, 10, 1)
    assert period_last_complete("quarterly", dt.date(2026, 11, 25)) == dt.date(2026, 7, 1)


@pytest.mark.django_db
def test_workforce_figures_are_aggregated_per_unit(cast):
    snapshot = snapshot_compute(region_id=cast.region_a.pk, kind="monthly", period_start=LAST_MONTH)
    workforce = snapshot.figures["workforce"]
    assert workforce["total"] == 2  # the staff member and the supervisor of region A
    assert [u["unit"] for u in workforce["by_unit"]] == [cast.unit_a.name]
    assert workforce["by_kind"] == {"PNS": 2}
    assert set(snapshot.figures) == {"workforce", "recruitment", "training", "performance", "feedback"}


@pytest.mark.django_db
def test_rerun_on_unchanged_data_stores_nothing_new_and_changed_data_a_new_version(cast):
    first = snapshot_compute(region_id=cast.region_a.pk, kind="monthly", period_start=LAST_MONTH)
    again = snapshot_compute(
        region_id=cast.region_a.pk, kind="monthly", period_start=LAST_MONTH + dt.timedelta(days=19)
    )
    assert again.pk == first.pk and ReportSnapshot.objects.count() == 1
    EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"])
    second = snapshot_compute(region_id=cast.region_a.pk, kind="monthly", period_start=LAST_MONTH)
    assert second.version == 2 and second.figures["workforce"]["total"] == 3
    assert first.figures["workforce"]["total"] == 2  # the old version is kept as it was


@pytest.mark.django_db
def test_future_period_is_refused_and_nothing_stored(cast):
    with pytest.raises(ValidationError) as exc:
        snapshot_compute(region_id=cast.region_a.pk, kind="monthly", period_start=dt.date(2099, 1, 1))
    assert "belum" in str(exc.value) or "not started" in str(exc.value)
    assert not ReportSnapshot.objects.exists()


@pytest.mark.django_db
def test_snapshots_are_append_only_in_the_database(cast):
    snapshot = snapshot_compute(region_id=cast.region_a.pk, kind="monthly", period_start=LAST_MONTH)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(figures={})
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSnapshot.objects.filter(pk=snapshot.pk).delete()


@pytest.mark.django_db
def test_recompute_refused_while_one_is_running(cast, django_capture_on_commit_callbacks):
    ReportRun.objects.create(region=cast.region_a, kind="monthly", period_start=LAST_MONTH, status="running")
    with pytest.raises(ValidationError):
        run_request(region=cast.region_a, kind="monthly", period_start=LAST_MONTH, user=cast.users["hr"])
    assert ReportRun.objects.count() == 1 and not ReportSnapshot.objects.exists()


@pytest.mark.django_db
def test_recompute_request_runs_the_task_and_records_the_snapshot(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_request(
            region=cast.region_a, kind="monthly", period_start=LAST_MONTH, user=cast.users["hr"]
        )
    run.refresh_from_db()
    assert run.status == "done" and run.snapshot.region == cast.region_a


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_runs_produce_one_snapshot(cast):
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            snapshot_compute(region_id=cast.region_a.pk, kind="monthly", period_start=LAST_MONTH)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert ReportSnapshot.objects.filter(region=cast.region_a).count() == 1


KILLER = """
import time_machine
time_machine.travel({now!r}).start()  # the test's clock (tests/clock.py): the period is no future one
import os
from reports import sections
def dying(region, start, end):
    os._exit(9)  # the worker process dies in the middle of the computation
sections.SECTIONS.insert(2, ("dying", dying))
from reports.services import snapshot_compute
import datetime as dt
snapshot_compute(region_id={region_id}, kind="monthly", period_start=dt.date.fromisoformat({period!r}))
"""


@pytest.mark.django_db(transaction=True)
def test_worker_killed_halfway_leaves_no_partial_snapshot(cast):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="asnportal.settings")
    killer = KILLER.format(
        now=timezone.now().isoformat(), region_id=cast.region_a.pk, period=LAST_MONTH.isoformat()
    )
    code = "import django; django.setup()\n" + killer
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, timeout=120, check=False)
    assert result.returncode == 9
    assert not ReportSnapshot.objects.exists()
    snapshot = snapshot_compute(region_id=cast.region_a.pk, kind="monthly", period_start=LAST_MONTH)
    assert snapshot.version == 1  # the retry completes, and the region row is not left locked
