from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from asnportal.org.models import Employee
from tests.org.factories import EmployeeFactory, PositionFactory, UnitFactory
from workforce import selectors, services
from workforce.models import WorkloadAnalysis, WorkloadTask

from .factories import WorkloadAnalysisFactory, WorkloadTaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("minutes", "hours", "exact", "posts"),
    [
        (1350 * 60, 1250, Decimal("1.08"), 1),
        (1875 * 60, 1250, Decimal("1.50"), 2),  # exactly half: rounded up
        (Decimal("1862.4") * 60, 1250, Decimal("1.49"), 1),  # 1.48992
        (Decimal("1874.9") * 60, 1250, Decimal("1.50"), 1),  # shows 1.50 but is 1.49992: stays 1
        (0, 1250, Decimal("0.00"), 0),
        (1000 * 60, 1000, Decimal("1.00"), 1),
    ],
)
def test_workload_need_worked_examples(minutes, hours, exact, posts):
    assert selectors.workload_need(minutes, hours) == (exact, posts)


def test_analysis_totals_minutes_and_hours_and_counts_staff_in_post(cast):
    analysis = WorkloadAnalysisFactory(
        region=cast.region_a, unit=cast.unit_a, position=cast.objects["position_a"]
    )
    # 1,200 letters x 30 minutes = 600 h; 500 reviews x 1.5 h = 750 h; total 1,350 h / 1,250 = 1.08 -> 1
    WorkloadTaskFactory(
        analysis=analysis, volume=1200, standard_time=30, time_unit=WorkloadTask.TimeUnit.MINUTES
    )
    WorkloadTaskFactory(
        analysis=analysis, volume=500, standard_time=Decimal("1.5"), time_unit=WorkloadTask.TimeUnit.HOURS
    )
    # Staff and supervisor of the cast hold position_a in unit_a; a retired holder does not count.
    retired = EmployeeFactory(unit=cast.unit_a, position=cast.objects["position_a"])
    Employee.objects.filter(pk=retired.pk).update(status=Employee.Status.RETIRED)
    EmployeeFactory(unit=UnitFactory(region=cast.region_a), position=cast.objects["position_a"])  # other unit

    [row] = selectors.workload_analyses(region_id=cast.region_a.pk, year=2027)
    assert row.total_minutes == Decimal("81000")
    assert row.total_hours == Decimal("1350.00")
    assert (row.needed_exact, row.needed, row.in_post, row.gap) == (Decimal("1.08"), 1, 2, -1)

    services.planning_setting_update(region_id=cast.region_a.pk, effective_hours=900)  # 1350/900 = 1.5 -> 2
    [row] = selectors.workload_analyses(region_id=cast.region_a.pk, year=2027)
    assert (row.needed_exact, row.needed) == (Decimal("1.50"), 2)
    detail = selectors.workload_detail(analysis=analysis)
    assert (detail["needed"], detail["in_post"], detail["effective_hours"]) == (2, 2, 900)


def test_default_effective_hours_is_1250(cast):
    assert selectors.effective_hours(region_id=cast.region_a.pk) == 1250


@pytest.mark.parametrize(
    ("volume", "time"),
    [(Decimal("-5"), Decimal("10")), (Decimal("0"), Decimal("10")), (Decimal("5"), Decimal("-1"))],
)
def test_negative_or_zero_task_is_refused_and_nothing_saved(cast, volume, time):
    analysis = WorkloadAnalysisFactory(region=cast.region_a)
    with pytest.raises(ValidationError) as exc:
        services.workload_task_add(
            analysis=analysis, name="Surat", volume=volume, standard_time=time, time_unit="min"
        )
    assert set(exc.value.error_dict) <= {"volume", "standard_time"}
    assert not WorkloadTask.objects.exists()


def test_negative_volume_through_the_page_shows_the_message(cast):
    analysis = WorkloadAnalysisFactory(region=cast.region_a)
    url = reverse("planning:workload_detail", kwargs={"pk": analysis.pk})
    response = cast.client("hr").post(
        url, {"name": "Surat", "volume": "-10", "standard_time": "30", "time_unit": "min"}
    )
    assert response.status_code == 400
    assert "The yearly volume must be greater than zero." in response.content.decode()
    assert not WorkloadTask.objects.exists()


def test_task_added_through_the_page(cast):
    analysis = WorkloadAnalysisFactory(region=cast.region_a)
    url = reverse("planning:workload_detail", kwargs={"pk": analysis.pk})
    response = cast.client("hr").post(
        url, {"name": "Surat", "volume": "1250", "standard_time": "1", "time_unit": "hour"}
    )
    assert response.status_code == 302
    page = cast.client("hr").get(url)
    assert (page.context["total_hours"], page.context["needed"]) == (Decimal("1250.00"), 1)
    assert "Surat" in page.content.decode()


def test_analysis_created_once_per_unit_position_year(cast):
    client = cast.client("hr")
    data = {"unit": cast.unit_a.pk, "position": cast.objects["position_a"].pk, "year": 2027}
    assert client.post(reverse("planning:workload"), data).status_code == 302
    response = client.post(reverse("planning:workload"), data)
    assert response.status_code == 400
    assert WorkloadAnalysis.objects.count() == 1


def test_unit_of_another_region_is_not_accepted(cast):
    data = {"unit": cast.unit_b.pk, "position": cast.objects["position_a"].pk, "year": 2027}
    response = cast.client("hr").post(reverse("planning:workload"), data)
    assert response.status_code == 400
    assert not WorkloadAnalysis.objects.exists()


def test_workload_page_query_count_is_constant(cast, django_assert_max_num_queries):
    positions = PositionFactory.create_batch(30, region=cast.region_a)
    analyses = WorkloadAnalysis.objects.bulk_create(
        [WorkloadAnalysis(region=cast.region_a, unit=cast.unit_a, position=p, year=2027) for p in positions]
    )
    WorkloadTask.objects.bulk_create(
        [
            WorkloadTask(analysis=a, name=f"T{i}", volume=100, standard_time=30)
            for a in analyses
            for i in range(5)
        ]
    )
    client = cast.client("hr")
    # Session, user, roles, nav, setting, analyses with totals and in-post subquery, form choices.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("planning:workload") + "?year=2027")
    assert response.status_code == 200
    assert response.content.decode().count("/perencanaan/abk/") >= 30


def test_effective_hours_setting_page(cast):
    client = cast.client("hr")
    response = client.post(reverse("planning:settings"), {"effective_hours": "0"})
    assert response.status_code == 400 and response.context["hours_form"].errors
    assert selectors.effective_hours(region_id=cast.region_a.pk) == 1250
    assert client.post(reverse("planning:settings"), {"effective_hours": "1200"}).status_code == 302
    assert selectors.effective_hours(region_id=cast.region_a.pk) == 1200
    # Region B keeps its default.
    assert selectors.effective_hours(region_id=cast.region_b.pk) == 1250
