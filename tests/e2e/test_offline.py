"""Offline first on a phone (issue 22), in headless Chromium with the network switched off and on.

Every wait is on an explicit signal the pages set: <html data-offline-ready> once the service worker
keeps the page, and the queue section's data-queue-pending / data-queue-state="idle" after each send.
"""

import pytest
from django.urls import reverse

from feedback.models import SurveyResponse, SurveyToken
from feedback.rules import ELEMENT_CODES
from feedback.services import token_batch_create
from performance import services
from performance.models import ActivityLog
from tests.feedback.factories import ServiceFactory, ServiceUnitFactory
from tests.performance.factories import agreed_plan, current_period

from ..clock import TODAY
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
QUEUE = "#offline-queue"


def _queue(page, pending, selector=QUEUE):
    page.wait_for_selector(
        f'{selector}[data-queue-pending="{pending}"][data-queue-state="idle"]', state="attached"
    )


def _home_ready(page):
    page.goto(reverse("performance:home"))
    page.wait_for_selector("html[data-offline-ready]", state="attached")
    _queue(page, 0)


def _log(page, text):
    page.fill("#id_quantity", "1")
    page.fill("#id_duration_minutes", "30")
    page.fill("#id_description", text)
    page.click("#log-form button[type=submit]")


@pytest.fixture
def staff(cast):
    agreed_plan(cast.objects["staff_employee"], TODAY.year)
    return cast.objects["staff_employee"]


def test_three_logs_saved_offline_are_sent_once_when_the_connection_returns(open_page, staff):
    page = open_page()
    log_in(page, "pegawai")
    _home_ready(page)
    page.context.set_offline(True)
    for n in range(1, 4):
        _log(page, f"Kunjungan lapangan {n}")
        _queue(page, n)
    page.reload()  # offline: the service worker's copy of the page, the queue still on the phone
    _queue(page, 3)
    assert page.locator('[data-queue-item="pending"]').count() == 3
    assert "Menunggu terkirim" in page.inner_text(QUEUE)
    queued = page.evaluate("AsnQueue.all('log')")
    assert ActivityLog.objects.count() == 0
    page.context.set_offline(False)  # the `online` event (or Background Sync) sends the queue
    _queue(page, 0)
    assert ActivityLog.objects.filter(employee=staff).count() == 3
    assert sorted(ActivityLog.objects.values_list("description", flat=True)) == [
        f"Kunjungan lapangan {n}" for n in range(1, 4)
    ]
    # The same queue sent a second time: the idempotency keys make it a no-op.
    page.evaluate(
        "items => Promise.all(items.map(i => AsnQueue.put(i))).then(() => AsnOfflineForm.flushAll())", queued
    )
    _queue(page, 0)
    assert ActivityLog.objects.count() == 3
    assert page.errors == []


def test_a_refused_log_comes_back_with_its_reason_until_dismissed(open_page, staff, cast):
    services.period_close(period=current_period(cast.region_a))
    page = open_page()
    log_in(page, "pegawai")
    _home_ready(page)
    page.context.set_offline(True)
    _log(page, "Rapat koordinasi")
    _queue(page, 1)
    page.context.set_offline(False)
    page.wait_for_selector('[data-queue-item="refused"] [data-queue-reason]')
    assert "sudah ditutup" in page.inner_text('[data-queue-item="refused"]')
    assert ActivityLog.objects.count() == 0
    page.reload()  # still there after a reload, until the employee dismisses it
    page.wait_for_selector('[data-queue-item="refused"]')
    page.click('[data-queue-item="refused"] button:has-text("Tutup")')
    page.wait_for_selector('[data-queue-item="refused"]', state="detached")


def test_a_kiosk_keeps_five_responses_offline_and_refuses_a_reused_code(open_page, cast):
    su = ServiceUnitFactory(unit=cast.unit_a, name="Puskesmas Kota", slug="puskesmas-kota")
    ServiceFactory(service_unit=su, name="Poli Umum")
    batch = token_batch_create(service_unit=su, size=5)
    codes = list(SurveyToken.objects.filter(batch=batch).values_list("code", flat=True))
    page = open_page()
    page.goto(reverse("feedback:survey_kiosk", kwargs={"slug": su.slug}))
    page.wait_for_selector("html[data-offline-ready]", state="attached")
    queue = "#kiosk-queue"
    _queue(page, 0, queue)

    def respond(code):
        for element in ELEMENT_CODES:
            page.click(f"label[for=id_el_{element}_2]")
        page.fill("#id_token", code)
        page.click("#kiosk-form button[type=submit]")

    page.context.set_offline(True)
    for n, code in enumerate(codes, start=1):
        respond(code)
        _queue(page, n, queue)
    assert SurveyResponse.objects.count() == 0
    page.context.set_offline(False)
    _queue(page, 0, queue)
    assert SurveyResponse.objects.filter(service_unit=su).count() == 5
    respond(codes[0])  # a reused code: refused, shown to the officer, nothing stored
    page.wait_for_selector(f'{queue} [data-queue-item="refused"] [data-queue-reason]')
    assert "sudah digunakan" in page.inner_text(f'{queue} [data-queue-item="refused"]')
    assert SurveyResponse.objects.count() == 5
    # The refusal itself is a 400 the browser logs; nothing else went wrong.
    assert [e for e in page.errors if "status of 400" not in e] == []
