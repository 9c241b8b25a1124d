"""A provinsi above its kabupaten/kota (issue 24): the province's head and HR officers read the
regencies' aggregate reports through the real URLs, never their personal data unless granted by a
role assignment in the regency; the province's dashboard compares its regencies."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from asnportal.accounts.access import report_regions, role_regions
from asnportal.accounts.models import AuditEvent, Role, RoleAssignment
from asnportal.org.models import Region
from reports.models import ReportSnapshot
from reports.services import figures_digest

from ..clock import TODAY
from ..conftest import login_verified, make_user
from ..org.factories import EmployeeFactory, UnitFactory
from .factories import LAST_MONTH, snapshot_make

pytestmark = pytest.mark.django_db


def regency(code: str, name: str, parent: Region | None) -> Region:
    region = Region(code=code, name=name, kind=Region.Kind.REGENCY, timezone="Asia/Jakarta", parent=parent)
    region.full_clean()
    region.save()
    return region


@pytest.fixture
def province(cast):
    """Provinsi Bengkulu (region A) with two regencies, each with a unit and a person; a regency
    head of the first; Provinsi Jambi above Bungo as another province."""
    bengkulu = cast.region_a
    kota = regency("kota-bengkulu", "Kota Bengkulu", bengkulu)
    rejang = regency("rejang-lebong", "Kabupaten Rejang Lebong", bengkulu)
    jambi = Region.objects.create(
        code="jambi", name="Provinsi Jambi", kind="provinsi", timezone="Asia/Jakarta"
    )
    bungo = Region.objects.get(code="bungo")
    bungo.parent = jambi
    bungo.save()
    person = EmployeeFactory(unit=UnitFactory(region=kota, name="Dinas Kota", code="DK"), name="Rahmat Kota")
    UnitFactory(region=rejang, name="Dinas Rejang Lebong", code="DRL")
    return {
        "kota": kota,
        "rejang": rejang,
        "bungo": bungo,
        "person": person,
        "kota_head": make_user("kepala_kota", role=Role.REGIONAL_HEAD, region=kota),
    }


def client_of(user):
    from django.test import Client

    return login_verified(Client(), user)


# --- the model -----------------------------------------------------------------------------------


def test_a_parent_must_be_a_province_and_a_province_has_none(cast, province):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="harus sebuah provinsi"):
        regency("desa", "Kabupaten Contoh", province["kota"]).full_clean()
    assert not Region.objects.filter(code="desa").exists()
    cast.region_a.parent = Region.objects.get(code="jambi")
    with pytest.raises(ValidationError, match="tidak berada di bawah daerah lain"):
        cast.region_a.full_clean()
    rejang = province["rejang"]
    rejang.parent = rejang
    with pytest.raises(ValidationError, match="induk dirinya sendiri"):
        rejang.full_clean()


def test_the_database_refuses_a_province_with_a_parent(cast, province):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=cast.region_a.pk).update(parent=province["bungo"].parent)


def test_a_province_with_regencies_stays_a_province(cast, province):
    from django.core.exceptions import ValidationError

    cast.region_a.kind = Region.Kind.REGENCY
    with pytest.raises(ValidationError, match="harus tetap provinsi"):
        cast.region_a.full_clean()


# --- the access helpers ----------------------------------------------------------------------------


def test_report_scope_adds_the_regencies_and_personal_scope_does_not(cast, province):
    head, hr = cast.users["head"], cast.users["hr"]
    names = {r.name for r in report_regions(head)}
    assert names == {"Provinsi Bengkulu", "Kota Bengkulu", "Kabupaten Rejang Lebong"}
    assert {r.pk for r in report_regions(hr)} == {r.pk for r in report_regions(head)}
    assert role_regions(hr, Role.HR_OFFICER) == {cast.region_a.pk}
    assert [r.name for r in report_regions(province["kota_head"])] == ["Kota Bengkulu"]
    assert report_regions(cast.users["observer"]) == [] and report_regions(cast.users["staff"]) == []


# --- the real URLs ---------------------------------------------------------------------------------


def test_province_head_reads_a_regencys_aggregates(cast, province):
    kota = province["kota"]
    snapshot = snapshot_make(region=kota)
    client = cast.client("head")
    page = client.get(reverse("reports:dashboard"), {"region": kota.pk})
    assert page.status_code == 200 and "Kota Bengkulu" in page.content.decode()
    assert page.context["snapshot"] == snapshot and not page.context["can_recompute"]
    unit_id = snapshot.figures["workforce"]["by_unit"][0]["unit_id"]
    assert client.get(reverse("reports:unit_detail", args=[snapshot.pk, unit_id])).status_code == 200
    export = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]))
    assert export.status_code == 200
    assert AuditEvent.objects.filter(action="export_xlsx", region_id=kota.pk).count() == 1
    assert "Kota Bengkulu" in client.get(reverse("reports:compare")).content.decode()


def test_province_officers_never_see_a_regencys_people(cast, province):
    person = province["person"]
    hr = cast.client("hr")
    assert hr.get(reverse("org:employee_detail", args=[person.pk])).status_code == 404
    assert hr.get(reverse("org:employee_edit", args=[person.pk])).status_code == 404
    directory = hr.get(reverse("org:directory"), {"q": "Rahmat"}).content.decode()
    assert "Rahmat Kota" not in directory and person.nip not in directory
    assert not AuditEvent.objects.filter(action="read_personal", object_id=str(person.pk)).exists()
    head = cast.client("head")
    assert head.get(reverse("org:directory")).status_code == 403
    assert head.get(reverse("org:employee_detail", args=[person.pk])).status_code == 403
    # Recomputing a regency's report is the regency's officers' action.
    run = hr.post(reverse("reports:run_create"), {"region": province["kota"].pk, "kind": "monthly",
                                                  "period": LAST_MONTH.isoformat()})  # fmt: skip
    assert run.status_code == 200 and not ReportSnapshot.objects.filter(region=province["kota"]).exists()


def test_a_role_in_the_regency_is_the_grant_and_it_expires(cast, province):
    person, hr_user = province["person"], cast.users["hr"]
    grant = RoleAssignment.objects.create(
        user=hr_user, role=Role.HR_OFFICER, region=province["kota"], valid_until=TODAY
    )
    page = cast.client("hr").get(reverse("org:employee_detail", args=[person.pk]))
    assert page.status_code == 200 and "Rahmat Kota" in page.content.decode()
    assert AuditEvent.objects.filter(action="read_personal", object_id=str(person.pk)).count() == 1
    grant.valid_from = TODAY + dt.timedelta(days=1)
    grant.valid_until = TODAY + dt.timedelta(days=30)
    grant.save()
    assert cast.client("hr").get(reverse("org:employee_detail", args=[person.pk])).status_code == 404


def test_a_regency_head_sees_neither_the_province_nor_a_sibling(cast, province):
    own = snapshot_make(region=province["kota"])
    provincial = snapshot_make(region=cast.region_a)
    sibling = snapshot_make(region=province["rejang"])
    client = client_of(province["kota_head"])
    assert client.get(reverse("reports:dashboard")).context["snapshot"] == own
    for region in (cast.region_a, province["rejang"], province["bungo"]):
        assert client.get(reverse("reports:dashboard"), {"region": region.pk}).status_code == 404
    for snapshot in (provincial, sibling):
        unit_id = snapshot.figures["workforce"]["by_unit"][0]["unit_id"]
        assert client.get(reverse("reports:unit_detail", args=[snapshot.pk, unit_id])).status_code == 404
        assert client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "pdf"])).status_code == 404
    body = client.get(reverse("reports:compare")).content.decode()
    assert "Kota Bengkulu" in body and "Provinsi Bengkulu" not in body and "Rejang" not in body


def test_another_provinces_officer_reads_none_of_bengkulus_regencies(cast, province):
    snapshot = snapshot_make(region=province["kota"])
    jambi_head = make_user("kepala_jambi", role=Role.REGIONAL_HEAD, region=province["bungo"].parent)
    client = client_of(jambi_head)
    assert client.get(reverse("reports:dashboard"), {"region": province["kota"].pk}).status_code == 404
    assert client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "pdf"])).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"region": province["bungo"].pk}).status_code == 200


# --- the province's dashboard compares its regencies -----------------------------------------------


def figures_with(total: int, *, predikat: dict, jp20: float, ikm: float | None, respondents: int) -> dict:
    """A snapshot's sections as the report job stores them, reduced to what the comparison reads."""
    return {
        "workforce": {"total": total, "by_unit": [], "by_position_kind": {}},
        "training": {"employees": total, "share_reaching_20": jp20},
        "performance": {"staff_total": total, "logging_share": 0.5, "units": {"1": {"unit": "U", "predikat": predikat}}},
        "feedback": {"region": {"ikm": ikm, "category": "B", "respondents": respondents} if ikm else None},
        "recruitment": {"applicants": 1200},
    }  # fmt: skip


