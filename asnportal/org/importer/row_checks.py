"""The checks of one import row, one rule a function, run in the order of ROW_CHECKS.

Each check reads the row's cells through a RowCheck, records its errors on the validator and keeps
what it parsed on the RowCheck for the checks after it (the rank check needs the employee type, the
level check the position type). The order of ROW_CHECKS is the order of the errors in the report.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext_noop

from ..models import LEVELS_BY_KIND, PPPK_GRADES
from ..nip import NipInfo, nip_parse
from .reading import _FALSE, _TRUE, _norm, cell_text, parse_rank

EMAIL_MAX = 254  # Employee.email; the validator alone allows 320
TEXT_MAX = 200  # Employee.name and Position.name
PHONE_MAX = 20
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# A cell beginning with one of these is run as a formula when the data is opened in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@")
PHONE_RE = re.compile(r"\+?[0-9 ()./-]*")
KINDS = {"PNS": "PNS", "CPNS": "PNS", "PPPK": "PPPK"}

_FORMULA_MSG = gettext_noop(
    "The value begins with “%(char)s”, which a spreadsheet runs as a formula; remove that character."
)


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
class RowCheck:
    """One row under check: its cells, the validator's lookups, and what the checks parsed so far."""

    validator: Any  # the Validator: error(), kinds, levels, unit_by_code/_by_name, positions
    number: int
    values: list
    columns: dict[str, int]
    seen: dict[str, int]  # NIP -> first row, across the file
    new_positions: dict[tuple[str, str], tuple[str, int]]  # (name, level) -> (type, first row)
    parsed: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> str:
        index = self.columns.get(key)
        return cell_text(self.values[index]) if index is not None and index < len(self.values) else ""

    def error(self, key: str, msgid: str, /, **params) -> None:
        self.validator.error(self.number, key, msgid, **params)

    def as_row(self) -> Row:
        info: NipInfo = self.parsed.pop("info")
        return Row(
            number=self.number,
            **self.parsed,
            birth_date=info.birth_date,
            tmt_cpns=info.tmt_cpns,
            sex=info.sex,
        )


def _nip_text(text: str) -> str:
    return text.replace(" ", "").replace("'", "")


def check_control_characters(row: RowCheck) -> None:
    for key in row.columns:
        if CONTROL_RE.search(row.get(key)):
            # NUL is refused by PostgreSQL and the others by every XLSX export of the directory.
            row.error(
                key, gettext_noop("The cell contains invisible control characters; type the value again.")
            )


def check_nip(row: RowCheck) -> None:
    nip = _nip_text(row.get("nip"))
    row.parsed["nip"], row.parsed["info"] = nip, None
    index = row.columns["nip"]
    raw_nip = row.values[index] if index < len(row.values) else None
    if isinstance(raw_nip, int | float) and not isinstance(raw_nip, bool):
        # Excel keeps 15 significant digits: an 18-digit NIP stored as a number has lost its tail.
        row.error(
            "nip",
            gettext_noop(
                "The NIP is stored as a number in Excel and lost its last digits; format the NIP column as text."
            ),
        )
        return
    try:
        with translation.override("en"):
            row.parsed["info"] = nip_parse(nip)
    except ValidationError as exc:
        row.error("nip", exc.message, **(exc.params or {}))


def check_nip_unique(row: RowCheck) -> None:
    if row.parsed["info"] is None:
        return
    nip = row.parsed["nip"]
    if nip in row.seen:
        row.error("nip", gettext_noop("NIP %(nip)s also appears in row %(row)s."), nip=nip, row=row.seen[nip])
    else:
        row.seen[nip] = row.number


def check_name(row: RowCheck) -> None:
    name = row.parsed["name"] = row.get("name")
    if not name:
        row.error("name", gettext_noop("The name is empty."))
    elif len(name) > TEXT_MAX:
        row.error("name", gettext_noop("The name is longer than 200 characters."))
    elif name.startswith(FORMULA_START):
        row.error("name", _FORMULA_MSG, char=name[0])


def check_kind(row: RowCheck) -> None:
    kind = row.parsed["kind"] = KINDS.get(row.get("kind").upper())
    if kind is None:
        row.error(
            "kind",
            gettext_noop("Employee type must be PNS or PPPK, not “%(value)s”."),
            value=row.get("kind"),
        )


def check_rank(row: RowCheck) -> None:
    rank_text = row.get("rank")
    rank = row.parsed["rank"] = parse_rank(rank_text)
    kind = row.parsed["kind"]
    if rank is None:
        row.error("rank", gettext_noop("Unknown golongan “%(value)s”."), value=rank_text)
    elif kind == "PNS" and rank in PPPK_GRADES:
        row.error(
            "rank", gettext_noop("A PNS needs a pangkat/golongan such as III/a, not %(value)s."), value=rank
        )
    elif kind == "PPPK" and rank not in PPPK_GRADES:
        row.error("rank", gettext_noop("A PPPK needs a grade I to XVII, not %(value)s."), value=rank)


