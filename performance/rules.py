"""The official rules of DESIGN.md §4 for SKP and talent, each in exactly one pure function."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import PNS_RANKS, rank_step
from asnportal.regulations.models import RuleKind
from asnportal.regulations.schemas import OFFICIAL

from .models import BerAKHLAK, OrgRating, Potential, Predikat, Rating

RATIO_PLACES = Decimal("0.0001")


def predikat_for(work: str, behaviour: str) -> str:
    """Predikat kinerja from the matrix of PermenPANRB 6/2022 (DESIGN.md §4).

    | hasil kerja \\ perilaku | di bawah          | sesuai          | di atas         |
    | di atas                | Kurang/Misconduct | Baik            | Sangat Baik     |
    | sesuai                 | Kurang/Misconduct | Baik            | Baik            |
    | di bawah               | Sangat Kurang     | Butuh Perbaikan | Butuh Perbaikan |
    """
    matrix = {
        (Rating.ABOVE, Rating.BELOW): Predikat.KURANG,
        (Rating.ABOVE, Rating.MEETS): Predikat.BAIK,
        (Rating.ABOVE, Rating.ABOVE): Predikat.SANGAT_BAIK,
        (Rating.MEETS, Rating.BELOW): Predikat.KURANG,
        (Rating.MEETS, Rating.MEETS): Predikat.BAIK,
        (Rating.MEETS, Rating.ABOVE): Predikat.BAIK,
        (Rating.BELOW, Rating.BELOW): Predikat.SANGAT_KURANG,
        (Rating.BELOW, Rating.MEETS): Predikat.BUTUH_PERBAIKAN,
        (Rating.BELOW, Rating.ABOVE): Predikat.BUTUH_PERBAIKAN,
    }
    return matrix[(Rating(work), Rating(behaviour))].value


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    if not denominator:
        return Decimal("0")
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def work_rating_for(achievement: Decimal, *, above_from: Decimal, meets_from: Decimal) -> str:
    """Work-result rating from the weighted achievement ratio and the period's stored thresholds.

    ratio >= above_from -> di atas; meets_from <= ratio < above_from -> sesuai; below -> di bawah.
    """
    if achievement >= above_from:
        return Rating.ABOVE.value
    if achievement >= meets_from:
        return Rating.MEETS.value
    return Rating.BELOW.value


def weighted_achievement(rows: list[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ(weight × achievement) ÷ Σ weight over (weight, achievement) pairs of the plan's KPIs."""
    total_weight = sum((w for w, _a in rows), Decimal("0"))
    if not total_weight:
        return Decimal("0")
    return ratio(sum((w * a for w, a in rows), Decimal("0")), total_weight)


def period_target(target: Decimal, quarter: int, *, cumulative: bool = True) -> Decimal:
    """The part of a yearly target due by the end of quarter 1..4 (IV-Akhir = the whole target).

    Quantities add up over the year, so Triwulan n is measured cumulatively against n/4 of the
    target; an index (IKM) is not cumulative and is compared to the full target.
    """
    if not cumulative:
        return Decimal(target)
    return (Decimal(target) * quarter / 4).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def behaviour_rating_for(ratings: dict[str, str]) -> str:
    """Overall behaviour from the 7 BerAKHLAK values: a majority (4+) below -> di bawah; 4+ above
    and none below -> di atas; otherwise sesuai."""
    missing = {c for c, _label in BerAKHLAK.choices} - set(ratings)
    if missing:
        raise ValueError(f"missing BerAKHLAK values: {sorted(missing)}")
    values = [Rating(ratings[c]) for c, _label in BerAKHLAK.choices]
    below = values.count(Rating.BELOW)
    above = values.count(Rating.ABOVE)
    if below >= 4:
        return Rating.BELOW.value
    if above >= 4 and below == 0:
        return Rating.ABOVE.value
    return Rating.MEETS.value


# Performance level (rows of the 9-box) from the predikat.
PERFORMANCE_LEVEL = {
    Predikat.SANGAT_BAIK: "tinggi",
    Predikat.BAIK: "menengah",
    Predikat.BUTUH_PERBAIKAN: "rendah",
    Predikat.KURANG: "rendah",
    Predikat.SANGAT_KURANG: "rendah",
}

# 9-box of PermenPANRB 3/2020: rows = performance (bottom to top), columns = potential (left to right).
NINE_BOX = {
    ("rendah", Potential.RENDAH): 1,
    ("rendah", Potential.MENENGAH): 3,
    ("rendah", Potential.TINGGI): 6,
    ("menengah", Potential.RENDAH): 2,
    ("menengah", Potential.MENENGAH): 5,
    ("menengah", Potential.TINGGI): 8,
    ("tinggi", Potential.RENDAH): 4,
    ("tinggi", Potential.MENENGAH): 7,
    ("tinggi", Potential.TINGGI): 9,
}
TALENT_POOL_BOXES = (7, 8, 9)


def talent_box(performance_level: str, potential: str) -> int:
    """The official box number: bottom row 1 3 6, middle 2 5 8, top 4 7 9."""
    return NINE_BOX[(performance_level, Potential(potential))]


def talent_box_for_predikat(predikat: str, potential: str) -> int:
    return talent_box(PERFORMANCE_LEVEL[Predikat(predikat)], potential)


