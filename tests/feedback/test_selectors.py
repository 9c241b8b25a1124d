"""IKM from SQL aggregates per unit, service, region and period; sample adequacy; the cross-app API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from feedback import selectors, services
from feedback.models import CitizenInput
from feedback.rules import ELEMENT_CODES

from ..clock import TODAY, at
from .factories import ServiceFactory, ServiceUnitFactory, add_responses

pytestmark = pytest.mark.django_db

# The quarter of the suite's day: the responses of add_responses (submitted today) fall in it.
Q = selectors.Quarter.of(TODAY)
SUMS_EXAMPLE = [13, 12, 11, 10, 16, 14, 15, 9, 12]  # over 4 respondents -> IKM 77.78 (see test_rules)


def example_rows() -> list[dict[str, int]]:
    """Four respondents whose element sums are SUMS_EXAMPLE."""
    rows = [{} for _i in range(4)]
    for code, total in zip(ELEMENT_CODES, SUMS_EXAMPLE, strict=True):
        base, extra = divmod(total, 4)
        for i in range(4):
            rows[i][code] = base + (1 if i < extra else 0)
    return rows


def test_quarter_helpers():
    """Calendar arithmetic on fixed quarters (the year boundary is the point): no clock involved."""
    Q4 = selectors.Quarter(2026, 4)
    assert (Q4.start, Q4.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert Q4.next() == selectors.Quarter(2027, 1) and selectors.Quarter(2027, 1).previous() == Q4
    assert selectors.Quarter.parse("2026-Q3", Q4) == selectors.Quarter(2026, 3)
    assert selectors.Quarter.parse("junk", Q4) == Q4 and selectors.Quarter.parse("2026-Q9", Q4) == Q4
    assert selectors.quarters_between(dt.date(2026, 7, 1), dt.date(2026, 12, 31)) == [
        selectors.Quarter(2026, 3),
        Q4,
    ]


def test_service_unit_ikm_matches_the_worked_example_and_flags_the_sample():
    su = ServiceUnitFactory()
    add_responses(su, example_rows())
    add_responses(su, [1], on=Q.start - dt.timedelta(days=1))  # previous quarter's last day: not counted
    services.population_set(service_unit=su, year=Q.year, quarter=Q.quarter, users=50)
    result = selectors.ikm_for_service_unit(service_unit=su, start=Q.start, end=Q.end)
    assert (result.ikm, result.category, result.respondents) == (Decimal("77.78"), "B", 4)
    assert result.min_sample == 44 and result.adequate is False
    assert [r["nrr"] for r in result.element_rows()][:2] == [Decimal("3.25"), Decimal("3.00")]


def test_ikm_for_unit_aggregates_over_the_org_units_service_units(cast):
    a1 = ServiceUnitFactory(unit=cast.unit_a)
    a2 = ServiceUnitFactory(unit=cast.unit_a)
    b = ServiceUnitFactory(unit=cast.unit_b)
    add_responses(a1, [4, 4, 4])
    add_responses(a2, [2])
    add_responses(b, [1, 1])
    got = selectors.ikm_for_unit(unit_id=cast.unit_a.pk, start=Q.start, end=Q.end)
    # Mean NRR = (4+4+4+2)/4 = 3.5 -> 87.50, B
    assert got == {"ikm": Decimal("87.50"), "category": "B", "respondents": 4}
    assert (
        selectors.ikm_for_unit(unit_id=cast.unit_a.pk, start=Q.previous().start, end=Q.previous().end) is None
    )


def test_ikm_per_service():
    su = ServiceUnitFactory()
    kia, umum = ServiceFactory(service_unit=su, name="KIA"), ServiceFactory(service_unit=su, name="Umum")
    add_responses(su, [4, 4], service=kia)
    add_responses(su, [3], service=umum)
    got = {
        row["service"]: row["result"].ikm
        for row in selectors.ikm_by_service(service_unit=su, start=Q.start, end=Q.end)
    }
    assert got == {"KIA": Decimal("100.00"), "Umum": Decimal("75.00")}


def test_region_results_with_trend(cast, django_assert_max_num_queries):
    su = ServiceUnitFactory(unit=cast.unit_a)
    other = ServiceUnitFactory(unit=cast.unit_a)
    ServiceUnitFactory(unit=cast.unit_b)  # other region: not listed
    add_responses(su, [3] * 5, on=Q.previous().start)
    add_responses(su, [4] * 5)
    add_responses(other, [2] * 3)
    services.population_set(service_unit=su, year=Q.year, quarter=Q.quarter, users=5)
    with django_assert_max_num_queries(6):  # + the versions of the IKM categories (issue 20)
        page = selectors.region_results(region=cast.region_a, quarter=Q)
    rows = {r["service_unit"].pk: r for r in page["rows"]}
    assert len(rows) == 2
    trend = [t["result"].ikm if t["result"] else None for t in rows[su.pk]["trend"]]
    assert trend == [None, None, Decimal("75.00"), Decimal("100.00")]
    assert rows[su.pk]["current"].adequate is True
    assert rows[other.pk]["current"].adequate is None
    # Region: (5x4 + 3x2) / 8 = 3.25 -> 81.25, B
    assert page["region_current"].ikm == Decimal("81.25")
    assert page["chart"]["datasets"][0]["values"] == [None, None, "75.00", "81.25"]


def test_feedback_summary_for_reports(cast):
    su = ServiceUnitFactory(unit=cast.unit_a, name="Loket Dukcapil")
    add_responses(su, [4] * 3 + [3])
    services.population_set(service_unit=su, year=Q.year, quarter=Q.quarter, users=4)
    answered = services.citizen_input_submit(service_unit=su, kind="complaint", body="Antrean lama sekali")
    services.citizen_input_submit(
        service_unit=su, kind="suggestion", body="Tambah kursi", client_ip="2.2.2.2"
    )
    # Sent on the quarter's first afternoon, answered 30 hours later (both inside the quarter).
    sent = at(Q.start, 15)
    CitizenInput.objects.filter(pk=answered.pk).update(created_at=sent)
    answered.refresh_from_db()
    answered = services.citizen_input_answer(
        item=answered, answer="Sudah ditambah loket.", user=cast.users["hr"]
    )
    CitizenInput.objects.filter(pk=answered.pk).update(answered_at=sent + dt.timedelta(hours=30))
    summary = selectors.feedback_summary(region_id=cast.region_a.pk, start=Q.start, end=Q.end)
    assert summary["region"] == {"ikm": Decimal("93.75"), "category": "A", "respondents": 4}
    [row] = summary["service_units"]
    assert (row["name"], row["ikm"], row["min_sample"], row["adequate"]) == (
        "Loket Dukcapil",
        Decimal("93.75"),
        4,
        True,
    )
    assert summary["units"] == [
        {"unit_id": cast.unit_a.pk, "ikm": Decimal("93.75"), "category": "A", "respondents": 4}
    ]
    assert summary["inputs"]["total"] == 2 and summary["inputs"]["answered"] == 1
    assert summary["inputs"]["mean_hours_to_answer"] == Decimal("30.0")
    empty = selectors.feedback_summary(region_id=cast.region_b.pk, start=Q.start, end=Q.end)
    assert empty["region"] is None and empty["inputs"]["mean_hours_to_answer"] is None


def test_feedback_summary_adds_up_service_units_in_one_pass(cast, django_assert_max_num_queries):
    """Region and organisation-unit figures are sums over the service units' answers: they must equal
    the IKM computed directly over the same responses (an independent query per scope)."""
    from tests.org.factories import UnitFactory

    other_unit = UnitFactory(region=cast.region_a)
    loket = ServiceUnitFactory(unit=cast.unit_a, name="Loket A")
    pelayanan = ServiceUnitFactory(unit=cast.unit_a, name="Loket B")
    puskesmas = ServiceUnitFactory(unit=other_unit, name="Puskesmas")
    add_responses(loket, [4, 4, 3])
    add_responses(pelayanan, [2, 1])
    add_responses(puskesmas, [3, 2, 2, 4])
    with django_assert_max_num_queries(6):  # + the IKM categories in force (issue 20)
        summary = selectors.feedback_summary(region_id=cast.region_a.pk, start=Q.start, end=Q.end)
    region_direct = selectors.ikm_total(
        selectors._responses(Q.start, Q.end).filter(service_unit__region=cast.region_a)
    )
    assert summary["region"] == {
        "ikm": region_direct.ikm,
        "category": region_direct.category,
        "respondents": 9,
    }
    units = {u["unit_id"]: u for u in summary["units"]}
    for unit in (cast.unit_a, other_unit):
        direct = selectors.ikm_for_unit(unit_id=unit.pk, start=Q.start, end=Q.end)
        assert {k: units[unit.pk][k] for k in ("ikm", "category", "respondents")} == direct
    assert units[cast.unit_a.pk]["respondents"] == 5
    assert {row["name"]: row["respondents"] for row in summary["service_units"]} == {
        "Loket A": 3,
        "Loket B": 2,
        "Puskesmas": 4,
    }


def test_respondent_profile_counts():
    su = ServiceUnitFactory()
    [r1, r2] = add_responses(su, [3, 3])
    r1.sex = "P"
    r1.save()
    with translation.override("id"):
        profile = selectors.respondent_profile(su.responses.all())
    assert sorted(profile["sex"]) == [("-", 1), ("Perempuan", 1)]
