"""The read-replica router on a real streaming standby (scripts/with_services.py --replica starts a
throwaway primary and a pg_basebackup standby of it; `make test` runs this module that way).

The standby's replay is paused to make the lag visible: a dashboard or public page then shows the
standby's older state, while the browser that has just written, any other page and every write see
the primary.
"""

import os
import time

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from asnportal.dbrouter import WROTE_COOKIE, ReplicaRouter
from asnportal.org.models import Region

from ..org.factories import bengkulu

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_REPLICA_URL"),
        reason="needs a streaming standby: `make test` runs this module under with_services.py --replica",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def scalar(alias: str, sql: str):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def replicated() -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    target = scalar("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail("the standby did not catch up within 30 s")


@pytest.fixture
def paused():
    """The standby stops replaying: what the primary writes now stays invisible there."""
    replicated()
    scalar("replica", "SELECT pg_wal_replay_pause()::text")
    yield
    scalar("replica", "SELECT pg_wal_replay_resume()::text")


@pytest.fixture
def region():
    region = bengkulu()
    replicated()
    return region


def results_url(region: Region) -> str:
    return reverse("feedback:public_region", kwargs={"code": region.code})


def test_the_replica_is_a_real_standby_of_the_primary():
    assert scalar("default", "SELECT pg_is_in_recovery()") is False
    assert scalar("replica", "SELECT pg_is_in_recovery()") is True
    assert scalar("replica", "SELECT current_database()") == scalar("default", "SELECT current_database()")


def test_a_public_page_reads_the_replica(region, paused):
    Region.objects.filter(pk=region.pk).update(name="Provinsi Baru")  # on the primary only, for now
    body = Client().get(results_url(region)).content.decode()
    assert "Provinsi Baru" not in body
    assert region.name in body  # the standby's state
    scalar("replica", "SELECT pg_wal_replay_resume()::text")
    replicated()
    assert "Provinsi Baru" in Client().get(results_url(region)).content.decode()


def test_a_browser_that_just_wrote_reads_the_primary(region, paused):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "id", "next": results_url(region)})
    assert response.status_code == 302
    assert WROTE_COOKIE in response.cookies  # marked: it reads the primary for a while
    Region.objects.filter(pk=region.pk).update(name="Provinsi Baru")
    # (the page keeps its results body in Redis: cleared so each answer is rendered from its database)
    cache.clear()
    assert "Provinsi Baru" in client.get(results_url(region)).content.decode()
    cache.clear()
    assert "Provinsi Baru" not in Client().get(results_url(region)).content.decode()  # others: replica


def test_writes_migrations_and_reads_outside_an_eligible_page_stay_on_the_primary(region, paused):
    Region.objects.filter(pk=region.pk).update(name="Provinsi Baru")
    router = ReplicaRouter()
    assert router.db_for_write(Region) == "default"
    assert router.db_for_read(Region) == "default"  # outside an eligible request
    assert router.allow_migrate("replica", "org") is False
    assert Region.objects.get(pk=region.pk).name == "Provinsi Baru"
