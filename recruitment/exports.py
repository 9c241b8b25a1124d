"""Ranking and stage results as XLSX (openpyxl) and PDF (reportlab): public data only."""

import io

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from asnportal.exports import sheet_append, text_paragraph

from . import selectors
from .models import Selection
from .selectors import RankRow

KINDS = ("ranking", "skd")


def export_rows(*, selection: Selection, kind: str) -> tuple[list[str], list[list]]:
    formations = {f.pk: str(f) for f in selectors.formations_of(selection=selection)}
    rows, _total = selectors.ranking_rows(selection_id=selection.pk)
    if kind == "skd":
        return _skd_header(), [_skd_line(r, formations) for r in rows]
    return _ranking_header(), [_ranking_line(r, formations) for r in rows if r.final_rank is not None]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _skd_header() -> list[str]:
    return [
        _("Formation"),
        _("Participant number"),
        _("Name"),
        "TWK",
        "TIU",
        "TKP",
        _("SKD total"),
        _("Passes SKD"),
        _("Advances to SKB"),
    ]


def _skd_line(r: RankRow, formations: dict[int, str]) -> list:
    return [
        formations[r.formation_id],
        r.participant_number,
        r.full_name,
        r.twk,
        r.tiu,
        r.tkp,
        r.skd_total,
        _yes_no(r.skd_pass),
        _yes_no(r.advances),
    ]


def _ranking_header() -> list[str]:
    return [
        _("Formation"),
        _("Rank"),
        _("Participant number"),
        _("Name"),
        _("SKD total"),
        "SKB",
        _("Final score"),
        _("Result"),
    ]


def _ranking_line(r: RankRow, formations: dict[int, str]) -> list:
    return [
        formations[r.formation_id],
        r.final_rank,
        r.participant_number,
        r.full_name,
        r.skd_total,
        None if r.skb is None else float(r.skb),
        None if r.final_score is None else float(r.final_score),
        _("Passed") if r.passes else "",
    ]


def rules_line(selection: Selection) -> str:
    """The rule versions the results were computed with, as the ranking pages name them (issue 20)."""
    rules = selectors.rules_used(selection)
    line = f"{_('Rule')}: {rules['skd'].label} · {rules['skb'].label}"
    if rules["skd_own_values"]:
        line += f" ({_('this selection set its own pass marks or weights')})"
    return line


def export_response(*, selection: Selection, kind: str, fmt: str) -> HttpResponse:
    header, body = export_rows(selection=selection, kind=kind)
    rules = rules_line(selection)
    filename = f"{kind}-{selection.year}-{selection.pk}.{fmt}"
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = kind.upper()
        sheet_append(sheet, [str(selection)])
        sheet_append(sheet, [rules])
        sheet_append(sheet, header)
        for line in body:
            sheet_append(sheet, line)
        out = io.BytesIO()
        book.save(out)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=str(selection))
        styles = getSampleStyleSheet()
        table = Table([header] + [["" if c is None else str(c) for c in line] for line in body], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 7),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        title = _("Final ranking") if kind == "ranking" else _("SKD results")
        heading = text_paragraph(f"{title}: {selection}", styles["Heading2"])
        doc.build([heading, text_paragraph(rules, styles["Normal"]), table])
        content_type = "application/pdf"
    response = HttpResponse(out.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
