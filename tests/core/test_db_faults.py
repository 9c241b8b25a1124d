"""A job's own PostgreSQL backend is killed mid-way (pg_terminate_backend from another connection).

Each job runs in a real Celery worker over Redis. A patched inner function fires inside the job's
write transaction, once rows are written (seen from the job's connection, invisible from outside),
and kills the job's backend. The properties: nothing of the attempt is left (the retry starts from
the state before), and the retry, on a fresh connection, completes with the full and correct result.
"""

import datetime as dt
import time
from contextlib import closing

import psycopg2
import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection

from asnportal.celery import app
from asnportal.org import tasks as org_tasks
from asnportal.org.importer import writing
from asnportal.org.models import Employee, EmployeeImport
from tests.clock import NOW, TODAY, days
from tests.org.factories import EmployeeFactory
from tests.org.importing import csv_bytes, import_nip, row
from tests.training.factories import SessionFactory
from training import services as training_services
from training.models import Enrollment, Notice, Session
from training.tasks import allocate_session

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def outside(sql: str, params=()):
    """Run one statement on a connection of its own (not the job's, not the test's)."""
    with closing(psycopg2.connect(**connection.get_connection_params())) as other:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def kill_my_backend() -> int:
    """Terminate the calling thread's PostgreSQL backend from another connection."""
    pid = connection.connection.info.backend_pid
    assert outside("SELECT pg_terminate_backend(%s)", [pid]) == [(True,)]
    return pid


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as started:
        yield started


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.1)  # polling a real worker, not waiting on a clock


def test_import_killed_inside_its_write_leaves_nothing_and_the_retry_imports_everything(
    cast, monkeypatch, worker
):
    rows = [row(i, **({"ATASAN NIP": import_nip(0)} if i else {})) for i in range(30)]
    nips = [import_nip(i) for i in range(30)]
    imp = EmployeeImport.objects.create(
        region=cast.region_a, created_by=cast.users["hr"], filename="pegawai.csv", content=csv_bytes(rows)
    )
    seen: dict[str, list] = {"killed": [], "attempt_start": []}
    original_write_links, original_run = writing._set_supervisors, org_tasks.employee_import_run

    def run_counted(*, import_id):
        # What each attempt starts from, read on the attempt's own (fresh) connection.
        seen["attempt_start"].append(
            (Employee.objects.filter(nip__in=nips).count(), EmployeeImport.objects.get(pk=import_id).status)
        )
        return original_run(import_id=import_id)

    def links_then_kill(pairs):
        if not seen["killed"]:
            # 30 employees are written inside the job's transaction and invisible from outside.
            inside = Employee.objects.filter(nip__in=nips).count()
            committed = outside("SELECT count(*) FROM org_employee WHERE nip = ANY(%s)", [nips])[0][0]
            seen["killed"].append((inside, committed, kill_my_backend()))
        return original_write_links(pairs)

    monkeypatch.setattr(writing, "_set_supervisors", links_then_kill)
    monkeypatch.setattr(org_tasks, "employee_import_run", run_counted)

    result = org_tasks.import_employees.delay(imp.pk)
    assert result.get(timeout=60) == "done"

    assert [(inside, committed) for inside, committed, _pid in seen["killed"]] == [(30, 0)]
    # The second attempt started from the state before the first: nothing of it was committed.
    assert seen["attempt_start"] == [(0, "pending"), (0, "running")]
    imp.refresh_from_db()
    assert (imp.status, imp.created_count, imp.updated_count, imp.processed_rows) == ("done", 30, 0, 30)
    head = Employee.objects.get(nip=import_nip(0))
    assert Employee.objects.filter(nip__in=nips).count() == 30
    assert Employee.objects.filter(nip__in=nips[1:], supervisor=head).count() == 29


