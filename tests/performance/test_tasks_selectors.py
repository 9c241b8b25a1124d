"""The reminder beat task, the selectors other apps call, and the demo seed."""

import datetime as dt
import random
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django_celery_beat.models import PeriodicTask

from asnportal.org.models import Employee
from performance import selectors, services, tasks
from performance.models import ActivityLog, Appraisal, LogReminder, Plan

from ..clock import TODAY, at
from ..org.factories import EmployeeFactory
from .factories import agreed_plan, approved_log, behaviour, current_period, due

pytestmark = pytest.mark.django_db
YEAR = TODAY.year
# The reminder depends on the weekday: the last Monday before TODAY (a week ago when TODAY is one).
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday() or 7)


def test_reminder_is_registered_with_celery_beat():
    task = PeriodicTask.objects.get(task="performance.tasks.remind_missing_logs")
    assert task.enabled and task.crontab.day_of_week == "1-5"


def test_reminder_for_two_working_days_without_logs_once_a_day(cast, django_capture_on_commit_callbacks):
    staff = cast.objects["staff_employee"]
    staff.email = "budi@example.go.id"
    staff.save()
    _p, (kpi, _b) = agreed_plan(staff, MONDAY.year)
    # MONDAY, 09:00 in Bengkulu: the two previous working days are the Thursday and the Friday before.
    with time_machine.travel(at(MONDAY, 9), tick=False):
        approved_log(staff, kpi, MONDAY - dt.timedelta(days=5), 1)  # Wednesday: too old to count
        with django_capture_on_commit_callbacks(execute=True):  # the mail job leaves on commit
            assert tasks.remind_missing_logs.delay().get() == 1
            assert tasks.remind_missing_logs.delay().get() == 0  # idempotent
    assert LogReminder.objects.get().date == MONDAY
    assert mail.outbox[0].to == ["budi@example.go.id"]


def test_no_reminder_when_a_log_exists_or_on_weekends(cast):
    staff = cast.objects["staff_employee"]
    saturday = MONDAY + dt.timedelta(days=5)  # nothing logged on its Thursday and Friday
    _p, (kpi, _b) = agreed_plan(staff, MONDAY.year)
    if saturday.year != MONDAY.year:  # a plan of Saturday's year too: only the weekend may spare it
        agreed_plan(staff, saturday.year)
    approved_log(staff, kpi, MONDAY - dt.timedelta(days=3), 1)  # Friday
    with time_machine.travel(at(MONDAY, 9), tick=False):
        assert services.reminders_send() == 0
    with time_machine.travel(at(saturday, 9), tick=False):
        assert services.reminders_send() == 0


def test_previous_working_days_skip_the_weekend():
    assert services.previous_working_days(dt.date(2026, 11, 23), 2) == [
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 19),
    ]


@pytest.mark.parametrize(
    ("predikat_behaviour", "work_quantity", "potential", "box"),
    [
        ("di_bawah", 0, "rendah", 1),  # Sangat Kurang -> low row
        ("sesuai", 0, "menengah", 3),  # Butuh Perbaikan
        ("sesuai", 0, "tinggi", 6),
        ("sesuai", 100, "rendah", 2),  # Baik -> middle row
        ("sesuai", 100, "menengah", 5),
        ("sesuai", 100, "tinggi", 8),
        ("di_atas", 120, "rendah", 4),  # Sangat Baik -> top row
        ("di_atas", 120, "menengah", 7),
        ("di_atas", 120, "tinggi", 9),
    ],
)
def test_talent_rows_place_every_box_in_sql(cast, predikat_behaviour, work_quantity, potential, box):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    _p, (kpi,) = agreed_plan(staff, YEAR, [("Berkas", 100, 100)])
    period = current_period(cast.region_a)
    if work_quantity:  # work_quantity % of this quarter's share of the yearly target (100)
        approved_log(staff, kpi, TODAY, due(work_quantity, period))
    services.appraisal_rate(
        supervisor=boss, employee=staff, period=period, behaviour=behaviour(predikat_behaviour)
    )
    services.potential_record(user=None, employee=staff, year=YEAR, potential=potential)
    row = selectors.talent_rows(region_id=cast.region_a.pk).get(pk=staff.pk)
    assert row.box == box
    pool = list(selectors.talent_pool(region_id=cast.region_a.pk))
    assert [(e.pk, e.box) for e in pool] == ([(staff.pk, box)] if box >= 7 else [])
    assert selectors.box_counts(region_id=cast.region_a.pk)[box] == 1


def test_performance_summary(cast):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    _p, (kpi, _b) = agreed_plan(staff, YEAR)
    period = current_period(cast.region_a)
    log = services.log_create(
        employee=staff,
        indicator_id=kpi.pk,
        date=TODAY,
        quantity=Decimal(1),
        duration_minutes=30,
        description="x",
    )
    ActivityLog.objects.filter(pk=log.pk).update(
        reviewed_at=log.created_at + dt.timedelta(hours=5), status="approved"
    )
    services.appraisal_rate(supervisor=boss, employee=staff, period=period, behaviour=behaviour())
    summary = selectors.performance_summary(region_id=cast.region_a.pk, start=period.start, end=period.end)
    active = Employee.objects.filter(region=cast.region_a, status="active").count()
    assert summary["staff_total"] == active and summary["staff_logging"] == 1
    assert summary["logging_share"] == (Decimal(1) / active).quantize(Decimal("0.0001"))
    assert summary["approval_latency"] == dt.timedelta(hours=5)
    unit = summary["units"][cast.unit_a.pk]
    assert unit["predikat"]["butuh_perbaikan"] == 1 and unit["warnings"] == []


def test_other_units_and_regions_stay_apart(cast):
    other = cast.objects["other_region_employee"]
    boss = EmployeeFactory(unit=cast.unit_b, position=cast.objects["position_b"])
    other.supervisor = boss
    other.save()
    agreed_plan(other, YEAR)
    period = current_period(cast.region_b)
    services.appraisal_rate(supervisor=boss, employee=other, period=period, behaviour=behaviour())
    assert (
        selectors.performance_summary(
            region_id=cast.region_a.pk, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
        )["units"]
        == {}
    )


def test_demo_seed_is_deterministic_and_idempotent(db):
    from asnportal.org.demo import seed_core
    from performance import demo

    seed_core(random.Random("demo-core"))
    # The demo is built around the day it runs and what it holds depends on that day (on 2029-06-30
    # no appraisal is Sangat Baik): these content checks pin one day, a Wednesday of Triwulan IV.
    with time_machine.travel(dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC), tick=False):
        demo.seed(rng=random.Random("demo-performance"))
        counts = (ActivityLog.objects.count(), Appraisal.objects.count(), Plan.objects.count())
        demo.seed(rng=random.Random("demo-performance"))
    assert (ActivityLog.objects.count(), Appraisal.objects.count(), Plan.objects.count()) == counts
    assert ActivityLog.objects.filter(status="submitted").exists()
    assert ActivityLog.objects.filter(status="returned", messages__isnull=False).exists()
    assert Appraisal.objects.filter(predikat="sangat_baik").exists()
    assert Plan.objects.filter(employee__user__username="pegawai.bengkulu", status="agreed").exists()


def test_registering_the_reminder_twice_keeps_one_task():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("performance.migrations.0002_reminder_schedule")
    migration.register(apps, None)
    migration.register(apps, None)
    assert PeriodicTask.objects.filter(name=migration.TASK_NAME).count() == 1
