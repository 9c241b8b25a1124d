"""The phone's offline queue for daily logs (issue 22): the JSON endpoint, its idempotency key, the
refusal reasons it sends back in Indonesian, CSRF, and the installable app's service worker."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from performance import services
from performance.models import ActivityLog

from ..clock import TODAY
from ..conftest import login_verified
from .factories import agreed_plan, current_period, png_upload

pytestmark = pytest.mark.django_db
URL = reverse("performance:log_sync")


@pytest.fixture
def kpis(cast):
    _plan, indicators = agreed_plan(cast.objects["staff_employee"], TODAY.year)
    return indicators


def _data(kpi, key, **extra):
    return {
        "date": TODAY.isoformat(),
        "indicator": kpi.pk,
        "quantity": "2",
        "duration_minutes": "60",
        "description": "Entri data dari lapangan",
        "client_key": key,
    } | extra


def test_a_queued_log_is_saved_once_however_often_it_is_sent(cast, kpis):
    client, key = cast.client("staff"), str(uuid.uuid4())
    first = client.post(URL, _data(kpis[0], key, evidence=png_upload()))
    assert first.status_code == 201 and first.json() == {"status": "saved"}
    again = client.post(URL, _data(kpis[0], key, quantity="9"))
    assert again.status_code == 201 and again.json() == {"status": "saved"}
    log = ActivityLog.objects.get()
    assert (log.client_key, log.quantity, log.evidence is not None) == (key, 2, True)
    assert client.post(URL, _data(kpis[0], str(uuid.uuid4()))).status_code == 201
    assert ActivityLog.objects.count() == 2


def test_the_service_returns_the_existing_log_for_a_repeated_key(cast, kpis):
    staff = cast.objects["staff_employee"]
    kwargs = {
        "employee": staff,
        "indicator_id": kpis[0].pk,
        "date": TODAY,
        "quantity": 1,
        "duration_minutes": 30,
        "description": "Rapat",
        "client_key": "k-1",
    }
    first = services.log_create(**kwargs)
    assert services.log_create(**kwargs).pk == first.pk
    # The database holds the rule too: a second row with the same key is refused outright.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityLog.objects.create(
            employee=staff, indicator=kpis[0], date=TODAY, quantity=1, duration_minutes=5, client_key="k-1"
        )
    # Logs typed without the queue have no key and do not collide.
    services.log_create(**(kwargs | {"client_key": ""}))
    services.log_create(**(kwargs | {"client_key": ""}))
    assert ActivityLog.objects.count() == 3


def test_a_log_in_a_closed_period_comes_back_with_the_reason_in_indonesian(cast, kpis):
    period = current_period(cast.region_a)
    services.period_close(period=period)
    response = cast.client("staff").post(URL, _data(kpis[0], "k-closed"))
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "refused"
    assert "sudah ditutup" in body["reason"] and "date" in body["errors"]
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"quantity": "-1"}, "quantity"),
        ({"duration_minutes": "2000"}, "duration_minutes"),
        ({"client_key": ""}, "__all__"),
    ],
)
def test_a_bad_value_is_refused_with_a_reason_and_saves_nothing(cast, kpis, extra, field):
    response = cast.client("staff").post(URL, _data(kpis[0], "k-bad", **extra))
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "refused" and body["reason"] and field in body["errors"]
    assert not ActivityLog.objects.exists()


def test_the_queue_endpoint_keeps_csrf_and_needs_a_signed_in_employee(cast, kpis):
    strict = login_verified(Client(enforce_csrf_checks=True), cast.users["staff"])
    assert strict.post(URL, _data(kpis[0], "k-csrf")).status_code == 403
    page = strict.get(reverse("performance:home"))
    token = page.context["csrf_token"]
    sent = strict.post(URL, _data(kpis[0], "k-csrf"), HTTP_X_CSRFTOKEN=str(token))
    assert sent.status_code == 201
    assert Client().post(URL, _data(kpis[0], "k-anon")).status_code == 302  # to the login page
    assert cast.client("hr").post(URL, _data(kpis[0], "k-hr")).status_code == 403
    assert cast.client("staff").get(URL).status_code == 405
    assert ActivityLog.objects.count() == 1


def test_the_plain_form_still_works_without_javascript(cast, kpis):
    response = cast.client("staff").post(reverse("performance:home"), _data(kpis[0], "") | {"client_key": ""})
    assert response.status_code == 302
    assert ActivityLog.objects.get().client_key == ""


def test_home_is_an_offline_page_with_its_queue(cast, kpis):
    html = cast.client("staff").get(reverse("performance:home")).content.decode()
    assert "data-offline-page" in html and f'data-sync-url="{URL}"' in html
    assert "pwa/queue.js" in html and "pwa/register.js" in html
    assert "<script>" not in html


def test_service_worker_and_manifest_are_served_from_the_root(client):
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("application/javascript")
    text = sw.content.decode()
    assert "importScripts(" in text and reverse("performance:home") in text and "{%" not in text
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"].startswith("application/manifest+json")
    data = json.loads(manifest.content)
    assert data["start_url"] == reverse("performance:home") and data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
