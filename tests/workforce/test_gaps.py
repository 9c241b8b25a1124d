import datetime as dt
import json
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from asnportal.org.models import Employee, PositionKind, PositionLevel
from asnportal.org.nip import MALE, nip_build
from tests.org.factories import EmployeeFactory, PositionFactory, UnitFactory
from workforce import selectors, services
from workforce.models import RetirementAge, WorkloadTask

from .factories import WorkloadAnalysisFactory, WorkloadTaskFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 25)  # five years later: 2031-11-25
_seq = iter(range(1, 999))


def born(day: dt.date, **kwargs) -> Employee:
    nip = nip_build(birth_date=day, tmt_cpns=dt.date(day.year + 25, 1, 1), sex=MALE, sequence=next(_seq))
    return EmployeeFactory(nip=nip, **kwargs)


@pytest.mark.parametrize(
    ("kind", "level", "age"),
    [
        (PositionKind.ADMINISTRATOR, "", 58),
        (PositionKind.PENGAWAS, "", 58),
        (PositionKind.PELAKSANA, "", 58),
        (PositionKind.JPT_PRATAMA, "", 60),
        (PositionKind.JPT_MADYA, "", 60),
        (PositionKind.FUNGSIONAL_KEAHLIAN, PositionLevel.AHLI_PERTAMA, 58),
        (PositionKind.FUNGSIONAL_KEAHLIAN, PositionLevel.AHLI_MUDA, 58),
        (PositionKind.FUNGSIONAL_KEAHLIAN, PositionLevel.AHLI_MADYA, 60),
        (PositionKind.FUNGSIONAL_KEAHLIAN, PositionLevel.AHLI_UTAMA, 65),
        (PositionKind.FUNGSIONAL_KETERAMPILAN, PositionLevel.PENYELIA, 58),
    ],
)
def test_default_retirement_ages_pp_11_2017(cast, kind, level, age):
    position = PositionFactory(region=cast.region_a, kind=kind, level=level)
    assert selectors.retirement_age_for(position) == age


def test_retirement_age_is_data_per_region_and_level_wins(cast):
    services.retirement_age_set(region_id=cast.region_a.pk, kind=PositionKind.PELAKSANA, level="", age=60)
    services.retirement_age_set(
        region_id=cast.region_a.pk,
        kind=PositionKind.FUNGSIONAL_KEAHLIAN,
        level=PositionLevel.AHLI_MUDA,
        age=59,
    )
    services.retirement_age_set(
        region_id=cast.region_a.pk, kind=PositionKind.PELAKSANA, level="", age=59
    )  # edit
    assert RetirementAge.objects.count() == 2
    assert selectors.retirement_age_for(PositionFactory(region=cast.region_a, kind="pelaksana")) == 59
    assert selectors.retirement_age_for(PositionFactory(region=cast.region_b, kind="pelaksana")) == 58
    muda = PositionFactory(region=cast.region_a, kind="fungsional_keahlian", level="ahli_muda")
    pertama = PositionFactory(region=cast.region_a, kind="fungsional_keahlian", level="ahli_pertama")
    assert (selectors.retirement_age_for(muda), selectors.retirement_age_for(pertama)) == (59, 58)


def test_retirement_age_out_of_range_or_wrong_level_is_refused(cast):
    client = cast.client("hr")
    response = client.post(reverse("planning:retirement_age"), {"kind": "pelaksana", "level": "", "age": 45})
    assert response.status_code == 400
    response = client.post(
        reverse("planning:retirement_age"), {"kind": "pelaksana", "level": "ahli_muda", "age": 60}
    )
    assert response.status_code == 400
    assert "This level does not belong to the chosen position type." in response.content.decode()
    assert not RetirementAge.objects.exists()


def test_add_years_keeps_29_february_in_common_years():
    assert selectors.add_years(dt.date(2000, 2, 29), 58) == dt.date(2058, 2, 28)
    assert selectors.add_years(dt.date(2000, 2, 29), 4) == dt.date(2004, 2, 29)


