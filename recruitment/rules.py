"""The CASN selection rules of DESIGN.md §4 (SKD, SKB, final score, ties, 3x quota), as pure functions.

Each rule lives in exactly one function or constant here. Thresholds and weights are data per
selection: every function takes them as arguments; the module's constants are only the official
defaults (KepmenPANRB 651/2023 and 321/2024), which the models use as field defaults. The ranking
statement in `selectors.RANKING_SQL` is the set-based form of the same rules: it takes the SKD maximum,
the rounding and the tie-break order from here (tests/recruitment/test_rules.py checks both agree).
"""

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# --- SKD (CAT): item maxima -------------------------------------------------------------------------
# TWK 30 items x 5, TIU 35 items x 5, TKP 45 items scored 1-5.
TWK_MAX, TIU_MAX, TKP_MAX = 150, 175, 225
SKD_MAXIMA: Mapping[str, int] = {"twk": TWK_MAX, "tiu": TIU_MAX, "tkp": TKP_MAX}
SKD_MAX = TWK_MAX + TIU_MAX + TKP_MAX  # 550


@dataclass(frozen=True)
class SkdThresholds:
    """The pass marks of one selection (data per selection, §4)."""

    twk: int
    tiu: int
    tkp: int


@dataclass(frozen=True)
class FinalWeights:
    """The weights of SKD and SKB in the final score of one selection (configurable per selection)."""

    skd: Decimal
    skb: Decimal


DEFAULT_THRESHOLDS = SkdThresholds(twk=65, tiu=80, tkp=166)
DEFAULT_WEIGHTS = FinalWeights(skd=Decimal("0.40"), skb=Decimal("0.60"))
SKB_ADVANCE_FACTOR = 3  # up to 3x the formation's quota advance from SKD to SKB
FINAL_SCORE_PLACES = 3  # the final score is announced with 3 decimals
SKB_SCORE_PLACES = 2  # a panel member's rubric score: 2 decimals

# The SKB rubric: each item scored 0-max, its weight in percent (they add up to 100). These are version
# 1 of the SKB rubric rule (asnportal.regulations); a selection scores with the version it recorded.
RUBRIC_ITEM_MAX = 100
DEFAULT_RUBRIC: Sequence[Mapping] = (
    {"key": "technical", "label": "Kompetensi teknis", "weight": 40, "max": 100},
    {"key": "managerial", "label": "Kompetensi manajerial dan sosial kultural", "weight": 30, "max": 100},
    {"key": "interview", "label": "Wawancara", "weight": 30, "max": 100},
)

# Ties in the SKD ranking, in order: total SKD, then TKP, then TIU, then TWK (each higher first), then
# the older applicant (earlier birth date first). `tie_break_key` and the ranking SQL both read this.
TIE_BREAK: Sequence[tuple[str, str]] = (
    ("skd_total", "desc"),
    ("tkp", "desc"),
    ("tiu", "desc"),
    ("twk", "desc"),
    ("birth_date", "asc"),
)


def skd_validate(*, twk, tiu, tkp, maxima: Mapping[str, int] = SKD_MAXIMA) -> list[str]:
    """The CAT item maxima: each part a whole number from 0 to its maximum; one message per part."""
    errors = []
    for label, value in (("TWK", twk), ("TIU", tiu), ("TKP", tkp)):
        maximum = maxima[label.lower()]
        if not isinstance(value, int) or not 0 <= value <= maximum:
            errors.append(
                _("%(label)s must be a whole number from 0 to %(max)s (got %(value)s).")
                % {"label": label, "max": maximum, "value": "" if value is None else value}
            )
    return errors


def skd_total(*, twk: int, tiu: int, tkp: int) -> int:
    return twk + tiu + tkp


def skd_passes(*, twk: int, tiu: int, tkp: int, thresholds: SkdThresholds) -> bool:
    """An applicant passes SKD only by reaching all three pass marks (a mark exactly met passes)."""
    return twk >= thresholds.twk and tiu >= thresholds.tiu and tkp >= thresholds.tkp


def advance_limit(*, quota: int, factor: int = SKB_ADVANCE_FACTOR) -> int:
    """How many of a formation's SKD passers advance to SKB: factor x quota."""
    return quota * factor


def advances_to_skb(*, skd_pass: bool, skd_rank: int, quota: int, factor: int = SKB_ADVANCE_FACTOR) -> bool:
    """A passer advances when their SKD rank in the formation is within factor x quota."""
    return skd_pass and skd_rank <= advance_limit(quota=quota, factor=factor)


def final_score(*, skd_total: int, skb: Decimal, weights: FinalWeights, skd_max: int = SKD_MAX) -> Decimal:
    """w_skd x SKD/550 x 100 + w_skb x SKB (0-100), rounded half up to 3 decimals."""
    raw = weights.skd * Decimal(skd_total) * 100 / Decimal(skd_max) + weights.skb * Decimal(skb)
    return raw.quantize(Decimal(1).scaleb(-FINAL_SCORE_PLACES), rounding=ROUND_HALF_UP)


def tie_break_key(
    *,
    skd_total: int,
    tkp: int,
    tiu: int,
    twk: int,
    birth_date: dt.date | None,
    birth_order: int | None = None,
    participant_number: str = "",
) -> tuple:
    """A sort key (ascending) that orders applicants by TIE_BREAK, the older applicant first.

    birth_order keeps "older first" once the retention job blanked the birth date (a missing date or
    order sorts last); the participant number only makes the order total."""
    scores = {"skd_total": skd_total, "tkp": tkp, "tiu": tiu, "twk": twk}
    key: list = []
    for field, direction in TIE_BREAK:
        if field == "birth_date":
            key += [_last_if_missing(birth_date and birth_date.toordinal()), _last_if_missing(birth_order)]
        else:
            key.append(-scores[field] if direction == "desc" else scores[field])
    return (*key, participant_number)


def _last_if_missing(value: int | None) -> tuple[int, int]:
    return (1, 0) if value is None else (0, value)


def passes_final(*, final_rank: int | None, quota: int) -> bool:
    """Lulus: ranked (advanced and scored in SKB) and within the formation's quota."""
    return final_rank is not None and final_rank <= quota


def rubric_from_parameters(parameters: Mapping) -> tuple[Mapping, ...]:
    """The rubric of an SKB rubric rule version's parameters (an item stored without max: 0-100)."""
    return tuple(
        {
            "key": item["key"],
            "label": item["label"],
            "weight": int(item["weight"]),
            "max": int(item.get("max", RUBRIC_ITEM_MAX)),
        }
        for item in parameters["items"]
    )


def rubric_score(items: Mapping, *, rubric: Sequence[Mapping] = DEFAULT_RUBRIC) -> Decimal:
    """Sum over the items of score/max x weight (so 0-100), computed exactly and rounded half up to
    2 decimals; an item outside 0..max (or missing) is refused naming it."""
    total = Fraction(0)
    for criterion in rubric:
        top = criterion.get("max", RUBRIC_ITEM_MAX)
        value = items.get(criterion["key"])
        if value is None or not 0 <= Decimal(str(value)) <= top:
            raise ValidationError(
                _("%(criterion)s must be a score from 0 to %(max)s.")
                % {"criterion": criterion["label"], "max": top}
            )
        total += Fraction(Decimal(str(value))) * criterion["weight"] / top
    hundredths = math.floor(total * 10**SKB_SCORE_PLACES + Fraction(1, 2))
    return Decimal(hundredths).scaleb(-SKB_SCORE_PLACES)
