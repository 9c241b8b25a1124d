"""Reading the CAT result file (CSV or XLSX): participant number, TWK, TIU, TKP per row.

Hostile files are refused before they are read in full: an XLSX is a zip archive, so its directory is
checked first (number of entries, declared uncompressed sizes, compression ratio) and a zip bomb is
refused without inflating it; Python's zipfile never inflates an entry past its declared size. Rows
are capped (RECRUITMENT_IMPORT_MAX_ROWS) both as declared by the sheet and as actually read.
"""

import csv
import io
import re
import zipfile

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER_WORDS = {"nomor", "no", "peserta", "participant", "nomor_peserta", "no_peserta"}

# A CAT result workbook is a handful of small XML parts: these bounds leave ample room for 100,000 rows.
XLSX_MAX_ENTRIES = 100
XLSX_MAX_UNCOMPRESSED = 64 * 1024 * 1024  # all parts together, as declared in the zip directory
XLSX_MAX_RATIO = 200  # uncompressed / compressed size of one part (plain XML rarely exceeds ~30)


def max_rows() -> int:
    return int(getattr(settings, "RECRUITMENT_IMPORT_MAX_ROWS", 100_000))


def _int(value):
    if value is None:
        return None
    if isinstance(value, bool):  # an XLSX TRUE/FALSE cell is not a score
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    digits = text.removeprefix("-")
    # ASCII digits only: int() would also accept e.g. Arabic-Indic digits.
    return int(text) if digits.isascii() and digits.isdigit() and len(digits) <= 9 else text[:40] or None


def _is_header(cells: list) -> bool:
    first = str(cells[0] or "").strip().lower().replace(" ", "_")
    return first in HEADER_WORDS or "peserta" in first or "participant" in first


def _too_many_rows(count: int) -> ValidationError:
    return ValidationError(
        [
            _(
                "The file has too many rows (at least %(count)s); at most %(max)s rows can be imported at once."
            )
            % {"count": f"{count:,}".replace(",", "."), "max": f"{max_rows():,}".replace(",", ".")}
        ]
    )


def xlsx_check_archive(data: bytes) -> None:
    """Refuse a damaged archive or a zip bomb from the zip directory alone (nothing is inflated)."""
    unreadable = ValidationError([_("The XLSX file cannot be read.")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise unreadable from None
    bomb = ValidationError(
        [
            _(
                "The XLSX file was refused: once unpacked it would be far larger than a score file "
                "(a damaged or malicious archive). Save the sheet again as a normal workbook or as CSV."
            )
        ]
    )
    if len(infos) > XLSX_MAX_ENTRIES:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if total > XLSX_MAX_UNCOMPRESSED:
            raise bomb
        if info.file_size > 1024 * 1024 and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
            raise bomb
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                rows = _sheet_rows_declared(archive, info)
                if rows > max_rows() + 1:
                    raise _too_many_rows(rows)


ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d{1,10})["']""")
DIMENSION = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*\bref\s*=\s*["'][A-Z]{0,3}\d*:?[A-Z]{0,3}(\d{1,10})["']"""
)


def _sheet_rows_declared(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The largest of: the sheet's declared dimension, the highest row number, the number of rows.

    A streaming byte scan (the part is already known to be small): openpyxl would parse the whole sheet
    just to find a missing dimension, and pad up to a row numbered 1,000,000 with blank rows."""
    highest = count = 0
    tail = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(1024 * 1024):
                window = tail + chunk
                # A tag cut at the chunk boundary is scanned again with the next chunk.
                cut = window.rfind(b"<")
                complete, tail = (window[:cut], window[cut:]) if cut >= len(window) - 512 else (window, b"")
                for match in ROW_TAG.finditer(complete):
                    count += 1
                    number = ROW_NUMBER.search(match.group(1))
                    if number:
                        highest = max(highest, int(number.group(1)))
                for match in DIMENSION.finditer(complete):
                    highest = max(highest, int(match.group(1)))
                if max(highest, count) > max_rows() + 1:
                    break  # enough to refuse: the rest is never read
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ValidationError([_("The XLSX file cannot be read.")]) from None
    return max(highest, count)


def _xlsx_rows(data: bytes) -> list[list]:
    xlsx_check_archive(data)
    unreadable = ValidationError([_("The XLSX file cannot be read.")])
    limit = max_rows()
    raw: list[list] = []
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise unreadable
            sheet = book.worksheets[0]
            declared = sheet.max_row if hasattr(sheet, "max_row") else None
            if declared and declared > limit + 1:
                raise _too_many_rows(declared)
            # Only the four columns that matter: a cell in column XFD must not widen every row.
            for index, row in enumerate(sheet.iter_rows(max_col=4, values_only=True), start=1):
                if index > limit + 1:
                    raise _too_many_rows(index)
                raw.append(list(row))
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception:  # openpyxl and the XML parser raise many types on a damaged file  # noqa: BLE001
        raise unreadable from None
    return raw


def _csv_rows(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            [_("The CSV file must be UTF-8 text. Save it as “CSV UTF-8” and upload it again.")]
        ) from None
    if "\x00" in text:
        raise ValidationError([_("The CSV file contains binary data (NUL bytes): it is not a text file.")])
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    limit = max_rows()
    raw: list[list] = []
    try:
        for index, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if index > limit + 1:
                raise _too_many_rows(text.count("\n") + 1)
            raw.append(cells[:4])
    except csv.Error:  # e.g. a field longer than the csv module's limit
        raise ValidationError(
            [_("The CSV file cannot be read: a line is damaged or far too long.")]
        ) from None
    return raw


def parse_score_file(upload) -> list[dict]:
    """Rows as {line, participant_number, twk, tiu, tkp}; a wrong shape raises ValidationError."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError([_("The file is too large.")])
    data = upload.read()
    name = (upload.name or "").lower()
    if data[:4] == b"PK\x03\x04":
        raw = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")) or b"\x00" not in data[:1024]:
        raw = _csv_rows(data)
    else:
        raise ValidationError([_("Upload a CSV or XLSX file.")])
    rows = []
    for index, cells in enumerate(raw, start=1):
        cells = list(cells)
        if not any(str(c if c is not None else "").strip() for c in cells):
            continue
        if index == 1 and _is_header(cells):
            continue
        cells += [None] * (4 - len(cells))
        rows.append(
            {
                "line": index,
                "participant_number": str(cells[0] if cells[0] is not None else "").strip()[:40],
                "twk": _int(cells[1]),
                "tiu": _int(cells[2]),
                "tkp": _int(cells[3]),
            }
        )
    return rows
