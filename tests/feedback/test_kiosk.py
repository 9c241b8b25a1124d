"""Kiosk mode (issue 22): a service counter's tablet queues SKM responses with their one-time codes
and sends them later. The one-response rule holds (a code is spent once), a re-send of a stored
response is recognised instead of counted as a wrong code, so a tablet flushing its queue is never
locked out by the wrong-code throttle that still refuses a reused code."""

import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import CodeGuessCounter, SurveyResponse, SurveyToken
from feedback.rules import ELEMENT_CODES
from feedback.services import token_batch_create

from .factories import ServiceFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db
TABLET = "10.9.9.9"


@pytest.fixture
def su(cast):
    unit = ServiceUnitFactory(unit=cast.unit_a, name="Puskesmas Kota", slug="puskesmas-kota")
    ServiceFactory(service_unit=unit, name="Poli Umum")
    return unit


def codes(su, n):
    batch = token_batch_create(service_unit=su, size=n)
    return list(SurveyToken.objects.filter(batch=batch).values_list("code", flat=True))


def answer(code, key, value=4, **extra):
    return {f"el_{c}": value for c in ELEMENT_CODES} | {"token": code, "client_key": key} | extra


def sync_url(su):
    return reverse("feedback:survey_kiosk_sync", kwargs={"slug": su.slug})


def test_the_kiosk_page_is_an_offline_form(su):
    page = Client().get(reverse("feedback:survey_kiosk", kwargs={"slug": su.slug}))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="kiosk-form"' in html and "data-offline-page" in html
    assert sync_url(su) in html and "pwa/kiosk.js" in html and "<script>" not in html


def test_five_queued_responses_from_one_tablet_are_stored_and_a_reused_code_refused(su, settings):
    settings.FEEDBACK_IP_LIMIT = 2  # the code-less flood guard does not stand in a kiosk's way
    tablet = Client(REMOTE_ADDR=TABLET)
    five = codes(su, 5)
    for i, code in enumerate(five):
        response = tablet.post(sync_url(su), answer(code, f"key-{i}", value=1 + i % 4))
        assert response.status_code == 201, response.content
        assert response.json() == {"status": "saved"}
    assert SurveyResponse.objects.filter(service_unit=su).count() == 5
    # The same queue sent again (the tablet never heard the answers): recognised, nothing new.
    for i, code in enumerate(five):
        again = tablet.post(sync_url(su), answer(code, f"key-{i}", value=1 + i % 4))
        assert (again.status_code, again.json()["status"]) == (200, "saved")
    assert SurveyResponse.objects.count() == 5
    assert not CodeGuessCounter.objects.filter(failures__gt=0).exists()
    # Another response with a spent code: refused, with the reason in Indonesian, and counted.
    reused = tablet.post(sync_url(su), answer(five[0], "key-other"))
    assert reused.status_code == 400
    body = reused.json()
    assert body["status"] == "refused" and "sudah digunakan" in body["reason"] and "token" in body["errors"]
    assert SurveyResponse.objects.count() == 5
    assert CodeGuessCounter.objects.get().failures == 1


def test_re_sends_never_lock_the_tablet_out_but_reused_codes_do(su, settings):
    settings.FEEDBACK_CODE_GUESS_LIMIT = 2
    tablet = Client(REMOTE_ADDR=TABLET)
    first, second, third = codes(su, 3)
    assert tablet.post(sync_url(su), answer(first, "k1")).status_code == 201
    for _ in range(5):  # flushing the same queue over and over
        assert tablet.post(sync_url(su), answer(first, "k1")).status_code == 200
    assert tablet.post(sync_url(su), answer(second, "k2")).status_code == 201
    # Two reused codes reach the limit: the address waits, even with a good code.
    assert tablet.post(sync_url(su), answer(first, "k3")).status_code == 400
    assert tablet.post(sync_url(su), answer(second, "k4")).status_code == 400
    locked = tablet.post(sync_url(su), answer(third, "k5"))
    assert locked.status_code == 429 and locked.json()["status"] == "refused"
    assert SurveyResponse.objects.count() == 2


def test_a_kiosk_response_needs_a_code(su):
    response = Client(REMOTE_ADDR=TABLET).post(sync_url(su), answer("", "k1"))
    assert response.status_code == 400
    assert "kode survei" in response.json()["reason"].lower()
    assert not SurveyResponse.objects.exists()


def test_the_kiosk_endpoint_keeps_csrf(su):
    (code,) = codes(su, 1)
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR=TABLET)
    assert strict.post(sync_url(su), answer(code, "k1")).status_code == 403
    page = strict.get(reverse("feedback:survey_kiosk", kwargs={"slug": su.slug}))
    token = str(page.context["csrf_token"])
    assert strict.post(sync_url(su), answer(code, "k1"), HTTP_X_CSRFTOKEN=token).status_code == 201
    assert SurveyResponse.objects.count() == 1


def test_the_kiosk_works_without_javascript(su):
    (code,) = codes(su, 1)
    url = reverse("feedback:survey_kiosk", kwargs={"slug": su.slug})
    tablet = Client(REMOTE_ADDR=TABLET)
    response = tablet.post(url, answer(code, ""), follow=True)
    assert response.redirect_chain[-1][0] == url
    assert SurveyResponse.objects.count() == 1
    # Without a code the form comes back with the reason, nothing stored.
    missing = tablet.post(url, answer("", ""))
    assert missing.status_code == 400 and SurveyResponse.objects.count() == 1
