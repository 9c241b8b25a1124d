"""Numbers formatted as Django's `localize` does, for tables with hundreds of numeric cells.

`{{ value }}` localises every cell on its own: the active language's formats are looked up again
each time (about 1,000 times on a page of the public ranking). `number_formatter()` looks them up
once and returns a function giving the same text (`tests/core/test_formatting.py` compares the two
in both languages).
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone


def number_formatter(none: str = "", *, grouping: bool = False) -> Callable[[object], str]:
    """A function formatting ints and Decimals like `formats.localize` in the active language;
    None becomes `none`. Anything unusual (floats, huge exponents) goes through `localize` itself.
    With grouping=True thousands are grouped as `number()` does (12.345 · 1.234,5)."""
    if settings.USE_THOUSAND_SEPARATOR:
        return lambda value: none if value is None else str(formats.localize(value))
    separator = formats.get_format("DECIMAL_SEPARATOR")
    swap = str.maketrans({",": formats.get_format("THOUSAND_SEPARATOR"), ".": separator})
    spec = ",f" if grouping else "f"

    def fmt(value) -> str:
        kind = type(value)
        if kind is int:
            return format(value, ",").translate(swap) if grouping else str(value)
        if value is None:
            return none
        if kind is Decimal and value.is_finite() and -200 < value.as_tuple().exponent <= 0:
            return (
                format(value, spec).translate(swap)
                if grouping
                else format(value, "f").replace(".", separator)
            )
        return number(value, 4) if grouping else str(formats.localize(value))

    return fmt


# --- The one formatting layer (issue 21) -----------------------------------------------------------
# Every page, PDF and XLSX formats numbers, dates and periods through these functions (templates
# through the `ui` filters of the same names). Separators and month names come from Django's
# localisation of the active language (asnportal/formats/<lang>/formats.py): in Bahasa Indonesia
# `1.250`, `240,5`, `22,1%`, `7 Des 2026`, `1 Jan – 31 Des 2026`; in English `1,250`, `240.5`.


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def number(value, places: int = 2, *, none: str = "–") -> str:
    """A number in the active language with thousands grouped and at most `places` decimals, trailing
    zeros dropped (240.00 -> "240", 240.50 -> "240,5", 1250 -> "1.250"); None (or text) -> `none`."""
    amount = _decimal(value)
    if amount is None:
        return none if value is None or value == "" else str(value)
    rounded = amount.quantize(Decimal(1).scaleb(-places)) if places >= 0 else amount
    text = format(rounded.normalize(), "f") if rounded else "0"
    fraction = text.partition(".")[2]
    return formats.number_format(Decimal(text), decimal_pos=len(fraction), use_l10n=True, force_grouping=True)


def quantity(value, *, none: str = "–") -> str:
    """A count of things (files, reports, people): a whole number without decimals ("2 berkas")."""
    return number(value, places=2, none=none)


def fixed(value, places: int = 2, *, none: str = "–") -> str:
    """A score shown with exactly `places` decimals (a weight 1,2250; a score 78,50)."""
    amount = _decimal(value)
    if amount is None:
        return none if value is None or value == "" else str(value)
    return formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def percent(value, places: int = 1, *, ratio: bool = False, none: str = "–") -> str:
    """A percentage: `percent(22.12)` -> "22,1%"; with ratio=True the value is a share (0.221)."""
    amount = _decimal(value)
    if amount is None:
        return none
    if ratio:
        amount *= 100
    return number(amount, places=places) + "%"


def date(value, *, none: str = "–") -> str:
    """A date (or the local date of a datetime) in the language's DATE_FORMAT: 7 Des 2026."""
    if value is None or value == "":
        return none
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


def datetime(value, *, none: str = "–") -> str:
    """A moment in local time: 7 Des 2026, 14.30."""
    if value is None or value == "":
        return none
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATETIME_FORMAT", use_l10n=True)


def period(start, end) -> str:
    """A span of days: "1 Jan – 31 Des 2026" (the year once when both ends share it)."""
    if start is None or end is None:
        return date(start or end)
    if start.year == end.year:
        # the language's date without its year: "j M Y" -> "j M", "N j, Y" -> "N j"
        day_month = formats.get_format("DATE_FORMAT").replace(", Y", "").replace(" Y", "")
        first = formats.date_format(start, day_month, use_l10n=True)
        return f"{first} – {date(end)}"
    return f"{date(start)} – {date(end)}"


def month(value) -> str:
    """A month: "November 2026"."""
    return formats.date_format(value, "YEAR_MONTH_FORMAT", use_l10n=True)


# XLSX number formats (Excel shows them with the separators of the reader's own locale: an
# Indonesian Excel shows 1.250 and 240,5). Numbers and dates stay typed cells.
XLSX_INTEGER = "#,##0"
XLSX_DECIMAL = "#,##0.##"
XLSX_FIXED2 = "#,##0.00"
XLSX_PERCENT = "0.0%"
XLSX_DATE = "d mmm yyyy"
XLSX_DATETIME = "d mmm yyyy hh:mm"


def xlsx_format(value) -> str | None:
    """The number_format a typed XLSX cell holding `value` gets (None: leave the cell as it is)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return XLSX_DATETIME
    if isinstance(value, dt.date):
        return XLSX_DATE
    if isinstance(value, int):
        return XLSX_INTEGER
    if isinstance(value, float | Decimal):
        return XLSX_DECIMAL if value != int(value) else XLSX_INTEGER
    return None
