"""Employee import from a BKN SIASN-style export (CSV or XLSX): validate every row, then all or nothing.

The run has two phases. Validation reads the whole file, checks every row against the rules of
DESIGN.md §4 (NIP per Perka BKN 22/2007, golongan per PNS/PPPK, jenis jabatan and jenjang) and
against the database (unit of the region, supervisor NIPs, NIPs held by another region, supervisor
cycles), and reports progress outside any transaction so the page can show it. Only when no row has
an error does the write phase run: one transaction, bulk upserts on NIP, supervisors in a second pass.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from .models import (
    LEVELS_BY_KIND,
    PPPK_GRADES,
    Employee,
    EmployeeImport,
    Position,
    PositionKind,
    PositionLevel,
    Unit,
)
from .nip import nip_parse

PROGRESS_EVERY = 1000
CHUNK = 5000
MAX_ERRORS = 5000

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


class ImportRaced(Exception):
    """Another region created one of the file's NIPs while this import ran: run it again."""


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
    if text.isdigit() and 1 <= int(text) <= len(PPPK_GRADES):
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


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def file_kind(filename: str, content: bytes) -> str:
    """'xlsx' or 'csv' after checking extension and content; ImportFileError otherwise."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not _is_xlsx(content):
            raise ImportFileError(gettext_noop("The file is not a real Excel (.xlsx) workbook."))
        return "xlsx"
    if name.endswith(".csv"):
        if b"\x00" in content[:65536]:
            raise ImportFileError(gettext_noop("The file is not a text CSV file."))
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(
                gettext_noop(
                    "The CSV file is not in UTF-8. Save it as \u201cCSV UTF-8\u201d and upload it again."
                )
            ) from None
        return "csv"
    raise ImportFileError(gettext_noop("Upload a .csv or .xlsx file."))


def read_table(filename: str, content: bytes) -> Iterator[list]:
    """The rows of the file, header first, as lists of raw cell values."""
    if file_kind(filename, content) == "xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a broken workbook
            raise ImportFileError(gettext_noop("The Excel file cannot be read.")) from None
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()
        return
    text = content.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


@dataclass
class Row:
    number: int
    nip: str
    name: str
    kind: str
    rank: str
    position_name: str
    position_kind: str
    level: str
    unit_id: int | None
    supervisor_nip: str
    is_remote: bool
    email: str
    phone: str
    birth_date: dt.date | None = None
    tmt_cpns: dt.date | None = None
    sex: str = ""


@dataclass
class Report:
    """Errors found while validating: [{'row', 'column', 'msgid', 'params', 'message'}]."""

    errors: list[dict] = field(default_factory=list)
    dropped: int = 0

    def add(self, row: int | None, column: str, msgid: str, /, **params) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.dropped += 1
            return
        self.errors.append({"row": row, "column": column, "msgid": msgid, "params": params})

    def as_json(self) -> list[dict]:
        errors = list(self.errors)
        if self.dropped:
            errors.append(
                {
                    "row": None,
                    "column": "",
                    "msgid": gettext_noop("%(count)s more errors are not listed; fix the ones above first."),
                    "params": {"count": self.dropped},
                }
            )
        for error in errors:
            error["message"] = error_message(error)
        return errors


def error_message(error: dict) -> str:
    """An error entry in the active language (stored msgid + params, translated when shown)."""
    msgid = error.get("msgid")
    if not msgid:
        return error.get("message", "")
    text = gettext(msgid)
    params = error.get("params") or {}
    try:
        return text % params if params else text
    except (KeyError, ValueError, TypeError):
        return text


def _progress(import_id: int, processed: int) -> None:
    EmployeeImport.objects.filter(pk=import_id).update(processed_rows=processed)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _header_map(header: list, report: Report) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = HEADER_KEYS.get(normalise_header(raw))
        if key and key not in columns:
            columns[key] = index
    for key in REQUIRED:
        if key not in columns:
            report.add(
                1,
                COLUMNS[key],
                gettext_noop("The required column %(column)s is missing."),
                column=COLUMNS[key],
            )
    return columns


class Validator:
    """Checks every row of one import; collects the rows and the errors."""

    def __init__(self, imp: EmployeeImport):
        self.imp = imp
        self.region_id = imp.region_id
        self.report = Report()
        self.kinds = _kind_lookup()
        self.levels = _level_lookup()
        units = Unit.objects.filter(region_id=self.region_id, is_active=True).values_list(
            "id", "code", "name"
        )
        self.unit_by_code = {code.casefold(): pk for pk, code, _name in units}
        self.unit_by_name = {name.casefold(): pk for pk, _code, name in units}
        # (name, level) -> (id, kind) of the region's positions, matched case-insensitively.
        self.positions = {
            (name.casefold(), level): (pk, kind)
            for pk, name, level, kind in Position.objects.filter(region_id=self.region_id).values_list(
                "id", "name", "level", "kind"
            )
        }

    def error(self, row: int, key: str, msgid: str, /, **params) -> None:
        self.report.add(row, COLUMNS[key], msgid, **params)

    def run(self, table: Iterator[list]) -> tuple[list[Row], dict[str, int], Report]:
        header = next(table, None)
        if header is None:
            self.report.add(None, "", gettext_noop("The file is empty."))
            return [], {}, self.report
        columns = _header_map(header, self.report)
        if self.report.errors:
            return [], columns, self.report
        raw_rows = []
        for number, values in enumerate(table, start=2):
            if any(cell_text(v) for v in values):
                raw_rows.append((number, values))
        total = len(raw_rows)
        EmployeeImport.objects.filter(pk=self.imp.pk).update(total_rows=total, processed_rows=0)
        if not total:
            self.report.add(None, "", gettext_noop("The file has no employee rows."))
            return [], columns, self.report

        rows: list[Row] = []
        seen: dict[str, int] = {}
        new_positions: dict[tuple[str, str], tuple[str, int]] = {}
        for done, (number, values) in enumerate(raw_rows, start=1):
            row = self.check_row(number, values, columns, seen, new_positions)
            if row is not None:
                rows.append(row)
            if done % PROGRESS_EVERY == 0:
                _progress(self.imp.pk, done)
        self.file_nips = set(seen)
        self.check_against_database(rows, columns)
        _progress(self.imp.pk, total)
        return rows, columns, self.report

    def check_row(self, number, values, columns, seen, new_positions) -> Row | None:
        def get(key: str) -> str:
            index = columns.get(key)
            return cell_text(values[index]) if index is not None and index < len(values) else ""

        before = len(self.report.errors) + self.report.dropped
        nip = get("nip").replace(" ", "").replace("'", "")
        info = None
        raw_nip = values[columns["nip"]] if columns["nip"] < len(values) else None
        if isinstance(raw_nip, int | float) and not isinstance(raw_nip, bool):
            # Excel keeps 15 significant digits: an 18-digit NIP stored as a number has lost its tail.
            self.error(
                number,
                "nip",
                gettext_noop(
                    "The NIP is stored as a number in Excel and lost its last digits; format the NIP column as text."
                ),
            )
        else:
            try:
                with translation.override("en"):
                    info = nip_parse(nip)
            except ValidationError as exc:
                self.error(number, "nip", exc.message, **(exc.params or {}))
        if info is not None:
            if nip in seen:
                self.error(
                    number,
                    "nip",
                    gettext_noop("NIP %(nip)s also appears in row %(row)s."),
                    nip=nip,
                    row=seen[nip],
                )
            else:
                seen[nip] = number

        name = get("name")
        if not name:
            self.error(number, "name", gettext_noop("The name is empty."))
        elif len(name) > 200:
            self.error(number, "name", gettext_noop("The name is longer than 200 characters."))

        kind_text = get("kind").upper()
        kind = {"PNS": "PNS", "CPNS": "PNS", "PPPK": "PPPK"}.get(kind_text)
        if kind is None:
            self.error(
                number,
                "kind",
                gettext_noop("Employee type must be PNS or PPPK, not \u201c%(value)s\u201d."),
                value=get("kind"),
            )

        rank_text = get("rank")
        rank = parse_rank(rank_text)
        if rank is None:
            self.error(
                number, "rank", gettext_noop("Unknown golongan \u201c%(value)s\u201d."), value=rank_text
            )
        elif kind == "PNS" and rank in PPPK_GRADES:
            self.error(
                number,
                "rank",
                gettext_noop("A PNS needs a pangkat/golongan such as III/a, not %(value)s."),
                value=rank,
            )
        elif kind == "PPPK" and rank not in PPPK_GRADES:
            self.error(
                number, "rank", gettext_noop("A PPPK needs a grade I to XVII, not %(value)s."), value=rank
            )

        unit_text = get("unit")
        unit_id = self.unit_by_code.get(unit_text.casefold()) or self.unit_by_name.get(unit_text.casefold())
        if unit_id is None:
            self.error(
                number,
                "unit",
                gettext_noop("Unknown unit \u201c%(value)s\u201d in this region."),
                value=unit_text,
            )

        position_name = " ".join(get("position").split())
        position_kind = self.kinds.get(_norm(get("position_kind")))
        level_text = get("level")
        level = self.levels.get(_norm(level_text)) if level_text else ""
        if not position_name:
            self.error(number, "position", gettext_noop("The position name is empty."))
        elif len(position_name) > 200:
            self.error(number, "position", gettext_noop("The position name is longer than 200 characters."))
        if position_kind is None:
            self.error(
                number,
                "position_kind",
                gettext_noop("Unknown position type \u201c%(value)s\u201d."),
                value=get("position_kind"),
            )
        if level is None:
            self.error(
                number,
                "level",
                gettext_noop("Unknown functional level \u201c%(value)s\u201d."),
                value=level_text,
            )
        elif position_kind is not None:
            allowed = LEVELS_BY_KIND.get(position_kind)
            if allowed is None and level:
                self.error(number, "level", gettext_noop("Only functional positions have a level."))
            elif allowed is not None and level not in allowed:
                self.error(
                    number,
                    "level",
                    gettext_noop("Choose a level that belongs to this functional position type."),
                )
        if position_name and position_kind and level is not None:
            key = (position_name.casefold(), level)
            known = self.positions.get(key)
            if known is not None and known[1] != position_kind:
                self.error(
                    number,
                    "position_kind",
                    gettext_noop("The position %(name)s already exists with another position type."),
                    name=position_name,
                )
            elif known is None:
                first = new_positions.setdefault(key, (position_kind, number))
                if first[0] != position_kind:
                    self.error(
                        number,
                        "position_kind",
                        gettext_noop("Row %(row)s gives the position %(name)s another position type."),
                        row=first[1],
                        name=position_name,
                    )

        supervisor_nip = get("supervisor").replace(" ", "").replace("'", "")
        if supervisor_nip:
            if supervisor_nip == nip:
                self.error(number, "supervisor", gettext_noop("An employee cannot supervise themselves."))
            elif len(supervisor_nip) != 18 or not supervisor_nip.isdigit():
                self.error(
                    number, "supervisor", gettext_noop("The supervisor NIP must be exactly 18 digits.")
                )

        remote_text = get("is_remote").casefold()
        is_remote = remote_text in _TRUE
        if not is_remote and remote_text not in _FALSE:
            self.error(number, "is_remote", gettext_noop("Remote area must be Y or N."))

        email = get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.error(
                    number,
                    "email",
                    gettext_noop("\u201c%(value)s\u201d is not a valid email address."),
                    value=email,
                )
        phone = get("phone")
        if len(phone) > 20:
            self.error(number, "phone", gettext_noop("The phone number is longer than 20 characters."))

        if len(self.report.errors) + self.report.dropped > before:
            return None
        return Row(
            number=number,
            nip=nip,
            name=name,
            kind=kind,
            rank=rank,
            position_name=position_name,
            position_kind=position_kind,
            level=level,
            unit_id=unit_id,
            supervisor_nip=supervisor_nip,
            is_remote=is_remote,
            email=email,
            phone=phone,
            birth_date=info.birth_date,
            tmt_cpns=info.tmt_cpns,
            sex=info.sex,
        )

    def check_against_database(self, rows: list[Row], columns: dict[str, int]) -> None:
        """NIPs held by another region, supervisor NIPs that do not exist, supervisor cycles."""
        file_nips = self.file_nips
        self.existing: dict[str, dict] = {}
        fields = ("id", "nip", "region_id", "unit_id", "position_id", "name", "kind", "rank", "is_remote")
        fields += ("email", "phone", "supervisor_id")
        for chunk in _chunks(sorted({row.nip for row in rows})):
            for values in Employee.objects.filter(nip__in=chunk).values(*fields):
                self.existing[values["nip"]] = values
        for row in rows:
            found = self.existing.get(row.nip)
            if found is not None and found["region_id"] != self.region_id:
                self.error(
                    row.number,
                    "nip",
                    gettext_noop("NIP %(nip)s belongs to an employee of another region; it is not moved."),
                    nip=row.nip,
                )

        # The region's current supervisor links, overridden by the file: the chain after the import.
        region_links = dict(
            Employee.objects.filter(region_id=self.region_id).values_list("nip", "supervisor__nip")
        )
        outside = {row.supervisor_nip for row in rows if row.supervisor_nip} - file_nips
        self.outside_ids: dict[str, int] = {}
        other_region: set[str] = set()
        for chunk in _chunks(sorted(outside)):
            for nip, pk, region_id in Employee.objects.filter(nip__in=chunk).values_list(
                "nip", "id", "region_id"
            ):
                if region_id == self.region_id:
                    self.outside_ids[nip] = pk
                else:
                    other_region.add(nip)
        for row in rows:
            sup = row.supervisor_nip
            if not sup or sup in file_nips or sup in self.outside_ids:
                continue
            if sup in other_region:
                self.error(
                    row.number,
                    "supervisor",
                    gettext_noop("The supervisor %(nip)s works in another region."),
                    nip=sup,
                )
            else:
                self.error(
                    row.number,
                    "supervisor",
                    gettext_noop("No employee with supervisor NIP %(nip)s in this file or in the region."),
                    nip=sup,
                )
        if "supervisor" in columns:
            links = region_links
            links.update({row.nip: row.supervisor_nip or None for row in rows})
            self.check_cycles(rows, links)

    def check_cycles(self, rows: list[Row], links: dict[str, str | None]) -> None:
        state: dict[str, int] = {}  # 1 on the current path, 2 finished
        in_cycle: set[str] = set()
        for row in rows:
            path: list[str] = []
            node: str | None = row.nip
            while node is not None and node not in state:
                state[node] = 1
                path.append(node)
                node = links.get(node)
            if node is not None and state.get(node) == 1:
                in_cycle.update(path[path.index(node) :])
            for visited in path:
                state[visited] = 2
        for row in rows:
            if row.nip in in_cycle:
                self.error(
                    row.number,
                    "supervisor",
                    gettext_noop(
                        "Supervisor %(nip)s makes a cycle: the chain of supervisors comes back to this employee."
                    ),
                    nip=row.supervisor_nip,
                )


def _mark_failed(imp_id: int, report: Report) -> None:
    EmployeeImport.objects.filter(pk=imp_id).update(
        status=EmployeeImport.Status.FAILED, errors=report.as_json(), finished_at=timezone.now()
    )


def employee_import_run(*, import_id: int) -> EmployeeImport:
    """Validate every row of an upload, then write all of them or none (issue 2: employee import).

    Idempotent: a finished import is left alone; a run interrupted before its write transaction
    committed is simply done again, and the upsert on NIP makes the write itself repeatable.
    """
    imp = EmployeeImport.objects.get(pk=import_id)
    if imp.status in (EmployeeImport.Status.DONE, EmployeeImport.Status.FAILED):
        return imp
    EmployeeImport.objects.filter(pk=imp.pk).update(status=EmployeeImport.Status.RUNNING)
    validator = Validator(imp)
    try:
        rows, columns, report = validator.run(read_table(imp.filename, bytes(imp.content)))
    except ImportFileError as exc:
        report = Report()
        report.add(None, "", exc.msgid, **exc.params)
        rows, columns = [], {}
    if report.errors:
        _mark_failed(imp.pk, report)
    else:
        _write(imp.pk, validator, rows, columns)
    imp.refresh_from_db()
    return imp


# Fields the upsert may change, by the file column that feeds them (None: always present).
_UPDATABLE = [
    ("name", None),
    ("kind", None),
    ("rank", None),
    ("unit_id", None),
    ("position_id", None),
    ("is_remote", "is_remote"),
    ("email", "email"),
    ("phone", "phone"),
]


@transaction.atomic
def _write(import_id: int, validator: Validator, rows: list[Row], columns: dict[str, int]) -> None:
    imp = EmployeeImport.objects.select_for_update().get(pk=import_id)
    if imp.status == EmployeeImport.Status.DONE:
        return
    region_id = validator.region_id
    nips = [row.nip for row in rows]
    # Re-checked under the transaction: a NIP another region created meanwhile is never taken over.
    for chunk in _chunks(nips):
        if Employee.objects.filter(nip__in=chunk).exclude(region_id=region_id).exists():
            raise ImportRaced(import_id)

    # Positions unknown to the region are created first (by name and jenjang, with the given type).
    wanted: dict[tuple[str, str], Position] = {}
    for row in rows:
        key = (row.position_name.casefold(), row.level)
        if key not in validator.positions and key not in wanted:
            wanted[key] = Position(
                region_id=region_id, name=row.position_name, kind=row.position_kind, level=row.level
            )
    if wanted:
        Position.objects.bulk_create(wanted.values(), ignore_conflicts=True, batch_size=1000)
    positions = {
        (name.casefold(), level): pk
        for pk, name, level in Position.objects.filter(region_id=region_id).values_list("id", "name", "level")
    }

    fields = [name for name, column in _UPDATABLE if column is None or column in columns]
    existing = validator.existing
    to_write: list[Employee] = []
    created = updated = 0
    changed_nips: set[str] = set()
    now = timezone.now()
    for row in rows:
        values = {
            "name": row.name,
            "kind": row.kind,
            "rank": row.rank,
            "unit_id": row.unit_id,
            "position_id": positions[(row.position_name.casefold(), row.level)],
            "is_remote": row.is_remote,
            "email": row.email,
            "phone": row.phone,
        }
        before = existing.get(row.nip)
        if before is not None and all(before[f] == values[f] for f in fields):
            continue
        if before is None:
            created += 1
        else:
            changed_nips.add(row.nip)
        to_write.append(
            Employee(
                region_id=region_id,
                nip=row.nip,
                birth_date=row.birth_date,
                tmt_cpns=row.tmt_cpns,
                sex=row.sex,
                updated_at=now,
                **values,
            )
        )
    if to_write:
        Employee.objects.bulk_create(
            to_write,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["nip"],
            update_fields=[*fields, "updated_at"],
        )

    if "supervisor" in columns:
        ids: dict[str, int] = dict(validator.outside_ids)
        for chunk in _chunks(nips):
            ids.update(Employee.objects.filter(nip__in=chunk).values_list("nip", "id"))
        pairs = []
        for row in rows:
            wanted_id = ids[row.supervisor_nip] if row.supervisor_nip else None
            before = existing.get(row.nip)
            current = before["supervisor_id"] if before is not None else None
            if wanted_id != current:
                pairs.append((ids[row.nip], wanted_id))
                if before is not None:
                    changed_nips.add(row.nip)
        _set_supervisors(pairs)
    updated = len(changed_nips)

    imp.status = EmployeeImport.Status.DONE
    imp.created_count, imp.updated_count = created, updated
    imp.processed_rows = imp.total_rows
    imp.errors = []
    imp.finished_at = timezone.now()
    imp.save(
        update_fields=["status", "created_count", "updated_count", "processed_rows", "errors", "finished_at"]
    )


def _set_supervisors(pairs: list[tuple[int, int | None]]) -> None:
    """Set many supervisor links: one UPDATE per chunk (PostgreSQL), bulk_update elsewhere."""
    if not pairs:
        return
    if connection.vendor == "postgresql":
        table = Employee._meta.db_table
        with connection.cursor() as cursor:
            for chunk in _chunks(pairs, 10000):
                cursor.execute(
                    f"UPDATE {table} AS e SET supervisor_id = v.sup "  # noqa: S608 - table name is ours
                    "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, sup) WHERE e.id = v.id",
                    [[p[0] for p in chunk], [p[1] for p in chunk]],
                )
        return
    objs = [Employee(pk=pk, supervisor_id=sup) for pk, sup in pairs]
    Employee.objects.bulk_update(objs, ["supervisor_id"], batch_size=500)


def _xlsx(header: list[str], rows: Iterable[list], title: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, heading in enumerate(header, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(12, len(heading) + 4)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The import template: the SIASN headers and one example row (NIP kept as text)."""
    data = _xlsx(list(COLUMNS.values()), [EXAMPLE_ROW], "Pegawai")
    return data


def errors_xlsx(errors: list[dict]) -> bytes:
    """The error report of an import, one line per error, messages in the active language."""
    header = [gettext("Row"), gettext("Column"), gettext("Error")]
    return _xlsx(
        header, ([e.get("row") or "", e.get("column", ""), error_message(e)] for e in errors), "Errors"
    )
