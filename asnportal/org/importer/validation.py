"""Validation of every row of an import, against the rules and against the database."""

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from ..models import LEVELS_BY_KIND, PPPK_GRADES, Employee, EmployeeImport, Position, Unit
from ..nip import nip_parse
from .reading import (
    _FALSE,
    _TRUE,
    COLUMNS,
    HEADER_KEYS,
    REQUIRED,
    _kind_lookup,
    _level_lookup,
    _norm,
    cell_text,
    normalise_header,
    parse_rank,
)

PROGRESS_EVERY = 1000
CHUNK = 5000
MAX_ERRORS = 5000
HEADER_SEARCH_ROWS = 10
ECHO_MAX = 80  # characters of a cell repeated in a message: a 100 kB cell is not stored 5000 times
EMAIL_MAX = 254  # Employee.email; the validator alone allows 320
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# A cell beginning with one of these is run as a formula when the data is opened in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@")
PHONE_RE = re.compile(r"\+?[0-9 ()./-]*")


def _echo(value):
    """A user's cell as repeated in a message: printable and short."""
    if not isinstance(value, str):
        return value
    value = CONTROL_RE.sub("\ufffd", value)
    return value if len(value) <= ECHO_MAX else value[: ECHO_MAX - 1] + "\u2026"


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
        params = {key: _echo(value) for key, value in params.items()}
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


def _header_map(header: list, header_row: int, report: Report) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = HEADER_KEYS.get(normalise_header(raw))
        if key and key not in columns:
            columns[key] = index
    for key in REQUIRED:
        if key not in columns:
            report.add(
                header_row,
                COLUMNS[key],
                gettext_noop("The required column %(column)s is missing."),
                column=COLUMNS[key],
            )
    return columns


_FORMULA_MSG = gettext_noop(
    "The value begins with “%(char)s”, which a spreadsheet runs as a formula; remove that character."
)


# The one answer for a NIP held outside the importing region, whatever the reason: it neither names
# nor confirms the other region (nor that the NIP exists at all).
NIP_UNAVAILABLE = gettext_noop(
    "NIP %(nip)s cannot be imported into your region; contact the system administrator."
)
SUPERVISOR_UNKNOWN = gettext_noop("No employee with supervisor NIP %(nip)s in this file or in the region.")


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
        # A SIASN export may carry title lines above the header: the header is the first line with NIP
        # among the first few; without one, the first line is taken (and its missing columns reported).
        head = list(itertools.islice(table, HEADER_SEARCH_ROWS))
        if not head:
            self.report.add(None, "", gettext_noop("The file is empty."))
            return [], {}, self.report
        header_row = next(
            (
                i
                for i, values in enumerate(head, start=1)
                if any(normalise_header(v) == "NIP" for v in values)
            ),
            1,
        )
        header = head[header_row - 1]
        table = itertools.chain(head[header_row:], table)
        columns = _header_map(header, header_row, self.report)
        if self.report.errors:
            return [], columns, self.report
        raw_rows = []
        for number, values in enumerate(table, start=header_row + 1):
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
        for key in columns:
            if CONTROL_RE.search(get(key)):
                # NUL is refused by PostgreSQL and the others by every XLSX export of the directory.
                self.error(
                    number,
                    key,
                    gettext_noop("The cell contains invisible control characters; type the value again."),
                )
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
        elif name.startswith(FORMULA_START):
            self.error(number, "name", _FORMULA_MSG, char=name[0])

        kind_text = get("kind").upper()
        kind = {"PNS": "PNS", "CPNS": "PNS", "PPPK": "PPPK"}.get(kind_text)
        if kind is None:
            self.error(
                number,
                "kind",
                gettext_noop("Employee type must be PNS or PPPK, not “%(value)s”."),
                value=get("kind"),
            )

        rank_text = get("rank")
        rank = parse_rank(rank_text)
        if rank is None:
            self.error(number, "rank", gettext_noop("Unknown golongan “%(value)s”."), value=rank_text)
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
                gettext_noop("Unknown unit “%(value)s” in this region."),
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
        elif position_name.startswith(FORMULA_START):
            self.error(number, "position", _FORMULA_MSG, char=position_name[0])
        if position_kind is None:
            self.error(
                number,
                "position_kind",
                gettext_noop("Unknown position type “%(value)s”."),
                value=get("position_kind"),
            )
        if level is None:
            self.error(
                number,
                "level",
                gettext_noop("Unknown functional level “%(value)s”."),
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
        if len(email) > EMAIL_MAX:
            self.error(number, "email", gettext_noop("The email address is longer than 254 characters."))
        elif email:
            try:
                validate_email(email)
            except ValidationError:
                self.error(
                    number,
                    "email",
                    gettext_noop("“%(value)s” is not a valid email address."),
                    value=email,
                )
        phone = get("phone")
        if len(phone) > 20:
            self.error(number, "phone", gettext_noop("The phone number is longer than 20 characters."))
        elif not PHONE_RE.fullmatch(phone):
            self.error(
                number,
                "phone",
                gettext_noop("The phone number may hold only digits, spaces and + - / ( ) . characters."),
            )

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
                # Neutral on purpose: naming or confirming another region would let an officer probe
                # which NIPs exist elsewhere. The same words for every NIP that cannot be used here.
                self.error(row.number, "nip", NIP_UNAVAILABLE, nip=row.nip)

        # The region's current supervisor links, overridden by the file: the chain after the import.
        region_links = dict(
            Employee.objects.filter(region_id=self.region_id).values_list("nip", "supervisor__nip")
        )
        outside = {row.supervisor_nip for row in rows if row.supervisor_nip} - file_nips
        self.outside_ids: dict[str, int] = {}
        for chunk in _chunks(sorted(outside)):
            for nip, pk in Employee.objects.filter(region_id=self.region_id, nip__in=chunk).values_list(
                "nip", "id"
            ):
                self.outside_ids[nip] = pk
        for row in rows:
            sup = row.supervisor_nip
            if not sup or sup in file_nips or sup in self.outside_ids:
                continue
            # A supervisor of another region reads like an unknown one: nothing confirms it exists.
            self.error(row.number, "supervisor", SUPERVISOR_UNKNOWN, nip=sup)
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
