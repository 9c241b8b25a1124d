import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from asnportal.org.models import Employee, Unit
from asnportal.org.nip import MALE, nip_build
from tests.clock import TODAY, days
from tests.org.factories import EmployeeFactory, PositionFactory, UnitFactory
from workforce import structure
from workforce.models import EmployeePlacement, StructureChange, UnitVersion

pytestmark = pytest.mark.django_db
# The structure's history happens last year (and the December before it): every effective date is
# in the past whatever TODAY is, and each one exists in every year (no 29 February).
LAST = TODAY.year - 1
_seq = iter(range(1, 999))


def emp(unit, position, name="", tmt=dt.date(2010, 3, 1)) -> Employee:
    nip = nip_build(birth_date=dt.date(1980, 1, 1), tmt_cpns=tmt, sex=MALE, sequence=next(_seq))
    return EmployeeFactory(unit=unit, position=position, nip=nip, **({"name": name} if name else {}))


@pytest.fixture
def org(cast):
    r = cast.region_a
    a = UnitFactory(region=r, code="A", name="Dinas A")
    b = UnitFactory(region=r, code="B", name="Dinas B")
    c = UnitFactory(region=r, code="C", name="Bidang C", parent=a)
    kadis = PositionFactory(region=r, name="Kepala Dinas", kind="jpt_pratama")
    kabid = PositionFactory(region=r, name="Kepala Bidang", kind="administrator")
    staff = PositionFactory(region=r, name="Pengadministrasi", kind="pelaksana")
    analis = PositionFactory(region=r, name="Analis Kebijakan", kind="fungsional_keahlian", level="ahli_muda")
    people = {
        "head_a": emp(a, kadis, "Kepala A"),
        "chief_a": emp(a, kabid, "Kabid A"),
        "a1": emp(a, staff),
        "a2": emp(a, staff),
        "head_b": emp(b, kadis, "Kepala B"),
        "b1": emp(b, staff),
        "c1": emp(c, staff),
        "new": emp(
            b, staff, tmt=dt.date(LAST - 1, 12, 1)
        ),  # entered service on 1 December of the year before (NIP: month only)
    }
    return {
        "region": r,
        "a": a,
        "b": b,
        "c": c,
        "kadis": kadis,
        "kabid": kabid,
        "staff": staff,
        "analis": analis,
        **people,
    }


def chart(region, on):
    return {u["name"]: u for u in structure.org_chart(region_id=region.pk, on=on)}


def test_merge_keeps_the_chart_as_it_was(org, cast):
    r = org["region"]
    before = chart(r, dt.date(LAST - 1, 11, 30))
    assert (before["Dinas A"]["headcount"], before["Dinas A"]["total"], before["Dinas A"]["head_name"]) == (
        4,
        5,
        "Kepala A",
    )
    assert (before["Dinas B"]["headcount"], before["Bidang C"]["depth"]) == (2, 1)  # "new" not yet in service
    change = structure.units_merge(
        region=r,
        unit_ids=[org["a"].pk, org["b"].pk],
        new_code="AB",
        new_name="Dinas AB",
        effective_date=dt.date(LAST, 1, 1),
        user=cast.users["hr"],
        note=f"Perda 1/{LAST}",
    )
    assert change.kind == StructureChange.Kind.UNIT_MERGE and change.employee_count == 7
    ab = Unit.objects.get(code="AB")
    assert not Unit.objects.get(pk=org["a"].pk).is_active and not Unit.objects.get(pk=org["b"].pk).is_active
    assert set(
        Employee.objects.filter(pk__in=[org["a1"].pk, org["head_b"].pk, org["new"].pk]).values_list(
            "unit_id", flat=True
        )
    ) == {ab.pk}
    assert Unit.objects.get(pk=org["c"].pk).parent_id == ab.pk

    # The day before: the old structure, unchanged by the merge.
    assert chart(r, dt.date(LAST - 1, 11, 30)) == before
    assert chart(r, dt.date(LAST - 1, 12, 31))["Dinas B"]["headcount"] == 3
    after = chart(r, dt.date(LAST, 1, 1))
    assert "Dinas A" not in after and "Dinas B" not in after
    assert (after["Dinas AB"]["headcount"], after["Dinas AB"]["total"]) == (7, 8)
    assert after["Bidang C"]["depth"] == 1 and after["Dinas AB"]["head_position"] == "Kepala Dinas"
    assert "Dinas AB" not in chart(r, dt.date(LAST - 1, 6, 1))


