import datetime as dt
import sys
import types

import pytest
from django.db import connection

from tests.clock import TODAY
from tests.org.factories import EmployeeFactory, UnitFactory
from training import selectors
from training.models import Competency, Enrollment, Programme, Session

from .factories import SessionFactory, completed

pytestmark = pytest.mark.django_db


def fake_performance(monkeypatch, gaps: dict[int, list[str]]) -> list:
    """Stand in for performance.selectors.low_rated_competencies (built concurrently by another app)."""
    import performance

    try:
        from performance import selectors as module
    except ImportError:
        module = types.ModuleType("performance.selectors")
        monkeypatch.setitem(sys.modules, "performance.selectors", module)
        monkeypatch.setattr(performance, "selectors", module, raising=False)
    calls = []

    def low_rated_competencies(*, employee_ids):
        calls.append(list(employee_ids))
        return {pk: codes for pk, codes in gaps.items() if pk in employee_ids}

    monkeypatch.setattr(module, "low_rated_competencies", low_rated_competencies, raising=False)
    return calls


class TestSuggestions:
    def test_programmes_building_the_low_rated_competencies(self, cast, monkeypatch):
        employee = cast.objects["staff_employee"]
        calls = fake_performance(monkeypatch, {employee.pk: ["akuntabel", "literasi_digital"]})
        builds = Programme.objects.create(
            region=cast.region_a, title="Akuntabilitas", kind="technical", mode="online", jp=8
        )
        builds.competencies.set(Competency.objects.filter(code="akuntabel"))
        national = Programme.objects.create(
            region=None, title="Literasi Digital", kind="technical", mode="online", jp=8
        )
        national.competencies.set(Competency.objects.filter(code__in=["literasi_digital", "akuntabel"]))
        elsewhere = Programme.objects.create(
            region=cast.region_b, title="Sorong", kind="technical", mode="online", jp=8
        )
        elsewhere.competencies.set(Competency.objects.filter(code="akuntabel"))
        unrelated = Programme.objects.create(
            region=cast.region_a, title="Loyal", kind="technical", mode="online", jp=8
        )
        unrelated.competencies.set(Competency.objects.filter(code="loyal"))
        result = selectors.training_suggestions(employee=employee)
        assert calls == [[employee.pk]]
        assert [p.title for p in result["programmes"]] == ["Akuntabilitas", "Literasi Digital"]
        assert [c.code for c in result["competencies"]] == ["akuntabel", "literasi_digital"]

    def test_no_gap_no_suggestion(self, cast, monkeypatch):
        fake_performance(monkeypatch, {})
        assert selectors.training_suggestions(employee=cast.objects["staff_employee"]) == {
            "competencies": [],
            "programmes": [],
        }

    def test_works_without_the_performance_function(self, cast, monkeypatch):
        import performance

        module = types.ModuleType("performance.selectors")  # a selectors module without the function
        monkeypatch.setitem(sys.modules, "performance.selectors", module)
        monkeypatch.setattr(performance, "selectors", module, raising=False)
        assert selectors.low_rated_competencies(employee_ids=[1]) == {}


class TestJp:
    def test_totals_this_year_and_three_years(self, cast):
        year = TODAY.year - 1  # a whole year, all of it in the past (whatever today's date)
        e = cast.objects["staff_employee"]
        completed(e, jp=10, on=dt.date(year, 1, 1))
        completed(e, jp=5, on=dt.date(year, 12, 31))
        completed(e, jp=7, on=dt.date(year - 2, 1, 1))
        completed(e, jp=100, on=dt.date(year - 3, 12, 31))  # four years back: not counted
        not_done = completed(e, jp=50, on=dt.date(year, 6, 1))
        Enrollment.objects.filter(pk=not_done.pk).update(status="not_completed")
        assert selectors.jp_totals(employee_ids=[e.pk], year=year) == {e.pk: (15, 22)}
        assert selectors.jp_of(employee_id=e.pk, year=year) == 15

    def test_below_20_boundary_and_units(self, cast):
        unit = UnitFactory(region=cast.region_a)
        nineteen = EmployeeFactory(unit=unit, name="Sembilan Belas")
        twenty = EmployeeFactory(unit=unit, name="Dua Puluh")
        year = TODAY.year
        completed(nineteen, jp=19, on=dt.date(year, 1, 1))  # this year, and never after today
        completed(twenty, jp=20, on=dt.date(year, 1, 1))
        names = list(
            selectors.below_20(region_ids=[cast.region_a.pk], year=year, unit_id=unit.pk).values_list(
                "name", "jp"
            )
        )
        assert names == [("Sembilan Belas", 19)]
        by_unit = {
            r["unit__name"]: r for r in selectors.below_20_by_unit(region_ids=[cast.region_a.pk], year=year)
        }
        assert (by_unit[unit.name]["staff"], by_unit[unit.name]["below"]) == (2, 1)
        assert by_unit[unit.name]["mean_jp"] == 19.5
        # The other region's staff never appear.
        other = cast.objects["other_region_employee"]
        assert other.pk not in selectors.below_20(region_ids=[cast.region_a.pk], year=year).values_list(
            "pk", flat=True
        )

    def test_jp_summary(self, cast, django_assert_max_num_queries):
        region = cast.region_a
        unit = UnitFactory(region=region)
        # Region A now has staff, supervisor (cast) + 4 here = 6 active employees.
        people = [EmployeeFactory(unit=unit, is_remote=i < 2) for i in range(4)]
        retired = EmployeeFactory(unit=unit, status="retired")
        year = TODAY.year - 1  # a whole year, all of it in the past (whatever today's date)
        completed(people[0], jp=30, on=dt.date(year, 3, 1))  # remote, reaches 20
        completed(people[2], jp=10, on=dt.date(year, 3, 1))  # not remote
        completed(people[2], jp=10, on=dt.date(year, 4, 1))  # 20 in total: reaches 20
        completed(people[3], jp=6, on=dt.date(year, 4, 1))
        completed(retired, jp=40, on=dt.date(year, 4, 1))  # not active: outside the figures
        completed(people[1], jp=50, on=dt.date(year - 1, 4, 1))  # the year before
        SessionFactory(  # a class of the year that nobody completed
            programme__region=region,
            capacity=30,
            start_date=dt.date(year, 12, 7),
            end_date=dt.date(year, 12, 9),
            enroll_opens=dt.date(year, 11, 20),
            enroll_closes=dt.date(year, 11, 30),
        )
        with django_assert_max_num_queries(3):
            summary = selectors.jp_summary(region_id=region.pk, year=year)
        # JP per active employee: 0, 0, 30, 0, 20, 6 -> mean 56/6, median (0 + 6) / 2 = 3
        assert summary["employees"] == 6
        assert summary["mean_jp"] == round(56 / 6, 2)
        assert summary["median_jp"] == 3.0
        assert summary["share_reaching_20"] == round(2 / 6, 4)
        assert summary["completions"] == 5  # incl. the retired employee's, excl. the year before's
        assert summary["remote_employees"] == 2 and summary["remote_participation"] == 0.5
        assert summary["non_remote_employees"] == 4 and summary["non_remote_participation"] == 0.5
        sessions = Session.objects.filter(region=region, start_date__year=year)
        assert summary["seats_offered"] == sum(s.capacity for s in sessions)
        assert summary["sessions"] == sessions.count()

    def test_jp_summary_of_an_empty_region(self, cast):
        summary = selectors.jp_summary(region_id=cast.region_b.pk, year=2020)
        assert summary["mean_jp"] == 0 and summary["median_jp"] == 0
        assert connection.vendor == "postgresql"
