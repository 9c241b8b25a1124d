import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from asnportal.accounts.models import AuditEvent
from asnportal.org.models import Unit
from reports.models import ReportRun
from reports.periods import period_label, period_previous

from .factories import LAST_MONTH, snapshot_make

pytestmark = pytest.mark.django_db


def rows(n: int, *, small_every: int = 0) -> list[dict]:
    return [
        {
            "unit_id": 10_000 + i,
            "unit": f"Unit {i:04d}",
            "total": 3 if small_every and i % small_every == 0 else 20,
            "pns": 15,
            "pppk": 5,
            "female": 9,
            "remote": 2,
        }
        for i in range(n)
    ]


def test_dashboard_shows_latest_snapshot_with_change_and_charts(cast):
    snapshot_make(region=cast.region_a, period_start=period_previous("monthly", LAST_MONTH), units=rows(3))
    snapshot_make(region=cast.region_a, units=rows(4))
    body = cast.client("head").get(reverse("reports:dashboard")).content.decode()
    assert period_label("monthly", LAST_MONTH) in body  # the latest period, "November 2026"
    assert "+20" in body  # 80 employees against 60 the month before
    assert 'id="chart-units" type="application/json"' in body
    assert "<script>" not in body  # no inline script: the charts read JSON data


def test_small_groups_are_hidden(cast):
    snapshot_make(region=cast.region_a, units=rows(4, small_every=2))
    body = cast.client("head").get(reverse("reports:dashboard")).content.decode()
    assert body.count("Fewer than 5") + body.count("Kurang dari 5") == 2


@pytest.mark.parametrize("n_units", [5, 300])
def test_dashboard_query_count_is_constant(cast, django_assert_max_num_queries, n_units):
    snapshot_make(region=cast.region_a, units=rows(n_units))
    client = cast.client("head")
    # session, user, roles, employee link, latest snapshot, previous snapshot, region list (nav is cached per user)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("reports:dashboard")).status_code == 200


def test_unit_rows_link_to_their_drill_down_with_their_counts(cast):
    units = [
        {"unit_id": 4321, "unit": "Dinas Besar", "total": 12345, "pns": 12000, "pppk": 345, "female": 6000,
         "remote": 7},
        {"unit_id": 99, "unit": "Dinas Kecil", "total": 3, "pns": 3, "pppk": 0, "female": 1, "remote": 0},
    ]  # fmt: skip
    snapshot = snapshot_make(region=cast.region_a, units=units)
    body = cast.client("head").get(reverse("reports:dashboard")).content.decode()
    row = body.split("Dinas Besar")[0].rsplit("<tr>", 1)[1] + body.split("Dinas Besar")[1].split("</tr>")[0]
    assert f'href="{reverse("reports:unit_detail", args=[snapshot.pk, 4321])}"' in row
    cells = [c.split(">", 1)[1] for c in row.split("</td>")[1:-1]]
    assert cells == ["12.345", "12.000", "345", "6.000", "7"]  # Indonesian thousands
    # The small unit keeps no link (and no counts).
    assert reverse("reports:unit_detail", args=[snapshot.pk, 99]) not in body


def test_other_regions_snapshot_is_not_reachable(cast):
    snapshot = snapshot_make(region=cast.region_a)
    client = cast.client("hr_other")
    assert client.get(reverse("reports:dashboard"), {"region": cast.region_a.pk}).status_code == 404
    assert client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"])).status_code == 404
    unit = Unit.objects.filter(region=cast.region_a).first()
    assert client.get(reverse("reports:unit_detail", args=[snapshot.pk, unit.pk])).status_code == 404


def test_unit_drill_down(cast):
    snapshot = snapshot_make(region=cast.region_a)
    response = cast.client("head").get(reverse("reports:unit_detail", args=[snapshot.pk, cast.unit_a.pk]))
    assert cast.unit_a.name in response.content.decode()
    assert (
        cast.client("head").get(reverse("reports:unit_detail", args=[snapshot.pk, 999999])).status_code == 404
    )


def test_exports_are_real_files_and_audited(cast):
    snapshot = snapshot_make(region=cast.region_a, units=rows(6, small_every=3))
    client = cast.client("head")
    pdf = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    unit_sheet = next(ws for ws in workbook.worksheets if ws.cell(1, 1).value == "Unit kerja")
    assert [c.value for c in unit_sheet[1]][:3] == ["Unit kerja", "Pegawai", "PNS"]  # labels, not keys
    values = [[c.value for c in r] for r in unit_sheet.iter_rows(min_row=2)]
    assert sum(1 for r in values if r[1] == "—") == 2  # two small units hidden in the export too
    shown = next(r for r in unit_sheet.iter_rows(min_row=2) if r[1].value != "—")
    assert shown[1].value == 20 and shown[1].number_format == "#,##0"  # a typed number, grouped
    kinds = next(ws for ws in workbook.worksheets if ws.cell(1, 1).value == "Jenis jabatan")
    assert kinds.cell(2, 1).value == "Pelaksana"  # the choice's label, not `pelaksana`
    assert AuditEvent.objects.filter(action__startswith="export_").count() == 2


