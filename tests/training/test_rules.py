"""The training rules (training/rules.py), worked examples and edges: pure functions, no database."""

import datetime as dt
import random

import pytest

from asnportal.org.models import PositionKind
from training import rules


def within(day: dt.date, days: tuple[dt.date, dt.date]) -> bool:
    return days[0] <= day <= days[1]


# ----- the 20 JP right (PP 11/2017) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("jp", "met", "shortfall", "percent"),
    [
        (0, False, 20, 0),
        (8, False, 12, 40),
        (19, False, 1, 95),  # one JP short: still below the right
        (20, True, 0, 100),  # exactly the right: reached
        (21, True, 0, 100),  # above it: no negative shortfall, never over 100%
        (60, True, 0, 100),
    ],
)
def test_jp_right_shortfall_and_share(jp, met, shortfall, percent):
    assert rules.jp_right_met(jp) is met
    assert rules.jp_shortfall(jp) == shortfall
    assert rules.jp_percent(jp) == percent


def test_the_right_is_20_jp_a_year():
    assert rules.JP_RIGHT_PER_YEAR == 20
    assert rules.jp_shortfall(0) == rules.JP_RIGHT_PER_YEAR


def test_jp_year_is_the_calendar_year():
    assert rules.jp_year(2027) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    # Year boundary: New Year's Eve counts for the old year, New Year's Day for the new one.
    assert within(dt.date(2026, 12, 31), rules.jp_year(2026))
    assert not within(dt.date(2026, 12, 31), rules.jp_year(2027))
    assert within(dt.date(2027, 1, 1), rules.jp_year(2027))
    assert within(dt.date(2028, 2, 29), rules.jp_year(2028))  # a leap day is an ordinary day of it


def test_jp_history_is_this_year_and_the_two_before():
    assert rules.jp_history(2027) == (dt.date(2025, 1, 1), dt.date(2027, 12, 31))
    assert within(dt.date(2025, 1, 1), rules.jp_history(2027))  # the first day of the window
    assert not within(dt.date(2024, 12, 31), rules.jp_history(2027))  # the day before: out
    assert not within(dt.date(2028, 1, 1), rules.jp_history(2027))  # next year: not yet


# ----- leadership levels (§4) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "position"),
    [
        ("pkn_1", PositionKind.JPT_MADYA),
        ("pkn_2", PositionKind.JPT_PRATAMA),
        ("pka", PositionKind.ADMINISTRATOR),
        ("pkp", PositionKind.PENGAWAS),
        ("technical", None),
        ("managerial", None),
    ],
)
def test_leadership_level_by_position_type(kind, position):
    assert rules.leadership_position_kind(kind) == position
    assert rules.default_position_kinds(kind) == ([str(position)] if position else [])


# ----- eligibility ---------------------------------------------------------------------------


def reasons(**overrides) -> list[str]:
    facts = {
        "active": True,
        "other_region": False,
        "position_kind": "pelaksana",
        "position_kind_label": "Pelaksana",
        "eligible_kinds": [],
        "rank": "II/a",
        "min_rank": "",
    }
    return rules.eligibility_reasons(**{**facts, **overrides})


def test_an_open_programme_has_no_barrier():
    assert reasons() == []
    assert reasons(rank="I/a") == []


def test_each_failed_condition_gives_its_own_reason():
    assert reasons(eligible_kinds=["pengawas"]) == [
        "Program ini untuk jenis jabatan Pengawas; jabatan Anda Pelaksana."
    ]
    assert len(reasons(active=False)) == 1
    assert len(reasons(other_region=True)) == 1
    assert len(reasons(active=False, other_region=True, eligible_kinds=["pengawas"], min_rank="IV/a")) == 4


@pytest.mark.parametrize(
    ("rank", "ok"),
    [("III/b", False), ("III/c", True), ("IV/a", True), ("II/d", False), ("", False), ("XI", True)],
)
def test_minimum_rank_on_the_one_ladder(rank, ok):
    """III/c is step 10 of the core's ladder; a PPPK grade XI sits on the same step."""
    assert rules.rank_reaches(rank, "III/c") is ok
    assert (reasons(rank=rank, min_rank="III/c") == []) is ok


