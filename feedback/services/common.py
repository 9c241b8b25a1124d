"""What the feedback services share: the codes on paper, public free text, the flood guard."""

import datetime as dt
import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import throttle
from ..models import ServiceUnit

TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - no 0/O, 1/I: codes are typed from paper
TOKEN_LENGTH = 8
TRACKING_LENGTH = 10
# Any HTML-looking tag: comments are plain text; they are also always shown escaped.
TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|<\s*script", re.IGNORECASE)


def _random_code(length: int) -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _i in range(length))


def token_normalize(raw: str) -> str:
    """Codes are printed as XXXX-XXXX; accept them with spaces, dashes and in lower case."""
    return re.sub(r"[\s-]", "", raw or "").upper()


CODE_RE = re.compile(r"[A-Z0-9]{1,16}")


def code_is_plausible(code: str) -> bool:
    """A normalized survey or tracking code can only be letters and digits (at most 16, the column's
    width): anything else (NUL bytes, markup, SQL, odd scripts) is refused before it reaches a query."""
    return bool(CODE_RE.fullmatch(code or ""))


def token_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == TOKEN_LENGTH else code


# Control characters other than tab and newline (C0, DEL, C1): invisible, refused by PostgreSQL (NUL) or
# by spreadsheets (the XLSX export), and never meant by a person typing in a form.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: object) -> str:
    """Public free text as stored: line breaks made \\n, other control characters dropped, trimmed."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_RE.sub("", text).strip()


def _check_plain_text(value: str, field: str) -> None:
    if TAG_RE.search(value or ""):
        raise ValidationError(
            {field: _("Please write plain text: HTML tags and scripts are not accepted in this field.")}
        )


def _guard_flood(*, service_unit: ServiceUnit, client_ip: str | None, fingerprint: str) -> None:
    outcome = throttle.guard(
        fingerprint=fingerprint,
        ip_key=f"ip:{throttle.digest('ip', client_ip)}",
        unit_key=f"unit:{service_unit.pk}",
    )
    if outcome == throttle.DUPLICATE:
        raise ValidationError(_("This response has already been received. Thank you, once is enough."))
    if outcome == throttle.IP_OVER:
        raise ValidationError(_("Too many submissions from your network. Please try again later."))
    if outcome == throttle.UNIT_OVER:
        raise ValidationError(
            _("This unit is receiving too many submissions right now. Please try again later.")
        )


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1
