"""The distribution pattern of PermenPANRB 6/2022's annex (DESIGN.md §4), clause by clause, at and
around each limit. Shares are of the unit's appraised staff; a share at the limit is allowed."""

import pytest
from django.utils import translation

from performance import rules
from performance.models import OrgRating, Predikat

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def broken(counts: dict, org: str) -> list[str]:
    return [b.clause.code for b in rules.curve_breaches(counts, org)]


# --- Istimewa: at most 70% Sangat Baik, the rest any predikat -----------------------------------
@pytest.mark.parametrize(
    ("sangat_baik", "expected"),
    [(69, []), (70, []), (71, ["istimewa.sangat_baik_max"]), (100, ["istimewa.sangat_baik_max"])],
)
def test_istimewa_allows_up_to_70_percent_sangat_baik(sangat_baik, expected):
    assert broken({SB: sangat_baik, SK: 100 - sangat_baik}, OrgRating.ISTIMEWA) == expected


def test_istimewa_takes_any_mix_below_the_limit():
    # Once warned above 30%: 7 of 10 Sangat Baik is the annex's own example of a valid Istimewa unit.
    assert broken({SB: 7, B: 1, K: 1, SK: 1}, OrgRating.ISTIMEWA) == []


# --- Baik: at most 70% Baik; some Butuh Perbaikan and/or Kurang; the rest Sangat Baik/Sangat Kurang --
@pytest.mark.parametrize(
    ("baik", "expected"),
    [(69, []), (70, []), (71, ["baik.baik_max"])],
)
def test_baik_allows_up_to_70_percent_baik(baik, expected):
    assert broken({B: baik, BP: 1, SB: 99 - baik}, OrgRating.BAIK) == expected


def test_baik_needs_butuh_perbaikan_or_kurang_and_sangat_kurang_does_not_stand_in():
    assert broken({B: 7, SB: 2, SK: 1}, OrgRating.BAIK) == ["baik.butuh_perbaikan_or_kurang"]
    assert broken({B: 7, SB: 2, K: 1}, OrgRating.BAIK) == []
    assert broken({B: 7, SB: 2, BP: 1}, OrgRating.BAIK) == []


def test_baik_reports_both_clauses_in_the_annex_order():
    assert broken({B: 8, SB: 2}, OrgRating.BAIK) == ["baik.baik_max", "baik.butuh_perbaikan_or_kurang"]


# --- Butuh Perbaikan: at least 60% Butuh Perbaikan; at most 10% Sangat Baik -------------------------
@pytest.mark.parametrize(
    ("butuh_perbaikan", "expected"),
    [(59, ["butuh_perbaikan.butuh_perbaikan_min"]), (60, []), (61, [])],
)
def test_butuh_perbaikan_needs_at_least_60_percent_butuh_perbaikan(butuh_perbaikan, expected):
    assert broken({BP: butuh_perbaikan, B: 100 - butuh_perbaikan}, OrgRating.BUTUH_PERBAIKAN) == expected


@pytest.mark.parametrize(
    ("sangat_baik", "expected"),
    [(9, []), (10, []), (11, ["butuh_perbaikan.sangat_baik_max"])],
)
def test_butuh_perbaikan_allows_up_to_10_percent_sangat_baik(sangat_baik, expected):
    assert broken({BP: 60, SB: sangat_baik, B: 40 - sangat_baik}, OrgRating.BUTUH_PERBAIKAN) == expected


# --- Kurang: at least 60% Kurang/Misconduct, at least 10% Butuh Perbaikan, at most 10% Sangat Baik ---
@pytest.mark.parametrize(
    ("kurang", "butuh_perbaikan", "sangat_baik", "expected"),
    [
        (60, 10, 10, []),
        (59, 11, 10, ["kurang.kurang_min"]),
        (61, 9, 10, ["kurang.butuh_perbaikan_min"]),
        (60, 10, 11, ["kurang.sangat_baik_max"]),
        (80, 10, 9, []),
    ],
)
def test_kurang_clauses_at_and_around_their_limits(kurang, butuh_perbaikan, sangat_baik, expected):
    rest = 100 - kurang - butuh_perbaikan - sangat_baik
    counts = {K: kurang, BP: butuh_perbaikan, SB: sangat_baik, B: rest}
    assert broken(counts, OrgRating.KURANG) == expected


