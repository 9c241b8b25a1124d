"""Reads of workforce planning: workload needs, ratio needs, gaps and retirements, proposals.

Other apps (recruitment, reports) may call: retirements_due, retirement_age_for, proposal_formations,
proposals_ready_for_selection.
"""

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Position, PositionKind, PositionLevel

from .models import (
    DEFAULT_EFFECTIVE_HOURS,
    FormationProposal,
    FormationProposalRow,
    RegionFigure,
    RegionPlanningSetting,
    RetirementAge,
    ServiceRatio,
    WorkloadAnalysis,
    WorkloadTask,
)

# Batas usia pensiun, UU 5/2014 art. 90 and PP 11/2017 art. 239 (kept by UU 20/2023): 58 for
# administrative posts and functional ahli pertama/muda and keterampilan, 60 for JPT and ahli madya,
# 65 for ahli utama. A level-specific entry wins over the type's entry (level "").
DEFAULT_RETIREMENT_AGES: dict[tuple[str, str], int] = {
    (PositionKind.JPT_UTAMA, ""): 60,
    (PositionKind.JPT_MADYA, ""): 60,
    (PositionKind.JPT_PRATAMA, ""): 60,
    (PositionKind.ADMINISTRATOR, ""): 58,
    (PositionKind.PENGAWAS, ""): 58,
    (PositionKind.PELAKSANA, ""): 58,
    (PositionKind.FUNGSIONAL_KEAHLIAN, ""): 58,
    (PositionKind.FUNGSIONAL_KEAHLIAN, PositionLevel.AHLI_MADYA): 60,
    (PositionKind.FUNGSIONAL_KEAHLIAN, PositionLevel.AHLI_UTAMA): 65,
    (PositionKind.FUNGSIONAL_KETERAMPILAN, ""): 58,
}
FALLBACK_RETIREMENT_AGE = 58


# --- settings ------------------------------------------------------------------------------------


def effective_hours(*, region_id: int) -> int:
    found = RegionPlanningSetting.objects.filter(region_id=region_id).values_list(
        "effective_hours", flat=True
    )
    return next(iter(found), DEFAULT_EFFECTIVE_HOURS)


def retirement_ages(*, region_id: int) -> dict[tuple[str, str], int]:
    """Effective retirement ages of a region: the defaults, overridden by the region's rows."""
    ages = dict(DEFAULT_RETIREMENT_AGES)
    for kind, level, age in RetirementAge.objects.filter(region_id=region_id).values_list(
        "kind", "level", "age"
    ):
        ages[(kind, level)] = age
    return ages


def _age_in(ages: dict[tuple[str, str], int], kind: str, level: str) -> int:
    return ages.get((kind, level)) or ages.get((kind, "")) or FALLBACK_RETIREMENT_AGE


def retirement_age_for(position: Position) -> int:
    """The retirement age that applies to holders of the position (one query)."""
    return _age_in(retirement_ages(region_id=position.region_id), position.kind, position.level)


def retirement_table(*, region_id: int) -> list[dict]:
    """Every position type and level with its effective age, for the settings page."""
    ages = retirement_ages(region_id=region_id)
    rows = []
    for kind, kind_label in PositionKind.choices:
        rows.append(
            {
                "kind": kind,
                "kind_label": kind_label,
                "level": "",
                "level_label": "",
                "age": _age_in(ages, kind, ""),
            }
        )
        for level, level_label in PositionLevel.choices:
            if (kind, level) in ages or _allowed_level(kind, level):
                rows.append(
                    {
                        "kind": kind,
                        "kind_label": kind_label,
                        "level": level,
                        "level_label": level_label,
                        "age": _age_in(ages, kind, level),
                    }
                )
    return rows


def _allowed_level(kind: str, level: str) -> bool:
    from asnportal.org.models import LEVELS_BY_KIND

    return level in LEVELS_BY_KIND.get(kind, ())


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retirement_date(birth_date: dt.date, age: int) -> dt.date:
    """The day an employee reaches the retirement age (their birthday in that year)."""
    return add_years(birth_date, age)


