"""Issue 21: a citizen reaches a survey form in one click from /survei/, finds a unit by searching,
and the results never offer a quarter that has not started."""

import pytest
from django.test import Client
from django.urls import reverse

from ..clock import TODAY
from .factories import ServiceUnitFactory

pytestmark = pytest.mark.django_db


def test_index_lists_every_region_with_links_to_its_survey_forms(cast):
    a = ServiceUnitFactory(unit__region=cast.region_a, name="Puskesmas Sawah Lebar")
    b = ServiceUnitFactory(unit__region=cast.region_b, name="Loket Disdukcapil")
    ServiceUnitFactory(unit__region=cast.region_a, name="Unit lama", is_active=False)
    body = Client().get(reverse("feedback:public_index")).content.decode()
    for unit in (a, b):
        assert f'href="{reverse("feedback:survey", kwargs={"slug": unit.slug})}"' in body
        assert unit.name in body
    assert "Unit lama" not in body
    assert cast.region_a.name in body and cast.region_b.name in body


def test_search_narrows_the_list_to_matching_units_and_regions(cast):
    ServiceUnitFactory(unit__region=cast.region_a, name="Puskesmas Sawah Lebar")
    ServiceUnitFactory(unit__region=cast.region_b, name="Loket Disdukcapil")
    body = Client().get(reverse("feedback:public_index"), {"q": "puskesmas"}).content.decode()
    assert "Puskesmas Sawah Lebar" in body and "Loket Disdukcapil" not in body
    assert cast.region_b.name not in body.split("<main")[1]
    empty = Client().get(reverse("feedback:public_index"), {"q": "tidak ada"}).content.decode()
    assert "Tidak ada unit layanan yang cocok" in empty


@pytest.mark.parametrize("n_units", [2, 30])
def test_index_query_count_is_constant(cast, django_assert_max_num_queries, n_units):
    for i in range(n_units):
        ServiceUnitFactory(unit__region=cast.region_a if i % 2 else cast.region_b)
    with django_assert_max_num_queries(3):  # session-less visitor: regions, their units
        assert Client().get(reverse("feedback:public_index")).status_code == 200


def test_results_offer_no_quarter_that_has_not_started(cast):
    ServiceUnitFactory(unit__region=cast.region_a)
    url = reverse("feedback:public_region", kwargs={"code": cast.region_a.code})
    quarter = (TODAY.month - 1) // 3 + 1
    nxt = f"{TODAY.year + quarter // 4}-Q{quarter % 4 + 1}"
    body = Client().get(url).content.decode()
    assert f"?period={nxt}" not in body  # the current quarter: no link to the next one
    previous = f"{TODAY.year - (quarter == 1)}-Q{(quarter - 2) % 4 + 1}"
    assert f"?period={previous}" in body
    older = Client().get(url, {"period": previous}).content.decode()
    assert f"?period={TODAY.year}-Q{quarter}" in older  # a past quarter links on to the current one
