from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.org.factories import EmployeeFactory, PositionFactory, UnitFactory
from workforce import selectors, services
from workforce.models import RegionFigure, ServiceRatio

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("figure", "staff", "per", "needed"),
    [
        (12345, 1, 1000, 13),  # 12.345 nurses -> 13 so that the ratio is met
        (12000, 1, 1000, 12),  # exact
        (410, 1, 20, 21),  # teachers per pupils: 20.5 -> 21
        (3001, Decimal("0.5"), 1000, 2),  # 1.5005 -> 2
        (0, 1, 1000, 0),
    ],
)
def test_ratio_need_worked_examples(figure, staff, per, needed):
    assert selectors.ratio_need(figure, staff, per) == needed


def test_ratio_rows_use_the_figure_of_the_year(cast):
    nurse = PositionFactory(
        region=cast.region_a, name="Perawat", kind="fungsional_keterampilan", level="terampil"
    )
    dinkes = UnitFactory(region=cast.region_a, name="Dinas Kesehatan")
    EmployeeFactory.create_batch(3, unit=dinkes, position=nurse)
    services.service_ratio_create(
        region_id=cast.region_a.pk,
        name="Perawat per 1.000 penduduk",
        measure="population",
        unit=dinkes,
        position=nurse,
        staff=Decimal("1"),
        per=1000,
    )
    services.region_figure_set(region_id=cast.region_a.pk, year=2027, measure="population", value=12345)
    services.region_figure_set(region_id=cast.region_a.pk, year=2026, measure="population", value=5000)
    [row] = selectors.ratio_rows(region_id=cast.region_a.pk, year=2027)
    assert (row.figure, row.needed, row.in_post, row.gap) == (12345, 13, 3, 10)
    [row] = selectors.ratio_rows(region_id=cast.region_a.pk, year=2025)
    assert (row.figure, row.needed, row.gap) == (None, None, None)
    # Setting the same figure again replaces it.
    services.region_figure_set(region_id=cast.region_a.pk, year=2027, measure="population", value=20000)
    assert RegionFigure.objects.get(region=cast.region_a, year=2027).value == 20000


def test_ratio_with_non_positive_staff_is_refused(cast):
    with pytest.raises(ValidationError):
        services.service_ratio_create(
            region_id=cast.region_a.pk,
            name="x",
            measure="population",
            unit=cast.unit_a,
            position=cast.objects["position_a"],
            staff=Decimal("-1"),
            per=1000,
        )
    assert not ServiceRatio.objects.exists()


def test_ratio_and_figure_through_the_pages(cast):
    client = cast.client("hr")
    response = client.post(
        reverse("planning:ratios"),
        {
            "name": "Analis per penduduk",
            "measure": "population",
            "unit": cast.unit_a.pk,
            "position": cast.objects["position_a"].pk,
            "staff": "1",
            "per": "1000",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("planning:figure_set"), {"year": 2027, "measure": "population", "value": "-3"}
    )
    assert response.status_code == 400
    assert not RegionFigure.objects.exists()
    client.post(reverse("planning:figure_set"), {"year": 2027, "measure": "population", "value": "2500"})
    page = client.get(reverse("planning:ratios") + "?year=2027").content.decode()
    assert "Analis per penduduk" in page and "2500" in page


def test_ratios_page_query_count_is_constant(cast, django_assert_max_num_queries):
    positions = PositionFactory.create_batch(25, region=cast.region_a)
    ServiceRatio.objects.bulk_create(
        [
            ServiceRatio(
                region=cast.region_a,
                name=f"R{i}",
                measure="population",
                unit=cast.unit_a,
                position=p,
                staff=1,
                per=1000,
            )
            for i, p in enumerate(positions)
        ]
    )
    RegionFigure.objects.create(region=cast.region_a, year=2027, measure="population", value=100000)
    client = cast.client("hr")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("planning:ratios") + "?year=2027").status_code == 200