def check_unit(row: RowCheck) -> None:
    unit_text = row.get("unit")
    folded = unit_text.casefold()
    unit_id = row.validator.unit_by_code.get(folded) or row.validator.unit_by_name.get(folded)
    row.parsed["unit_id"] = unit_id
    if unit_id is None:
        row.error("unit", gettext_noop("Unknown unit “%(value)s” in this region."), value=unit_text)


def check_position_name(row: RowCheck) -> None:
    position_name = row.parsed["position_name"] = " ".join(row.get("position").split())
    if not position_name:
        row.error("position", gettext_noop("The position name is empty."))
    elif len(position_name) > TEXT_MAX:
        row.error("position", gettext_noop("The position name is longer than 200 characters."))
    elif position_name.startswith(FORMULA_START):
        row.error("position", _FORMULA_MSG, char=position_name[0])


def check_position_kind(row: RowCheck) -> None:
    position_kind = row.parsed["position_kind"] = row.validator.kinds.get(_norm(row.get("position_kind")))
    if position_kind is None:
        row.error(
            "position_kind",
            gettext_noop("Unknown position type “%(value)s”."),
            value=row.get("position_kind"),
        )


def check_level(row: RowCheck) -> None:
    level_text = row.get("level")
    level = row.parsed["level"] = row.validator.levels.get(_norm(level_text)) if level_text else ""
    position_kind = row.parsed["position_kind"]
    if level is None:
        row.error("level", gettext_noop("Unknown functional level “%(value)s”."), value=level_text)
        return
    if position_kind is None:
        return
    allowed = LEVELS_BY_KIND.get(position_kind)
    if allowed is None and level:
        row.error("level", gettext_noop("Only functional positions have a level."))
    elif allowed is not None and level not in allowed:
        row.error("level", gettext_noop("Choose a level that belongs to this functional position type."))


def check_position_type_agrees(row: RowCheck) -> None:
    """A position (by name and level) has one type: the region's, or the file's first row's."""
    name, kind, level = (row.parsed[key] for key in ("position_name", "position_kind", "level"))
    if not (name and kind and level is not None):
        return
    key = (name.casefold(), level)
    known = row.validator.positions.get(key)
    if known is not None and known[1] != kind:
        row.error(
            "position_kind",
            gettext_noop("The position %(name)s already exists with another position type."),
            name=name,
        )
    elif known is None:
        first = row.new_positions.setdefault(key, (kind, row.number))
        if first[0] != kind:
            row.error(
                "position_kind",
                gettext_noop("Row %(row)s gives the position %(name)s another position type."),
                row=first[1],
                name=name,
            )


def check_supervisor(row: RowCheck) -> None:
    supervisor_nip = row.parsed["supervisor_nip"] = _nip_text(row.get("supervisor"))
    if not supervisor_nip:
        return
    if supervisor_nip == row.parsed["nip"]:
        row.error("supervisor", gettext_noop("An employee cannot supervise themselves."))
    elif len(supervisor_nip) != 18 or not supervisor_nip.isdigit():
        row.error("supervisor", gettext_noop("The supervisor NIP must be exactly 18 digits."))


def check_remote(row: RowCheck) -> None:
    remote_text = row.get("is_remote").casefold()
    is_remote = row.parsed["is_remote"] = remote_text in _TRUE
    if not is_remote and remote_text not in _FALSE:
        row.error("is_remote", gettext_noop("Remote area must be Y or N."))


def check_email(row: RowCheck) -> None:
    email = row.parsed["email"] = row.get("email")
    if len(email) > EMAIL_MAX:
        row.error("email", gettext_noop("The email address is longer than 254 characters."))
        return
    if not email:
        return
    try:
        validate_email(email)
    except ValidationError:
        row.error("email", gettext_noop("“%(value)s” is not a valid email address."), value=email)


def check_phone(row: RowCheck) -> None:
    phone = row.parsed["phone"] = row.get("phone")
    if len(phone) > PHONE_MAX:
        row.error("phone", gettext_noop("The phone number is longer than 20 characters."))
    elif not PHONE_RE.fullmatch(phone):
        row.error(
            "phone",
            gettext_noop("The phone number may hold only digits, spaces and + - / ( ) . characters."),
        )


# The order of the checks is the order of a row's errors in the report (and in its XLSX).
ROW_CHECKS: tuple[Callable[[RowCheck], None], ...] = (
    check_control_characters,
    check_nip,
    check_nip_unique,
    check_name,
    check_kind,
    check_rank,
    check_unit,
    check_position_name,
    check_position_kind,
    check_level,
    check_position_type_agrees,
    check_supervisor,
    check_remote,
    check_email,
    check_phone,
)
