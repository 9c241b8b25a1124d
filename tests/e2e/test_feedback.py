"""A citizen answers the SKM survey from the QR link on a 360-px phone, in headless Chromium.

The critical path: the QR link of a service unit (and the printed one-time code link of a ticket)
-> the nine elements -> the thank-you page -> the region's public results. Each page is checked with
axe-core (no serious or critical violation), for horizontal scrolling at 360 px and for console errors
(the site runs under a strict CSP: script-src 'self', so any inline script would show up here).
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from feedback import exports
from feedback.models import SurveyResponse, SurveyToken
from feedback.rules import ELEMENT_CODES
from feedback.services import token_batch_create
from tests.feedback.factories import ServiceFactory, ServiceUnitFactory

from .conftest import DESKTOP, PHONE, axe_violations, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANSWERS = dict(zip(ELEMENT_CODES, [4, 3, 3, 2, 4, 4, 3, 2, 3], strict=True))


@pytest.fixture
def su(cast):
    unit = ServiceUnitFactory(unit=cast.unit_a, name="Puskesmas Sawah Lebar", slug="puskesmas-sawah-lebar")
    ServiceFactory(service_unit=unit, name="Poli Umum")
    unit.extra_questions.create(text="Apakah antrean tertib?", kind="scale", order=1)
    unit.extra_questions.create(text="Apa yang perlu diperbaiki?", kind="text", order=2)
    return unit


def hr_get(cast, live_server, name: str, **kwargs):
    """An HR officer's download, requested under the live server's host (links are absolute)."""
    host = urlsplit(live_server.url).netloc
    response = cast.client("hr").get(reverse(name, kwargs=kwargs), HTTP_HOST=host)
    assert response.status_code == 200
    return response


def qr_link(cast, live_server, su) -> str:
    """The URL the unit's QR code encodes: the poster's QR is exactly the QR of this URL."""
    url = f"{live_server.url}{reverse('feedback:survey', kwargs={'slug': su.slug})}"
    served = hr_get(cast, live_server, "feedback:qr", pk=su.pk, fmt="svg").content
    assert served == exports.qr_image(url, "svg")[0]
    return url


def ticket_links(cast, live_server, su, monkeypatch) -> list[str]:
    """The URLs the QR codes of a printed ticket sheet encode (captured as the PDF draws them)."""
    batch = token_batch_create(service_unit=su, size=2)
    seen: list[str] = []
    real = exports.QrCodeWidget

    def spy(value, *args, **kwargs):
        seen.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(exports, "QrCodeWidget", spy)
    pdf = hr_get(cast, live_server, "feedback:token_batch_pdf", pk=batch.pk)
    assert pdf["Content-Type"] == "application/pdf"
    assert len(seen) == 2
    return seen


def check_page(page, label: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{label}: {violations}"
    assert no_horizontal_scroll(page), f"{label}: scrolls sideways"


def answer_survey(page, answers=ANSWERS) -> None:
    for code, value in answers.items():
        page.check(f"input[name=el_{code}][value='{value}']")


def test_citizen_answers_the_survey_from_the_qr_link_on_a_phone(open_page, cast, live_server, su):
    url = qr_link(cast, live_server, su)
    page = open_page(PHONE)
    page.goto(url)
    assert "Puskesmas Sawah Lebar" in page.content()
    check_page(page, "survey")
    # Each of the nine questions is a labelled group of four choices.
    assert page.locator("fieldset:has(input[name^=el_])").count() == 9
    answer_survey(page)
    scale_q, text_q = su.extra_questions.order_by("order")
    page.check(f"input[name=extra_{scale_q.pk}][value='3']")
    page.fill(f"textarea[name=extra_{text_q.pk}]", "Kursi ruang tunggu kurang.")
    page.select_option("select[name=service]", label="Poli Umum")
    page.select_option("select[name=sex]", "P")
    page.select_option("select[name=age_band]", "30-39")
    page.fill("textarea[name=comment]", "Pelayanan cepat, terima kasih.")
    page.click("main button[type=submit]")
    page.wait_for_url("**/terima-kasih/")
    assert "Terima kasih" in page.content()
    check_page(page, "thank-you")

    response = SurveyResponse.objects.get()
    assert dict(response.answers.values_list("element", "value")) == ANSWERS
    assert response.service.name == "Poli Umum" and response.sex == "P" and response.age_band == "30-39"
    assert response.comment == "Pelayanan cepat, terima kasih."

    results = reverse("feedback:public_region", kwargs={"code": cast.region_a.code})
    page.click(f"main a[href='{results}']")
    page.wait_for_url(f"**{results}")
    assert "Puskesmas Sawah Lebar" in page.content()
    check_page(page, "public results")
    assert page.errors == []


def test_printed_ticket_link_fills_in_the_one_time_code(open_page, cast, live_server, su, monkeypatch):
    first, second = ticket_links(cast, live_server, su, monkeypatch)
    survey_url = f"{live_server.url}{reverse('feedback:survey', kwargs={'slug': su.slug})}"
    assert first.startswith(f"{survey_url}?kode=")
    page = open_page(PHONE)
    page.goto(first)
    printed = first.split("kode=")[1]
    assert page.input_value("input[name=token]") == printed
    check_page(page, "survey with a code")
    answer_survey(page)
    page.click("main button[type=submit]")
    page.wait_for_url("**/terima-kasih/")
    code = printed.replace("-", "")
    assert SurveyToken.objects.get(code=code).used_at is not None
    assert SurveyResponse.objects.count() == 1

    # The same printed code cannot be used twice: a clear message, nothing saved.
    page.goto(first)
    answer_survey(page)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "sudah digunakan" in page.content()
    assert SurveyResponse.objects.count() == 1
    check_page(page, "survey with a spent code")
    # The other ticket's code is still unused.
    assert SurveyToken.objects.get(code=second.split("kode=")[1].replace("-", "")).used_at is None
    # The only console entry is the browser's note of the 400 answer to the refused form.
    assert [e for e in page.errors if "status of 400" not in e] == []


def test_missing_answers_are_listed_at_the_top_and_saved_nothing(open_page, cast, live_server, su):
    page = open_page(PHONE)
    page.goto(qr_link(cast, live_server, su))
    answer_survey(page, dict.fromkeys(ELEMENT_CODES[:7], 3))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator("main [role=alert]")
    assert "Perbaiki 2 isian" in summary.inner_text()
    assert page.title().strip().startswith("Kesalahan")
    # The summary links jump to the first choice of each unanswered question; answers given are kept.
    summary.locator("a").first.click()
    assert page.evaluate("location.hash") == f"#id_el_{ELEMENT_CODES[7]}_0"
    assert page.is_checked(f"input[name=el_{ELEMENT_CODES[0]}][value='3']")
    assert SurveyResponse.objects.count() == 0
    check_page(page, "survey with errors")
    assert [e for e in page.errors if "status of 400" not in e] == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_citizen_input_and_tracking_pages_are_accessible(open_page, cast, live_server, su, viewport):
    page = open_page(viewport)
    page.goto(reverse("feedback:input_create", kwargs={"slug": su.slug}))
    check_page(page, "citizen input")
    page.check("input[name=kind][value=rating]")
    page.check("input[name=rating][value='4']")
    page.fill("textarea[name=body]", "Petugas loket ramah dan membantu.")
    page.click("main button[type=submit]")
    page.wait_for_url("**/survei/lacak/*/")
    assert "Petugas loket ramah dan membantu." in page.content()
    check_page(page, "tracking")
    page.goto(reverse("feedback:public_index"))
    check_page(page, "public index")
    page.goto(reverse("feedback:survey", kwargs={"slug": su.slug}))
    check_page(page, "survey")
    page.goto(reverse("feedback:public_region", kwargs={"code": cast.region_a.code}))
    check_page(page, "public results")
    assert page.errors == []


def test_the_survey_can_be_answered_with_the_keyboard_alone(open_page, cast, live_server, su):
    page = open_page(PHONE)
    page.goto(qr_link(cast, live_server, su))
    page.focus(f"#id_el_{ELEMENT_CODES[0]}_0")
    reached = []
    for _step in range(60):  # Tab through the form: one stop per question, never the hidden honeypot
        name = page.evaluate("document.activeElement.name || document.activeElement.tagName")
        reached.append(name)
        if name.startswith("el_"):
            page.keyboard.press("ArrowDown")  # chooses the next answer of the group (radio behaviour)
        if name == "BUTTON" or page.evaluate("document.activeElement.type") == "submit":
            break
        page.keyboard.press("Tab")
    assert "website" not in reached
    assert [n for n in reached if n.startswith("el_")] == [f"el_{c}" for c in ELEMENT_CODES]
    page.keyboard.press("Enter")
    page.wait_for_url("**/terima-kasih/")
    assert set(SurveyResponse.objects.get().answers.values_list("value", flat=True)) == {2}
