"""Writing user and database text into files that others open: spreadsheets and PDFs.

Every XLSX (and CSV) export writes its cells through `sheet_append` / `sheet_cell` (or `csv_value`),
and every reportlab Paragraph that carries text from a user or the database is built with
`text_paragraph` (or `markup` for a fixed template with escaped values):

- a string that a spreadsheet would read as a formula (OWASP's list: `=`, `+`, `-`, `@`, tab,
  carriage return) stays text: in XLSX the cell is typed as a string and marked quotePrefix, so Excel
  and LibreOffice show the text as written and never evaluate it, even when the cell is edited; in
  CSV, which has no types, it gets a leading apostrophe;
- characters a worksheet cannot hold (control characters) are dropped instead of failing the export;
- numbers, dates and booleans stay typed, so sums and sorting still work;
- Paragraph text is XML-escaped, so `<img src=...>`, `<a href=...>` or an unclosed `<b>` are shown
  as the literal text: reportlab never reads a file or fetches a URL named by a user, and a stray tag
  can no longer make the PDF fail.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from reportlab.platypus import Paragraph

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TYPED = (bool, int, float, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def sheet_cell(ws, value) -> Cell:
    """One cell for worksheet `ws` (normal or write-only): numbers and dates typed, any other value
    as text that is never a formula."""
    cell = Cell(ws, row=1, column=1)
    if value is None or isinstance(value, _TYPED):
        cell.value = value
        return cell
    text = _text(value)  # str, lazy translations, anything else: its text
    if looks_like_formula(text):
        # Assigned directly: openpyxl's setter would turn "=..." into a formula cell.
        cell._value = text
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = text
    return cell


def sheet_row(ws, values: Iterable) -> list[Cell]:
    return [sheet_cell(ws, value) for value in values]


def sheet_append(ws, values: Iterable) -> None:
    """`ws.append(values)`, each value written by `sheet_cell`.

    Every value goes in as its own Cell: a write-only sheet reuses the last Cell object it was given
    for the plain values that follow, which would carry one cell's style over to the next."""
    ws.append(sheet_row(ws, values))


def csv_value(value):
    """A value for csv.writer: typed values as they are, text that looks like a formula behind an
    apostrophe (CSV has no cell types, the apostrophe is what keeps Excel from evaluating it)."""
    if value is None or isinstance(value, _TYPED):
        return value
    text = _text(value)
    return "'" + text if looks_like_formula(text) else text


def csv_row(values: Iterable) -> list:
    return [csv_value(value) for value in values]


def paragraph_text(value) -> str:
    """User or database text as Paragraph markup: XML-escaped, line breaks kept as <br/>."""
    text = escape(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "<br/>")


def markup(template: str, **values) -> str:
    """A fixed markup template (ours, e.g. "<b>%(name)s</b>") filled with escaped values."""
    return template % {key: paragraph_text(value) for key, value in values.items()}


def text_paragraph(value, style, **kwargs) -> Paragraph:
    """A Paragraph of plain text: whatever the text holds, it is shown, never interpreted."""
    return Paragraph(paragraph_text(value), style, **kwargs)
