"""PDF (reportlab) of an employee's SKP and evaluation; XLSX (openpyxl) of team and unit results."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from asnportal.exports import sheet_append, text_paragraph

from .models import BerAKHLAK, Predikat, Rating


def _pdf(story_builder) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title="SKP")
    styles = getSampleStyleSheet()
    doc.build(story_builder(styles))
    return buffer.getvalue()


def _table(rows):
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _facts(employee, styles):
    return [
        text_paragraph(f"{_('Name')}: {employee.name}", styles["Normal"]),
        text_paragraph(f"NIP: {employee.nip}", styles["Normal"]),
        text_paragraph(f"{_('Unit')}: {employee.unit.name}", styles["Normal"]),
        text_paragraph(f"{_('Position')}: {employee.position.name}", styles["Normal"]),
        Spacer(1, 8),
    ]


def _plan_indicator_rows(plan, styles) -> list[list]:
    """The plan's live indicators (removed ones are kept for history, not printed)."""
    rows = [[_("Work result"), _("Indicator"), _("Target"), _("Unit of measure"), _("Weight (%)")]]
    for result in plan.results.all():
        for ind in result.indicators.all():
            if ind.removed:
                continue
            rows.append(
                [
                    text_paragraph(result.text, styles["BodyText"]),
                    text_paragraph(ind.text, styles["BodyText"]),
                    str(ind.target),
                    ind.unit,
                    str(ind.weight),
                ]
            )
    return rows


def _plan_agreement(plan, styles) -> list:
    if not plan.agreed_by_id:
        return []
    return [
        Spacer(1, 12),
        text_paragraph(
            _("Agreed by %(name)s on %(date)s")
            % {"name": plan.agreed_by.name, "date": plan.agreed_at.date()},
            styles["Normal"],
        ),
    ]


def plan_pdf(*, plan) -> bytes:
    def build(styles):
        story = [
            text_paragraph(
                _("Employee performance plan (SKP) %(year)s") % {"year": plan.year}, styles["Title"]
            )
        ]
        story += _facts(plan.employee, styles)
        story.append(
            text_paragraph(
                _("Status: %(status)s, version %(version)s")
                % {"status": plan.get_status_display(), "version": plan.version},
                styles["Normal"],
            )
        )
        story += [Spacer(1, 8), _table(_plan_indicator_rows(plan, styles))]
        story += _plan_agreement(plan, styles)
        return story

    return _pdf(build)


def _work_result_section(appraisal, styles) -> list:
    """The indicator table of the computation, its weighted achievement and the work rating."""
    comp = appraisal.computation
    rows = [[_("Indicator"), _("Weight (%)"), _("Target for the period"), _("Realisation"), _("Achievement")]]
    for row in comp["rows"]:
        rows.append(
            [
                text_paragraph(row["indicator"], styles["BodyText"]),
                row["weight"],
                row["target"],
                row["realisation"],
                row["achievement"],
            ]
        )
    return [
        _table(rows),
        Spacer(1, 8),
        text_paragraph(
            _("Weighted achievement %(a)s; thresholds: above from %(above)s, meets from %(meets)s.")
            % {"a": comp["achievement"], "above": comp["above_from"], "meets": comp["meets_from"]},
            styles["Normal"],
        ),
        text_paragraph(f"{_('Work result rating')}: {Rating(appraisal.work_rating).label}", styles["Normal"]),
    ]


def _behaviour_section(appraisal, styles) -> list:
    """One row per BerAKHLAK value (unrated values count as meeting expectations), then the rating."""
    behaviour = [[_("BerAKHLAK value"), _("Rating")]] + [
        [str(label), str(Rating(appraisal.behaviour.get(code, Rating.MEETS)).label)]
        for code, label in BerAKHLAK.choices
    ]
    return [
        Spacer(1, 8),
        _table(behaviour),
        Spacer(1, 8),
        text_paragraph(
            f"{_('Behaviour rating')}: {Rating(appraisal.behaviour_rating).label}", styles["Normal"]
        ),
    ]


def _verdict_section(appraisal, styles) -> list:
    story = [text_paragraph(f"{_('Predikat')}: {Predikat(appraisal.predikat).label}", styles["Heading2"])]
    if appraisal.reason:
        story.append(text_paragraph(f"{_('Reason for correction')}: {appraisal.reason}", styles["Normal"]))
    return story


def appraisal_pdf(*, appraisal) -> bytes:
    def build(styles):
        story = [
            text_paragraph(
                _("Performance evaluation %(period)s") % {"period": appraisal.period}, styles["Title"]
            )
        ]
        story += _facts(appraisal.employee, styles)
        story += _work_result_section(appraisal, styles)
        story += _behaviour_section(appraisal, styles)
        story += _verdict_section(appraisal, styles)
        return story

    return _pdf(build)


def _xlsx(title: str, header: list[str], rows, *more_sheets: tuple[str, list[str], object]) -> bytes:
    """A workbook of one sheet per (title, header, rows), the first given apart."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet_title, sheet_header, sheet_rows in ((title, header, rows), *more_sheets):
        ws = wb.create_sheet(sheet_title[:31])
        sheet_append(ws, sheet_header)
        for row in sheet_rows:
            sheet_append(ws, row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def team_xlsx(*, indicators) -> bytes:
    header = [
        _("Employee"),
        _("Work result"),
        _("Indicator"),
        _("Unit of measure"),
        _("Target"),
        _("Weight (%)"),
        _("Approved"),
        _("Waiting"),
    ]
    rows = (
        [
            i.result.plan.employee.name,
            i.result.text,
            i.text,
            i.unit,
            float(i.target),
            float(i.weight),
            float(i.approved or 0),
            float(i.waiting or 0),
        ]
        for i in indicators
    )
    return _xlsx(_("Team results"), header, rows)


def unit_xlsx(*, appraisals, distribution: list[dict], org_rating_label: str) -> bytes:
    """Every appraised employee of the period, and a second sheet with each unit's predikat counts
    and the clauses of the distribution pattern it breaks (performance.rules.curve_warnings)."""
    header = [
        _("Unit"),
        _("Employee"),
        "NIP",
        _("Achievement"),
        _("Work result rating"),
        _("Behaviour rating"),
        _("Predikat"),
        _("Version"),
    ]
    rows = (
        [
            a.unit.name,
            a.employee.name,
            a.employee.nip,
            float(a.achievement),
            str(Rating(a.work_rating).label),
            str(Rating(a.behaviour_rating).label),
            str(Predikat(a.predikat).label),
            a.version,
        ]
        for a in appraisals
    )
    pattern_header = [_("Unit"), _("Organisation rating"), _("Appraised")]
    pattern_header += [str(label) for _value, label in Predikat.choices]
    pattern_header += [_("Rule"), _("Distribution pattern")]
    pattern_rows = (
        [u["unit"], org_rating_label, u["total"], *(n for _label, n in u["cells"])]
        + [u["rule"], "\n".join(u["warnings"]) or _("Follows the curve.")]
        for u in distribution
    )
    return _xlsx(_("Unit results"), header, rows, (_("Distribution pattern"), pattern_header, pattern_rows))
