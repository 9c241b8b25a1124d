"""Printable and downloadable outputs: QR poster image, token sheets, the SKM report PDF, raw XLSX."""

import datetime as dt
import io

import segno
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from asnportal.exports import markup, sheet_append, text_paragraph

from . import rules
from .models import ExtraAnswer, ExtraQuestion, ServiceUnit, SurveyResponse, TokenBatch
from .selectors import IkmResult, respondent_profile
from .services import token_display


def qr_image(url: str, fmt: str) -> tuple[bytes, str]:
    """The survey link as a QR code (segno): SVG for print quality, PNG for messaging apps."""
    qr = segno.make(url, error="m")
    buf = io.BytesIO()
    if fmt == "png":
        qr.save(buf, kind="png", scale=10, border=2)
        return buf.getvalue(), "image/png"
    qr.save(buf, kind="svg", scale=10, border=2, xmldecl=False)
    return buf.getvalue(), "image/svg+xml"


def _doc(buf: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )


GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)


TICKET_GRID = TableStyle(
    [
        ("BOX", (0, 0), (-1, -1), 0.25, colors.grey),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.grey, None, (2, 2)),
    ]
)


def _ticket(code: str, *, unit_name: str, survey_url: str, styles) -> Table:
    """One cut-out ticket: the QR code (carrying its own code, so scanning it fills the code in) and text."""
    ticket_url = f"{survey_url}?kode={token_display(code)}"
    qr = QrCodeWidget(ticket_url)
    x1, y1, x2, y2 = qr.getBounds()
    size = 22 * mm
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(qr)
    text = Paragraph(
        markup(
            "<b>%(unit)s</b><br/>%(label)s: <b>%(code)s</b><br/><font size=7>%(url)s</font>",
            unit=unit_name,
            label=_("Survey code"),
            code=token_display(code),
            url=survey_url,
        ),
        styles["BodyText"],
    )
    return Table([[drawing, text]], colWidths=[24 * mm, 60 * mm])


def _two_per_row(tickets: list) -> list[list]:
    rows = [tickets[i : i + 2] for i in range(0, len(tickets), 2)]
    if rows and len(rows[-1]) == 1:
        rows[-1] = rows[-1] + [""]
    return rows


def token_batch_pdf(*, batch: TokenBatch, survey_url: str) -> bytes:
    """A sheet of cut-out tickets: each carries the survey link, its QR code and one code."""
    buf = io.BytesIO()
    doc = _doc(buf, _("Survey codes"))
    styles = getSampleStyleSheet()
    tickets = [
        _ticket(token.code, unit_name=batch.service_unit.name, survey_url=survey_url, styles=styles)
        for token in batch.tokens.all()
    ]
    story = [text_paragraph(_("Survey codes: each code can be used once."), styles["Heading2"])]
    if tickets:
        table = Table(_two_per_row(tickets), colWidths=[90 * mm, 90 * mm])
        table.setStyle(TICKET_GRID)
        story.append(table)
    doc.build(story)
    return buf.getvalue()


def _grid_table(rows: list[list], widths: list, style: TableStyle = GRID) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(style)
    return table


def _report_heading(
    service_unit: ServiceUnit, start: dt.date, end: dt.date, period_label: str, styles
) -> list:
    return [
        text_paragraph(_("Community Satisfaction Survey (SKM) report"), styles["Title"]),
        text_paragraph(
            f"{service_unit.name} — {service_unit.unit.name}, {service_unit.region.name}",
            styles["Heading3"],
        ),
        text_paragraph(
            _("Period: %(period)s (%(start)s to %(end)s)")
            % {"period": period_label, "start": start.isoformat(), "end": end.isoformat()},
            styles["BodyText"],
        ),
        Spacer(1, 4 * mm),
    ]


def _element_table(result: IkmResult, styles) -> Table:
    """The nine elements with their NRR, weighted NRR and score."""
    rows = [["", _("Element"), _("NRR"), _("Weighted NRR (x 1/9)"), _("Score (x 25)")]]
    for i, row in enumerate(result.element_rows(), start=1):
        rows.append(
            [
                f"U{i}",
                text_paragraph(row["label"], styles["BodyText"]),
                str(row["nrr"]),
                str(row["weighted"]),
                str(row["score"]),
            ]
        )
    return _grid_table(rows, [10 * mm, 80 * mm, 20 * mm, 40 * mm, 25 * mm])


