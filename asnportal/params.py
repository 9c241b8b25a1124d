"""Strict parsing of the ids and page numbers that arrive from outside (query strings, form fields).

`str.isdigit()` is not a test for "int() will take this": it accepts "²" (int() refuses it) and
`int()` accepts "٣", " 1" and "1_000". A number that parses may still overflow the database column
(PostgreSQL answers "bigint out of range", a 500). So every id the outside world sends goes through
`parse_id`: ASCII digits only, no sign, no spaces, within the column's range, or None.
"""

import re

from django import forms
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext_lazy as _

INT_MAX = 2**31 - 1  # integer / AutoField
BIGINT_MAX = 2**63 - 1  # bigint / BigAutoField (the project's DEFAULT_AUTO_FIELD)
SMALLINT_MAX = 2**15 - 1
PAGE_MAX = INT_MAX  # a page number past this is "too high": the last page, never an offset overflow

_MAX_BY_TYPE = {
    "SmallAutoField": SMALLINT_MAX,
    "SmallIntegerField": SMALLINT_MAX,
    "PositiveSmallIntegerField": SMALLINT_MAX,
    "AutoField": INT_MAX,
    "IntegerField": INT_MAX,
    "PositiveIntegerField": INT_MAX,
    "BigAutoField": BIGINT_MAX,
    "BigIntegerField": BIGINT_MAX,
    "PositiveBigIntegerField": BIGINT_MAX,
}


def pk_max(model: type[Model]) -> int:
    """The largest primary key the model's column can hold (by the field's type)."""
    return _MAX_BY_TYPE.get(model._meta.pk.get_internal_type(), INT_MAX)


def _ascii_digits(value: object, max_len: int) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not 1 <= len(value) <= max_len:
        return None
    return value if value.isascii() and value.isdigit() else None


def parse_id(value: object, *, maximum: int = BIGINT_MAX) -> int | None:
    """An object id (1..maximum) from ASCII digits, or None for anything else.

    Refused: "", "0", "-1", " 1", "1e3", "²", "٣" (Arabic-Indic three), "a/b", numbers past `maximum`.
    """
    digits = _ascii_digits(value, len(str(maximum)))
    if digits is None:
        return None
    number = int(digits)
    return number if 1 <= number <= maximum else None


def id_or_404(value: object, *, maximum: int = BIGINT_MAX) -> int:
    """`parse_id` for a query parameter naming an object: a malformed id is an object that does not exist."""
    number = parse_id(value, maximum=maximum)
    if number is None:
        raise Http404
    return number


def coerce_id(value: object) -> int:
    """`coerce` for TypedChoiceField / TypedMultipleChoiceField: a ValueError becomes the field's
    'invalid choice' error."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def parse_page(value: object) -> int:
    """A page number as Paginator.get_page reads one: malformed or missing -> 1; ASCII digits past
    PAGE_MAX -> PAGE_MAX (the caller clamps to its last page)."""
    digits = _ascii_digits(value, 400)
    if digits is None:
        return 1
    if len(digits) > len(str(PAGE_MAX)):
        return PAGE_MAX
    return min(max(int(digits), 1), PAGE_MAX)


_CODE = re.compile(r"[A-Za-z0-9-]+")


def parse_code(value: object, *, max_length: int) -> str | None:
    """A public code (a certificate's verification code): ASCII letters, digits and hyphens, at most
    max_length after stripping the spaces around it, else None. Refuses "a/b" (no URL can carry it)
    and a NUL byte (PostgreSQL refuses it in a query)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if len(value) <= max_length and _CODE.fullmatch(value) else None


class IdField(forms.IntegerField):
    """A form field carrying an object id: ASCII digits within the column's range, else a form error."""

    default_error_messages = {"invalid": _("Choose a valid item: this reference is not recognised.")}

    def __init__(self, *, maximum: int = BIGINT_MAX, **kwargs):
        self.maximum = maximum
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_id(value, maximum=self.maximum)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