def test_reassign_history_before_and_after(org, cast):
    r = org["region"]
    structure.employees_reassign(
        region=r,
        employee_ids=[org["a1"].pk, org["a2"].pk],
        unit_id=org["b"].pk,
        effective_date=dt.date(LAST, 3, 1),
        user=cast.users["hr"],
    )
    assert chart(r, dt.date(LAST, 2, 28))["Dinas A"]["headcount"] == 4
    assert chart(r, dt.date(LAST, 3, 1))["Dinas A"]["headcount"] == 2
    assert chart(r, dt.date(LAST, 3, 1))["Dinas B"]["headcount"] == 3 + 2
    history = structure.placement_history(employee_id=org["a1"].pk)
    assert [(p.unit_id, p.valid_from, p.valid_to) for p in history] == [
        (org["a"].pk, dt.date(2010, 3, 1), dt.date(LAST, 3, 1)),
        (org["b"].pk, dt.date(LAST, 3, 1), None),
    ]
    # A second change continues the history; one that starts before the last one is refused.
    structure.employees_reassign(
        region=r,
        employee_ids=[org["a1"].pk],
        unit_id=org["a"].pk,
        position_id=org["analis"].pk,
        effective_date=dt.date(LAST, 6, 1),
    )
    a1 = Employee.objects.get(pk=org["a1"].pk)
    assert (a1.unit_id, a1.position_id) == (org["a"].pk, org["analis"].pk)
    assert len(structure.placement_history(employee_id=a1.pk)) == 3


def _snapshot():
    return (
        list(
            EmployeePlacement.objects.order_by("pk").values_list(
                "employee_id", "unit_id", "valid_from", "valid_to"
            )
        ),
        list(Employee.objects.order_by("pk").values_list("unit_id", "position_id")),
        list(Unit.objects.order_by("pk").values_list("is_active", "parent_id")),
        StructureChange.objects.count(),
        UnitVersion.objects.count(),
    )


@pytest.mark.parametrize(
    ("effective", "message"),
    [
        (dt.date(LAST, 2, 1), "the effective date must be later"),  # before the last change (1 March)
        (dt.date(LAST, 3, 1), "the effective date must be later"),  # same day: periods would overlap
        (days(1), "cannot be in the future"),
    ],
)
def test_date_that_breaks_history_changes_nothing(org, effective, message):
    r = org["region"]
    structure.employees_reassign(
        region=r, employee_ids=[org["a1"].pk], unit_id=org["b"].pk, effective_date=dt.date(LAST, 3, 1)
    )
    before = _snapshot()
    with pytest.raises(ValidationError, match=message):
        structure.employees_reassign(
            region=r, employee_ids=[org["a2"].pk, org["a1"].pk], unit_id=org["c"].pk, effective_date=effective
        )
    assert _snapshot() == before


def test_date_before_entry_into_service_is_refused(org):
    with pytest.raises(ValidationError, match="the effective date must be later"):
        structure.employees_reassign(
            region=org["region"],
            employee_ids=[org["new"].pk],
            unit_id=org["a"].pk,
            effective_date=dt.date(LAST - 1, 1, 1),
        )
    assert not EmployeePlacement.objects.exists()


