"""The §4 CASN rules of recruitment.rules, worked examples; and the ranking SQL agrees with them."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from recruitment import rules
from recruitment.models import Selection, SkbScore
from recruitment.rules import DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS, FinalWeights, SkdThresholds
from recruitment.selectors import RANKING_PARAMS, RANKING_SQL, ranking_rows
from recruitment.selectors.ranking import _tie_break_sql

from .factories import make_applicant_user, make_application, make_selection


# --- SKD maxima ---------------------------------------------------------------------------------------
def test_skd_maxima_are_the_cat_items_times_five_and_add_up_to_550():
    assert (rules.TWK_MAX, rules.TIU_MAX, rules.TKP_MAX) == (30 * 5, 35 * 5, 45 * 5)
    assert rules.SKD_MAX == 550
    assert dict(rules.SKD_MAXIMA) == {"twk": 150, "tiu": 175, "tkp": 225}


@pytest.mark.parametrize(
    ("twk", "tiu", "tkp", "bad"),
    [
        (0, 0, 0, []),
        (150, 175, 225, []),  # each at its maximum
        (151, 175, 225, ["TWK"]),
        (150, 176, 225, ["TIU"]),
        (150, 175, 226, ["TKP"]),
        (-1, None, "80", ["TWK", "TIU", "TKP"]),  # negative, missing, text
        (12.5, 80, 166, ["TWK"]),  # not a whole number
    ],
)
def test_skd_validate_names_each_part_out_of_its_range(twk, tiu, tkp, bad):
    errors = rules.skd_validate(twk=twk, tiu=tiu, tkp=tkp)
    assert [e.split(" ", 1)[0] for e in errors] == bad


def test_skd_validate_takes_the_maxima_as_data():
    assert rules.skd_validate(twk=120, tiu=0, tkp=0, maxima={"twk": 100, "tiu": 175, "tkp": 225})


# --- Pass marks -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("twk", "tiu", "tkp", "passes"),
    [
        (65, 80, 166, True),  # each mark exactly met
        (64, 80, 166, False),  # TWK one below
        (65, 79, 166, False),  # TIU one below
        (65, 80, 165, False),  # TKP one below
        (150, 175, 165, False),  # the best total does not make up for one missed mark
        (66, 81, 167, True),
    ],
)
def test_skd_passes_only_with_all_three_default_marks(twk, tiu, tkp, passes):
    assert rules.skd_passes(twk=twk, tiu=tiu, tkp=tkp, thresholds=DEFAULT_THRESHOLDS) is passes


def test_default_marks_are_twk_65_tiu_80_tkp_166_and_the_marks_are_data():
    assert SkdThresholds(twk=65, tiu=80, tkp=166) == DEFAULT_THRESHOLDS
    lower = SkdThresholds(twk=60, tiu=80, tkp=166)
    assert rules.skd_passes(twk=64, tiu=80, tkp=166, thresholds=lower)
    assert not rules.skd_passes(twk=64, tiu=80, tkp=166, thresholds=DEFAULT_THRESHOLDS)


def test_a_selection_carries_the_default_marks_weights_and_factor_from_rules():
    selection = Selection()
    assert selection.thresholds == DEFAULT_THRESHOLDS
    assert selection.weights == DEFAULT_WEIGHTS == FinalWeights(skd=Decimal("0.40"), skb=Decimal("0.60"))
    assert selection.skb_advance_factor == rules.SKB_ADVANCE_FACTOR == 3


# --- 3x quota -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("skd_pass", "rank", "quota", "factor", "advances"),
    [
        (True, 6, 2, 3, True),  # the last of 3 x 2
        (True, 7, 2, 3, False),  # one past
        (False, 1, 2, 3, False),  # a failed SKD never advances, whatever the rank
        (True, 4, 1, 4, True),  # the factor is data of the selection
        (True, 5, 1, 4, False),
    ],
)
def test_up_to_factor_times_quota_of_the_passers_advance(skd_pass, rank, quota, factor, advances):
    assert rules.advance_limit(quota=quota, factor=factor) == quota * factor
    assert rules.advances_to_skb(skd_pass=skd_pass, skd_rank=rank, quota=quota, factor=factor) is advances


# --- Final score ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("skd", "skb", "weights", "final"),
    [
        (550, "100", DEFAULT_WEIGHTS, "100.000"),  # both at their maximum
        (0, "0", DEFAULT_WEIGHTS, "0.000"),
        (400, "80", DEFAULT_WEIGHTS, "77.091"),  # 40% x 400/550 x 100 = 29.0909.. + 60% x 80 = 48
        (440, "75.50", DEFAULT_WEIGHTS, "77.300"),  # 32 + 45.3
        (400, "80", FinalWeights(skd=Decimal("0.50"), skb=Decimal("0.50")), "76.364"),
        # 35% x 440/550 x 100 = 28; 65% x 80.01 = 52.0065: half up to 80.007 (not the even 80.006)
        (440, "80.01", FinalWeights(skd=Decimal("0.35"), skb=Decimal("0.65")), "80.007"),
    ],
)
def test_final_score_is_weighted_skd_share_plus_weighted_skb(skd, skb, weights, final):
    assert rules.final_score(skd_total=skd, skb=Decimal(skb), weights=weights) == Decimal(final)


# --- Ties -------------------------------------------------------------------------------------------------
def _order(applicants: dict[str, dict]) -> list[str]:
    return sorted(applicants, key=lambda name: rules.tie_break_key(**applicants[name]))


def _a(twk, tiu, tkp, birth=dt.date(1998, 1, 1), order=None):
    return {
        "skd_total": twk + tiu + tkp,
        "twk": twk,
        "tiu": tiu,
        "tkp": tkp,
        "birth_date": birth,
        "birth_order": order,
    }


def test_tie_break_order_is_total_tkp_tiu_twk_then_older():
    assert [f for f, _d in rules.TIE_BREAK] == ["skd_total", "tkp", "tiu", "twk", "birth_date"]


def test_a_higher_total_ranks_first_whatever_the_parts():
    assert _order({"low": _a(150, 175, 100), "high": _a(70, 90, 200)}) == ["low", "high"]  # 425 > 360


def test_equal_total_then_the_higher_tkp():
    assert _order({"a": _a(100, 110, 190), "b": _a(100, 100, 200)}) == ["b", "a"]  # both 400


def test_equal_total_and_tkp_then_the_higher_tiu():
    assert _order({"a": _a(110, 90, 200), "b": _a(90, 110, 200)}) == ["b", "a"]


def test_equal_total_tkp_and_tiu_leave_twk_equal_so_the_older_applicant_ranks_first():
    # With total, TKP and TIU equal, TWK is equal too: the TWK step can never decide on its own.
    young, old = _a(100, 100, 200, birth=dt.date(1998, 1, 2)), _a(100, 100, 200, birth=dt.date(1998, 1, 1))
    assert _order({"young": young, "old": old}) == ["old", "young"]


def test_twk_decides_when_the_parts_are_compared_without_the_total():
    # The key compares TWK after TIU: two rows equal on every earlier step differ only by TWK when the
    # caller's total is taken as given (e.g. a total computed elsewhere).
    a = {**_a(90, 100, 200), "skd_total": 400}
    b = {**_a(100, 100, 200), "skd_total": 400}
    assert _order({"a": a, "b": b}) == ["b", "a"]


def test_after_the_retention_purge_the_birth_order_keeps_older_first_and_missing_sorts_last():
    first = _a(100, 100, 200, birth=None, order=1)
    second = _a(100, 100, 200, birth=None, order=2)
    unknown = _a(100, 100, 200, birth=None, order=None)
    assert _order({"unknown": unknown, "second": second, "first": first}) == ["first", "second", "unknown"]


def test_passes_final_within_the_quota_by_final_rank_only():
    assert rules.passes_final(final_rank=2, quota=2)
    assert not rules.passes_final(final_rank=3, quota=2)
    assert not rules.passes_final(final_rank=None, quota=2)  # not ranked: no SKB score or not advancing


# --- SKB rubric -------------------------------------------------------------------------------------------
def test_rubric_weights_add_up_to_100():
    assert sum(c["weight"] for c in rules.DEFAULT_RUBRIC) == 100


@pytest.mark.parametrize(
    ("items", "score"),
    [
        ({"technical": 80, "managerial": 70, "interview": 90}, "80.00"),  # 32 + 21 + 27
        ({"technical": 100, "managerial": 0, "interview": 0}, "40.00"),
        ({"technical": "0.0125", "managerial": 0, "interview": 0}, "0.01"),  # 0.005 rounds half up
        ({"technical": 100, "managerial": 100, "interview": 100}, "100.00"),
    ],
)
def test_rubric_score_is_the_weighted_mean_rounded_half_up(items, score):
    assert rules.rubric_score(items) == Decimal(score)


@pytest.mark.parametrize("value", [None, -1, "100.01", 101])
def test_rubric_item_outside_0_to_100_is_refused_naming_the_criterion(value):
    items = {"technical": 80, "managerial": value, "interview": 90}
    if value is None:
        del items["managerial"]
    with pytest.raises(ValidationError) as exc:
        rules.rubric_score(items)
    assert "Kompetensi manajerial" in exc.value.messages[0]


def test_rubric_weights_are_data():
    rubric = [{"key": "a", "label": "A", "weight": 75}, {"key": "b", "label": "B", "weight": 25}]
    assert rules.rubric_score({"a": 100, "b": 0}, rubric=rubric) == Decimal("75.00")


# --- The ranking SQL is the set-based form of the same rules ---------------------------------------------
def test_ranking_sql_takes_the_skd_maximum_and_tie_break_from_rules():
    assert "550" not in RANKING_SQL
    assert RANKING_PARAMS["skd_max"] == rules.SKD_MAX
    assert RANKING_PARAMS["places"] == rules.FINAL_SCORE_PLACES
    assert (
        "skd_total DESC NULLS LAST, tkp DESC, tiu DESC, twk DESC, birth_date ASC, birth_order ASC"
        in RANKING_SQL
    )
    assert _tie_break_sql([("tkp", "desc"), ("skd_total", "desc")]) == "tkp DESC, skd_total DESC NULLS LAST"
    with pytest.raises(ValueError):
        _tie_break_sql([("tkp", "desc; DROP TABLE x")])
    with pytest.raises(KeyError):
        _tie_break_sql([("nik", "asc")])


@pytest.mark.django_db
def test_ranking_sql_agrees_with_the_rules_on_a_mixed_formation(cast):
    """30 applicants, seeded at random around the marks (ties included): the statement's pass, rank,
    advance and final score equal the pure rules applied in Python, with the selection's own data."""
    rng = random.Random(17)
    selection = make_selection(
        region=cast.region_a, quota=3, twk_min=60, w_skd=Decimal("0.35"), w_skb=Decimal("0.65")
    )
    formation = selection.formations.get()
    member = make_applicant_user()
    expected = {}
    for i in range(30):
        twk, tiu, tkp = rng.choice([60, 65, 95]), rng.choice([79, 80, 120]), rng.choice([165, 166, 200])
        birth = dt.date(1990 + rng.randint(0, 2), 1, 1)
        application = make_application(formation, name=f"P{i:02d}", skd=(twk, tiu, tkp), birth=birth)
        skb = Decimal(rng.randint(5000, 9999)) / 100
        SkbScore.objects.create(application=application, panel_member=member, score=skb, items={})
        expected[application.pk] = {"twk": twk, "tiu": tiu, "tkp": tkp, "birth": birth, "skb": skb}
    rows, _total = ranking_rows(selection_id=selection.pk)
    by_id = {r.application_id: r for r in rows}
    numbers = {r.application_id: r.participant_number for r in rows}

    def key(pk):
        e = expected[pk]
        passes = rules.skd_passes(twk=e["twk"], tiu=e["tiu"], tkp=e["tkp"], thresholds=selection.thresholds)
        total = rules.skd_total(twk=e["twk"], tiu=e["tiu"], tkp=e["tkp"])
        tie = rules.tie_break_key(
            skd_total=total,
            tkp=e["tkp"],
            tiu=e["tiu"],
            twk=e["twk"],
            birth_date=e["birth"],
            participant_number=numbers[pk],
        )
        return (not passes, *tie)

    for rank, pk in enumerate(sorted(expected, key=key), start=1):
        e, row = expected[pk], by_id[pk]
        passes = rules.skd_passes(twk=e["twk"], tiu=e["tiu"], tkp=e["tkp"], thresholds=selection.thresholds)
        assert row.skd_pass is passes
        assert row.skd_rank == rank
        assert row.advances is rules.advances_to_skb(
            skd_pass=passes, skd_rank=rank, quota=3, factor=selection.skb_advance_factor
        )
        total = rules.skd_total(twk=e["twk"], tiu=e["tiu"], tkp=e["tkp"])
        assert row.final_score == rules.final_score(skd_total=total, skb=e["skb"], weights=selection.weights)
    assert sum(r.advances for r in rows) <= rules.advance_limit(quota=3)
