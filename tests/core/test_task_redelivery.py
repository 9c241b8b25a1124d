"""A state-changing task delivered twice (in turn, and at the same moment on two connections) changes
nothing the second time: no duplicate row, no second email, no double allocation, no second reminder.

A redelivery carries the same task id (a worker lost after the work, before the acknowledgement), so
each task is applied twice with one id. Reports have their own test (tests/reports/test_tasks.py);
the retention purge's second run is checked in tests/recruitment/test_retention.py.
"""

import datetime as dt
import importlib
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from asnportal.org.models import Employee, EmployeeImport
from asnportal.org.tasks import import_employees
from asnportal.tasking.models import Job, Receipt
from asnportal.tasking.outbox import task_id_for
from asnportal.tasking.tasks import mail_send, relay_task
from performance import tasks as performance_tasks
from performance.models import LogReminder
from tests.clock import NOW, TODAY, at, days
from tests.org.factories import EmployeeFactory
from tests.org.importing import csv_bytes, import_nip, row
from tests.performance.factories import agreed_plan
from tests.recruitment.factories import make_application, make_selection
from tests.training.factories import SessionFactory
from training.models import Enrollment, Notice, Session
from training.tasks import allocate_due_sessions, allocate_session, notify_enrollment, send_reminders

pytestmark = pytest.mark.django_db(transaction=True)


