"""Worked examples of the SKM/IKM rules of PermenPANRB 14/2017 (DESIGN.md §4)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from feedback import rules
from feedback.rules import ELEMENT_CODES


def same(value) -> dict[str, Fraction]:
    return dict.fromkeys(ELEMENT_CODES, Fraction(value))


def test_nine_elements_by_code_with_four_labels_each():
    assert ELEMENT_CODES == (
        "persyaratan",
        "prosedur",
        "waktu",
        "biaya",
        "produk",
        "kompetensi",
        "perilaku",
        "pengaduan",
        "sarana",
    )
    assert all(len(rules.ANSWER_LABELS[c]) == 4 for c in ELEMENT_CODES)
    # Biaya has its own scale, from "sangat mahal" to "gratis".
    with translation.override("id"):
        assert [str(x) for x in rules.ANSWER_LABELS["biaya"]] == [
            "Sangat mahal",
            "Cukup mahal",
            "Murah",
            "Gratis",
        ]
        assert str(rules.ANSWER_LABELS["pengaduan"][1]) == "Ada tetapi tidak berfungsi"


@pytest.mark.parametrize(
    ("value", "ok"), [(1, True), (4, True), (0, False), (5, False), ("3", False), (True, False), (2.0, False)]
)
def test_score_is_valid(value, ok):
    assert rules.score_is_valid(value) is ok


def test_nrr_is_sum_over_respondents_exactly():
    assert rules.nrr(10, 3) == Fraction(10, 3)
    with pytest.raises(ValueError):
        rules.nrr(0, 0)


def test_ikm_worked_example_with_exact_one_ninth_weight():
    # Four respondents; element sums 13,12,11,10,16,14,15,9,12 -> NRRs 3.25, 3, 2.75, 2.5, 4, 3.5, 3.75, 2.25, 3.
    sums = [13, 12, 11, 10, 16, 14, 15, 9, 12]
    nrrs = {c: rules.nrr(s, 4) for c, s in zip(ELEMENT_CODES, sums, strict=True)}
    # Mean NRR = 112/36 = 3.1111...; x 25 = 77.777... -> 77.78, category B.
    assert rules.ikm_exact(nrrs) == Fraction(112 * 25, 36)
    assert rules.ikm_value(nrrs) == Decimal("77.78")
    assert rules.ikm_category(rules.ikm_value(nrrs)) == "B"
    # With the rounded weight 0.11 all-4 answers would give 99.00; the exact weight gives 100.00.
    assert rules.weighted_nrr(Fraction(4)) == Fraction(4, 9)
    assert rules.ikm_value(same(4)) == Decimal("100.00")
    assert rules.ikm_value(same(1)) == Decimal("25.00")


def test_ikm_needs_all_nine_elements():
    nrrs = same(3)
    del nrrs["biaya"]
    with pytest.raises(ValueError):
        rules.ikm_exact(nrrs)


@pytest.mark.parametrize(
    ("ikm", "category"),
    [
        ("25.00", "D"),
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("100.00", "A"),
    ],
)
def test_category_boundaries(ikm, category):
    assert rules.ikm_category(Decimal(ikm)) == category


def test_category_out_of_range():
    with pytest.raises(ValueError):
        rules.ikm_category(Decimal("24.99"))
    with pytest.raises(ValueError):
        rules.ikm_category(Decimal("100.01"))


@pytest.mark.parametrize(
    ("mean_nrr", "ikm", "category"),
    [
        ("2.5996", "64.99", "D"),  # exactly 64.99
        ("2.59998", "65.00", "C"),  # 64.9995 rounds half-up to 65.00 -> C
        ("2.5998", "65.00", "C"),  # 64.995 -> 65.00 (half-up, then categorise)
        ("3.064", "76.60", "C"),
        ("3.0642", "76.61", "B"),  # 76.605 -> 76.61
        ("3.0641", "76.60", "C"),  # 76.6025 -> 76.60
        ("3.532", "88.30", "B"),
        ("3.5324", "88.31", "A"),
    ],
)
def test_rounding_then_category_at_the_boundaries(mean_nrr, ikm, category):
    value = rules.ikm_value(same(Fraction(mean_nrr)))
    assert value == Decimal(ikm)
    assert rules.ikm_category(value) == category


@pytest.mark.parametrize(
    ("population", "sample"),
    [(50, 44), (100, 80), (1000, 278), (10, 10), (15, 14), (500, 217), (1, 1), (0, 0)],
)
def test_krejcie_morgan_minimum_sample(population, sample):
    assert rules.min_sample_size(population) == sample


def test_sample_adequacy_flag():
    assert rules.sample_is_adequate(respondents=44, population=50) is True
    assert rules.sample_is_adequate(respondents=43, population=50) is False
    assert rules.sample_is_adequate(respondents=10, population=None) is None
