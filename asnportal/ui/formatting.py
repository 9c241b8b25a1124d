"""Numbers formatted as Django's `localize` does, for tables with hundreds of numeric cells.

`{{ value }}` localises every cell on its own: the active language's formats are looked up again
each time (about 1,000 times on a page of the public ranking). `number_formatter()` looks them up
once and returns a function giving the same text (`tests/core/test_formatting.py` compares the two
in both languages).
"""

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils import formats


def number_formatter(none: str = "") -> Callable[[object], str]:
    """A function formatting ints and Decimals like `formats.localize` in the active language;
    None becomes `none`. Anything unusual (floats, huge exponents) goes through `localize` itself."""
    if settings.USE_THOUSAND_SEPARATOR:
        return lambda value: none if value is None else str(formats.localize(value))
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def fmt(value) -> str:
        kind = type(value)
        if kind is int:
            return str(value)
        if value is None:
            return none
        if kind is Decimal and value.is_finite() and -200 < value.as_tuple().exponent <= 0:
            return format(value, "f").replace(".", separator)
        return str(formats.localize(value))

    return fmt