def _summary_table(result: IkmResult) -> Table:
    """The IKM, its category and whether the sample reaches the Krejcie-Morgan minimum."""
    adequacy = (
        _("unknown (number of service users not entered)")
        if result.adequate is None
        else (_("sufficient") if result.adequate else _("TOO SMALL"))
    )
    summary = [
        [_("IKM (mean NRR x 25, rounded half-up to 2 decimals)"), str(result.ikm)],
        [_("Category"), f"{result.category} ({result.category_label})"],
        [_("Respondents"), str(result.respondents)],
        [_("Service users in the period"), str(result.population or "-")],
        [_("Minimum sample (Krejcie-Morgan)"), str(result.min_sample or "-")],
        [_("Sample"), adequacy],
    ]
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 9)])
    return _grid_table(summary, [110 * mm, 65 * mm], style)


def _by_service_section(by_service: list[dict], styles) -> list:
    if not by_service:
        return []
    rows = [[_("Service"), _("Respondents"), _("IKM"), _("Category")]]
    rows += [
        [item["service"] or "-", item["result"].respondents, str(item["result"].ikm), item["result"].category]
        for item in by_service
    ]
    return [
        text_paragraph(_("IKM per service"), styles["Heading3"]),
        _grid_table(rows, [95 * mm, 25 * mm, 25 * mm, 30 * mm]),
        Spacer(1, 4 * mm),
    ]


def _profile_section(service_unit: ServiceUnit, start: dt.date, end: dt.date, styles) -> list:
    """How many respondents gave each answer to the profile questions (sex, age, education, occupation)."""
    profile = respondent_profile(
        SurveyResponse.objects.filter(
            service_unit=service_unit, submitted_on__gte=start, submitted_on__lte=end
        )
    )
    titles = {
        "sex": _("Sex"),
        "age_band": _("Age"),
        "education": _("Education"),
        "occupation": _("Occupation"),
    }
    rows = [[_("Question"), _("Answer"), _("Respondents")]]
    for key, values in profile.items():
        for label, n in values:
            rows.append([titles[key], label, n])
    return [
        text_paragraph(_("Respondents profile"), styles["Heading3"]),
        _grid_table(rows, [45 * mm, 95 * mm, 35 * mm]),
    ]


def skm_report_pdf(
    *,
    service_unit: ServiceUnit,
    start: dt.date,
    end: dt.date,
    period_label: str,
    result: IkmResult | None,
    by_service: list[dict],
) -> bytes:
    """The SKM report a unit submits: elements, NRR, weighted NRR, IKM, category, respondents profile."""
    buf = io.BytesIO()
    styles = getSampleStyleSheet()
    doc = _doc(buf, _("SKM report"))
    story = _report_heading(service_unit, start, end, period_label, styles)
    if result is None:
        story.append(text_paragraph(_("No survey responses in this period."), styles["BodyText"]))
    else:
        story += [_element_table(result, styles), Spacer(1, 4 * mm)]
        story += [_summary_table(result), Spacer(1, 4 * mm)]
        story += _by_service_section(by_service, styles)
        story += _profile_section(service_unit, start, end, styles)
    doc.build(story)
    return buf.getvalue()


def answers_xlsx(*, service_unit: ServiceUnit, start: dt.date, end: dt.date) -> bytes:
    """Raw anonymised answers, one row per response (no id, no token, no address), sorted by date."""
    questions = list(ExtraQuestion.objects.filter(service_unit=service_unit).order_by("order", "pk"))
    responses = (
        SurveyResponse.objects.filter(
            service_unit=service_unit, submitted_on__gte=start, submitted_on__lte=end
        )
        .select_related("service")
        .prefetch_related("answers", Prefetch("extra_answers", queryset=ExtraAnswer.objects.all()))
        .order_by("submitted_on", "pk")
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Answers"))
    header = [_("No."), _("Date"), _("Service"), _("Sex"), _("Age"), _("Education"), _("Occupation")]
    header += [f"U{i} {label}" for i, (_code, label) in enumerate(rules.ELEMENTS, start=1)]
    header += [q.text for q in questions] + [_("Comment")]
    sheet_append(ws, header)
    for n, r in enumerate(responses.iterator(chunk_size=500), start=1):
        values = {a.element: a.value for a in r.answers.all()}
        extras = {a.question_id: (a.value if a.value is not None else a.text) for a in r.extra_answers.all()}
        sheet_append(
            ws,
            [
                n,
                r.submitted_on,
                r.service.name if r.service else "",
                r.get_sex_display() if r.sex else "",
                r.get_age_band_display() if r.age_band else "",
                r.get_education_display() if r.education else "",
                r.get_occupation_display() if r.occupation else "",
            ]
            + [values.get(code) for code in rules.ELEMENT_CODES]
            + [extras.get(q.pk, "") for q in questions]
            + [r.comment],
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