BOX_RECOMMENDATION = {
    1: _("Performance counselling and a close improvement plan; review the job fit."),
    2: _("Coaching on work results and targeted technical training."),
    3: _("Coaching and mentoring to turn potential into results; clear short-term targets."),
    4: _("Keep in the current position; recognise results; technical deepening."),
    5: _("Competency development and job enrichment to grow in the current level."),
    6: _("Mentoring, rotation to a better-fitting job and close follow-up of results."),
    7: _("Talent pool: development for promotion, assignments with more responsibility."),
    8: _("Talent pool: coaching and a development assignment to lift performance."),
    9: _("Talent pool: ready for promotion; leadership training and succession planning."),
}

# The distribution pattern (pola distribusi) of the annex of PermenPANRB 6/2022, DESIGN.md §4: per
# organisation rating, the clauses a unit's predikat shares must keep. Shares are of the unit's
# appraised staff; a share at the limit is allowed. Each clause has a code (stable, for tests and
# exports) and the words of the annex it stands for.
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


@dataclass(frozen=True)
class Clause:
    """One clause of the pattern: the share of staff rated any of `predikats` must be at most (`max`)
    or at least (`min`) `share`; `some` asks for at least one such staff member."""

    code: str
    kind: str  # "max" | "min" | "some"
    predikats: tuple[str, ...]
    share: Decimal = Decimal(0)

    def holds(self, counts: dict[str, int], total: int) -> bool:
        n = sum(counts.get(p, 0) for p in self.predikats)
        if self.kind == "some":
            return n > 0
        if self.kind == "max":
            return n <= self.share * total
        return n >= self.share * total

    def group_label(self) -> str:
        return " / ".join(str(Predikat(p).label) for p in self.predikats)


Curve = dict[str, tuple[Clause, ...]]


def curve_from_parameters(parameters: dict) -> Curve:
    """The clauses of a stored rule version of the pattern (asnportal.regulations, kind "curve")."""
    return {
        OrgRating(org): tuple(
            Clause(c["code"], c["kind"], tuple(c["predikats"]), Decimal(str(c.get("share", "0"))))
            for c in clauses
        )
        for org, clauses in parameters.items()
    }


# The annex's pattern, version 1 of the rule (its parameters seeded by the regulations app).
CURVES: Curve = curve_from_parameters(OFFICIAL[RuleKind.CURVE])


@dataclass(frozen=True)
class CurveBreach:
    clause: Clause
    org_rating: str
    share: Decimal  # the unit's share of the clause's predikats, 0..1

    def __str__(self) -> str:
        values = {
            "org": OrgRating(self.org_rating).label,
            "group": self.clause.group_label(),
            "limit": percent_text(self.clause.share),
            "share": percent_text(self.share),
        }
        if self.clause.kind == "some":
            text = _(
                "Pattern of an organisation rated %(org)s: some staff must be rated %(group)s; nobody is."
            )
        elif self.clause.kind == "min":
            text = _(
                "Pattern of an organisation rated %(org)s: at least %(limit)s %(group)s; this unit has %(share)s."
            )
        elif self.clause.share == 0:
            text = _(
                "Pattern of an organisation rated %(org)s: nobody may be rated %(group)s; this unit has %(share)s."
            )
        else:
            text = _(
                "Pattern of an organisation rated %(org)s: at most %(limit)s %(group)s; this unit has %(share)s."
            )
        return str(text % values)


def percent_text(share: Decimal) -> str:
    """A share 0..1 as a percentage with at most one decimal, in the active language's number format
    (Indonesian 0.125 -> "12,5%")."""
    value = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
    return f"{formats.number_format(value)}%"


def curve_breaches(counts: dict[str, int], org_rating: str, curve: Curve | None = None) -> list[CurveBreach]:
    """The clauses of the organisation rating's pattern (`curve`, by default the annex's) that a unit's
    predikat counts break, in the pattern's order. A unit with nobody appraised breaks nothing."""
    total = sum(counts.values())
    if not total:
        return []
    breaches = []
    for clause in (curve or CURVES).get(OrgRating(org_rating), ()):
        if not clause.holds(counts, total):
            n = sum(counts.get(p, 0) for p in clause.predikats)
            breaches.append(CurveBreach(clause, org_rating, Decimal(n) / total))
    return breaches


def curve_warnings(counts: dict[str, int], org_rating: str, curve: Curve | None = None) -> list[str]:
    """Where a unit's predikat counts break the pattern, one sentence per clause, naming it."""
    return [str(b) for b in curve_breaches(counts, org_rating, curve)]


def predikat_with_thresholds(
    achievement: Decimal, behaviour_rating: str, *, above_from: Decimal, meets_from: Decimal
) -> str:
    """The predikat an appraisal would get with other work-rating thresholds (its behaviour kept)."""
    work = work_rating_for(achievement, above_from=above_from, meets_from=meets_from)
    return predikat_for(work, behaviour_rating)


# Lowest pangkat/golongan for a managerial post, by jenis jabatan. Defaults following the rank
# minimums of the former echelons (PP 13/2002 as amended): an HR decision may set stricter ones.
MIN_RANK_FOR_MANAGERIAL = {
    "pengawas": "III/b",
    "administrator": "III/d",
    "jpt_pratama": "IV/b",
    "jpt_madya": "IV/c",
    "jpt_utama": "IV/d",
}


def meets_rank_minimum(*, rank: str, position_kind: str) -> bool:
    """True when a PNS rank reaches the minimum of a managerial position type (PPPK do not qualify)."""
    minimum = MIN_RANK_FOR_MANAGERIAL.get(position_kind)
    if minimum is None or rank not in PNS_RANKS:
        return False
    return rank_step(rank) >= rank_step(minimum)
