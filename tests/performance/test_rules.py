"""Worked examples of the §4 rules: the predikat matrix (all 9 cells), the 9-box (all 9 boxes), thresholds."""

from decimal import Decimal

import pytest

from performance import rules
from performance.models import Predikat, Rating

ABOVE, MEETS, BELOW = Rating.ABOVE, Rating.MEETS, Rating.BELOW


@pytest.mark.parametrize(
    ("work", "behaviour", "expected"),
    [
        (ABOVE, BELOW, Predikat.KURANG),
        (ABOVE, MEETS, Predikat.BAIK),
        (ABOVE, ABOVE, Predikat.SANGAT_BAIK),
        (MEETS, BELOW, Predikat.KURANG),
        (MEETS, MEETS, Predikat.BAIK),
        (MEETS, ABOVE, Predikat.BAIK),
        (BELOW, BELOW, Predikat.SANGAT_KURANG),
        (BELOW, MEETS, Predikat.BUTUH_PERBAIKAN),
        (BELOW, ABOVE, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_predikat_matrix_every_cell(work, behaviour, expected):
    assert rules.predikat_for(work, behaviour) == expected


@pytest.mark.parametrize(
    ("performance", "potential", "box"),
    [
        ("rendah", "rendah", 1),
        ("rendah", "menengah", 3),
        ("rendah", "tinggi", 6),
        ("menengah", "rendah", 2),
        ("menengah", "menengah", 5),
        ("menengah", "tinggi", 8),
        ("tinggi", "rendah", 4),
        ("tinggi", "menengah", 7),
        ("tinggi", "tinggi", 9),
    ],
)
def test_nine_box_official_numbering(performance, potential, box):
    assert rules.talent_box(performance, potential) == box


def test_talent_pool_is_boxes_7_to_9_and_every_box_has_a_recommendation():
    assert rules.TALENT_POOL_BOXES == (7, 8, 9)
    assert sorted(rules.BOX_RECOMMENDATION) == list(range(1, 10))


@pytest.mark.parametrize(
    ("predikat", "potential", "box"),
    [
        (Predikat.SANGAT_BAIK, "tinggi", 9),
        (Predikat.BAIK, "tinggi", 8),
        (Predikat.BUTUH_PERBAIKAN, "tinggi", 6),
        (Predikat.SANGAT_KURANG, "rendah", 1),
    ],
)
def test_box_from_predikat(predikat, potential, box):
    assert rules.talent_box_for_predikat(predikat, potential) == box


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        ("1.10", ABOVE),  # boundary belongs to the upper step
        ("1.0999", MEETS),
        ("0.90", MEETS),
        ("0.8999", BELOW),
        ("0", BELOW),
    ],
)
def test_work_rating_thresholds_boundaries(ratio, expected):
    assert (
        rules.work_rating_for(Decimal(ratio), above_from=Decimal("1.10"), meets_from=Decimal("0.90"))
        == expected
    )


def test_weighted_achievement_worked_example():
    # KPI A weight 60 at 120 % and KPI B weight 40 at 75 %: (60×1.2 + 40×0.75) / 100 = 1.02.
    assert rules.weighted_achievement(
        [(Decimal(60), Decimal("1.2")), (Decimal(40), Decimal("0.75"))]
    ) == Decimal("1.0200")
    assert rules.weighted_achievement([]) == Decimal("0")


def test_period_target_is_cumulative_per_quarter_except_an_index():
    assert rules.period_target(Decimal(240), 1) == Decimal("60.00")
    assert rules.period_target(Decimal(240), 3) == Decimal("180.00")
    assert rules.period_target(Decimal(240), 4) == Decimal("240.00")
    assert rules.period_target(Decimal(85), 2, cumulative=False) == Decimal(85)


def _values(above=0, below=0):
    codes = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
    ratings = {}
    for i, code in enumerate(codes):
        ratings[code] = ABOVE if i < above else BELOW if i < above + below else MEETS
    return ratings


@pytest.mark.parametrize(
    ("above", "below", "expected"),
    [(4, 0, ABOVE), (3, 0, MEETS), (6, 1, MEETS), (0, 4, BELOW), (0, 3, MEETS), (7, 0, ABOVE), (0, 0, MEETS)],
)
def test_behaviour_rating_by_majority(above, below, expected):
    assert rules.behaviour_rating_for(_values(above, below)) == expected


def test_behaviour_rating_needs_all_seven_values():
    ratings = _values()
    del ratings["loyal"]
    with pytest.raises(ValueError, match="loyal"):
        rules.behaviour_rating_for(ratings)


def test_curve_warnings_for_an_organisation_rated_baik():
    # 8 of 10 Baik (80 % > 70 %) and nobody below Baik: two warnings.
    warnings = rules.curve_warnings({Predikat.BAIK: 8, Predikat.SANGAT_BAIK: 2}, "baik")
    assert len(warnings) == 2
    # 7 of 10 Baik (exactly 70 %), 2 Sangat Baik (20 %), 1 Butuh Perbaikan: follows the curve.
    assert (
        rules.curve_warnings({Predikat.BAIK: 7, Predikat.SANGAT_BAIK: 2, Predikat.BUTUH_PERBAIKAN: 1}, "baik")
        == []
    )
    assert rules.curve_warnings({}, "baik") == []
