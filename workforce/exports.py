"""XLSX export of the gap and retirement table."""

import datetime as dt
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from asnportal.exports import sheet_append
from asnportal.org.models import Region


def gaps_xlsx(rows: list[dict], *, region: Region, year: int, on: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Gaps")[:31]
    sheet_append(
        ws, [_("Gap and retirements"), region.name, _("Year"), year, _("Reference date"), on.isoformat()]
    )
    headers = [
        _("Unit"),
        _("Position"),
        _("Need (workload)"),
        _("Need (ratio)"),
        _("Needed"),
        _("In post"),
        _("Retiring within 5 years"),
        _("Gap now"),
        _("Gap in 5 years"),
    ]
    sheet_append(ws, headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet_append(
            ws,
            [
                r["unit_name"],
                r["position_name"],
                r["abk_need"],
                r["ratio_need"],
                r["needed"],
                r["in_post"],
                r["retiring"],
                r["gap_now"],
                r["gap_future"],
            ],
        )
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 40
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
