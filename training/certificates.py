"""The certificate PDF (reportlab) with its verification code and a QR code to the public check page."""

import io

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from .models import Enrollment


def _frame_and_heading(pdf, width: float, height: float) -> None:
    pdf.setLineWidth(3)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 4 * cm, _("CERTIFICATE"))
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 5.5 * cm, _("This certifies that"))


def _who_and_what(pdf, width: float, height: float, enrollment: Enrollment) -> None:
    """The participant, the programme and the session's facts."""
    session = enrollment.session
    pdf.setFont("Helvetica-Bold", 22)
    # drawString prints its text as it is (no markup), so names and titles need no escaping here;
    # text in a Paragraph would (asnportal.exports.text_paragraph).
    pdf.drawCentredString(width / 2, height - 7 * cm, enrollment.employee.name)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 8.5 * cm, _("has completed the training programme"))
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, height - 10 * cm, session.programme.title)
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(
        width / 2,
        height - 11.3 * cm,
        _("%(session)s, %(start)s to %(end)s, %(region)s — %(jp)s JP")
        % {
            "session": session.name,
            "start": session.start_date.strftime("%d-%m-%Y"),
            "end": session.end_date.strftime("%d-%m-%Y"),
            "region": session.region.name,
            "jp": enrollment.jp_granted,
        },
    )


def _verification(pdf, width: float, code: str, verify_url: str) -> None:
    """The QR code to the public check page, the code and the address in words."""
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    pdf.drawImage(ImageReader(qr), width - 6 * cm, 2 * cm, 3.5 * cm, 3.5 * cm)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(2 * cm, 3 * cm, _("Verification code: %(code)s") % {"code": code})
    pdf.drawString(2 * cm, 2.4 * cm, _("Check this certificate at %(url)s") % {"url": verify_url})


def certificate_pdf(*, enrollment: Enrollment, verify_url: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    pdf.setTitle(_("Certificate %(code)s") % {"code": enrollment.certificate_code})
    _frame_and_heading(pdf, width, height)
    _who_and_what(pdf, width, height, enrollment)
    _verification(pdf, width, enrollment.certificate_code, verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
