"""The HR directory as XLSX (issue 21): the rows the directory's filter finds, labelled columns, the
rank and status by their screen labels, text never read as a formula (asnportal.exports)."""

import io

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from asnportal.exports import sheet_append

from .models import Employee, Rank


def directory_xlsx(rows: QuerySet) -> tuple[bytes, int]:
    """(file, row count) of `selectors.directory_rows(...)`, streamed through a write-only sheet."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Employees")[:31])
    ws.freeze_panes = "A2"
    sheet_append(ws, [_("Name"), "NIP", _("Rank and grade"), _("Position"), _("Unit"), _("Status")])
    ranks, status = dict(Rank.choices), {value: str(label) for value, label in Employee.Status.choices}
    count = 0
    for row in rows.iterator(chunk_size=2000):
        sheet_append(
            ws,
            [
                row["name"],
                row["nip"],  # text: an 18-digit NIP is no number
                ranks.get(row["rank"], row["rank"] or ""),
                row["position_name"] or "",
                row["unit_name"] or "",
                status.get(row["status"], row["status"]),
            ],
        )
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count
