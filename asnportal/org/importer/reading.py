"""Reading an import file: format checks, header matching, cell values and the labels people type."""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

from ..models import PPPK_GRADES, PositionKind, PositionLevel

# Column key -> header as in a SIASN export (the template file uses these spellings).
COLUMNS = {
    "nip": "NIP",
    "name": "NAMA",
    "kind": "JENIS PEGAWAI",
    "rank": "GOLONGAN",
    "position": "JABATAN",
    "position_kind": "JENIS JABATAN",
    "level": "JENJANG",
    "unit": "UNIT KERJA",
    "supervisor": "ATASAN NIP",
    "is_remote": "LOKASI TERPENCIL",
    "email": "EMAIL",
    "phone": "TELEPON",
}
REQUIRED = ("nip", "name", "kind", "rank", "position", "position_kind", "unit")
HEADER_ALIASES = {
    "NAMA PEGAWAI": "name",
    "NAMA LENGKAP": "name",
    "GOL": "rank",
    "GOL RUANG": "rank",
    "GOLONGAN RUANG": "rank",
    "NAMA JABATAN": "position",
    "JENJANG JABATAN": "level",
    "NIP ATASAN": "supervisor",
    "ATASAN": "supervisor",
    "NO HP": "phone",
    "TELP": "phone",
    "NOMOR TELEPON": "phone",
}
EXAMPLE_ROW = [
    "198507162010011003",
    "Andi Pratama",
    "PNS",
    "III/b",
    "Analis SDM Aparatur",
    "Fungsional Keahlian",
    "Ahli Pertama",
    "BKD",
    "",
    "N",
    "andi.pratama@example.go.id",
    "081234567890",
]

_ROMAN = {
    1: "I",
    2: "II",
    3: "III",
    4: "IV",
}
_TRUE = {"y", "ya", "yes", "1", "true", "benar"}
_FALSE = {"n", "t", "tidak", "no", "0", "false", "salah", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a row-level problem)."""

    def __init__(self, msgid: str, **params):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params


def _norm(value: str) -> str:
    """Lower-case, punctuation to spaces, single spaces: for matching labels typed by hand."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", value.casefold()).split())


def normalise_header(value) -> str:
    return " ".join(re.sub(r"[_\s]+", " ", str(value or "")).upper().split())


HEADER_KEYS = {normalise_header(h): key for key, h in COLUMNS.items()} | HEADER_ALIASES


def _labels(choices, extra: dict[str, str]) -> dict[str, str]:
    """Normalised value, English label and Indonesian label -> value."""
    found: dict[str, str] = {}
    for value, label in choices:
        found[_norm(value)] = value
        with translation.override("en"):
            found[_norm(str(label))] = value
        with translation.override("id"):
            found[_norm(str(label))] = value
    found.update({_norm(k): v for k, v in extra.items()})
    return found


def _kind_lookup() -> dict[str, str]:
    return _labels(
        PositionKind.choices,
        {
            "Jabatan Pimpinan Tinggi Utama": PositionKind.JPT_UTAMA,
            "Jabatan Pimpinan Tinggi Madya": PositionKind.JPT_MADYA,
            "Jabatan Pimpinan Tinggi Pratama": PositionKind.JPT_PRATAMA,
            "Jabatan Administrator": PositionKind.ADMINISTRATOR,
            "Jabatan Pengawas": PositionKind.PENGAWAS,
            "Fungsional Keahlian": PositionKind.FUNGSIONAL_KEAHLIAN,
            "Jabatan Fungsional Keahlian": PositionKind.FUNGSIONAL_KEAHLIAN,
            "JF Keahlian": PositionKind.FUNGSIONAL_KEAHLIAN,
            "Fungsional Keterampilan": PositionKind.FUNGSIONAL_KETERAMPILAN,
            "Jabatan Fungsional Keterampilan": PositionKind.FUNGSIONAL_KETERAMPILAN,
            "JF Keterampilan": PositionKind.FUNGSIONAL_KETERAMPILAN,
            "Jabatan Pelaksana": PositionKind.PELAKSANA,
            "Fungsional Umum": PositionKind.PELAKSANA,
        },
    )


