"""Critical paths in the browser: staff log an activity on a 360-px phone, the supervisor approves it,
and the regional head opens the dashboard with its charts."""

import pytest

from performance.models import ActivityLog

from ..performance.factories import agreed_plan, current_period
from .conftest import DESKTOP, PHONE, axe_violations, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(cast, today):
    """This year's agreed plans and the open period of today's quarter (the suite's day)."""
    boss = cast.objects["supervisor_employee"]
    agreed_plan(boss, today.year)
    _plan, indicators = agreed_plan(cast.objects["staff_employee"], today.year)
    current_period(cast.region_a)
    return indicators


def test_staff_logs_an_activity_on_a_phone_and_the_supervisor_approves_it(open_page, cast, plan, today):
    page = open_page(PHONE)
    log_in(page, "pegawai")
    assert page.url.endswith("/kinerja/")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.select_option("select[name=indicator]", str(plan[0].pk))
    page.fill("input[name=quantity]", "3")
    page.fill("input[name=duration_minutes]", "90")
    page.fill("textarea[name=description]", "Memverifikasi berkas kenaikan pangkat")
    flushes = page.get_attribute("#offline-queue", "data-queue-flushes") or "0"
    page.click("#log-form button[type=submit]")
    # with JavaScript the log goes through the phone's queue (issue 22): wait until it has been sent
    page.wait_for_function(
        """n => { const q = document.querySelector("#offline-queue");
                  return q.dataset.queueFlushes !== n && q.dataset.queueState === "idle"; }""",
        arg=flushes,
    )
    assert ActivityLog.objects.exists(), page.inner_text("main")[:1500]
    page.reload()  # the list of recent logs is the server's
    log = ActivityLog.objects.get(employee=cast.objects["staff_employee"])
    assert (log.quantity, log.duration_minutes, log.status) == (3, 90, ActivityLog.Status.SUBMITTED)
    assert log.date == today  # the form's default: Bengkulu's date (10:00 WIB on the suite's day)
    assert "Memverifikasi berkas kenaikan pangkat" in page.content()
    assert page.errors == []

    boss = open_page(DESKTOP)
    log_in(boss, "atasan")
    assert boss.url.endswith("/kinerja/tinjau/")
    assert axe_violations(boss) == []
    boss.click(f"#log-row-{log.pk} button.btn-success")  # approve this one log (htmx swaps the row)
    boss.wait_for_load_state("networkidle")
    boss.wait_for_selector(f"#log-row-{log.pk} button.btn-success", state="detached")
    log.refresh_from_db()
    assert log.status == ActivityLog.Status.APPROVED
    assert boss.errors == []


def test_head_opens_the_dashboard_with_charts(open_page, cast, today):
    from reports.periods import period_last_complete
    from reports.services import snapshot_compute

    snapshot_compute(
        region_id=cast.region_a.pk,
        kind="monthly",
        period_start=period_last_complete("monthly", today),
    )
    for viewport in (PHONE, DESKTOP):
        page = open_page(viewport)
        log_in(page, "kepala")
        assert page.url.endswith("/laporan/")
        page.wait_for_function(
            "document.querySelector('canvas[data-chart]') && Chart.getChart(document.querySelector('canvas[data-chart]'))"
        )
        assert no_horizontal_scroll(page)
        assert axe_violations(page) == []
        assert page.errors == []


def test_an_officers_long_menu_stays_on_screen_at_desktop_and_phone_width(open_page, cast):
    """HR officers hold about twenty menu entries: on a wide screen they are grouped by area into
    dropdowns on one line (issue 21), on a phone they sit behind the menu button."""
    page = open_page(DESKTOP)
    log_in(page, "bkpsdm")
    links = page.locator("#main-nav .navbar-nav > .nav-item > .nav-link")
    assert links.count() >= 4
    width = page.evaluate("window.innerWidth")
    tops = set()
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, links.nth(
            i
        ).inner_text()
        tops.add(round(box["y"]))
    assert len(tops) == 1, "the menu wraps onto a second line at 1280 px"
    assert page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height") < 80
    area = page.locator("#main-nav .dropdown-toggle").first
    area.click()
    page.locator("#main-nav .dropdown-menu.show .dropdown-item").first.wait_for(state="visible")
    assert page.get_by_role("button", name="Keluar").is_visible()
    assert no_horizontal_scroll(page)
    phone = open_page(PHONE)
    log_in(phone, "bkpsdm")
    assert not phone.locator("#main-nav .nav-link").first.is_visible()
    phone.get_by_role("button", name="Buka menu").click()
    phone.locator("#main-nav .nav-link").last.wait_for(state="visible")
    assert no_horizontal_scroll(phone)
    assert axe_violations(page) == [] and axe_violations(phone) == []
