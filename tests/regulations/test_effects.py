"""A new rule version changes the results it governs from its date on, and no earlier one: an
appraisal, a period's curve check and a quarter's IKM keep their own version and recompute the same;
the preview lists what would change."""

import pytest
from django.test import Client
from django.urls import reverse

from asnportal.regulations import registry, services
from asnportal.regulations.models import RuleKind
from asnportal.regulations.schemas import OFFICIAL
from feedback import selectors as feedback_selectors
from performance import selectors as performance_selectors
from performance import services as performance_services
from tests.feedback.factories import ServiceUnitFactory, add_responses
from tests.performance.factories import agreed_plan, approved_log, behaviour, open_period

from ..clock import TODAY
from .factories import appraised

pytestmark = pytest.mark.django_db


def _version(cast, kind, parameters, region=None):
    return services.rule_version_create(
        user=cast.users["admin"],
        kind=kind,
        region_id=region.pk if region else None,
        effective_from=TODAY,
        parameters=parameters,
        reason="Uji perubahan aturan",
    )


def test_a_stored_appraisal_keeps_its_version_and_recomputes_identically(cast):
    staff, boss = cast.objects["staff_employee"], cast.objects["supervisor_employee"]
    year = TODAY.year - 1
    _plan, indicators = agreed_plan(staff, year)
    period = open_period(cast.region_a, year, "tw4")
    approved_log(staff, indicators[0], period.end, 100)
    approved_log(staff, indicators[1], period.end, 40)
    stored = performance_services.appraisal_rate(
        supervisor=boss, employee=staff, period=period, behaviour=behaviour()
    )
    assert stored.computation["rule"]["number"] == 1
    _version(cast, RuleKind.WORK_RATING, {"above_from": "1.50", "meets_from": "1.20"})
    again = performance_services.appraisal_compute(employee=staff, period=period)
    assert again == stored.computation
    assert (again["work_rating"], stored.predikat) == (stored.work_rating, "baik")


def test_a_curve_version_governs_periods_ending_from_its_date_only(cast):
    past = open_period(cast.region_a, TODAY.year - 1, "tw4")
    current = open_period(cast.region_a, TODAY.year, "tw4")
    for period in (past, current):
        appraised(period, cast.unit_a, "baik", 8)
        appraised(period, cast.unit_a, "butuh_perbaikan", 2)
    before = performance_selectors.distribution(period=past)
    assert [w for r in before for w in r["warnings"]]  # 80% Baik: above the annex's 70%
    curve = {**OFFICIAL[RuleKind.CURVE]}
    curve["baik"] = [{**curve["baik"][0], "share": "0.90"}, curve["baik"][1]]
    (line,) = registry.preview_effects(kind=RuleKind.CURVE, parameters=curve, region_ids=[cast.region_a.pk])
    assert line == "0 unit kerja melanggar pola distribusi (saat ini 1)"
    _version(cast, RuleKind.CURVE, curve)
    assert performance_selectors.distribution(period=past) == before
    assert "v1" in before[0]["rule"]
    (now,) = performance_selectors.distribution(period=current)
    assert now["warnings"] == [] and "v2" in now["rule"]


def test_an_ikm_categories_version_governs_quarters_ending_from_its_date_only(cast):
    su = ServiceUnitFactory(unit=cast.unit_a, name="Loket Pelayanan")
    quarter = feedback_selectors.Quarter.of(TODAY)
    previous = quarter.previous()
    add_responses(su, [4, 4, 3, 3], on=previous.start)
    add_responses(su, [4, 4, 3, 3])
    bounds = {"A": "88.31", "B": "88.00", "C": "65.00", "D": "25.00"}
    (line,) = registry.preview_effects(
        kind=RuleKind.IKM_CATEGORIES, parameters=bounds, region_ids=[cast.region_a.pk]
    )
    assert line.startswith("IKM Loket Pelayanan (87,50") and line.endswith("berubah kategori B → C")
    _version(cast, RuleKind.IKM_CATEGORIES, bounds, region=cast.region_a)

    def ikm(q):
        return feedback_selectors.ikm_for_service_unit(service_unit=su, start=q.start, end=q.end)

    old, new = ikm(previous), ikm(quarter)
    assert (old.ikm, old.category, old.rule.number, old.rule.region_id) == (old.ikm, "B", 1, None)
    assert (new.ikm, new.category, new.rule.region_id) == (old.ikm, "C", cast.region_a.pk)
    page = feedback_selectors.region_results(region=cast.region_a, quarter=quarter)
    assert [t["result"].category for t in page["region_trend"][-2:]] == ["B", "C"]


def test_the_work_rating_preview_counts_moves_per_predikat(cast):
    period = open_period(cast.region_a, TODAY.year - 1, "tw4")
    appraised(period, cast.unit_a, "baik", 4, achievement="1.00")
    appraised(period, cast.unit_a, "sangat_baik", 2, achievement="1.15", behaviour="di_atas")
    appraised(open_period(cast.region_b, TODAY.year - 1, "tw4"), cast.unit_b, "baik", 9, achievement="1.00")
    lines = registry.preview_effects(
        kind=RuleKind.WORK_RATING,
        parameters={"above_from": "1.20", "meets_from": "1.05"},
        region_ids=[cast.region_a.pk],
    )
    assert lines == [
        "4 pegawai berpindah dari Baik ke Butuh Perbaikan",
        "2 pegawai berpindah dari Sangat Baik ke Baik",
    ]


def test_the_service_unit_page_names_the_ikm_rule(cast):
    su = ServiceUnitFactory(unit=cast.unit_a)
    add_responses(su, [4, 4, 3, 3])
    html = cast.client("hr").get(reverse("feedback:unit_detail", kwargs={"pk": su.pk})).content.decode()
    assert "Aturan: Kategori IKM v1, berlaku 1 Jan 2022" in html


def test_the_public_ikm_page_names_its_rule_and_a_new_version_shows_at_once(
    cast, django_capture_on_commit_callbacks
):
    su = ServiceUnitFactory(unit=cast.unit_a)
    add_responses(su, [4, 4, 3, 3])
    url = reverse("feedback:public_region", kwargs={"code": cast.region_a.code})

    before = Client().get(url).content.decode()
    assert "Aturan: Kategori IKM v1, berlaku 1 Jan 2022" in before and "87,50 · B" in before
    bounds = {"A": "88.31", "B": "88.00", "C": "65.00", "D": "25.00"}
    with django_capture_on_commit_callbacks(execute=True):
        version = _version(cast, RuleKind.IKM_CATEGORIES, bounds, region=cast.region_a)
    after = Client().get(url).content.decode()  # the cached body follows the new version at once
    assert f"Aturan: {version.label}" in after and "87,50 · C" in after and "1 Jan 2022" not in after
