"""Talent and careers: a vacant managerial position lists talent-pool candidates who meet its requirements."""

import pytest
from django.urls import reverse

from asnportal.org.models import Employee, PositionKind
from performance import rules, selectors, services

from ..clock import TODAY
from ..org.factories import EmployeeFactory, PositionFactory
from .factories import agreed_plan, approved_log, behaviour, current_period, due

pytestmark = pytest.mark.django_db


def box_nine(cast, rank: str) -> Employee:
    """Put the cast's staff member in box 9 (Sangat Baik, high potential) with the given rank."""
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    Employee.objects.filter(pk=staff.pk).update(rank=rank)
    _p, (kpi,) = agreed_plan(staff, TODAY.year, [("Berkas", 100, 100)])
    period = current_period(cast.region_a)
    approved_log(staff, kpi, TODAY, due(120, period))  # 120 % of this quarter's share of the target
    services.appraisal_rate(supervisor=boss, employee=staff, period=period, behaviour=behaviour("di_atas"))
    services.potential_record(user=None, employee=staff, year=TODAY.year, potential="tinggi")
    return staff


@pytest.mark.parametrize(
    ("rank", "kind", "ok"),
    [("III/a", "pengawas", False), ("III/b", "pengawas", True), ("III/c", "administrator", False),
     ("III/d", "administrator", True), ("IV/a", "jpt_pratama", False), ("IV/b", "jpt_pratama", True),
     ("IX", "pengawas", False)],
)  # fmt: skip
def test_rank_minimum_per_managerial_type(rank, kind, ok):
    assert rules.meets_rank_minimum(rank=rank, position_kind=kind) is ok


def test_vacant_position_lists_qualifying_talent(cast, django_assert_max_num_queries):
    staff = box_nine(cast, "III/c")
    vacant = PositionFactory(region=cast.region_a, name="Kepala Subbagian Umum", kind=PositionKind.PENGAWAS)
    filled = PositionFactory(
        region=cast.region_a, name="Kepala Bidang Mutasi", kind=PositionKind.ADMINISTRATOR
    )
    EmployeeFactory(unit=cast.unit_a, position=filled, rank="IV/a")
    with django_assert_max_num_queries(2):
        slate = selectors.succession_slate(region_id=cast.region_a.pk)
    assert [item["position"] for item in slate] == [vacant]
    assert [(e.pk, e.box) for e in slate[0]["candidates"]] == [(staff.pk, 9)]


def test_rank_below_minimum_is_not_a_candidate(cast):
    box_nine(cast, "III/a")
    PositionFactory(region=cast.region_a, name="Kepala Subbagian Umum", kind=PositionKind.PENGAWAS)
    assert selectors.succession_slate(region_id=cast.region_a.pk)[0]["candidates"] == []


def test_succession_page(cast):
    staff = box_nine(cast, "III/c")
    PositionFactory(region=cast.region_a, name="Kepala Subbagian Umum", kind=PositionKind.PENGAWAS)
    body = cast.client("hr").get(reverse("performance:succession")).content.decode()
    assert "Kepala Subbagian Umum" in body and staff.name in body
    assert (
        cast.client("hr_other")
        .get(reverse("performance:succession"), {"region": cast.region_a.pk})
        .status_code
        == 404
    )
