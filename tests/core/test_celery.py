"""A real task through a real Celery worker against a real Redis broker."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from asnportal.celery import app
from asnportal.tasking.tasks import mail_send


def test_celery_is_configured_for_json_time_limits_and_database_beat():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert {"tasking.mail_send", "tasking.relay", "reports.compute", "org.import_employees"} <= set(app.tasks)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_in_a_real_worker_over_redis():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "tests run against a real Redis"
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = mail_send.delay(to=["pegawai@example.go.id"], subject="Uji", body="Halo")
        assert result.get(timeout=30) == 1
    assert result.status == "SUCCESS"
    assert [m.subject for m in mail.outbox] == ["Uji"]