def _retiring_q(ages: dict[tuple[str, str], int], *, on: dt.date, years: int, prefix: str = "") -> Q:
    """Employees who reach their retirement age before on + years (already past it included).

    reaching date < end  <=>  birth_date < end - age years; one cut-off date per position type.
    """
    end = add_years(on, years)
    whens = []
    # Level-specific ages first so that they win over the type's age.
    for (kind, level), age in sorted(ages.items(), key=lambda item: item[0][1] == ""):
        condition = Q(**{f"{prefix}position__kind": kind})
        if level:
            condition &= Q(**{f"{prefix}position__level": level})
        whens.append(When(condition, then=Value(add_years(end, -age))))
    cutoff = Case(*whens, default=Value(add_years(end, -FALLBACK_RETIREMENT_AGE)), output_field=DateField())
    return Q(**{f"{prefix}birth_date__lt": cutoff})


def retirements_due(*, region_id: int, on: dt.date, years: int = 5) -> list[dict]:
    """Active employees reaching retirement age before `on` + `years`, counted per unit and position.

    Each dict: unit_id, unit_name, position_id, position_name, count. Aggregated in SQL.
    """
    ages = retirement_ages(region_id=region_id)
    rows = (
        Employee.objects.filter(region_id=region_id, status=Employee.Status.ACTIVE)
        .filter(_retiring_q(ages, on=on, years=years))
        .values("unit_id", "unit__name", "position_id", "position__name")
        .annotate(count=Count("id"))
        .order_by("unit__name", "position__name")
    )
    return [
        {
            "unit_id": r["unit_id"],
            "unit_name": r["unit__name"],
            "position_id": r["position_id"],
            "position_name": r["position__name"],
            "count": r["count"],
        }
        for r in rows
    ]


# --- workload analysis (ABK) -----------------------------------------------------------------------

MINUTES = DecimalField(max_digits=24, decimal_places=4)


def _task_minutes(prefix: str = "") -> Case:
    product = F(f"{prefix}volume") * F(f"{prefix}standard_time")
    return Case(
        When(**{f"{prefix}time_unit": WorkloadTask.TimeUnit.HOURS}, then=product * Value(60)),
        default=product,
        output_field=MINUTES,
    )


