"""The training rules of DESIGN.md §4 and issue 4, as pure functions (no database, no clock).

Each rule lives in exactly one function or constant here: the yearly 20 JP right (PP 11/2017) and
its shortfall, the calendar years the JP are counted in, the leadership level of each position type
(PKN I, PKN II, PKA, PKP), the stated eligibility of a programme, the published priority of the fair
allocation, the enrollment window and the attendance needed to complete. The rank ladder is the
core's one (`asnportal.org.models.rank_step`); the models, services and selectors call these.
"""

import datetime as dt
import math
from collections.abc import Sequence

from django.utils.translation import gettext as _

from asnportal.org.models import PositionKind, rank_step

# --- the 20 JP right (PP 11/2017) ---------------------------------------------------------------
# Every PNS has the right to at least 20 JP of competency development a year.
JP_RIGHT_PER_YEAR = 20
# The allocation's third criterion counts the JP of this year and the two before.
JP_HISTORY_YEARS = 3


def jp_year(year: int) -> tuple[dt.date, dt.date]:
    """The days whose completed JP count for `year`: a calendar year, 1 January to 31 December."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def jp_history(year: int) -> tuple[dt.date, dt.date]:
    """The days of the allocation's JP history: `year` and the two calendar years before it."""
    return dt.date(year - JP_HISTORY_YEARS + 1, 1, 1), dt.date(year, 12, 31)


def jp_right_met(jp: int) -> bool:
    """Whether `jp` completed in a year reaches the yearly right (a total at 20 JP reaches it)."""
    return jp >= JP_RIGHT_PER_YEAR


def jp_shortfall(jp: int) -> int:
    """The JP still missing to reach the yearly right (never negative)."""
    return max(JP_RIGHT_PER_YEAR - jp, 0)


def jp_percent(jp: int) -> int:
    """How much of the yearly right `jp` covers, in whole percent, at most 100."""
    return min(100, round(100 * jp / JP_RIGHT_PER_YEAR))


# --- leadership levels (§4) ---------------------------------------------------------------------
# The leadership training each managerial position type attends, by programme kind.
LEADERSHIP_LEVELS: dict[str, PositionKind] = {
    "pkn_1": PositionKind.JPT_MADYA,
    "pkn_2": PositionKind.JPT_PRATAMA,
    "pka": PositionKind.ADMINISTRATOR,
    "pkp": PositionKind.PENGAWAS,
}


def leadership_position_kind(programme_kind: str) -> PositionKind | None:
    """The position type a leadership programme (PKN I/II, PKA, PKP) is for; None for other kinds."""
    return LEADERSHIP_LEVELS.get(programme_kind)


def default_position_kinds(programme_kind: str) -> list[str]:
    """The position types a programme is for when none are stated: its level for a leadership
    programme, else none (open to every position type)."""
    leadership = leadership_position_kind(programme_kind)
    return [str(leadership)] if leadership else []


# --- eligibility (issue 4: no barrier beyond the stated rule) ------------------------------------


def rank_reaches(rank: str | None, minimum: str | None) -> bool:
    """Whether a rank is at or above a programme's minimum rank on the one ladder (no minimum: yes)."""
    if not minimum:
        return True
    mine = rank_step(rank)
    return mine is not None and mine >= rank_step(minimum)


def position_kinds_label(kinds: Sequence[str]) -> str:
    return ", ".join(str(PositionKind(k).label) for k in kinds)


def eligibility_reasons(
    *,
    active: bool,
    other_region: bool,
    position_kind: str,
    position_kind_label: str,
    eligible_kinds: Sequence[str],
    rank: str | None,
    min_rank: str | None,
) -> list[str]:
    """Why an employee may not request a seat (empty: eligible). The programme's rule is data: the
    position types it is for (empty = all) and a minimum rank (empty = none); the employee must be
    active and, for a regional programme, of its region."""
    reasons: list[str] = []
    if not active:
        reasons.append(_("Only active employees can enroll."))
    if other_region:
        reasons.append(_("This programme is for employees of another region."))
    if eligible_kinds and position_kind not in eligible_kinds:
        reasons.append(
            _("This programme is for position type %(kinds)s; your position is %(mine)s.")
            % {"kinds": position_kinds_label(eligible_kinds), "mine": position_kind_label}
        )
    if not rank_reaches(rank, min_rank):
        reasons.append(
            _("This programme requires rank %(rank)s or higher; yours is %(mine)s.")
            % {"rank": min_rank, "mine": rank}
        )
    return reasons


def eligibility_text(*, eligible_kinds: Sequence[str], min_rank: str | None) -> str:
    """The stated rule in words, as the catalog shows it."""
    parts = []
    if eligible_kinds:
        parts.append(_("position type: %s") % position_kinds_label(eligible_kinds))
    if min_rank:
        parts.append(_("rank %s or higher") % min_rank)
    return "; ".join(parts) if parts else _("open to every active employee")


# --- the enrollment window ----------------------------------------------------------------------


def window_state(*, today: dt.date, opens: dt.date, closes: dt.date) -> str:
    """ "upcoming" before the opening day, "open" from it to the closing day included, then "closed"."""
    if today < opens:
        return "upcoming"
    if today <= closes:
        return "open"
    return "closed"


# --- fair allocation (issue 4) ------------------------------------------------------------------


def allocation_priority(*, below_20: bool, is_remote: bool, jp_three_years: int, draw: float) -> tuple:
    """The published priority (issue 4), smaller first: below 20 JP this year, then remote-area
    staff, then fewest JP in the last three calendar years (this one and the two before), then a
    random draw from the seed recorded on the session."""
    return (not below_20, not is_remote, jp_three_years, draw)


def seats_admitted(*, free: int, requests: int) -> int:
    """How many of the ranked requests get a seat: the first `free` of them (never below zero)."""
    return max(0, min(free, requests))


# --- completion ---------------------------------------------------------------------------------


def completion_days_needed(*, days: int, min_attendance_pct: int) -> int:
    """Days a participant must attend to complete: the programme's share of the days, rounded up."""
    return max(1, math.ceil(days * min_attendance_pct / 100))
