"""Background work survives a broker outage and a killed worker (issue 18), with a REAL Redis and a REAL worker.

Each test starts its own redis-server on a free port (never the shared one on 6379) and a `celery worker
-P solo` subprocess pointed at it and at the test database; the data the worker reads is committed
(transactional tests). Mail goes to files, so the worker's emails can be counted from here.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.db import connection, transaction

from asnportal.celery import app
from asnportal.org import services as org_services
from asnportal.org.models import Employee, EmployeeImport
from asnportal.tasking import mail_queue
from asnportal.tasking.models import Job, Receipt
from asnportal.tasking.outbox import _publish, relay
from reports import services as report_services
from reports.models import ReportSnapshot
from tests.clock import days
from tests.org.factories import EmployeeFactory
from tests.org.importing import csv_bytes, import_nip, row
from tests.reports.factories import LAST_MONTH
from tests.training.factories import SessionFactory
from training import services as training_services
from training.models import Enrollment, Notice

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# The worker runs on the suite's clock too (tests/clock.py, ASN_TEST_TODAY), ticking from the same moment.
WORKER_BOOT = (
    "import sys, time_machine; from tests.clock import NOW; time_machine.travel(NOW, tick=True).start(); "
    "sys.argv[0] = 'celery'; from celery.__main__ import main; main()"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds: float = 60, what: str = "the worker") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not get there in time"
        time.sleep(0.2)  # polling real processes, not a clock


class Redis:
    def __init__(self, tmp: Path):
        self.port, self.tmp, self.proc = free_port(), tmp, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ],
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for(answers, 20, "redis-server")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # an outage, not a clean shutdown (nothing is saved: --save "")
            self.proc.wait(10)
        self.proc = None


class Worker:
    def __init__(self, redis: Redis, tmp: Path):
        db = connection.settings_dict
        self.env = dict(
            os.environ,
            DJANGO_ENV="test",
            DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            REDIS_URL=redis.url,
            CELERY_BROKER_URL=redis.url,
            CELERY_RESULT_BACKEND=redis.url,
            CELERY_TASK_ALWAYS_EAGER="false",
            EMAIL_URL=f"filemail:///{tmp / 'mail'}",
        )
        self.tmp, self.proc, self.started = tmp, None, 0

    def start(self) -> None:
        self.started += 1
        log = self.tmp / f"worker-{self.started}.log"
        self.log = log
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER_BOOT,
                "-A",
                "asnportal",
                "worker",
                "-P",
                "solo",
                "-l",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"outage{self.started}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        name = f"outage{self.started}@{socket.gethostname()}"
        wait_for(
            lambda: self.proc.poll() is None and app.control.ping([name], timeout=0.5),
            90,
            "the worker's start",
        )

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


def _reset_producer_pool() -> None:
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def services(tmp_path, settings):
    """A private Redis (started), a worker (not yet), the producer of this process pointed at that Redis."""
    (tmp_path / "mail").mkdir()
    redis = Redis(tmp_path)
    redis.start()
    worker = Worker(redis, tmp_path)
    saved = app.conf.broker_url
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = redis.url
    _reset_producer_pool()
    try:
        yield redis, worker
    finally:
        worker.kill()
        redis.stop()
        app.conf.broker_url = saved
        _reset_producer_pool()
        app.conf.task_always_eager = True


def emails(tmp_path) -> int:
    return sum(
        p.read_text().count("\nSubject: ") + p.read_text().startswith("Subject: ")
        for p in (tmp_path / "mail").glob("*.log")
    )


def all_finished() -> bool:
    return not Job.objects.exclude(state__in=["done", "failed"]).exists()


def outside(sql: str, params=()):
    with closing(psycopg2.connect(**connection.get_connection_params())) as other:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def an_import(cast, n: int) -> EmployeeImport:
    return org_services.employee_import_start(
        region=cast.region_a,
        created_by=cast.users["hr"],
        filename="pegawai.csv",
        content=csv_bytes([row(i) for i in range(n)]),
    )


def a_closed_session(cast, requests: int = 4, capacity: int = 2):
    session = SessionFactory(
        programme__region=cast.region_a,
        capacity=capacity,
        enroll_opens=days(-24),
        enroll_closes=days(-1),
        start_date=days(12),
        end_date=days(14),
    )
    for i in range(requests):
        person = EmployeeFactory(
            unit=cast.unit_a, position=cast.objects["position_a"], email=f"p{i}@example.go.id"
        )
        Enrollment.objects.create(session=session, employee=person)
    return session


def test_jobs_requested_while_redis_is_down_each_run_once_when_it_is_back(cast, services, tmp_path):
    redis, worker = services
    session = a_closed_session(cast)
    redis.stop()

    # Redis is down: the import, the report and the allocation are requested; the data commits.
    imp = an_import(cast, 12)
    run = report_services.run_request(
        region=cast.region_a, kind="monthly", period_start=LAST_MONTH, user=cast.users["hr"]
    )
    assert training_services.allocations_due_enqueue() == 1
    waiting = list(Job.objects.order_by("pk").values_list("task_name", "state", "sends"))
    assert waiting == [
        ("org.import_employees", "pending", 0),
        ("reports.compute", "pending", 0),
        ("training.allocate_session", "pending", 0),
    ]
    assert all("111" in e or "refused" in e.lower() for e in Job.objects.values_list("last_error", flat=True))
    assert relay() == 0  # still down: nothing lost, nothing sent
    imp.refresh_from_db()
    run.refresh_from_db()
    assert (imp.status, run.status) == ("pending", "pending")

    redis.start()
    worker.start()
    assert relay() == 3
    wait_for(all_finished, 120, "the jobs")

    imp.refresh_from_db()
    run.refresh_from_db()
    session.refresh_from_db()
    assert (imp.status, imp.created_count, imp.processed_rows) == ("done", 12, 12)
    assert Employee.objects.filter(nip__in=[import_nip(i) for i in range(12)]).count() == 12
    assert run.status == "done" and ReportSnapshot.objects.filter(region=cast.region_a).count() == 1
    assert session.seats_taken == 2 and Notice.objects.filter(enrollment__session=session).count() == 4
    # 3 requested jobs, then 4 notices and their 4 mails: 11 jobs, each started exactly once.
    jobs = list(Job.objects.values_list("task_name", "state", "attempts"))
    assert len(jobs) == 11 and {(state, attempts) for _n, state, attempts in jobs} == {("done", 1)}
    assert Receipt.objects.count() == 11
    assert emails(tmp_path) == 4
    assert relay() == 0  # nothing left to send


def test_the_same_outbox_row_delivered_three_times_has_one_effect(cast, services, tmp_path):
    redis, worker = services
    run = report_services.run_request(
        region=cast.region_a, kind="monthly", period_start=LAST_MONTH, user=cast.users["hr"]
    )
    with transaction.atomic():
        mail = mail_queue(to=["budi@example.go.id"], subject="Sekali saja", body="isi")
    report_job = Job.objects.get(task_name="reports.compute")
    for job in (report_job, mail):  # two more deliveries of each row, before any worker runs
        _publish(Job.objects.get(pk=job.pk))
        _publish(Job.objects.get(pk=job.pk))
    worker.start()
    wait_for(all_finished, 120, "the jobs")
    with transaction.atomic():
        sentinel = mail_queue(to=["siti@example.go.id"], subject="Penanda", body="isi")
    wait_for(
        lambda: Job.objects.get(pk=sentinel.pk).state == "done", 60, "the sentinel"
    )  # the queue is drained

    run.refresh_from_db()
    assert run.status == "done" and ReportSnapshot.objects.filter(region=cast.region_a).count() == 1
    assert emails(tmp_path) == 2  # "Sekali saja" once, and the sentinel
    for job in (report_job, mail):
        job.refresh_from_db()
        assert (job.state, job.attempts) == ("done", 1)
    assert Receipt.objects.filter(key__in=[f"job:{report_job.pk}", f"job:{mail.pk}"]).count() == 2


def test_a_worker_killed_mid_import_leaves_nothing_and_the_relay_has_it_run_once(cast, services):
    redis, worker = services
    n = 30
    last = EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"], nip=import_nip(n - 1))
    nips = [import_nip(i) for i in range(n)]
    worker.start()
    holder = psycopg2.connect(**connection.get_connection_params())
    try:
        with holder.cursor() as cursor:  # an officer's edit holds the last row: the upsert waits on it
            cursor.execute("SELECT id FROM org_employee WHERE id = %s FOR UPDATE", [last.pk])
        imp = org_services.employee_import_start(
            region=cast.region_a,
            created_by=cast.users["hr"],
            filename="pegawai.csv",
            content=csv_bytes([row(i) for i in range(n)]),
        )
        job = Job.objects.get(task_name="org.import_employees")
        db = connection.settings_dict["NAME"]
        waiting = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
        wait_for(lambda: outside(waiting, [db]), 90, "the import's write")
        # Mid-job: the rows before the held one are written inside the job's transaction, none committed.
        assert outside("SELECT count(*) FROM org_employee WHERE nip = ANY(%s)", [nips]) == [(1,)]
        worker.kill()
    finally:
        holder.rollback()
        holder.close()
    wait_for(lambda: not outside(waiting, [db]), 30, "the killed worker's backend")

    imp.refresh_from_db()
    job.refresh_from_db()
    assert (imp.status, imp.created_count) == ("running", 0)  # no partial result
    assert Employee.objects.filter(nip__in=nips).count() == 1 and job.state == "running"
    assert not Receipt.objects.filter(key=f"job:{job.pk}").exists()

    worker.start()
    assert relay() == 0  # not yet stale: a job may legitimately run that long
    from datetime import timedelta

    assert relay(stale_after=timedelta(0)) == 1  # its worker is known lost: sent again
    wait_for(lambda: Job.objects.get(pk=job.pk).state == "done", 120, "the retried import")
    imp.refresh_from_db()
    job.refresh_from_db()
    assert (imp.status, imp.created_count, imp.updated_count, imp.processed_rows) == ("done", n - 1, 1, n)
    assert Employee.objects.filter(nip__in=nips).count() == n
    assert (job.attempts, job.sends) == (2, 2)
    assert Receipt.objects.filter(key=f"job:{job.pk}").count() == 1
