"""The distribution page (/kinerja/distribusi/) in the browser (issue 21: "selects Triwulan IV but
shows Triwulan III figures and exports period 3"): whatever the period picker shows is the period
whose figures and export link the page shows, after picking, reloading, and going back and forward.

Playwright turns Chromium's back-forward cache off; a user's browser has it on, and a page restored
from it keeps the picker as the user left it: on Triwulan IV over Triwulan III's figures, the bug
(static/js/app.js now puts an auto-applied picker back to its rendered choice on such a restore).
So the back/forward walk runs in a Chromium with the cache on (`bfcache_page`), the service worker
blocked (its clients.claim() would evict the cached page now and then, making the walk flaky)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from performance.models import Period
from tests.performance.factories import open_period
from tests.regulations.factories import appraised

from ..clock import TODAY
from .conftest import ARGS, CHROMIUM, DESKTOP, PHONE, axe_violations, no_horizontal_scroll
from .test_walk import PHONE_390, _signed_in, findings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE = "/kinerja/distribusi/"


@pytest.fixture
def quarters(cast):
    """Triwulan III (closed, the page's default: the latest closed period) with 3 appraisals, and
    Triwulan IV (still open) with 7, so the two periods' figures differ."""
    year = TODAY.year - 1
    tw3 = open_period(cast.region_a, year, "tw3")
    tw4 = open_period(cast.region_a, year, "tw4")
    appraised(tw3, cast.unit_a, "baik", 3)
    appraised(tw4, cast.unit_a, "baik", 5)
    appraised(tw4, cast.unit_a, "butuh_perbaikan", 2)
    Period.objects.filter(pk=tw3.pk).update(status=Period.Status.CLOSED)
    return tw3, tw4


@pytest.fixture(scope="module")
def bfcache_browser(browser):
    """A second Chromium from the session's Playwright (only one may run per thread)."""
    cached = browser.browser_type.launch(
        executable_path=CHROMIUM, args=ARGS, ignore_default_args=["--disable-back-forward-cache"]
    )
    yield cached
    cached.close()


@pytest.fixture
def bfcache_page(bfcache_browser, live_server):
    contexts = []

    def make(viewport):
        context = bfcache_browser.new_context(
            viewport=viewport, locale="id-ID", base_url=live_server.url, service_workers="block"
        )
        context.add_init_script("addEventListener('pageshow', e => { window.asnRestored = e.persisted; })")
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def shown(page) -> dict:
    """What the page says, read as a user would: the picker's current choice, the heading, the unit
    card's count and the export link."""
    return {
        "picked": page.input_value("#period-pick"),
        "picked_label": page.eval_on_selector("#period-pick", "s => s.selectedOptions[0].textContent"),
        "heading": page.inner_text("h1"),
        "unit": page.inner_text("main .card h2"),
        "export": page.get_attribute("main a[href*='/kinerja/periode/']", "href"),
    }


def assert_shows(page, period: Period, count: int) -> None:
    seen = shown(page)
    label = str(period)
    assert seen["picked"] == str(period.pk), seen
    assert seen["picked_label"].startswith(label), seen
    assert label in seen["heading"], seen
    assert seen["unit"].endswith(f"({count})"), seen
    assert seen["export"] == reverse("performance:unit_xlsx", args=[period.pk]), seen


def restored(page) -> bool:
    """Whether the page came back from the back-forward cache (its pageshow said so)."""
    return page.evaluate("window.asnRestored === true")


def history(page, way: str) -> None:
    """Back or forward; a page restored from the back-forward cache fires no load event."""
    (page.go_back if way == "back" else page.go_forward)(wait_until="commit")
    page.wait_for_function("document.readyState === 'complete'")
    page.wait_for_timeout(300)  # a restored page's pageshow handlers run
    page.restored.append(restored(page))


def pick(page, period: Period) -> None:
    """Choose a period in the picker: the page applies it on change (no button press)."""
    with page.expect_navigation():
        page.select_option("#period-pick", str(period.pk))
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_picking_triwulan_iv_shows_and_exports_triwulan_iv(
    bfcache_page, live_server, cast, quarters, viewport
):
    tw3, tw4 = quarters
    page = bfcache_page(viewport)
    page.restored = []
    _signed_in(page, live_server, cast.users["hr"].username)
    page.goto(PAGE)
    assert_shows(page, tw3, 3)  # the default: the latest closed period

    pick(page, tw4)
    assert f"period={tw4.pk}" in page.url
    assert_shows(page, tw4, 7)
    page.reload()
    assert_shows(page, tw4, 7)

    history(page, "back")  # back to the default page: its picker must not keep Triwulan IV
    assert_shows(page, tw3, 3)
    history(page, "forward")
    assert_shows(page, tw4, 7)

    pick(page, tw3)
    assert_shows(page, tw3, 3)
    history(page, "back")
    assert_shows(page, tw4, 7)

    assert page.restored == [True, True, True]  # each step back or forward came from the cache
    # the export asks for its purpose first, for Triwulan IV
    page.click("main a[href*='/kinerja/periode/']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("performance:unit_xlsx", args=[tw4.pk]))
    assert str(tw4) in page.inner_text("main")
    assert page.errors == []


def test_the_page_reads_right_and_fits_a_phone(open_page, live_server, cast, quarters, tmp_path):
    _tw3, tw4 = quarters
    shots = Path(os.environ.get("ASN_WALK_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    for viewport in (PHONE_390, DESKTOP):
        page = open_page(viewport)
        _signed_in(page, live_server, cast.users["hr"].username)
        page.goto(f"{PAGE}?period={tw4.pk}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(shots / f"distribusi-{viewport['width']}.png"), full_page=True)
        assert findings(page.inner_text("body")) == []
        assert no_horizontal_scroll(page)
        assert axe_violations(page) == []