def twice_at_once(first, second) -> list:
    """Run both at the same moment, each on its own database connection; re-raise any error."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(target):
        try:
            barrier.wait(timeout=30)
            results.append(target())
        except Exception as exc:  # collected and re-raised below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


MAIL = {"to": ["pegawai@example.go.id"], "subject": "Uji", "body": "Halo"}


def job(task_name: str, **kwargs) -> str:
    """An outbox row as the relay would deliver it (not run yet); returns its Celery task id."""
    return task_id_for(Job.objects.create(task_name=task_name, kwargs=kwargs, state="sent").pk)


# --- tasking (mail) ------------------------------------------------------------------------------------


def test_mail_send_redelivered_sends_one_email():
    first = job("tasking.mail_send", **MAIL)
    assert mail_send.apply(kwargs=MAIL, task_id=first).get() == 1
    assert mail_send.apply(kwargs=MAIL, task_id=first).get() is None  # the row is done: no effect
    assert len(mail.outbox) == 1
    second = job("tasking.mail_send", **MAIL)
    assert mail_send.apply(kwargs=MAIL, task_id=second).get() == 1  # another job is another email
    assert len(mail.outbox) == 2 and Receipt.objects.count() == 2
    assert list(Job.objects.values_list("state", "attempts")) == [("done", 1), ("done", 1)]


def test_mail_send_delivered_twice_at_once_sends_one_email():
    twin = job("tasking.mail_send", **MAIL)
    results = twice_at_once(
        lambda: mail_send.apply(kwargs=MAIL, task_id=twin).result,
        lambda: mail_send.apply(kwargs=MAIL, task_id=twin).result,
    )
    assert sorted(results, key=str) == [1, None] and len(mail.outbox) == 1


def test_a_failed_send_is_not_marked_sent_so_the_retry_sends(monkeypatch):
    from asnportal.tasking import tasks

    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    failing = job("tasking.mail_send", **MAIL)
    monkeypatch.setattr(tasks, "send_mail", down)
    monkeypatch.setattr(mail_send, "max_retries", 0)  # eagerly, a retry runs at once: give up at once
    with pytest.raises(ConnectionRefusedError):
        mail_send.apply(kwargs=MAIL, task_id=failing, throw=True)
    assert not Receipt.objects.exists()
    assert Job.objects.get().state == "failed" and "smtp down" in Job.objects.get().last_error
    monkeypatch.undo()
    retried = job("tasking.mail_send", **MAIL)  # the officer's (or admin's) retry is a new job
    assert mail_send.apply(kwargs=MAIL, task_id=retried).get() == 1 and len(mail.outbox) == 1


def test_old_receipts_are_forgotten_by_the_daily_purge_and_recent_ones_kept():
    from django_celery_beat.models import PeriodicTask

    from asnportal.tasking.tasks import RECEIPT_KEEP_DAYS, receipts_purge

    with time_machine.travel(NOW - dt.timedelta(days=RECEIPT_KEEP_DAYS, hours=1), tick=False):
        mail_send.apply(kwargs=MAIL, task_id=job("tasking.mail_send", **MAIL))  # past the keeping time
    recent = job("tasking.mail_send", **MAIL)
    mail_send.apply(kwargs=MAIL, task_id=recent)
    assert receipts_purge.apply().get() == 2  # now: the old receipt and the old finished job
    assert list(Receipt.objects.values_list("key", flat=True)) == [f"job:{recent[4:]}"]
    # A redelivery of the recent job still sends nothing.
    assert mail_send.apply(kwargs=MAIL, task_id=recent).get() is None and len(mail.outbox) == 2
    # The beat entry (registered by a data migration, renamed by tasking's; transactional tests flush it).
    from django.apps import apps

    migration = importlib.import_module("asnportal.accounts.migrations.0006_receipts_purge_schedule")
    migration.register(apps, None)
    importlib.import_module("asnportal.tasking.migrations.0002_from_accounts").beat_rename(apps, None)
    [entry] = PeriodicTask.objects.filter(name=migration.TASK_NAME)
    assert entry.task == "tasking.receipts_purge" and entry.enabled


def test_relay_twice_and_at_once_sends_each_waiting_job_once():
    Job.objects.create(task_name="tasking.mail_send", kwargs=MAIL)
    results = twice_at_once(lambda: relay_task.apply().result, lambda: relay_task.apply().result)
    assert sorted(results) == [0, 1]
    assert relay_task.apply().get() == 0
    assert Job.objects.get().state == "done" and len(mail.outbox) == 1


# --- recruitment ---------------------------------------------------------------------------------------


def test_status_emails_redelivered_tell_each_applicant_once(cast):
    from recruitment.tasks import send_status_emails

    selection = make_selection(region=cast.region_a, created_by=cast.users["hr"])
    formation = selection.formations.first()
    ids = [make_application(formation, by=cast.users["hr"]).pk for _i in range(3)]
    mail.outbox.clear()
    first = job("recruitment.status_emails", application_ids=ids)
    assert send_status_emails.apply(args=[ids], task_id=first).get() == 3
    assert send_status_emails.apply(args=[ids], task_id=first).get() is None
    assert len(mail.outbox) == 3
    second = job("recruitment.status_emails", application_ids=ids)
    results = twice_at_once(
        lambda: send_status_emails.apply(args=[ids], task_id=second).result,
        lambda: send_status_emails.apply(args=[ids], task_id=second).result,
    )
    assert sorted(results, key=str) == [3, None] and len(mail.outbox) == 6


# --- organisation --------------------------------------------------------------------------------------


def test_a_twin_delivery_that_read_the_import_before_it_finished_changes_nothing(cast, monkeypatch):
    from asnportal.org.importer import writing

    rows = [row(i) for i in range(5)]
    imp = EmployeeImport.objects.create(
        region=cast.region_a, created_by=cast.users["hr"], filename="pegawai.csv", content=csv_bytes(rows)
    )
    stale = EmployeeImport.objects.get(pk=imp.pk)  # what the twin read while the first run worked
    assert import_employees.apply(args=[imp.pk], task_id="imp-first").get() == "done"
    real_get = writing.EmployeeImport.objects.get
    monkeypatch.setattr(
        writing.EmployeeImport.objects, "get", lambda **kw: stale if kw == {"pk": imp.pk} else real_get(**kw)
    )
    writing.employee_import_run(import_id=imp.pk)
    imp.refresh_from_db()
    assert (imp.status, imp.created_count, imp.updated_count) == ("done", 5, 0)


def test_the_same_import_run_twice_at_once_writes_once(cast):
    rows = [row(i, **({"ATASAN NIP": import_nip(0)} if i else {})) for i in range(20)]
    imp = EmployeeImport.objects.create(
        region=cast.region_a, created_by=cast.users["hr"], filename="pegawai.csv", content=csv_bytes(rows)
    )
    results = twice_at_once(
        lambda: import_employees.apply(args=[imp.pk], task_id="imp").result,
        lambda: import_employees.apply(args=[imp.pk], task_id="imp").result,
    )
    assert results == ["done", "done"]
    imp.refresh_from_db()
    assert (imp.status, imp.created_count, imp.updated_count) == ("done", 20, 0)
    assert Employee.objects.filter(nip__in=[import_nip(i) for i in range(20)]).count() == 20
    stamps = sorted(Employee.objects.values_list("nip", "updated_at"))
    assert import_employees.apply(args=[imp.pk], task_id="imp").get() == "done"
    assert sorted(Employee.objects.values_list("nip", "updated_at")) == stamps


# --- training ------------------------------------------------------------------------------------------


@pytest.fixture
def closed_session(cast):
    """A session of 2 seats with 4 requests, its window closed yesterday, its class in 12 days."""
    with time_machine.travel(NOW, tick=False):
        from training.seeds import training_reference_ensure

        training_reference_ensure()
        session = SessionFactory(
            programme__region=cast.region_a,
            capacity=2,
            enroll_opens=days(-24),
            enroll_closes=days(-1),
            start_date=days(12),
            end_date=days(14),
        )
        for i in range(4):
            person = EmployeeFactory(
                unit=cast.unit_a, position=cast.objects["position_a"], email=f"p{i}@example.go.id"
            )
            Enrollment.objects.create(session=session, employee=person)
        yield session


def allocation_of(session: Session) -> tuple:
    session.refresh_from_db()
    return (
        session.seats_taken,
        session.allocation_seed,
        sorted(Enrollment.objects.filter(session=session).values_list("employee_id", "status", "rank")),
        sorted(Notice.objects.filter(enrollment__session=session).values_list("enrollment_id", "kind")),
        len(mail.outbox),
    )


def test_allocation_delivered_twice_in_turn_allocates_and_notifies_once(closed_session):
    allocate_session.apply(args=[closed_session.pk], task_id="alloc").get()
    first = allocation_of(closed_session)
    assert first[0] == 2 and len(first[3]) == 4 and first[4] == 4
    allocate_session.apply(args=[closed_session.pk], task_id="alloc").get()
    assert allocation_of(closed_session) == first


def test_allocation_delivered_twice_at_once_allocates_once(closed_session):
    twice_at_once(
        lambda: allocate_session.apply(args=[closed_session.pk], task_id="alloc").result,
        lambda: allocate_session.apply(args=[closed_session.pk], task_id="alloc").result,
    )
    seats, _seed, enrollments, notices, emails = allocation_of(closed_session)
    assert seats == 2 and [s for _e, s, _r in enrollments].count("admitted") == 2
    assert len(notices) == 4 and emails == 4


def test_due_allocations_twice_allocate_each_session_once(closed_session):
    with time_machine.travel(NOW, tick=False):
        assert allocate_due_sessions.apply().get() >= 1
        first = allocation_of(closed_session)
        assert allocate_due_sessions.apply().get() == 0
    assert allocation_of(closed_session) == first and first[0] == 2


def test_a_notice_delivered_twice_in_turn_and_at_once_is_sent_once(closed_session):
    enrollment = Enrollment.objects.filter(session=closed_session).first()
    assert notify_enrollment.apply(args=[enrollment.pk, "promoted"], task_id="n1").get() is True
    assert notify_enrollment.apply(args=[enrollment.pk, "promoted"], task_id="n1").get() is False
    results = twice_at_once(
        lambda: notify_enrollment.apply(args=[enrollment.pk, "reminder"], task_id="n2").result,
        lambda: notify_enrollment.apply(args=[enrollment.pk, "reminder"], task_id="n2").result,
    )
    assert sorted(results) == [False, True]
    assert Notice.objects.filter(enrollment=enrollment).count() == 2 and len(mail.outbox) == 2


def test_reminders_twice_the_day_before_remind_each_participant_once(closed_session):
    allocate_session.apply(args=[closed_session.pk]).get()
    sent_before = len(mail.outbox)
    # The day before the class in Bengkulu: the session starts tomorrow.
    with time_machine.travel(at(days(11)), tick=False):
        assert send_reminders.apply().get() == 2
        assert send_reminders.apply().get() == 0
    assert Notice.objects.filter(enrollment__session=closed_session, kind="reminder").count() == 2
    assert len(mail.outbox) - sent_before == 2


# --- performance ---------------------------------------------------------------------------------------


def test_missing_log_reminders_twice_at_once_send_one_per_employee_and_day(cast):
    staff = cast.objects["staff_employee"]
    staff.email = "budi@example.go.id"
    staff.save()
    monday = TODAY - dt.timedelta(days=TODAY.weekday() or 7)  # the last Monday before TODAY
    agreed_plan(staff, monday.year)
    # That Monday, 09:00 in Bengkulu; nothing logged on the Thursday or Friday before.
    with time_machine.travel(at(monday, 9), tick=False):
        results = twice_at_once(
            lambda: performance_tasks.remind_missing_logs.apply(task_id="r").result,
            lambda: performance_tasks.remind_missing_logs.apply(task_id="r").result,
        )
        assert performance_tasks.remind_missing_logs.apply(task_id="r").get() == 0
    assert sorted(results) == [0, 1]
    assert LogReminder.objects.count() == 1 and [m.to for m in mail.outbox] == [["budi@example.go.id"]]