def store(region: Region, figures: dict, *, version: int = 1, period_start=LAST_MONTH) -> ReportSnapshot:
    from reports.periods import period_bounds

    return ReportSnapshot.objects.create(
        region=region, kind="monthly", period_start=period_start, version=version,
        period_end=period_bounds("monthly", period_start)[1], figures=figures, digest=figures_digest(figures),
    )  # fmt: skip


def row_of(body: str, name: str) -> list[str]:
    """The cells of the table row whose header holds `name`."""
    row = body.split(name, 1)[1].split("</tr>")[0]
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]


def test_the_province_dashboard_compares_its_regencies(cast, province):
    store(
        cast.region_a,
        figures_with(1500, predikat={"sangat_baik": 3, "baik": 7}, jp20=0.2, ikm=80.0, respondents=100),
    )
    store(
        province["kota"],
        figures_with(500, predikat={"baik": 4}, jp20=0.6, ikm=90.0, respondents=300),
        version=1,
    )
    store(
        province["kota"],
        figures_with(600, predikat={"baik": 4}, jp20=0.6, ikm=90.0, respondents=300),
        version=2,
    )
    store(province["rejang"], figures_with(9, predikat={}, jp20=0, ikm=None, respondents=0),
          period_start=dt.date(LAST_MONTH.year - 1, LAST_MONTH.month, 1))  # fmt: skip
    body = cast.client("head").get(reverse("reports:dashboard")).content.decode()
    own = row_of(body, "Provinsi Bengkulu <span")
    assert own[:2] == ["1.500", "30%"] and own[-4:] == ["20%", "50%", "80 (B)", "1.200"]
    kota = row_of(body, "Kota Bengkulu</a>")
    assert kota[0] == "600"  # the latest version of the period
    assert kota[1:6] == ["–"] * 5  # four appraised people: the distribution stays hidden
    assert kota[6] == "60%" and kota[8] == "90 (B)"
    assert len(row_of(body, "Rejang Lebong</a>")) == 1  # its report is a year older: not computed yet
    total = row_of(body, "<tfoot>")
    # 2.100 staff; JP share (1500×0,2 + 600×0,6) / 2.100; IKM (100×80 + 300×90) / 400 = 87,5.
    assert total[0] == "2.100" and total[6] == "31,4%" and total[8] == "87,5"
    assert total[1:3] == ["21,4%", "78,6%"]  # 3 and 11 of 14 appraised
    assert 'id="chart-regencies" type="application/json"' in body
    assert f'href="?region={province["kota"].pk}&amp;kind=monthly"' in body