def _level_lookup() -> dict[str, str]:
    return _labels(PositionLevel.choices, {})


def parse_rank(value: str) -> str | None:
    """'III/a', 'iii / A', '3a' -> 'III/a'; 'IX', '9' -> 'IX' (PPPK); None when unknown."""
    text = value.strip().upper().replace(" ", "")
    match = re.fullmatch(r"(IV|III|II|I|[1-4])/?([A-E])", text)
    if match:
        head = match.group(1)
        head = _ROMAN[int(head)] if head.isdigit() else head
        rank = f"{head}/{match.group(2).lower()}"
        # I/e, II/e and III/e do not exist: only golongan IV has five ruang.
        return rank if match.group(2) != "E" or head == "IV" else None
    # ASCII and short: int() refuses superscript digits and strings past 4300 digits (a ValueError).
    if text.isascii() and text.isdigit() and len(text) <= 2 and 1 <= int(text) <= len(PPPK_GRADES):
        return PPPK_GRADES[int(text) - 1]
    return text if text in PPPK_GRADES else None


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


# Limits read from the zip directory before anything is inflated (a zip bomb is refused unopened).
XLSX_MAX_ENTRIES = 200
XLSX_MAX_RATIO = 200  # normal sheets compress 5-20 times; a bomb a thousand times


def _xlsx_max_unpacked() -> int:
    return int(getattr(settings, "IMPORT_XLSX_MAX_UNPACKED_BYTES", 256 * 1024 * 1024))


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return False
    total = sum(info.file_size for info in infos)
    inflated = any(
        info.file_size > 1024 * 1024 and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if len(infos) > XLSX_MAX_ENTRIES or total > _xlsx_max_unpacked() or inflated:
        raise ImportFileError(
            gettext_noop(
                "The Excel file was refused: unpacked it would be far larger than an employee list "
                "(a damaged or malicious file). Save it again as a normal workbook or as CSV UTF-8."
            )
        )
    return True


def file_kind(filename: str, content: bytes) -> str:
    """'xlsx' or 'csv' after checking extension and content; ImportFileError otherwise."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not _is_xlsx(content):
            raise ImportFileError(gettext_noop("The file is not a real Excel (.xlsx) workbook."))
        return "xlsx"
    if name.endswith(".csv"):
        # Anywhere in the file: a NUL past the first block used to reach PostgreSQL, which refuses it.
        if b"\x00" in content:
            raise ImportFileError(gettext_noop("The file is not a text CSV file."))
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(
                gettext_noop("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and upload it again.")
            ) from None
        return "csv"
    raise ImportFileError(gettext_noop("Upload a .csv or .xlsx file."))


def _xlsx_rows(content: bytes) -> Iterator[list]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken workbook
        raise ImportFileError(gettext_noop("The Excel file cannot be read.")) from None
    try:
        # Read-only mode parses the sheet while it is iterated: a damaged sheet fails here, not above.
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        except Exception:  # XML, zip and value errors of a damaged sheet
            raise ImportFileError(gettext_noop("The Excel file cannot be read.")) from None
    finally:
        book.close()


def _csv_rows(content: bytes) -> Iterator[list]:
    text = content.decode("utf-8-sig")
    # The delimiter is read from the header line, not from a title line above it (SIASN exports have one).
    lines = text[:100_000].split("\n", 10)[:10]
    line = next((candidate for candidate in lines if "NIP" in candidate.upper()), lines[0])
    delimiter = ";" if line.count(";") > line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise ImportFileError(
            gettext_noop(
                "Line %(line)s of the CSV file cannot be read: a cell is longer than %(limit)s characters "
                "or a quote is not closed."
            ),
            line=reader.line_num,
            limit=csv.field_size_limit(),
        ) from None


def read_table(filename: str, content: bytes) -> Iterator[list]:
    """The rows of the file, header first, as lists of raw cell values (ImportFileError when unreadable)."""
    if file_kind(filename, content) == "xlsx":
        yield from _xlsx_rows(content)
    else:
        yield from _csv_rows(content)