# --- Sangat Kurang: at least 60% Sangat Kurang, at least 10% Kurang and/or Butuh Perbaikan, no Sangat Baik
@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({SK: 60, K: 10, B: 30}, []),
        ({SK: 60, K: 5, BP: 5, B: 30}, []),  # Kurang and Butuh Perbaikan together make the 10%
        ({SK: 59, K: 10, B: 31}, ["sangat_kurang.sangat_kurang_min"]),
        ({SK: 61, K: 4, BP: 5, B: 30}, ["sangat_kurang.kurang_or_butuh_perbaikan_min"]),
        ({SK: 60, K: 10, B: 29, SB: 1}, ["sangat_kurang.sangat_baik_none"]),
    ],
)
def test_sangat_kurang_clauses(counts, expected):
    assert broken(counts, OrgRating.SANGAT_KURANG) == expected


def test_a_unit_with_nobody_appraised_breaks_nothing():
    for org in OrgRating.values:
        assert rules.curve_breaches({}, org) == []


def test_the_limit_is_exact_for_shares_that_are_not_whole_percentages():
    # 7 of 10 Baik is 70% exactly (allowed); 5 of 7 is 71.4% (not); 2 of 3 Butuh Perbaikan is 66.7% (enough).
    assert broken({B: 7, BP: 3}, OrgRating.BAIK) == []
    assert broken({B: 5, BP: 2}, OrgRating.BAIK) == ["baik.baik_max"]
    assert broken({BP: 2, B: 1}, OrgRating.BUTUH_PERBAIKAN) == []


def test_each_warning_names_its_clause_in_indonesian():
    with translation.override("id"):
        warnings = rules.curve_warnings({B: 5, BP: 2}, OrgRating.BAIK)
        assert warnings == [
            "Pola distribusi organisasi berpredikat Baik: paling banyak 70% Baik; unit ini 71,4%."
        ]
        (missing,) = rules.curve_warnings({B: 7, SB: 2, SK: 1}, OrgRating.BAIK)
        assert "harus ada pegawai berpredikat Butuh Perbaikan / Kurang/Misconduct" in missing
        (none_allowed,) = rules.curve_warnings({SK: 60, K: 10, B: 29, SB: 1}, OrgRating.SANGAT_KURANG)
        assert "tidak boleh ada yang berpredikat Sangat Baik; unit ini 1%." in none_allowed


# --- Where HR sees it: the distribution page and the period's XLSX -------------------------------
@pytest.mark.django_db
def test_distribution_page_and_xlsx_name_the_broken_clause(cast):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from performance import services

    from .factories import agreed_plan, behaviour, current_period

    period = current_period(cast.region_a)  # organisation rated Baik (the default)
    staff = cast.objects["staff_employee"]
    agreed_plan(staff, period.year)
    services.appraisal_rate(
        supervisor=cast.objects["supervisor_employee"],
        employee=staff,
        period=period,
        behaviour=behaviour("di_bawah"),
    )
    hr = cast.client("hr")
    with translation.override("id"):
        page = hr.get(reverse("performance:distribution"), {"period": period.pk}, HTTP_ACCEPT_LANGUAGE="id")
    text = page.content.decode()
    # No logs and behaviour below expectation: one Sangat Kurang, which does not stand in for the
    # Butuh Perbaikan/Kurang an organisation rated Baik must have.
    assert "harus ada pegawai berpredikat Butuh Perbaikan / Kurang/Misconduct" in text
    response = hr.post(
        reverse("performance:unit_xlsx", args=[period.pk]),
        {"category": "administration", "explanation": "Rekap pola distribusi"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 2
    pattern = book.worksheets[1]
    unit_row = [c.value for c in pattern[2]]
    assert unit_row[0] == staff.unit.name and unit_row[2] == 1
    assert "Butuh Perbaikan / Kurang/Misconduct" in unit_row[-1]
