"""A report snapshot as XLSX (one sheet per section) and as a printable PDF; small groups stay hidden."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from asnportal.exports import sheet_append, sheet_row, text_paragraph
from asnportal.ui import formatting

from .models import ReportSnapshot
from .selectors import (
    HIDDEN_FIGURES,
    PERCENT_FIGURES,
    SECTION_TITLES,
    UNIT_LABELS,
    breakdown_label,
    dashboard_view,
    figure_label,
    figure_text,
    suppress_small,
)


def _filename(snapshot: ReportSnapshot, ext: str) -> str:
    return f"laporan-{snapshot.region.code}-{snapshot.kind}-{snapshot.period_start:%Y-%m}-v{snapshot.version}.{ext}"


def _cell(value):
    if isinstance(value, dict | list):
        return str(value)
    return value


# A cell of a report table: (figure key, value); the key says how to show the value (a share as a %).
Cell = tuple[str, object]


def _tables(snapshot: ReportSnapshot):
    """(section title, header, rows of cells) for every section: its scalars, then each list of rows;
    labels instead of keys, choice values by their labels, small groups hidden."""
    for name, data in snapshot.figures.items():
        if not isinstance(data, dict):
            continue
        title = str(SECTION_TITLES.get(name, name))
        scalars = [
            (k, v) for k, v in data.items() if not isinstance(v, dict | list) and k not in HIDDEN_FIGURES
        ]
        if scalars:
            yield (
                title,
                [_("Figure"), _("Value")],
                [[("", figure_label(k)), (k, _cell(v))] for k, v in scalars],
            )
        for key, value in data.items():
            if (
                isinstance(value, dict)
                and value
                and all(not isinstance(v, dict | list) for v in value.values())
            ):
                rows = [[("", breakdown_label(key, k)), (f"{key}.{k}", v)] for k, v in value.items()]
                yield f"{title}: {figure_label(key)}", [figure_label(key), _("Value")], rows
            if isinstance(value, list) and value and isinstance(value[0], dict):
                yield _list_table(title, key, value)


def _list_table(title: str, key: str, value: list[dict]):
    rows = suppress_small(value, count_key="total" if "total" in value[0] else next(iter(value[0])))
    order = list(UNIT_LABELS)  # stored JSON keeps no key order: columns in the labels' order
    keys = [k for k in value[0] if k not in ("unit_id", "id")]
    header = sorted(keys, key=lambda k: order.index(k) if k in order else len(order))
    return (
        f"{title}: {figure_label(key)}",
        [figure_label(h) for h in header],
        [[(h, _cell(r.get(h))) for h in header] for r in rows],
    )


def _xlsx_value(cell: Cell):
    """A typed cell value and its number format: shares as percentages, numbers and dates typed."""
    key, value = cell
    if value is None:
        return "—", None
    if key in PERCENT_FIGURES and isinstance(value, int | float):
        return value, formatting.XLSX_PERCENT
    return value, formatting.xlsx_format(value)


def snapshot_xlsx(snapshot: ReportSnapshot) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    sheet_append(ws, [dashboard_view(snapshot=snapshot, previous=None)["title"]])
    computed = timezone.localtime(snapshot.computed_at).replace(tzinfo=None)
    info = sheet_row(ws, [_("Computed at"), computed, _("Version"), snapshot.version])
    info[1].number_format = formatting.XLSX_DATETIME
    ws.append(info)
    for title, header, rows in _tables(snapshot):
        sheet = wb.create_sheet(title[:31].replace(":", " ").replace("/", "-"))
        sheet_append(sheet, header)
        for row in rows:
            cells = []
            for cell in row:
                value, number_format = _xlsx_value(cell)
                (written,) = sheet_row(sheet, [value])
                if number_format:
                    written.number_format = number_format
                cells.append(written)
            sheet.append(cells)
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
            % {"v": snapshot.version, "at": formatting.datetime(snapshot.computed_at)},
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    for title, header, rows in _tables(snapshot):
        story.append(text_paragraph(title, styles["Heading3"]))
        table = Table([header, *[[figure_text(*cell) for cell in r] for r in rows]], repeatRows=1)
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
