"""The beat schedule's jobs run through a real worker over Redis, one task per region."""

import json

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from asnportal.celery import app
from asnportal.org.models import Region
from reports.models import ReportSnapshot
from reports.schedules import schedules_ensure
from reports.tasks import reports_fan_out

from .factories import LAST_MONTH


@pytest.mark.django_db
def test_schedules_are_stored_for_the_admin_to_edit():
    tasks = {t.name: t for t in PeriodicTask.objects.filter(task="reports.tasks.reports_fan_out")}
    kinds = sorted(json.loads(t.kwargs)["kind"] for t in tasks.values())
    assert kinds == ["monthly", "quarterly"]
    quarterly = next(t for t in tasks.values() if json.loads(t.kwargs)["kind"] == "quarterly")
    assert quarterly.crontab.month_of_year == "1,4,7,10" and quarterly.crontab.day_of_month == "1"


@pytest.mark.django_db
def test_fan_out_computes_one_report_per_region(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the jobs leave when the fan-out commits
        task_ids = reports_fan_out.delay("monthly", LAST_MONTH.isoformat()).get()
    assert len(task_ids) == Region.objects.count()
    assert ReportSnapshot.objects.filter(kind="monthly").count() == Region.objects.count()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_entry_runs_through_a_real_worker(cast):
    schedules_ensure(CrontabSchedule, PeriodicTask)  # an earlier transactional test's flush removed them
    task = PeriodicTask.objects.get(task="reports.tasks.reports_fan_out", kwargs__contains="monthly")
    app.conf.task_always_eager = False
    scheduler = DatabaseScheduler(app=app, lazy=True)
    entry = scheduler.Entry(task, app=app)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = scheduler.apply_async(entry, producer=None, advance=False)
        task_ids = result.get(timeout=60)
        assert len(task_ids) == Region.objects.count()
        # The fan-out queued one task per region on the same worker: each returns its snapshot id.
        snapshot_ids = [AsyncResult(task_id, app=app).get(timeout=120) for task_id in task_ids]
    assert sorted(snapshot_ids) == sorted(
        ReportSnapshot.objects.filter(kind="monthly").values_list("pk", flat=True)
    )