def test_no_minimum_rank_admits_any_rank():
    assert rules.rank_reaches(None, "")
    assert rules.rank_reaches("I/a", None)


def test_the_rule_in_words():
    assert (
        rules.eligibility_text(eligible_kinds=["administrator"], min_rank="III/d")
        == "jenis jabatan: Administrator; pangkat/golongan minimal III/d"
    )
    assert rules.eligibility_text(eligible_kinds=[], min_rank="") == "terbuka bagi setiap pegawai aktif"


# ----- enrollment window ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.date(2027, 12, 30), "upcoming"),
        (dt.date(2027, 12, 31), "open"),  # the opening day is inside
        (dt.date(2028, 1, 10), "open"),  # the closing day is inside
        (dt.date(2028, 1, 11), "closed"),
    ],
)
def test_window_across_a_year_boundary(today, state):
    opens, closes = dt.date(2027, 12, 31), dt.date(2028, 1, 10)
    assert rules.window_state(today=today, opens=opens, closes=closes) == state


# ----- fair allocation -----------------------------------------------------------------------


def test_priority_orders_as_published():
    p = rules.allocation_priority
    below_not_remote = p(below_20=True, is_remote=False, jp_three_years=90, draw=0.9)
    above_remote = p(below_20=False, is_remote=True, jp_three_years=0, draw=0.0)
    assert below_not_remote < above_remote  # below 20 JP beats everything after it
    remote = p(below_20=True, is_remote=True, jp_three_years=90, draw=0.9)
    assert remote < below_not_remote  # then remote
    fewer = p(below_20=True, is_remote=False, jp_three_years=10, draw=0.9)
    assert fewer < below_not_remote  # then fewer JP over three years
    lucky = p(below_20=True, is_remote=False, jp_three_years=90, draw=0.1)
    assert lucky < below_not_remote  # then the draw


def test_worked_example_with_19_20_and_21_jp():
    """19 JP this year is below the right and goes first; 20 and 21 JP are not, and their order
    falls to the three-year JP, then to the draw."""
    people = {"a19": (19, 40, 0.9), "b20": (20, 20, 0.1), "c21": (21, 21, 0.0), "d20": (20, 20, 0.5)}

    def key(name):
        this_year, three_years, draw = people[name]
        return rules.allocation_priority(
            below_20=not rules.jp_right_met(this_year), is_remote=False, jp_three_years=three_years, draw=draw
        )

    assert sorted(people, key=key) == ["a19", "b20", "d20", "c21"]


def test_ties_are_broken_by_the_seeded_draw_reproducibly():
    """Equal on every published criterion: only the draw orders them, and the same seed (drawn in
    request order) gives the same order again."""

    def order(seed: int) -> list[int]:
        rng = random.Random(seed)  # noqa: S311 - the published, reproducible draw
        draws = {pk: rng.random() for pk in (11, 12, 13, 14)}
        return sorted(
            draws,
            key=lambda pk: rules.allocation_priority(
                below_20=True, is_remote=True, jp_three_years=0, draw=draws[pk]
            ),
        )

    assert order(42) == order(42)
    assert sorted(order(42)) == [11, 12, 13, 14]
    assert len({tuple(order(seed)) for seed in range(20)}) > 1  # the draw, not the request order, decides


def test_a_full_tie_keeps_the_request_order():
    same = rules.allocation_priority(below_20=False, is_remote=False, jp_three_years=5, draw=0.5)
    requests = [(same, "first"), (same, "second")]
    assert [name for _p, name in sorted(requests, key=lambda r: r[0])] == ["first", "second"]


@pytest.mark.parametrize(
    ("free", "requests", "admitted"), [(2, 5, 2), (5, 2, 2), (3, 3, 3), (0, 4, 0), (4, 0, 0)]
)
def test_seats_admitted(free, requests, admitted):
    assert rules.seats_admitted(free=free, requests=requests) == admitted


# ----- completion ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "pct", "needed"), [(3, 80, 3), (5, 80, 4), (10, 80, 8), (1, 80, 1), (4, 50, 2), (10, 1, 1)]
)
def test_days_needed_to_complete(days, pct, needed):
    assert rules.completion_days_needed(days=days, min_attendance_pct=pct) == needed
