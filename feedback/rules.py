"""The SKM/IKM rules of PermenPANRB 14/2017 (DESIGN.md §4), one function per rule, pure and exact.

Rounding decision (documented here once): the IKM is computed exactly (fractions), then rounded to two
decimals HALF-UP, and the category is read from that rounded value. So an exact IKM of 76.605 shows as
76.61 and is category B, consistently with the number printed on the report.
"""

import functools
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

# The nine SKM elements (unsur), keyed by a stable code; answers are stored per code, never by position.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("persyaratan", _("Requirements")),
    ("prosedur", _("Systems, mechanisms and procedures")),
    ("waktu", _("Completion time")),
    ("biaya", _("Cost/tariff")),
    ("produk", _("Product specification of the service type")),
    ("kompetensi", _("Staff competence")),
    ("perilaku", _("Staff behaviour")),
    ("pengaduan", _("Handling of complaints, suggestions and input")),
    ("sarana", _("Facilities and infrastructure")),
)
ELEMENT_CODES: tuple[str, ...] = tuple(code for code, _label in ELEMENTS)
ELEMENT_LABELS: dict[str, str] = dict(ELEMENTS)

# The question asked for each element and the regulation's answer labels for 1..4.
ELEMENT_QUESTIONS: dict[str, str] = {
    "persyaratan": _("How well do the service requirements match the type of service?"),
    "prosedur": _("How easy is the service procedure at this unit?"),
    "waktu": _("How fast was the service completed?"),
    "biaya": _("How fair is the cost/tariff of the service?"),
    "produk": _("Does the service product match what the service standard promises?"),
    "kompetensi": _("How competent are the staff who served you?"),
    "perilaku": _("How polite and friendly are the staff?"),
    "pengaduan": _("How are complaints, suggestions and input handled?"),
    "sarana": _("How good are the facilities and infrastructure?"),
}
ANSWER_LABELS: dict[str, tuple[str, str, str, str]] = {
    "persyaratan": (_("Not appropriate"), _("Less appropriate"), _("Appropriate"), _("Very appropriate")),
    "prosedur": (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")),
    "waktu": (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")),
    "biaya": (_("Very expensive"), _("Fairly expensive"), _("Cheap"), _("Free")),
    "produk": (_("Not appropriate"), _("Less appropriate"), _("Appropriate"), _("Very appropriate")),
    "kompetensi": (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")),
    "perilaku": (
        _("Not polite and friendly"),
        _("Less polite and friendly"),
        _("Polite and friendly"),
        _("Very polite and friendly"),
    ),
    "pengaduan": (
        _("Not available"),
        _("Available but not working"),
        _("Working but not optimally"),
        _("Well managed"),
    ),
    "sarana": (_("Poor"), _("Adequate"), _("Good"), _("Very good")),
}

SCORE_MIN, SCORE_MAX = 1, 4
WEIGHT = Fraction(1, len(ELEMENT_CODES))  # exactly 1/9, never 0.11
CONVERSION = 25
TWO_PLACES = Decimal("0.01")

# Lower bound (inclusive) of each category on the rounded IKM, best first.
CATEGORIES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", _("Very good")),
    (Decimal("76.61"), "B", _("Good")),
    (Decimal("65.00"), "C", _("Less good")),
    (Decimal("25.00"), "D", _("Not good")),
)
CATEGORY_LABELS: dict[str, str] = {code: label for _low, code, label in CATEGORIES}

# Krejcie-Morgan constants.
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


def score_is_valid(value: object) -> bool:
    """An SKM answer is an integer 1..4 (PermenPANRB 14/2017 scale)."""
    return isinstance(value, int) and not isinstance(value, bool) and SCORE_MIN <= value <= SCORE_MAX


def nrr(total: int, respondents: int) -> Fraction:
    """NRR of one element = sum of its answers / number of respondents (exact)."""
    if respondents <= 0:
        raise ValueError("NRR needs at least one respondent")
    return Fraction(total, respondents)


def weighted_nrr(element_nrr: Fraction) -> Fraction:
    """NRR tertimbang = NRR x 1/9 (exact weight)."""
    return element_nrr * WEIGHT


def ikm_exact(nrrs: Mapping[str, Fraction]) -> Fraction:
    """IKM = (sum of weighted NRRs of the 9 elements) x 25 = mean of the 9 NRRs x 25, exact."""
    missing = set(ELEMENT_CODES) - set(nrrs)
    if missing:
        raise ValueError(f"IKM needs all nine elements; missing {sorted(missing)}")
    return sum((weighted_nrr(Fraction(nrrs[code])) for code in ELEMENT_CODES), Fraction(0)) * CONVERSION


def round_half_up(value: Fraction) -> Decimal:
    """Round an exact fraction to two decimals, half-up (the documented IKM rounding)."""
    scaled = Fraction(value) * 100
    floor = math.floor(scaled)
    rounded = floor + (1 if scaled - floor >= Fraction(1, 2) else 0)
    result = Decimal(rounded) / 100
    return result.quantize(TWO_PLACES)


def ikm_value(nrrs: Mapping[str, Fraction]) -> Decimal:
    """The published IKM: the exact value rounded to two decimals half-up."""
    return round_half_up(ikm_exact(nrrs))


def categories_from_parameters(parameters: Mapping[str, str]) -> tuple[tuple[Decimal, str, str], ...]:
    """The categories of a stored rule version (asnportal.regulations, kind "ikm_categories"):
    {"A": lower bound, ...}, best first."""
    return tuple(
        (Decimal(str(parameters[code])), code, CATEGORY_LABELS[code]) for code in ("A", "B", "C", "D")
    )


def ikm_category(ikm: Decimal, categories: tuple[tuple[Decimal, str, str], ...] | None = None) -> str:
    """Category A/B/C/D of a (rounded) IKM: 25.00-64.99 D, 65.00-76.60 C, 76.61-88.30 B, 88.31-100 A
    (or the lower bounds of another version of the rule)."""
    value = Decimal(ikm).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    if value < Decimal("25.00") or value > Decimal("100.00"):
        raise ValueError(f"IKM out of range: {value}")
    for low, code, _label in categories or CATEGORIES:
        if value >= low:
            return code
    raise AssertionError("unreachable")  # pragma: no cover


@functools.lru_cache(maxsize=4096)
def min_sample_size(population: int) -> int:
    """Krejcie-Morgan: S = X2 N P(1-P) / (d2 (N-1) + X2 P(1-P)), X2=3.841, P=0.5, d=0.05.

    Rounded to the nearest whole respondent (half up), which reproduces the published Krejcie-Morgan
    table and the worked examples of the regulation: N=50 -> 44 (44.34), N=100 -> 80 (79.51),
    N=1000 -> 278 (277.71). A strict ceiling would give 45 for N=50, contradicting the table.
    """
    if population <= 0:
        return 0
    numerator = CHI_SQUARE * population * PROPORTION * (1 - PROPORTION)
    denominator = MARGIN**2 * (population - 1) + CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    exact = numerator / denominator
    return min(population, math.floor(exact + Fraction(1, 2)))


def sample_is_adequate(*, respondents: int, population: int | None) -> bool | None:
    """True when the respondents reach the minimum sample; None when the population is unknown."""
    if not population:
        return None
    return respondents >= min_sample_size(population)
