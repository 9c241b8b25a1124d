"""XLSX export of the gap and retirement table."""

import datetime as dt
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from asnportal.exports import sheet_append
from asnportal.org.models import Region


def _gap_columns() -> list[tuple[str, str]]:
    """(header, key of the gap row) of each column, in order."""
    return [
        (_("Unit"), "unit_name"),
        (_("Position"), "position_name"),
        (_("Need (workload)"), "abk_need"),
        (_("Need (ratio)"), "ratio_need"),
        (_("Needed"), "needed"),
        (_("In post"), "in_post"),
        (_("Retiring within 5 years"), "retiring"),
        (_("Gap now"), "gap_now"),
        (_("Gap in 5 years"), "gap_future"),
    ]


def gaps_xlsx(rows: list[dict], *, region: Region, year: int, on: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Gaps")[:31]
    sheet_append(
        ws, [_("Gap and retirements"), region.name, _("Year"), year, _("Reference date"), on.isoformat()]
    )
    columns = _gap_columns()
    sheet_append(ws, [header for header, _key in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet_append(ws, [r[key] for _header, key in columns])
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 40
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
