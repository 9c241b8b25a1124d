"""Reading the CAT result file (CSV or XLSX): participant number, TWK, TIU, TKP per row."""

import csv
import io

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER_WORDS = {"nomor", "no", "peserta", "participant", "nomor_peserta", "no_peserta"}


def _int(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.lstrip("-").isdigit() else text or None


def _is_header(cells: list) -> bool:
    first = str(cells[0] or "").strip().lower().replace(" ", "_")
    return first in HEADER_WORDS or "peserta" in first or "participant" in first


def parse_score_file(upload) -> list[dict]:
    """Rows as {line, participant_number, twk, tiu, tkp}; a wrong shape raises ValidationError."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError([_("The file is too large.")])
    data = upload.read()
    name = (upload.name or "").lower()
    if data[:4] == b"PK\x03\x04":
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types on a damaged file
            raise ValidationError([_("The XLSX file cannot be read.")]) from None
        raw = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    elif name.endswith((".csv", ".txt")) or b"\x00" not in data[:1024]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError([_("The CSV file must be UTF-8 text.")]) from None
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        raw = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise ValidationError([_("Upload a CSV or XLSX file.")])
    rows = []
    for index, cells in enumerate(raw, start=1):
        cells = list(cells)
        if not any(str(c or "").strip() for c in cells):
            continue
        if index == 1 and _is_header(cells):
            continue
        cells += [None] * (4 - len(cells))
        rows.append(
            {
                "line": index,
                "participant_number": str(cells[0] or "").strip(),
                "twk": _int(cells[1]),
                "tiu": _int(cells[2]),
                "tkp": _int(cells[3]),
            }
        )
    return rows