def test_allocation_killed_before_commit_leaves_the_requests_and_the_retry_allocates_once(
    cast, monkeypatch, worker
):
    with time_machine.travel(NOW, tick=True):  # its window closed yesterday
        session = SessionFactory(
            programme__region=cast.region_a,
            capacity=2,
            enroll_opens=days(-24),
            enroll_closes=days(-1),
            start_date=days(12),
            end_date=days(14),
        )
        people = [
            EmployeeFactory(
                unit=cast.unit_a, position=cast.objects["position_a"], email=f"p{i}@example.go.id"
            )
            for i in range(4)
        ]
        for person in people:
            Enrollment.objects.create(session=session, employee=person)
        seen: dict[str, list] = {"killed": [], "attempt_start": []}
        original_notify, original_allocate = (
            training_services._notify_on_commit,
            training_services.session_allocate,
        )

        def allocate_counted(*, session_id, **kwargs):
            s = Session.objects.get(pk=session_id)
            statuses = sorted(
                Enrollment.objects.filter(session_id=session_id).values_list("status", flat=True)
            )
            seen["attempt_start"].append((s.seats_taken, s.allocated_at, statuses))
            return original_allocate(session_id=session_id, **kwargs)

        def notify_then_kill(ids, kind):
            if not seen["killed"]:
                # Every write of the allocation is done, uncommitted: seats, ranks, statuses, the seed.
                admitted = Enrollment.objects.filter(session=session, status="admitted").count()
                seats = outside("SELECT seats_taken FROM training_session WHERE id = %s", [session.pk])[0][0]
                seen["killed"].append((admitted, seats, kill_my_backend()))
            return original_notify(ids, kind)

        # session_allocate queues its notices through its own module's name (training.services is a package).
        monkeypatch.setattr(training_services.allocation, "_notify_on_commit", notify_then_kill)
        monkeypatch.setattr(training_services, "session_allocate", allocate_counted)

        allocate_session.delay(session.pk).get(timeout=60)
        wait_for(lambda: Notice.objects.filter(enrollment__session=session).count() == 4)
        wait_for(lambda: len(mail.outbox) >= 4)  # each notice's mail is a job of its own (the outbox)

    assert [(admitted, seats) for admitted, seats, _pid in seen["killed"]] == [(2, 0)]
    requested = ["requested"] * 4
    assert seen["attempt_start"] == [(0, None, requested), (0, None, requested)]
    session.refresh_from_db()
    assert session.seats_taken == 2 and session.allocated_at is not None
    statuses = sorted(Enrollment.objects.filter(session=session).values_list("status", "rank"))
    assert statuses == [("admitted", 1), ("admitted", 2), ("waitlisted", 3), ("waitlisted", 4)]
    # One notice and one email per participant: the killed attempt queued nothing.
    assert sorted(Notice.objects.filter(enrollment__session=session).values_list("kind", flat=True)) == [
        "admitted",
        "admitted",
        "waitlisted",
        "waitlisted",
    ]
    assert len(mail.outbox) == 4


def test_report_killed_after_its_writes_leaves_nothing_and_the_retry_stores_one_snapshot(
    cast, monkeypatch, worker
):
    from reports import services as report_services
    from reports.models import ReportRun, ReportSnapshot
    from reports.tasks import report_compute

    month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month, ended
    run = ReportRun.objects.create(region=cast.region_a, kind="monthly", period_start=month)
    seen: dict[str, list] = {"killed": [], "attempt_start": []}
    original_compute, original_cache = report_services.snapshot_compute, report_services.cache

    def compute_counted(**kwargs):
        seen["attempt_start"].append(
            (
                ReportSnapshot.objects.filter(region=cast.region_a).count(),
                ReportRun.objects.get(pk=run.pk).status,
            )
        )
        return original_compute(**kwargs)

    class KillingCache:
        """The final progress write comes after the snapshot is saved and the run marked done."""

        def set(self, key, value, timeout=None):
            if value.get("done") == value.get("total") and not seen["killed"]:
                inside = ReportSnapshot.objects.filter(region=cast.region_a).count()
                committed = outside(
                    "SELECT count(*) FROM reports_reportsnapshot WHERE region_id = %s", [cast.region_a.pk]
                )[0][0]
                seen["killed"].append((inside, committed, kill_my_backend()))
            return original_cache.set(key, value, timeout)

    monkeypatch.setattr(report_services, "cache", KillingCache())
    from reports import tasks as report_tasks

    monkeypatch.setattr(report_tasks, "snapshot_compute", compute_counted)

    snapshot_id = report_compute.delay(cast.region_a.pk, "monthly", month.isoformat(), run.pk).get(timeout=60)

    assert [(inside, committed) for inside, committed, _pid in seen["killed"]] == [(1, 0)]
    # The retry started from the state before: no snapshot, the run still running (not failed).
    assert seen["attempt_start"] == [(0, "running"), (0, "running")]
    run.refresh_from_db()
    assert run.status == "done" and run.snapshot_id == snapshot_id
    assert ReportSnapshot.objects.filter(region=cast.region_a).count() == 1