def test_reassignment_to_a_closed_unit_changes_nothing(org, cast):
    r = org["region"]
    Unit.objects.filter(pk=org["c"].pk).update(is_active=False)
    before = _snapshot()
    with pytest.raises(ValidationError, match="is closed"):
        structure.employees_reassign(
            region=r, employee_ids=[org["a1"].pk], unit_id=org["c"].pk, effective_date=dt.date(LAST, 5, 1)
        )
    assert _snapshot() == before
    # Through the page: a clear message, status 400, nothing saved.
    response = cast.client("hr").post(
        reverse("planning:reassign") + f"?unit={org['a'].pk}",
        {"employees": [org["a1"].pk], "unit": org["c"].pk, "effective_date": f"{LAST}-05-01"},
    )
    assert response.status_code == 400
    assert "Bidang C is closed; choose an active unit." in response.content.decode()
    assert _snapshot() == before


def test_reassign_of_another_regions_employee_is_refused(org, cast):
    with pytest.raises(ValidationError):
        structure.employees_reassign(
            region=org["region"],
            employee_ids=[cast.objects["other_region_employee"].pk],
            unit_id=org["a"].pk,
            effective_date=dt.date(LAST, 5, 1),
        )
    assert not EmployeePlacement.objects.exists()


def test_reassign_page_moves_employees(org, cast):
    client = cast.client("hr")
    page = client.get(reverse("planning:reassign") + f"?unit={org['a'].pk}")
    assert page.status_code == 200 and "Kabid A" in page.content.decode()
    response = client.post(
        reverse("planning:reassign") + f"?unit={org['a'].pk}",
        {
            "employees": [org["a1"].pk, org["a2"].pk],
            "unit": org["b"].pk,
            "effective_date": f"{LAST}-05-01",
            "note": "SK 12",
        },
    )
    assert response.status_code == 302 and f"on={LAST}-05-01" in response.url
    assert Employee.objects.filter(unit=org["b"], status="active").count() == 3 + 2


def test_equalisation_converts_administrative_posts(org, cast):
    r = org["region"]
    change = structure.position_convert(
        region=r,
        position_id=org["kabid"].pk,
        to_position_id=org["analis"].pk,
        effective_date=dt.date(LAST, 1, 1),
    )
    assert change.kind == StructureChange.Kind.EQUALISATION and change.employee_count == 1
    assert Employee.objects.get(pk=org["chief_a"].pk).position_id == org["analis"].pk
    # Before the date the kabid was in post; pelaksana -> another pelaksana is a plain conversion.
    [old, new] = structure.placement_history(employee_id=org["chief_a"].pk)
    assert (old.position_id, new.position_id, new.valid_from) == (
        org["kabid"].pk,
        org["analis"].pk,
        dt.date(LAST, 1, 1),
    )
    other = PositionFactory(region=r, name="Penata Layanan", kind="pelaksana")
    change = structure.position_convert(
        region=r,
        position_id=org["staff"].pk,
        to_position_id=other.pk,
        unit_id=org["b"].pk,
        effective_date=dt.date(LAST, 4, 1),
    )
    assert change.kind == StructureChange.Kind.POSITION_CONVERT and change.employee_count == 2
    assert Employee.objects.filter(position=org["staff"]).count() == 3  # those of A and C untouched
    with pytest.raises(ValidationError):
        structure.position_convert(
            region=r, position_id=other.pk, to_position_id=other.pk, effective_date=dt.date(LAST, 5, 1)
        )


def test_position_move(org):
    r = org["region"]
    structure.position_move(
        region=r,
        position_id=org["staff"].pk,
        from_unit_id=org["a"].pk,
        to_unit_id=org["c"].pk,
        effective_date=dt.date(LAST, 7, 1),
    )
    assert chart(r, dt.date(LAST, 7, 1))["Bidang C"]["headcount"] == 3
    assert chart(r, dt.date(LAST, 6, 30))["Bidang C"]["headcount"] == 1
    with pytest.raises(ValidationError, match="Nobody holds"):
        structure.position_move(
            region=r,
            position_id=org["staff"].pk,
            from_unit_id=org["a"].pk,
            to_unit_id=org["c"].pk,
            effective_date=dt.date(LAST, 8, 1),
        )


