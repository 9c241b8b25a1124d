"""The CASN ranking rule (DESIGN.md §4), worked examples: thresholds, 3x quota, weighting, ties."""

import datetime as dt
from decimal import Decimal

import pytest

from recruitment.models import ScreeningDecision, SkbScore
from recruitment.selectors import ranking_rows

from .factories import make_applicant_user, make_application, make_selection

pytestmark = pytest.mark.django_db


def ranked(selection):
    rows, total = ranking_rows(selection_id=selection.pk)
    assert total == len(rows)
    return {r.full_name: r for r in rows}, [r.full_name for r in rows]


def skb(application, score, member=None):
    member = member or make_applicant_user()
    return SkbScore.objects.create(
        application=application, panel_member=member, score=Decimal(score), items={}
    )


@pytest.mark.parametrize(
    ("twk", "tiu", "tkp", "passes"),
    [
        (65, 80, 166, True),  # every mark exactly met
        (64, 80, 166, False),  # TWK one below
        (65, 79, 166, False),  # TIU one below
        (65, 80, 165, False),  # TKP one below
        (150, 175, 165, False),  # a high total does not make up for one missed mark
    ],
)
def test_skd_passes_only_with_all_three_thresholds(cast, twk, tiu, tkp, passes):
    selection = make_selection(region=cast.region_a, quota=5)
    make_application(selection.formations.get(), name="X", skd=(twk, tiu, tkp))
    rows, _ = ranked(selection)
    assert rows["X"].skd_pass is passes
    assert rows["X"].advances is passes
    assert rows["X"].skd_total == twk + tiu + tkp


def test_thresholds_are_data_of_the_selection(cast):
    selection = make_selection(region=cast.region_a, twk_min=60)
    make_application(selection.formations.get(), name="X", skd=(64, 80, 166))
    rows, _ = ranked(selection)
    assert rows["X"].skd_pass


def test_skd_ties_broken_by_total_then_tkp_tiu_twk_then_older(cast):
    """All five have SKD total 400; quota 1 lets three advance.

    B 90/110/200, D 95/105/200, E 100/100/200 born 1990, A 100/100/200 born 1998, C 100/105/195.
    TKP 200 beats C's 195; among TKP 200, TIU 110 > 105 > 100; A and E tie on every score, E is older.
    (With total, TKP and TIU equal, TWK is equal too: the TWK step can never decide on its own.)"""
    selection = make_selection(region=cast.region_a, quota=1)
    f = selection.formations.get()
    make_application(f, name="A", skd=(100, 100, 200), birth=dt.date(1998, 1, 1))
    make_application(f, name="B", skd=(90, 110, 200))
    make_application(f, name="C", skd=(100, 105, 195))
    make_application(f, name="D", skd=(95, 105, 200))
    make_application(f, name="E", skd=(100, 100, 200), birth=dt.date(1990, 1, 1))
    rows, order = ranked(selection)
    assert order == ["B", "D", "E", "A", "C"]
    assert [rows[n].skd_rank for n in order] == [1, 2, 3, 4, 5]
    assert [n for n in order if rows[n].advances] == ["B", "D", "E"]


def test_up_to_three_times_quota_advance_and_failures_never_do(cast):
    selection = make_selection(region=cast.region_a, quota=2)
    f = selection.formations.get()
    for i in range(8):
        make_application(f, name=f"P{i}", skd=(100, 100, 200 - i))
    make_application(f, name="High but TWK 64", skd=(64, 175, 225))
    rows, order = ranked(selection)
    assert [n for n in order if rows[n].advances] == ["P0", "P1", "P2", "P3", "P4", "P5"]
    assert not rows["High but TWK 64"].advances
    assert order[-1] == "High but TWK 64"  # failing SKD ranks below every passer


def test_fewer_passers_than_three_times_quota_all_advance(cast):
    selection = make_selection(region=cast.region_a, quota=3)
    f = selection.formations.get()
    make_application(f, name="A", skd=(70, 90, 170))
    make_application(f, name="B", skd=(60, 90, 170))
    rows, _ = ranked(selection)
    assert rows["A"].advances and not rows["B"].advances


