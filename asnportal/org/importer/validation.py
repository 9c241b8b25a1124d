"""Validation of every row of an import, against the rules and against the database.

A row's own checks (one rule a function) are in row_checks; this module finds the header, runs them
over every row, then checks the rows against the database (NIPs of another region, supervisors).
"""

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

from ..models import Employee, EmployeeImport, Position, Unit
from .reading import COLUMNS, HEADER_KEYS, REQUIRED, _kind_lookup, _level_lookup, cell_text, normalise_header
from .row_checks import CONTROL_RE, ROW_CHECKS, Row, RowCheck

__all__ = ["Report", "Row", "Validator", "error_message"]

PROGRESS_EVERY = 1000
CHUNK = 5000
MAX_ERRORS = 5000
HEADER_SEARCH_ROWS = 10
ECHO_MAX = 80  # characters of a cell repeated in a message: a 100 kB cell is not stored 5000 times


def _echo(value):
    """A user's cell as repeated in a message: printable and short."""
    if not isinstance(value, str):
        return value
    value = CONTROL_RE.sub("\ufffd", value)
    return value if len(value) <= ECHO_MAX else value[: ECHO_MAX - 1] + "\u2026"


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


def _find_header(table: Iterator[list]) -> tuple[int, list | None, Iterator[list]]:
    """(header row number, header, the rows after it); no header when the file is empty.

    A SIASN export may carry title lines above the header: the header is the first line with NIP
    among the first few; without one, the first line is taken (and its missing columns reported).
    """
    head = list(itertools.islice(table, HEADER_SEARCH_ROWS))
    if not head:
        return 0, None, table
    header_row = next(
        (i for i, values in enumerate(head, start=1) if any(normalise_header(v) == "NIP" for v in values)),
        1,
    )
    return header_row, head[header_row - 1], itertools.chain(head[header_row:], table)


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
        header_row, header, table = _find_header(table)
        if header is None:
            self.report.add(None, "", gettext_noop("The file is empty."))
            return [], {}, self.report
        columns = _header_map(header, header_row, self.report)
        if self.report.errors:
            return [], columns, self.report
        raw_rows = [
            (number, values)
            for number, values in enumerate(table, start=header_row + 1)
            if any(cell_text(v) for v in values)
        ]
        total = len(raw_rows)
        EmployeeImport.objects.filter(pk=self.imp.pk).update(total_rows=total, processed_rows=0)
        if not total:
            self.report.add(None, "", gettext_noop("The file has no employee rows."))
            return [], columns, self.report
        rows = self.check_rows(raw_rows, columns)
        self.check_against_database(rows, columns)
        _progress(self.imp.pk, total)
        return rows, columns, self.report

    def check_rows(self, raw_rows: list[tuple[int, list]], columns: dict[str, int]) -> list[Row]:
        """Every row's own checks, with the progress saved every PROGRESS_EVERY rows."""
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
        return rows

    def check_row(self, number, values, columns, seen, new_positions) -> Row | None:
        """The row's checks in order (row_checks.ROW_CHECKS); the Row when none of them found an error."""
        before = len(self.report.errors) + self.report.dropped
        row = RowCheck(self, number, values, columns, seen, new_positions)
        for check in ROW_CHECKS:
            check(row)
        if len(self.report.errors) + self.report.dropped > before:
            return None
        return row.as_row()

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