def test_compare_regions_side_by_side_only_in_scope(cast):
    from asnportal.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=cast.users["head"], role=Role.REGIONAL_HEAD, region=cast.region_b)
    snapshot_make(region=cast.region_a)
    snapshot_make(region=cast.region_b)
    body = cast.client("head").get(reverse("reports:compare")).content.decode()
    assert cast.region_a.name in body and cast.region_b.name in body
    assert cast.region_b.name not in cast.client("hr").get(reverse("reports:compare")).content.decode()


def test_hr_requests_a_recompute_and_follows_progress(cast, django_capture_on_commit_callbacks):
    client = cast.client("hr")
    mid_month = LAST_MONTH + dt.timedelta(days=14)  # any day of the month asks for that month
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:run_create"),
            {"region": cast.region_a.pk, "kind": "monthly", "period": mid_month.isoformat()},
        )
    run = ReportRun.objects.get()
    assert response.url == reverse("reports:run_detail", args=[run.pk])
    partial = client.get(reverse("reports:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"run-progress" in partial.content


def test_recompute_of_a_future_period_is_refused(cast):
    response = cast.client("hr").post(
        reverse("reports:run_create"), {"region": cast.region_a.pk, "kind": "monthly", "period": "2099-01-01"}
    )
    assert response.status_code == 200 and not ReportRun.objects.exists()


def test_head_cannot_recompute(cast):
    assert cast.client("head").post(reverse("reports:run_create"), {}).status_code == 403


def test_dashboard_view_charts_and_labels_every_section(cast):
    from reports.selectors import dashboard_view

    snapshot = snapshot_make(region=cast.region_a)
    snapshot.figures |= {
        "performance": {
            "logging_share": 0.5,
            "units": {"7": {"unit": "BKD", "predikat": {"baik": 6, "sangat_baik": 1}, "warnings": []}},
        },
        "feedback": {
            "region": {"ikm": 83.33, "category": "B"},
            "service_units": [{"name": "Puskesmas", "ikm": 83.33}],
        },
        "training": {"region_id": 1, "remote_participation": 0.25, "non_remote_participation": 0.5},
    }
    view = dashboard_view(snapshot=snapshot, previous=None)
    assert [p["id"] for p in view["panels"]] == ["chart-predikat", "chart-ikm", "chart-participation"]
    assert view["charts"]["chart-predikat"]["datasets"][1]["data"] == [6]
    assert view["charts"]["chart-participation"]["datasets"][0]["data"] == [25.0, 50.0]
    figures = {str(s["title"]): {str(k): v for k, v in s["figures"]} for s in view["sections"]}
    training = next(v for k, v in figures.items() if "elatihan" in k or "raining" in k)
    assert "region_id" not in training and "25%" in training.values()  # shares as Indonesian percentages
    feedback = next(v for k, v in figures.items() if "mpan" in k or "eedback" in k)
    assert "83,33" in feedback.values()
    # chart legends are the models' choice labels, never their values (issue 21)
    assert view["charts"]["chart-predikat"]["datasets"][1]["label"] == "Baik"
    assert view["charts"]["chart-position-kinds"]["labels"] == ["Pelaksana"]
    assert any(c["value"] == 83.33 for c in view["cards"])  # the region's IKM is a headline card


def test_unit_drill_down_shows_labels_and_indonesian_numbers(cast):
    """Issue 21: the drill-down showed the figures' keys (`unit`, `total`, `retiring_5y`)."""
    unit = {"unit_id": 4321, "unit": "Dinas Besar", "total": 12345, "pns": 12000, "pppk": 345,
            "female": 6000, "remote": 7, "retiring_5y": 1250}  # fmt: skip
    snapshot = snapshot_make(region=cast.region_a, units=[unit])
    response = cast.client("head").get(reverse("reports:unit_detail", args=[snapshot.pk, 4321]))
    body = response.content.decode()
    pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", body)
    assert pairs == [
        ("Pegawai", "12.345"),
        ("PNS", "12.000"),
        ("PPPK", "345"),
        ("Perempuan", "6.000"),
        ("Daerah terpencil", "7"),
        ("Pensiun dalam 5 tahun", "1.250"),
    ]
    for code in ("retiring_5y", "female", ">total<", ">unit<"):
        assert code not in body


def test_every_feedback_figure_the_report_stores_has_a_label(cast):
    """The feedback section is shown key by key: a key without a label would reach the screen as its
    code name (the IKM rule version once showed as `rule`)."""
    from feedback.selectors import feedback_summary
    from reports.selectors import figure_label

    summary = feedback_summary(region_id=cast.region_a.pk, start=LAST_MONTH, end=LAST_MONTH)
    keys = [k for k in summary if not isinstance(summary[k], dict | list)]
    keys += [f"inputs.{k}" for k in summary["inputs"]]
    assert "rule" in keys
    assert all(figure_label(k) != k for k in keys), [k for k in keys if figure_label(k) == k]
    assert figure_label("rule") == "Versi aturan IKM"
