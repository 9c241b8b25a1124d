"""Attacks on the anonymous survey through its real URL: parallel duplicates, guessing one-time codes.

Concurrency runs real threads, each with its own PostgreSQL connection (transactional tests, like
tests/feedback/test_concurrency.py), so the guards are proved in the database, not in one process.
"""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import SubmissionGuard, SurveyResponse, SurveyToken
from feedback.rules import ELEMENT_CODES
from tests.feedback.factories import ServiceUnitFactory

DUPLICATE_ID = "Jawaban yang sama sudah kami terima"
WRONG_CODE_ID = "Kode survei ini tidak berlaku"
THROTTLED_ID = "Terlalu banyak kode survei yang salah"


def survey_data(value: int = 4, **extra) -> dict:
    return {**{f"el_{code}": value for code in ELEMENT_CODES}, **extra}


def survey_url(service_unit) -> str:
    return reverse("feedback:survey", kwargs={"slug": service_unit.slug})


def post_all_at_once(posts: list[tuple[str, str, dict]]) -> list[tuple[int, str]]:
    """Send every (address, url, data) POST from its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(posts))
    results: list[tuple[int, str] | None] = [None] * len(posts)

    def send(i: int, address: str, url: str, data: dict) -> None:
        try:
            client = Client(REMOTE_ADDR=address)
            barrier.wait(timeout=30)
            response = client.post(url, data)
            results[i] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()  # each thread used its own connection

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None for r in results), "a request did not finish"
    return results  # type: ignore[return-value]


# --- 1. identical code-less submissions at the same moment ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twelve_identical_submissions_at_once_store_exactly_one(cast):
    su = ServiceUnitFactory(unit=cast.unit_a)
    url = survey_url(su)
    data = survey_data(2, comment="Antrean terlalu lama")
    results = post_all_at_once([("10.20.0.1", url, data)] * 12)

    statuses = sorted(status for status, _body in results)
    assert statuses == [302] + [400] * 11
    assert SurveyResponse.objects.count() == 1
    for status, body in results:
        if status == 400:
            assert DUPLICATE_ID in body  # a clear Indonesian answer, not a server error
    assert SubmissionGuard.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_different_submissions_are_all_stored(cast):
    """The guard refuses copies only: different answers from the same network all count."""
    su = ServiceUnitFactory(unit=cast.unit_a)
    url = survey_url(su)
    results = post_all_at_once([("10.20.0.2", url, survey_data(v)) for v in (1, 2, 3, 4)])
    assert sorted(status for status, _body in results) == [302] * 4
    assert SurveyResponse.objects.count() == 4


def test_the_duplicate_guard_is_the_database_not_the_cache(cast):
    """With the cache's memory of the first submission gone (Redis flushed, another process), the
    identical copy is still refused; after the window it is accepted again."""
    su = ServiceUnitFactory(unit=cast.unit_a)
    client = Client(REMOTE_ADDR="10.20.0.3")
    data = survey_data(3, comment="Ramah")
    assert client.post(survey_url(su), data).status_code == 302
    cache.clear()
    again = client.post(survey_url(su), data)
    assert again.status_code == 400 and DUPLICATE_ID in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        cache.clear()
        assert client.post(survey_url(su), data).status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_the_same_answers_from_another_address_are_not_a_duplicate(cast):
    su = ServiceUnitFactory(unit=cast.unit_a)
    data = survey_data(4)
    assert Client(REMOTE_ADDR="10.20.0.4").post(survey_url(su), data).status_code == 302
    assert Client(REMOTE_ADDR="10.20.0.5").post(survey_url(su), data).status_code == 302
    assert SurveyResponse.objects.count() == 2


# --- 2. guessing one-time codes --------------------------------------------------------------------------


def wrong_codes(n: int) -> list[str]:
    return [f"WR{i:02d}-ZZZZ".replace("0", "Q").replace("1", "R") for i in range(n)]


def test_wrong_codes_are_throttled_per_address_even_the_right_code(cast, settings):
    assert settings.FEEDBACK_CODE_GUESS_LIMIT == 10 and settings.FEEDBACK_CODE_GUESS_WINDOW == 900
    su = ServiceUnitFactory(unit=cast.unit_a)
    right, spare = (t.code for t in services.token_batch_create(service_unit=su, size=2).tokens.all())
    url = survey_url(su)
    attacker = Client(REMOTE_ADDR="10.30.0.1")
    started = timezone.now()

    for code in wrong_codes(10):
        response = attacker.post(url, survey_data(3, token=code))
        assert response.status_code == 400 and WRONG_CODE_ID in response.content.decode()

    # The 11th try is refused before the code is looked at, even the right one.
    blocked = attacker.post(url, survey_data(3, token=right))
    assert blocked.status_code == 429
    body = blocked.content.decode()
    assert THROTTLED_ID in body and "15 menit" in body
    assert SurveyResponse.objects.count() == 0
    assert not SurveyToken.objects.filter(used_at__isnull=False).exists()

    # Another client is not affected: its wrong code is just wrong, its right code works.
    neighbour = Client(REMOTE_ADDR="10.30.0.2")
    response = neighbour.post(url, survey_data(2, token="ABCD-EFGH"))
    assert response.status_code == 400 and THROTTLED_ID not in response.content.decode()
    assert neighbour.post(url, survey_data(2, token=spare)).status_code == 302

    # Still refused near the end of the window; the survey without a code stays open to everyone.
    with time_machine.travel(started + dt.timedelta(minutes=14), tick=False):
        assert attacker.post(url, survey_data(3, token=right)).status_code == 429
        assert attacker.post(url, survey_data(1)).status_code == 302
    # Once the window has passed, the right code works (and the count starts anew).
    with time_machine.travel(started + dt.timedelta(minutes=15, seconds=30), tick=False):
        assert attacker.post(url, survey_data(3, token=right)).status_code == 302
    assert SurveyToken.objects.get(code=right).used_at is not None
    assert SurveyResponse.objects.count() == 3


def test_a_spent_code_tried_again_counts_as_a_wrong_code(cast, settings):
    settings.FEEDBACK_CODE_GUESS_LIMIT = 2
    su = ServiceUnitFactory(unit=cast.unit_a)
    code = services.token_batch_create(service_unit=su, size=1).tokens.get().code
    client = Client(REMOTE_ADDR="10.30.0.3")
    assert client.post(survey_url(su), survey_data(4, token=code)).status_code == 302
    assert client.post(survey_url(su), survey_data(4, token=code)).status_code == 400
    assert client.post(survey_url(su), survey_data(4, token="<script>")).status_code == 400
    assert client.post(survey_url(su), survey_data(4, token=code)).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_from_one_address_are_counted_one_after_the_other(cast, settings):
    """Fifteen wrong codes sent at once: the counter row is locked per address, so exactly the limit
    is tried and the rest are refused (a count-then-check would have let all fifteen through)."""
    su = ServiceUnitFactory(unit=cast.unit_a)
    url = survey_url(su)
    results = post_all_at_once([("10.30.0.4", url, survey_data(3, token=c)) for c in wrong_codes(15)])
    statuses = sorted(status for status, _body in results)
    assert statuses == [400] * settings.FEEDBACK_CODE_GUESS_LIMIT + [429] * 5
    assert SurveyResponse.objects.count() == 0
