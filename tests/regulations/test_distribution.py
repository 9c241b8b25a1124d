"""The distribution page (/kinerja/distribusi/): the period picked is the period shown and exported
(issue 21), and the check names the rule version it used (issue 20)."""

import re

import pytest
from django.urls import reverse

from performance.models import Period
from tests.performance.factories import open_period

from ..clock import TODAY
from .factories import appraised

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarters(cast):
    year = TODAY.year - 1
    tw3 = open_period(cast.region_a, year, "tw3")
    tw4 = open_period(cast.region_a, year, "tw4")
    appraised(tw3, cast.unit_a, "baik", 3)
    appraised(tw4, cast.unit_a, "baik", 5)
    appraised(tw4, cast.unit_a, "butuh_perbaikan", 2)
    Period.objects.filter(pk=tw3.pk).update(status=Period.Status.CLOSED)
    return tw3, tw4


def _selected(html: str) -> str:
    return re.search(r'<option value="(\d+)"\s+selected', html).group(1)


def test_picking_triwulan_iv_shows_and_exports_triwulan_iv(cast, quarters):
    tw3, tw4 = quarters
    hr = cast.client("hr")
    html = hr.get(
        reverse("performance:distribution"), {"region": cast.region_a.pk, "period": tw4.pk}
    ).content.decode()
    assert _selected(html) == str(tw4.pk)
    assert "(7)" in html and "(3)" not in html  # Triwulan IV's seven appraisals, not Triwulan III's three
    assert reverse("performance:unit_xlsx", args=[tw4.pk]) in html
    assert reverse("performance:unit_xlsx", args=[tw3.pk]) not in html


def test_without_a_pick_the_page_shows_the_period_it_selects(cast, quarters):
    tw3, _tw4 = quarters
    html = cast.client("hr").get(reverse("performance:distribution")).content.decode()
    assert _selected(html) == str(tw3.pk)
    assert "(3)" in html
    assert reverse("performance:unit_xlsx", args=[tw3.pk]) in html


def test_the_check_names_its_rule_version(cast, quarters):
    _tw3, tw4 = quarters
    html = cast.client("hr").get(reverse("performance:distribution"), {"period": tw4.pk}).content.decode()
    assert "Pola distribusi v1" in html


def test_the_page_query_count_is_constant_in_data_size(cast, quarters, django_assert_max_num_queries):
    _tw3, tw4 = quarters
    hr = cast.client("hr")
    hr.get(reverse("performance:distribution"), {"period": tw4.pk})
    appraised(tw4, cast.unit_a, "sangat_baik", 30)
    with django_assert_max_num_queries(12):
        assert hr.get(reverse("performance:distribution"), {"period": tw4.pk}).status_code == 200
