"""Faults: with Redis down the site still serves and no task is lost; a redelivered task changes nothing."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from asnportal.celery import app
from asnportal.tasking import mail_queue
from asnportal.tasking.models import Job
from asnportal.tasking.outbox import relay

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
DEAD_CACHE = {
    "default": {
        "BACKEND": "asnportal.cache.ResilientRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def _reset_producer_pool() -> None:
    from kombu import pools

    pools.reset()  # kombu keeps connection and producer pools per URL, process-wide
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Point the Celery producer at a port where no Redis listens (a real connection refused)."""
    saved = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = DEAD_REDIS
    _reset_producer_pool()
    yield
    app.conf.broker_url = saved
    _reset_producer_pool()
    app.conf.task_always_eager = True


@override_settings(CACHES=DEAD_CACHE)
def test_cache_degrades_instead_of_failing():
    assert cache.get("anything", "fallback") == "fallback"
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False
    assert cache.incr("k") == 1


@pytest.mark.django_db
@override_settings(CACHES=DEAD_CACHE)
def test_pages_still_serve_with_redis_down(cast):
    assert cast.client("anonymous").get(reverse("login")).status_code == 200
    assert cast.client("hr").get(reverse("org:directory")).status_code == 200


@pytest.mark.django_db
@override_settings(CACHES=DEAD_CACHE)
def test_citizens_can_still_submit_a_survey_with_redis_down(settings):
    """The flood guards live in Redis: during an outage they fail open (logged), the survey is saved."""
    from feedback import services
    from feedback.models import SurveyResponse
    from feedback.rules import ELEMENT_CODES
    from tests.feedback.factories import ServiceUnitFactory

    settings.FEEDBACK_IP_LIMIT = 1
    su = ServiceUnitFactory()
    for value in (3, 4):
        services.survey_submit(
            service_unit=su, answers=dict.fromkeys(ELEMENT_CODES, value), client_ip="10.1.1.1"
        )
    assert SurveyResponse.objects.filter(service_unit=su).count() == 2


@pytest.mark.django_db
def test_task_is_kept_when_the_broker_is_down_and_sent_when_it_is_back(
    broker_down, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to=["a@example.go.id"], subject="Tidak hilang", body="isi")
    waiting = Job.objects.get()
    assert (waiting.task_name, waiting.state, waiting.kwargs["subject"]) == (
        "tasking.mail_send",
        "pending",
        "Tidak hilang",
    )
    assert "Connection refused" in waiting.last_error or "Error" in waiting.last_error
    assert relay() == 0  # still down: kept
    waiting.refresh_from_db()
    assert (waiting.state, waiting.sends) == ("pending", 0)
    app.conf.task_always_eager = True  # the broker is back (in-process here)
    assert relay() == 1
    waiting.refresh_from_db()
    assert (waiting.state, waiting.sends, waiting.attempts) == ("done", 1, 1)
    assert [m.subject for m in mailoutbox] == ["Tidak hilang"]
    assert relay() == 0  # done: never sent again
