from decimal import Decimal

import pytest
from django.utils import formats, translation

from asnportal.ui.formatting import number_formatter

VALUES = [
    0, 1, -5, 550, 123456789,
    Decimal("0"), Decimal("-0.000"), Decimal("77.500"), Decimal("-12.345"), Decimal("100.000"),
    Decimal("1234567.891"), Decimal("0.001"), Decimal("5"), Decimal("1E+2"), Decimal("1E-250"),
    1.5, 2.25,
]  # fmt: skip


@pytest.mark.parametrize("language", ["id", "en"])
def test_same_text_as_localize(language):
    with translation.override(language):
        fmt = number_formatter()
        for value in VALUES:
            assert fmt(value) == str(formats.localize(value)), value


def test_indonesian_decimal_comma_and_none():
    with translation.override("id"):
        fmt = number_formatter(none="–")
        assert fmt(Decimal("78.545")) == "78,545"
        assert fmt(None) == "–"