def test_final_score_formula_worked_examples(cast):
    """final = 0.40 x SKD/550 x 100 + 0.60 x SKB.

    X: SKD 440 -> 80.000 x 0.4 = 32, SKB 80 -> 48: 80.000
    Y: SKD 385 -> 70 x 0.4 = 28, SKB 90 -> 54: 82.000 (first, despite the lower SKD)
    Z: SKD 412 -> 74.90909 x 0.4 = 29.96364, SKB 85 -> 51: 80.964"""
    selection = make_selection(region=cast.region_a, quota=1)
    f = selection.formations.get()
    skb(make_application(f, name="X", skd=(120, 130, 190)), "80")
    skb(make_application(f, name="Y", skd=(100, 110, 175)), "90")
    skb(make_application(f, name="Z", skd=(105, 120, 187)), "85")
    rows, order = ranked(selection)
    assert rows["X"].final_score == Decimal("80.000")
    assert rows["Y"].final_score == Decimal("82.000")
    assert rows["Z"].final_score == Decimal("80.964")
    assert order == ["Y", "Z", "X"]
    assert [rows[n].final_rank for n in order] == [1, 2, 3]
    assert rows["Y"].passes and not rows["Z"].passes  # quota 1


def test_equal_final_scores_broken_by_skd_total(cast):
    """V: SKD 495 (90 -> 36) + SKB 60 (36) = 72.000; W: SKD 330 (60 -> 24) + SKB 80 (48) = 72.000."""
    selection = make_selection(region=cast.region_a, quota=1)
    f = selection.formations.get()
    skb(make_application(f, name="W", skd=(65, 80, 185)), "80")
    skb(make_application(f, name="V", skd=(150, 150, 195)), "60")
    rows, order = ranked(selection)
    assert rows["V"].final_score == rows["W"].final_score == Decimal("72.000")
    assert order == ["V", "W"]


def test_equal_final_and_scores_broken_by_older_applicant(cast):
    selection = make_selection(region=cast.region_a, quota=1)
    f = selection.formations.get()
    skb(make_application(f, name="Young", skd=(100, 100, 200), birth=dt.date(2000, 2, 2)), "75")
    skb(make_application(f, name="Old", skd=(100, 100, 200), birth=dt.date(1995, 2, 2)), "75")
    _rows, order = ranked(selection)
    assert order == ["Old", "Young"]


def test_weights_are_data_of_the_selection(cast):
    """50/50: SKD 440 -> 80 x 0.5 = 40, SKB 70 x 0.5 = 35: 75.000."""
    selection = make_selection(region=cast.region_a, w_skd=Decimal("0.50"), w_skb=Decimal("0.50"))
    skb(make_application(selection.formations.get(), name="X", skd=(120, 130, 190)), "70")
    rows, _ = ranked(selection)
    assert rows["X"].final_score == Decimal("75.000")


def test_skb_is_the_mean_of_each_members_latest_score(cast):
    selection = make_selection(region=cast.region_a)
    app = make_application(selection.formations.get(), name="X", skd=(120, 130, 190))
    m1, m2 = make_applicant_user(), make_applicant_user()
    skb(app, "70", m1)
    skb(app, "90", m2)
    skb(app, "80", m1)  # m1's correction replaces 70
    rows, _ = ranked(selection)
    assert rows["X"].skb == Decimal("85.000")


def test_only_screened_in_applicants_are_ranked_and_latest_skd_counts(cast):
    selection = make_selection(region=cast.region_a)
    f = selection.formations.get()
    make_application(f, name="Not screened", screened=None, skd=(100, 100, 200))
    failed = make_application(f, name="Failed", screened=True, skd=(100, 100, 200))
    ScreeningDecision.objects.create(application=failed, met=False, reason="ijazah", decided_by=failed.user)
    corrected = make_application(f, name="Corrected", skd=(60, 100, 200))
    corrected.skd_scores.create(twk=70, tiu=100, tkp=200, created_by=corrected.user, reason="salah ketik")
    rows, order = ranked(selection)
    assert order == ["Corrected"]
    assert rows["Corrected"].twk == 70 and rows["Corrected"].skd_pass


def test_formations_are_ranked_separately(cast):
    selection = make_selection(region=cast.region_a, formations=2, quota=1)
    f1, f2 = selection.formations.order_by("pk")
    make_application(f1, name="A", skd=(100, 100, 200))
    make_application(f2, name="B", skd=(90, 100, 200))
    rows, _ = ranked(selection)
    assert rows["A"].skd_rank == rows["B"].skd_rank == 1
    only_f2, total = ranking_rows(selection_id=selection.pk, formation_id=f2.pk)
    assert [r.full_name for r in only_f2] == ["B"] and total == 1
