"""A download that asks for its purpose first (asnportal.accounts.exports) says so on its button
(issue 21): the JP shortfall list, a service unit's raw SKM answers and a period's unit results. Each
button's link is checked to really lead to the purpose form, so the label cannot drift from the flow."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from performance.models import Period
from tests.feedback.factories import ServiceUnitFactory
from tests.performance.factories import open_period
from tests.regulations.factories import appraised

from ..clock import TODAY

pytestmark = pytest.mark.django_db

SAYS_SO = "(sebutkan keperluannya)"


def _links(html: str, url: str) -> list[str]:
    """The text of every link whose address starts with `url`."""
    pattern = r'<a [^>]*href="' + re.escape(url) + r'[^"]*"[^>]*>(.*?)</a>'
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(pattern, html, re.S)]


def _leads_to_the_purpose_form(client, html: str, url: str) -> None:
    href = re.search(r'href="(' + re.escape(url) + r'[^"]*)"', html).group(1).replace("&amp;", "&")
    form = client.get(href)
    assert form.status_code == 200
    assert 'name="category"' in form.content.decode()  # the purpose form, no file yet
    assert form["Content-Type"].startswith("text/html")


def test_below_20_download_says_it_asks_for_a_purpose(cast):
    hr = cast.client("hr")
    html = hr.get(reverse("training:below_20"), {"unit": cast.unit_a.pk}).content.decode()
    url = reverse("training:below_20_xlsx")
    assert _links(html, url) == [f"Unduh XLSX {SAYS_SO}"]
    assert f'href="{url}?unit={cast.unit_a.pk}"' in html  # the filter goes with the download
    _leads_to_the_purpose_form(hr, html, url)


def test_service_unit_raw_answers_say_they_ask_for_a_purpose(cast):
    su = ServiceUnitFactory(unit=cast.unit_a)
    hr = cast.client("hr")
    html = hr.get(reverse("feedback:unit_detail", kwargs={"pk": su.pk})).content.decode()
    url = reverse("feedback:answers_xlsx", kwargs={"pk": su.pk})
    assert _links(html, url) == [f"Data jawaban mentah (XLSX) {SAYS_SO}"]
    assert re.search(r'href="' + re.escape(url) + r'\?period=\d{4}-Q[1-4]"', html)
    _leads_to_the_purpose_form(hr, html, url)
    # the SKM report holds aggregates only: no purpose asked, none claimed
    assert SAYS_SO not in _links(html, reverse("feedback:report_pdf", kwargs={"pk": su.pk}))[0]


def test_distribution_download_says_it_asks_for_a_purpose(cast):
    period = open_period(cast.region_a, TODAY.year - 1, "tw4")
    appraised(period, cast.unit_a, "baik", 2)
    Period.objects.filter(pk=period.pk).update(status=Period.Status.CLOSED)
    hr = cast.client("hr")
    html = hr.get(reverse("performance:distribution"), {"period": period.pk}).content.decode()
    url = reverse("performance:unit_xlsx", args=[period.pk])
    assert _links(html, url) == [f"Unduh XLSX Triwulan IV-Akhir {period.year} {SAYS_SO}"]
    _leads_to_the_purpose_form(hr, html, url)


def test_the_english_button_says_it_too(cast):
    hr = cast.client("hr")
    hr.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = hr.get(reverse("training:below_20")).content.decode()
    assert _links(html, reverse("training:below_20_xlsx")) == ["Download XLSX (state the purpose)"]