def test_split_unit(org):
    r = org["region"]
    parts = [
        {"code": "A1", "name": "Dinas A Satu", "employee_ids": [org["head_a"].pk, org["a1"].pk]},
        {"code": "A2", "name": "Dinas A Dua", "employee_ids": [org["chief_a"].pk, org["a2"].pk]},
    ]
    before = _snapshot()
    with pytest.raises(ValidationError, match="sub-units"):  # Bidang C still hangs under A
        structure.unit_split(
            region=r, unit_id=org["a"].pk, parts=parts, close_source=True, effective_date=dt.date(LAST, 9, 1)
        )
    short = [parts[0], {**parts[1], "employee_ids": [org["a2"].pk]}]
    with pytest.raises(ValidationError, match="allocate every one"):
        structure.unit_split(
            region=r, unit_id=org["a"].pk, parts=short, close_source=True, effective_date=dt.date(LAST, 9, 1)
        )
    twice = [parts[0], {**parts[1], "employee_ids": [org["a1"].pk]}]
    with pytest.raises(ValidationError, match="only one new unit"):
        structure.unit_split(region=r, unit_id=org["a"].pk, parts=twice, effective_date=dt.date(LAST, 9, 1))
    assert _snapshot() == before
    structure.unit_split(region=r, unit_id=org["a"].pk, parts=parts, effective_date=dt.date(LAST, 9, 1))
    after = chart(r, dt.date(LAST, 9, 1))
    assert (
        after["Dinas A"]["headcount"],
        after["Dinas A Satu"]["headcount"],
        after["Dinas A Dua"]["head_name"],
    ) == (0, 2, "Kabid A")
    assert "Dinas A Satu" not in chart(r, dt.date(LAST, 8, 31))


def test_merge_into_a_closed_unit_or_with_too_few_units_is_refused(org):
    r = org["region"]
    Unit.objects.filter(pk=org["b"].pk).update(is_active=False)
    with pytest.raises(ValidationError, match="is closed"):
        structure.units_merge(
            region=r, unit_ids=[org["a"].pk], into_unit_id=org["b"].pk, effective_date=dt.date(LAST, 1, 1)
        )
    with pytest.raises(ValidationError, match="at least two"):
        structure.units_merge(
            region=r, unit_ids=[org["a"].pk], new_code="X", new_name="X", effective_date=dt.date(LAST, 1, 1)
        )
    assert not Unit.objects.filter(code="X").exists() and not StructureChange.objects.exists()


def test_second_merge_before_the_first_is_refused(org):
    r = org["region"]
    structure.units_merge(
        region=r, unit_ids=[org["c"].pk], into_unit_id=org["b"].pk, effective_date=dt.date(LAST, 5, 1)
    )
    d = UnitFactory(region=r, code="D", name="Dinas D")
    before = _snapshot()
    with pytest.raises(ValidationError):
        # Dinas B's staff from C started there on 1 May
        structure.units_merge(
            region=r, unit_ids=[org["b"].pk], into_unit_id=d.pk, effective_date=dt.date(LAST, 4, 1)
        )
    assert _snapshot() == before


def test_chart_page_for_head_and_query_count(org, cast, django_assert_max_num_queries):
    r = org["region"]
    units = UnitFactory.create_batch(15, region=r, parent=org["a"])
    for u in units:
        for _j in range(4):
            emp(u, org["staff"])
    structure.employees_reassign(
        region=r,
        employee_ids=list(Employee.objects.filter(unit__in=units[:5]).values_list("pk", flat=True)),
        unit_id=org["b"].pk,
        effective_date=dt.date(LAST, 2, 1),
    )
    client = cast.client("head")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("planning:chart") + f"?on={LAST}-01-15")
    assert response.status_code == 200
    assert {u["name"]: u for u in response.context["units"]}["Dinas A"]["total"] == 5 + 60
    with django_assert_max_num_queries(14):
        response = client.get(reverse("planning:chart") + f"?on={LAST}-02-01")
    assert {u["name"]: u for u in response.context["units"]}["Dinas B"]["headcount"] == 3 + 20
