"""XLSX files of the import: the template to fill in and the error report."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext

from asnportal.exports import sheet_append

from .reading import COLUMNS, EXAMPLE_ROW
from .validation import error_message


def _xlsx(header: list[str], rows: Iterable[list], title: str, text_columns: tuple[int, ...] = ()) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet_append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet_append(sheet, row)
    # NIPs and phone numbers typed into these columns stay text: Excel would round an 18-digit number.
    for column in text_columns:
        for (cell,) in sheet.iter_rows(min_row=2, max_row=1000, min_col=column, max_col=column):
            cell.number_format = "@"
    for index, heading in enumerate(header, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(12, len(heading) + 4)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The import template: the SIASN headers and one example row (NIP kept as text)."""
    keys = list(COLUMNS)
    text = tuple(keys.index(key) + 1 for key in ("nip", "supervisor", "phone"))
    return _xlsx(list(COLUMNS.values()), [EXAMPLE_ROW], "Pegawai", text_columns=text)


def errors_xlsx(errors: list[dict]) -> bytes:
    """The error report of an import, one line per error, messages in the active language."""
    header = [gettext("Row"), gettext("Column"), gettext("Error")]
    return _xlsx(
        header, ([e.get("row") or "", e.get("column", ""), error_message(e)] for e in errors), "Errors"
    )