def test_a_regencys_dashboard_has_no_comparison(cast, province):
    snapshot_make(region=province["kota"])
    page = cast.client("head").get(reverse("reports:dashboard"), {"region": province["kota"].pk})
    assert page.context["regencies"] is None and "chart-regencies" not in page.content.decode()


@pytest.mark.parametrize("n_regencies", [2, 5])
def test_province_dashboard_query_count_is_constant(cast, django_assert_max_num_queries, n_regencies):
    store(cast.region_a, figures_with(100, predikat={"baik": 9}, jp20=0.5, ikm=80.0, respondents=50))
    for i in range(n_regencies):
        child = regency(f"kab-{i}", f"Kabupaten Contoh {i}", cast.region_a)
        store(child, figures_with(100 + i, predikat={"baik": 9}, jp20=0.5, ikm=80.0, respondents=50))
    client = cast.client("head")
    # session, user, roles, employee link, report regions, latest and previous snapshot, the
    # regencies' snapshots (the region list is the report scope's one query; the nav is cached)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("reports:dashboard"))
    assert len(page.context["regencies"]["rows"]) == n_regencies + 1


def test_the_demo_puts_kota_bengkulu_under_the_province(cast):
    from asnportal.org.demo import _demo_regencies

    _demo_regencies()
    _demo_regencies()
    kota = Region.objects.get(code="kota-bengkulu")
    assert (kota.kind, kota.parent, kota.timezone) == ("kota", cast.region_a, "Asia/Jakarta")
    assert [r.name for r in report_regions(cast.users["head"])] == ["Kota Bengkulu", "Provinsi Bengkulu"]