def test_retirements_due_boundaries(cast):
    unit = UnitFactory(region=cast.region_a, name="Dinas Uji")
    pelaksana = PositionFactory(region=cast.region_a, name="Pengadministrasi", kind="pelaksana")
    jpt = PositionFactory(region=cast.region_a, name="Kepala Dinas", kind="jpt_pratama")
    utama = PositionFactory(
        region=cast.region_a, name="Dokter Ahli Utama", kind="fungsional_keahlian", level="ahli_utama"
    )
    # 58 before 2031-11-25 means born before 1973-11-25.
    born(dt.date(1973, 11, 24), unit=unit, position=pelaksana)  # reaches 58 on 2031-11-24: counts
    born(dt.date(1973, 11, 25), unit=unit, position=pelaksana)  # reaches 58 on 2031-11-25: outside the window
    born(dt.date(1966, 1, 1), unit=unit, position=pelaksana)  # already past 58, still active: counts
    gone = born(dt.date(1966, 1, 2), unit=unit, position=pelaksana)
    Employee.objects.filter(pk=gone.pk).update(status=Employee.Status.RETIRED)  # not active: not counted
    born(dt.date(1971, 11, 24), unit=unit, position=jpt)  # 60 on 2031-11-24: counts
    born(dt.date(1971, 11, 25), unit=unit, position=jpt)  # 60 on 2031-11-25: not
    born(dt.date(1966, 11, 24), unit=unit, position=utama)  # 65 on 2031-11-24: counts
    born(dt.date(1967, 1, 1), unit=unit, position=utama)  # 65 in 2032: not

    due = selectors.retirements_due(region_id=cast.region_a.pk, on=ON)
    counts = {(r["unit_name"], r["position_name"]): r["count"] for r in due if r["unit_id"] == unit.pk}
    assert counts == {
        ("Dinas Uji", "Dokter Ahli Utama"): 1,
        ("Dinas Uji", "Kepala Dinas"): 1,
        ("Dinas Uji", "Pengadministrasi"): 2,
    }
    # One year window: only the one already past 58 remains for the pelaksana.
    due = selectors.retirements_due(region_id=cast.region_a.pk, on=ON, years=1)
    assert {r["position_name"]: r["count"] for r in due if r["unit_id"] == unit.pk} == {"Pengadministrasi": 1}
    # Raising the age to 60 moves the pelaksana born 1973 out of the window.
    services.retirement_age_set(region_id=cast.region_a.pk, kind="pelaksana", level="", age=60)
    due = selectors.retirements_due(region_id=cast.region_a.pk, on=ON)
    assert {r["position_name"]: r["count"] for r in due if r["unit_id"] == unit.pk}["Pengadministrasi"] == 1


def _planned_unit(cast):
    unit = UnitFactory(region=cast.region_a, name="Dinas Kesehatan")
    nurse = PositionFactory(
        region=cast.region_a, name="Perawat", kind="fungsional_keterampilan", level="terampil"
    )
    born(dt.date(1968, 5, 1), unit=unit, position=nurse)  # retiring
    born(dt.date(1990, 5, 1), unit=unit, position=nurse)
    analysis = WorkloadAnalysisFactory(region=cast.region_a, unit=unit, position=nurse, year=2027)
    # 5,000 visits x 60 min = 5,000 h / 1,250 = 4 posts
    WorkloadTaskFactory(
        analysis=analysis, volume=5000, standard_time=60, time_unit=WorkloadTask.TimeUnit.MINUTES
    )
    return unit, nurse


def test_gap_rows_combine_needs_staff_and_retirements(cast):
    unit, nurse = _planned_unit(cast)
    services.service_ratio_create(
        region_id=cast.region_a.pk,
        name="Perawat per penduduk",
        measure="population",
        unit=unit,
        position=nurse,
        staff=1,
        per=1000,
    )
    services.region_figure_set(
        region_id=cast.region_a.pk, year=2027, measure="population", value=3500
    )  # 4 (3.5 up)
    rows = {
        (r["unit_id"], r["position_id"]): r
        for r in selectors.gap_rows(region_id=cast.region_a.pk, year=2027, on=ON)
    }
    r = rows[(unit.pk, nurse.pk)]
    assert (r["abk_need"], r["ratio_need"], r["needed"], r["in_post"], r["retiring"]) == (4, 4, 4, 2, 1)
    assert (r["gap_now"], r["gap_future"]) == (2, 3)
    services.region_figure_set(region_id=cast.region_a.pk, year=2027, measure="population", value=6000)
    rows = {
        (r["unit_id"], r["position_id"]): r
        for r in selectors.gap_rows(region_id=cast.region_a.pk, year=2027, on=ON)
    }
    assert rows[(unit.pk, nurse.pk)]["needed"] == 6  # the higher of the two needs
    # Positions without any need show no gap.
    cast_row = rows[(cast.unit_a.pk, cast.objects["position_a"].pk)]
    assert (cast_row["needed"], cast_row["gap_now"], cast_row["in_post"]) == (None, None, 2)


def test_gap_page_chart_and_export(cast):
    unit, _nurse = _planned_unit(cast)
    client = cast.client("head")
    response = client.get(reverse("planning:gaps") + "?year=2027&on=2026-11-25")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="gap-chart-data"' in page and "workforce/gaps.js" in page
    assert "<script>" not in page  # no inline script: data goes through json_script
    chart = response.context["chart"]
    i = chart["labels"].index("Dinas Kesehatan")
    assert (chart["needed"][i], chart["in_post"][i], chart["retiring"][i]) == (4, 2, 1)
    json.dumps(chart)
    response = client.get(reverse("planning:gaps_xlsx") + "?year=2027&on=2026-11-25")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert ("Dinas Kesehatan", "Perawat", 4, None, 4, 2, 1, 2, 3) in rows


def test_gap_page_of_another_region_is_not_reachable(cast):
    response = cast.client("hr_other").get(reverse("planning:gaps") + f"?region={cast.region_a.pk}")
    assert response.status_code == 404


def test_gap_page_query_count_is_constant(cast, django_assert_max_num_queries):
    units = UnitFactory.create_batch(10, region=cast.region_a)
    positions = PositionFactory.create_batch(5, region=cast.region_a)
    for u in units:
        for p in positions:
            born(dt.date(1965 + (u.pk + p.pk) % 30, 3, 3), unit=u, position=p)
    client = cast.client("hr")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("planning:gaps") + "?year=2027")
    assert len(response.context["rows"]) >= 50
    with django_assert_max_num_queries(14):
        assert client.get(reverse("planning:gaps_xlsx") + "?year=2027").status_code == 200