def workload_need(total_minutes: Decimal | int, hours_per_year: int) -> tuple[Decimal, int]:
    """ABK: needed staff = Σ(volume × standard time) ÷ effective hours per year.

    Returns the exact figure (two decimals, for display) and the posts: rounded half up on the
    exact value (1.49 -> 1, 1.50 -> 2).
    """
    exact = Decimal(total_minutes) / Decimal(60) / Decimal(hours_per_year)
    return exact.quantize(Decimal("0.01"), ROUND_HALF_UP), int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def _in_post_subquery(unit_ref: str = "unit_id", position_ref: str = "position_id") -> Coalesce:
    counted = (
        Employee.objects.filter(
            unit_id=OuterRef(unit_ref), position_id=OuterRef(position_ref), status=Employee.Status.ACTIVE
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def workload_analyses(*, region_id: int, year: int, unit_id: int | None = None) -> list[WorkloadAnalysis]:
    """The year's analyses with total minutes, exact and rounded need and staff in post (2 queries)."""
    hours = effective_hours(region_id=region_id)
    qs = (
        WorkloadAnalysis.objects.filter(region_id=region_id, year=year)
        .select_related("unit", "position")
        .annotate(
            total_minutes=Coalesce(Sum(_task_minutes("tasks__")), Value(Decimal(0)), output_field=MINUTES),
            task_count=Count("tasks"),
            in_post=_in_post_subquery(),
        )
        .order_by("unit__name", "position__name")
    )
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    result = list(qs)
    for a in result:
        a.total_hours = (a.total_minutes / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)
        a.needed_exact, a.needed = workload_need(a.total_minutes, hours)
        a.gap = a.needed - a.in_post
    return result


def workload_detail(*, analysis: WorkloadAnalysis) -> dict:
    hours = effective_hours(region_id=analysis.region_id)
    tasks = list(analysis.tasks.annotate(minutes=_task_minutes()).order_by("pk"))
    total = sum((t.minutes for t in tasks), Decimal(0))
    exact, needed = workload_need(total, hours)
    in_post = Employee.objects.filter(
        unit_id=analysis.unit_id, position_id=analysis.position_id, status=Employee.Status.ACTIVE
    ).count()
    return {
        "tasks": tasks,
        "total_minutes": total,
        "total_hours": (total / 60).quantize(Decimal("0.01"), ROUND_HALF_UP),
        "effective_hours": hours,
        "needed_exact": exact,
        "needed": needed,
        "in_post": in_post,
        "gap": needed - in_post,
    }


# --- service ratios ---------------------------------------------------------------------------------


def ratio_need(figure: int, staff: Decimal, per: int) -> int:
    """Staff needed to meet a ratio of `staff` per `per`: figure × staff ÷ per, rounded up."""
    return math.ceil(Decimal(figure) * Decimal(staff) / Decimal(per))


def ratio_rows(*, region_id: int, year: int) -> list[ServiceRatio]:
    """Ratios with the year's figure, the derived need and staff in post (1 query)."""
    figure = RegionFigure.objects.filter(
        region_id=OuterRef("region_id"), year=year, measure=OuterRef("measure")
    )
    qs = (
        ServiceRatio.objects.filter(region_id=region_id)
        .select_related("unit", "position")
        .annotate(figure=Subquery(figure.values("value")[:1]), in_post=_in_post_subquery())
        .order_by("name")
    )
    rows = list(qs)
    for r in rows:
        r.needed = None if r.figure is None else ratio_need(r.figure, r.staff, r.per)
        r.gap = None if r.needed is None else r.needed - r.in_post
    return rows


def figures(*, region_id: int) -> list[RegionFigure]:
    return list(RegionFigure.objects.filter(region_id=region_id).order_by("-year", "measure"))


# --- gaps and retirements ---------------------------------------------------------------------------


def _gap_row(
    table: dict, unit_id: int, unit_name: str, position_id: int, position_name: str, kind: str
) -> dict:
    """The row of (unit, position), added empty the first time one of the sources names it."""
    key = (unit_id, position_id)
    if key not in table:
        table[key] = {
            "unit_id": unit_id,
            "unit_name": unit_name,
            "position_id": position_id,
            "position_name": position_name,
            "position_kind": kind,
            "abk_need": None,
            "ratio_need": None,
            "in_post": 0,
            "retiring": 0,
        }
    return table[key]


def _gap_row_of(table: dict, item) -> dict:
    """The row of a workload analysis or a service ratio (each names its unit and position)."""
    return _gap_row(
        table, item.unit_id, item.unit.name, item.position_id, item.position.name, item.position.kind
    )


def _staff_counts(*, region_id: int, on: dt.date, years: int):
    """Active employees per unit and position: in post, and retiring within `years` of `on`."""
    ages = retirement_ages(region_id=region_id)
    return (
        Employee.objects.filter(region_id=region_id, status=Employee.Status.ACTIVE)
        .values("unit_id", "unit__name", "position_id", "position__name", "position__kind")
        .annotate(in_post=Count("id"), retiring=Count("id", filter=_retiring_q(ages, on=on, years=years)))
        .order_by()
    )


def _with_gaps(r: dict) -> dict:
    """needed = the higher of the known needs; gap_now = needed − in post; gap_future = gap_now + retiring."""
    needs = [n for n in (r["abk_need"], r["ratio_need"]) if n is not None]
    r["needed"] = max(needs) if needs else None
    r["gap_now"] = None if r["needed"] is None else r["needed"] - r["in_post"]
    r["gap_future"] = None if r["needed"] is None else r["needed"] - r["in_post"] + r["retiring"]
    return r


def gap_rows(*, region_id: int, year: int, on: dt.date, years: int = 5) -> list[dict]:
    """Per unit and position: needed (the higher of ABK and ratio needs), in post, retiring, gaps.

    gap_now = needed − in post; gap_future = needed − (in post − retiring). Four aggregate queries.
    """
    table: dict[tuple[int, int], dict] = {}
    for s in _staff_counts(region_id=region_id, on=on, years=years):
        r = _gap_row(
            table, s["unit_id"], s["unit__name"], s["position_id"], s["position__name"], s["position__kind"]
        )
        r["in_post"], r["retiring"] = s["in_post"], s["retiring"]
    for a in workload_analyses(region_id=region_id, year=year):
        _gap_row_of(table, a)["abk_need"] = a.needed
    for ratio in ratio_rows(region_id=region_id, year=year):
        if ratio.needed is None:
            continue
        r = _gap_row_of(table, ratio)
        r["ratio_need"] = max(r["ratio_need"] or 0, ratio.needed)
    result = [_with_gaps(r) for r in table.values()]
    result.sort(key=lambda r: (r["unit_name"], r["position_name"]))
    return result


def gap_chart(rows: list[dict]) -> dict:
    """Totals per unit for the chart over the positions whose need is known: needed, in post, retiring."""
    units: dict[int, dict] = {}
    for r in rows:
        if r["needed"] is None:
            continue
        u = units.setdefault(r["unit_id"], {"name": r["unit_name"], "needed": 0, "in_post": 0, "retiring": 0})
        u["needed"] += r["needed"]
        u["in_post"] += r["in_post"]
        u["retiring"] += r["retiring"]
    ordered = sorted(units.values(), key=lambda u: u["name"])
    return {
        "labels": [u["name"] for u in ordered],
        "needed": [u["needed"] for u in ordered],
        "in_post": [u["in_post"] for u in ordered],
        "retiring": [u["retiring"] for u in ordered],
        "series": [str(_("Needed")), str(_("In post")), str(_("Retiring"))],
    }


# --- formation proposals ------------------------------------------------------------------------------


def proposals(*, region_ids) -> list[FormationProposal]:
    return list(
        FormationProposal.objects.filter(region_id__in=list(region_ids))
        .select_related("region")
        .annotate(row_count=Count("rows"), total_quota=Coalesce(Sum("rows__quota"), 0))
        .order_by("-year", "region__name")
    )


def proposal_rows(*, proposal: FormationProposal) -> list[FormationProposalRow]:
    return list(proposal.rows.select_related("unit", "position").order_by("unit__name", "position__name"))


def proposal_has_row(*, proposal: FormationProposal, row_id: int) -> bool:
    """Whether the row belongs to this proposal (a row of another one is not found, not "deleted")."""
    return proposal.rows.filter(pk=row_id).exists()


def proposal_formations(*, proposal_id: int) -> list[dict]:
    """The formations of an approved proposal, for recruitment to open a selection from.

    Each dict: position_id, unit_id, education, quota (plus position_name, unit_name, justification).
    Raises ValidationError when the proposal is not approved.
    """
    proposal = FormationProposal.objects.get(pk=proposal_id)
    if proposal.status != FormationProposal.Status.APPROVED:
        raise ValidationError(_("Only an approved formation proposal can open a selection."))
    return [
        {
            "position_id": r.position_id,
            "unit_id": r.unit_id,
            "education": r.education,
            "quota": r.quota,
            "position_name": str(r.position),
            "unit_name": r.unit.name,
            "justification": r.justification,
        }
        for r in proposal_rows(proposal=proposal)
    ]


def proposals_ready_for_selection(*, region_id: int) -> list[FormationProposal]:
    """Approved proposals of a region from which no selection has been opened yet."""
    return list(
        FormationProposal.objects.filter(
            region_id=region_id, status=FormationProposal.Status.APPROVED, selection_ref=""
        ).order_by("-year")
    )
