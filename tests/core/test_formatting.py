import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from asnportal.ui import formatting
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


# --- The one formatting layer (issue 21) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", ["240", "240,5", "1.250", "1.234.567,89", "1,2250", "22,1%", "22,1%", "2", "–"]),
        ("en", ["240", "240.5", "1,250", "1,234,567.89", "1.2250", "22.1%", "22.1%", "2", "–"]),
    ],
)
def test_numbers_in_the_active_language(language, expected):
    with translation.override(language):
        assert [
            formatting.number(Decimal("240.00")),
            formatting.number(Decimal("240.50")),
            formatting.number(1250),
            formatting.number(Decimal("1234567.891")),
            formatting.fixed(Decimal("1.2250"), 4),
            formatting.percent(22.123),
            formatting.percent(0.2212, ratio=True),
            formatting.quantity(Decimal("2.00")),
            formatting.number(None),
        ] == expected


def test_dates_and_periods_in_indonesian_and_english():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    with translation.override("id"):
        assert formatting.date(dt.date(2026, 12, 7)) == "7 Des 2026"
        assert formatting.period(start, end) == "1 Jan – 31 Des 2026"
        assert formatting.period(dt.date(2025, 12, 1), end) == "1 Des 2025 – 31 Des 2026"
        assert formatting.month(dt.date(2026, 11, 1)) == "November 2026"
    with translation.override("en"):
        assert formatting.date(dt.date(2026, 12, 7)) == "Dec 7, 2026"
        assert formatting.period(start, end) == "Jan 1 – Dec 31, 2026"


def test_template_filters_are_the_same_layer():
    template = Template(
        "{% load ui %}{{ a|num }} {{ b|qty }} {{ c|fixed:4 }} {{ d|pct }} {{ e|share }} {{ f|day }} {{ f|period:g }}"
    )
    context = Context(
        {
            "a": Decimal("240.00"),
            "b": Decimal("2.00"),
            "c": Decimal("1.2250"),
            "d": 22.12,
            "e": 0.0,
            "f": dt.date(2026, 1, 1),
            "g": dt.date(2026, 12, 31),
        }  # fmt: skip
    )
    with translation.override("id"):
        assert template.render(context) == "240 2 1,2250 22,1% 0% 1 Jan 2026 1 Jan – 31 Des 2026"


def test_grouped_formatter_matches_number():
    with translation.override("id"):
        fmt = formatting.number_formatter(grouping=True)
        assert [fmt(12345), fmt(Decimal("1234.50")), fmt(-1234567)] == ["12.345", "1.234,50", "-1.234.567"]


def test_xlsx_number_formats():
    assert formatting.xlsx_format(1250) == "#,##0"
    assert formatting.xlsx_format(Decimal("240.50")) == "#,##0.##"
    assert formatting.xlsx_format(dt.date(2026, 12, 7)) == "d mmm yyyy"
    assert formatting.xlsx_format("text") is None
