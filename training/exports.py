"""XLSX export of the HR list of staff below 20 JP (openpyxl, streamed row by row from one query)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from asnportal.exports import sheet_append

from .models import JP_RIGHT_PER_YEAR


def below_20_workbook(*, staff, year: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Below 20 JP"))
    sheet_append(sheet, [_("Staff below 20 JP in %(year)s") % {"year": year}])
    sheet_append(
        sheet,
        [_("Name"), "NIP", _("Unit"), _("Position"), _("Remote area"), _("JP this year"), _("JP missing")],
    )
    for e in staff.iterator(chunk_size=2000):
        sheet_append(
            sheet,
            [
                e.name,
                e.nip,
                e.unit.name,
                e.position.name,
                _("yes") if e.is_remote else _("no"),
                e.jp,
                JP_RIGHT_PER_YEAR - e.jp,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
