"""A report snapshot as XLSX (one sheet per section) and as a printable PDF; small groups stay hidden."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from asnportal.exports import sheet_append, text_paragraph

from .models import ReportSnapshot
from .selectors import SECTION_TITLES, dashboard_view, suppress_small


def _filename(snapshot: ReportSnapshot, ext: str) -> str:
    return f"laporan-{snapshot.region.code}-{snapshot.kind}-{snapshot.period_start:%Y-%m}-v{snapshot.version}.{ext}"


def _cell(value):
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return str(value)
    return value


def _tables(snapshot: ReportSnapshot):
    """(section title, header, rows) for every section: its scalars, then each list of rows."""
    for name, data in snapshot.figures.items():
        if not isinstance(data, dict):
            continue
        title = str(SECTION_TITLES.get(name, name))
        scalars = [(k, v) for k, v in data.items() if not isinstance(v, dict | list)]
        if scalars:
            yield title, [_("Figure"), _("Value")], [[k, _cell(v)] for k, v in scalars]
        for key, value in data.items():
            if (
                isinstance(value, dict)
                and value
                and all(not isinstance(v, dict | list) for v in value.values())
            ):
                yield f"{title}: {key}", [key, _("Value")], [[k, _cell(v)] for k, v in value.items()]
            if isinstance(value, list) and value and isinstance(value[0], dict):
                rows = suppress_small(
                    value, count_key="total" if "total" in value[0] else next(iter(value[0]))
                )
                header = [k for k in value[0] if k != "unit_id"]
                yield f"{title}: {key}", header, [[_cell(r.get(h)) for h in header] for r in rows]


def snapshot_xlsx(snapshot: ReportSnapshot) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    sheet_append(ws, [dashboard_view(snapshot=snapshot, previous=None)["title"]])
    sheet_append(
        ws,
        [_("Computed at"), snapshot.computed_at.strftime("%Y-%m-%d %H:%M"), _("Version"), snapshot.version],
    )
    for title, header, rows in _tables(snapshot):
        sheet = wb.create_sheet(title[:31].replace(":", " ").replace("/", "-"))
        sheet_append(sheet, header)
        for row in rows:
            sheet_append(sheet, row)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(snapshot, "xlsx")}"'
    return response


def snapshot_pdf(snapshot: ReportSnapshot) -> HttpResponse:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=str(snapshot))
    view = dashboard_view(snapshot=snapshot, previous=None)
    story = [
        text_paragraph(_("Periodic evaluation report"), styles["Title"]),
        text_paragraph(view["title"], styles["Heading2"]),
        text_paragraph(
            _("Version %(v)s, computed at %(at)s. Groups under 5 people are hidden.")
            % {"v": snapshot.version, "at": snapshot.computed_at.strftime("%Y-%m-%d %H:%M")},
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    for title, header, rows in _tables(snapshot):
        story.append(text_paragraph(title, styles["Heading3"]))
        table = Table([header, *[[str(c) for c in r] for r in rows]], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#7a1f1f")),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        story += [table, Spacer(1, 8)]
    doc.build(story)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(snapshot, "pdf")}"'
    return response
