"""Reads of the performance app: the joins and aggregates each page needs, and the API for other apps."""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Unit
from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind

from . import rules
from .models import (
    ActivityLog,
    Appraisal,
    FeedbackMessage,
    Indicator,
    LogReminder,
    Period,
    Plan,
    Predikat,
    Rating,
    TalentPotential,
    WorkResult,
)


def plan_of(*, employee: Employee, year: int) -> Plan:
    """The employee's plan of the year; an unsaved draft while there is none (reading writes nothing)."""
    return Plan.objects.filter(employee=employee, year=year).first() or Plan(employee=employee, year=year)


def supervisor_plan(*, employee: Employee, year: int) -> Plan | None:
    """The plan of the employee's supervisor of the same year, the one the employee's results cascade from."""
    if not employee.supervisor_id:
        return None
    return Plan.objects.filter(employee_id=employee.supervisor_id, year=year).first()


def plan_results(*, plan: Plan | None) -> QuerySet[WorkResult]:
    if plan is None or plan.pk is None:
        return WorkResult.objects.none()
    return WorkResult.objects.filter(plan=plan)


def plan_weight_total(plan: Plan, exclude_pk: int | None = None) -> Decimal:
    """Sum of the weights of the plan's KPIs still in force."""
    qs = Indicator.objects.filter(result__plan=plan, removed=False)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("weight"))["total"] or Decimal("0")


def plan_page(*, plan: Plan) -> dict:
    """The SKP page of a plan: its work results with their KPIs, the KPI weight total, its agreed versions."""
    if plan.pk is None:
        return {"results": [], "weight_total": Decimal("0"), "versions": []}
    return {
        "results": plan.results.prefetch_related("indicators").select_related("parent"),
        "weight_total": plan_weight_total(plan),
        "versions": plan.versions.all(),
    }


def open_periods(*, region_id: int) -> QuerySet[Period]:
    return Period.objects.filter(region_id=region_id).order_by("-year", "kind")


def reminded_on(*, employee: Employee, date: dt.date) -> bool:
    return LogReminder.objects.filter(employee=employee, date=date).exists()


def loggable_indicators(*, employee: Employee, year: int) -> QuerySet[Indicator]:
    """The employee's own agreed KPIs of the year: the only choices of a log."""
    return (
        Indicator.objects.filter(
            result__plan__employee=employee, result__plan__year=year, agreed_at__isnull=False, removed=False
        )
        .select_related("result")
        .order_by("pk")
    )


def employee_logs(*, employee: Employee) -> QuerySet[ActivityLog]:
    """The employee's logs, newest first (index log_employee_date), with the size of each thread."""
    return (
        ActivityLog.objects.filter(employee=employee)
        .select_related("indicator")
        .annotate(
            message_count=Subquery(
                FeedbackMessage.objects.filter(log=OuterRef("pk"))
                .values("log")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            )
        )
        .order_by("-date", "-pk")
    )


def review_queue(*, supervisor: Employee) -> QuerySet[ActivityLog]:
    """Waiting logs of the supervisor's direct reports, oldest first (partial index log_waiting_queue).

    Rows are dicts of the columns the queue shows: no evidence join, no employee's personal columns."""
    return (
        ActivityLog.objects.filter(employee__supervisor=supervisor, status=ActivityLog.Status.SUBMITTED)
        .order_by("date", "pk")
        .values(
            "pk",
            "date",
            "quantity",
            "description",
            "evidence_id",
            employee_name=F("employee__name"),
            indicator_text=F("indicator__text"),
            indicator_unit=F("indicator__unit"),
        )
    )


def log_thread(*, log: ActivityLog) -> QuerySet[FeedbackMessage]:
    return log.messages.select_related("author")


def kpi_progress(*, employees: list[int] | QuerySet, year: int) -> QuerySet[Indicator]:
    """Agreed KPIs of the employees' plans with approved and waiting realisation summed in SQL."""
    year_range = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    return (
        Indicator.objects.filter(result__plan__employee__in=employees, result__plan__year=year, removed=False)
        .select_related("result__plan__employee")
        .annotate(
            approved=Sum(
                "logs__quantity",
                filter=Q(logs__status=ActivityLog.Status.APPROVED, logs__date__range=year_range),
            ),
            waiting=Sum(
                "logs__quantity",
                filter=Q(logs__status=ActivityLog.Status.SUBMITTED, logs__date__range=year_range),
            ),
        )
        .order_by("result__plan__employee__name", "pk")
    )


def with_percent(indicators) -> list:
    rows = []
    for ind in indicators:
        ind.percent = min(int((ind.approved or 0) * 100 / ind.target), 100) if ind.target else 0
        rows.append(ind)
    return rows


def staff_home(*, employee: Employee, today: dt.date) -> dict:
    """The reads of the employee's home page: recent logs, this year's KPI progress and periods,
    and whether today's reminder went out."""
    progress = with_percent(kpi_progress(employees=[employee.pk], year=today.year))
    return {
        "recent": list(employee_logs(employee=employee)[:5]),
        "progress": progress,
        "periods": list(open_periods(region_id=employee.region_id).filter(year=today.year)),
        "reminded": reminded_on(employee=employee, date=today),
        "has_kpis": bool(progress),
    }


def team_members(*, supervisor: Employee) -> QuerySet[Employee]:
    plans = Plan.objects.filter(employee=OuterRef("pk")).order_by("-year")
    members = (
        Employee.objects.filter(supervisor=supervisor, status=Employee.Status.ACTIVE)
        .select_related("position", "unit")
        .annotate(
            plan_id=Subquery(plans.values("pk")[:1]),
            plan_status=Subquery(plans.values("status")[:1]),
            # A correlated count over the partial index log_waiting_queue, not a join over every log.
            waiting=Subquery(
                ActivityLog.objects.filter(employee=OuterRef("pk"), status=ActivityLog.Status.SUBMITTED)
                .values("employee")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
        )
        .order_by("name")
    )
    return members


def appraisals_of(*, employee: Employee) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(employee=employee)
        .select_related("period")
        .order_by("-period__year", "-period__kind", "-version")
    )


def period_appraisals(*, period: Period) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(period=period, is_current=True)
        .select_related("employee", "unit", "employee__position")
        .order_by("unit__name", "employee__name")
    )


def curve_version(*, period: Period):
    """The version of the distribution pattern a period is checked against: the one in force on its
    last day in its region (asnportal.regulations)."""
    return regulations.version_in_force(kind=RuleKind.CURVE, region_id=period.region_id, on=period.end)


def distribution(*, period: Period, version=None) -> list[dict]:
    """Predikat counts per unit for the period (one GROUP BY) with the curve warnings of §4, checked
    against `version` of the pattern (by default the one in force for the period)."""
    version = version or curve_version(period=period)
    curve = rules.curve_from_parameters(version.parameters)
    result = []
    for row in _unit_counts(Appraisal.objects.filter(period=period, is_current=True)):
        per = {p: row[p] for p, _l in Predikat.choices}
        result.append(
            {
                "unit_id": row["unit_id"],
                "unit": row["unit__name"],
                "total": row["total"],
                "counts": per,
                "cells": [(Predikat(p).label, per[p]) for p, _l in Predikat.choices],
                "warnings": rules.curve_warnings(per, period.org_rating, curve),
                "rule": version.label,
            }
        )
    return result


def _unit_counts(appraisals: QuerySet[Appraisal], *extra: str) -> QuerySet:
    counts = {p: Count("pk", filter=Q(predikat=p)) for p, _label in Predikat.choices}
    return (
        appraisals.values("unit_id", "unit__name", *extra)
        .annotate(total=Count("pk"), **counts)
        .order_by("unit__name", *extra)
    )


# --- effects of a proposed rule version (asnportal.regulations' preview, registered in apps.py) -----


def _latest_periods(region_ids: list[int]) -> QuerySet[Period]:
    """The current results: each region's latest period that has appraisals."""
    latest = (
        Period.objects.filter(region_id=OuterRef("region_id"), appraisals__is_current=True)
        .order_by("-end")
        .values("pk")[:1]
    )
    return Period.objects.filter(region_id__in=region_ids).filter(pk=Subquery(latest))


def _predikat_case(*, above_from: Decimal, meets_from: Decimal) -> tuple[Case, Case]:
    """The work rating and predikat under other thresholds, in SQL (the §4 matrix)."""
    work = Case(
        When(achievement__gte=above_from, then=Value(Rating.ABOVE.value)),
        When(achievement__gte=meets_from, then=Value(Rating.MEETS.value)),
        default=Value(Rating.BELOW.value),
    )
    whens = [
        When(Q(new_work=w) & Q(behaviour_rating=b), then=Value(rules.predikat_for(w, b)))
        for w in Rating.values
        for b in Rating.values
    ]
    return work, Case(*whens, default=F("predikat"))


def rule_preview_work_rating(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """How many current appraisals would move between predikat with these thresholds (one query)."""
    work, predikat = _predikat_case(
        above_from=Decimal(parameters["above_from"]), meets_from=Decimal(parameters["meets_from"])
    )
    rows = (
        Appraisal.objects.filter(period__in=_latest_periods(region_ids), is_current=True)
        .annotate(new_work=work)
        .annotate(new_predikat=predikat)
        .exclude(new_predikat=F("predikat"))
        .values("predikat", "new_predikat")
        .annotate(n=Count("pk"))
        .order_by("predikat", "new_predikat")
    )
    return [
        _("%(n)s employees move from %(old)s to %(new)s")
        % {"n": r["n"], "old": Predikat(r["predikat"]).label, "new": Predikat(r["new_predikat"]).label}
        for r in rows
    ]


def rule_preview_curve(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """How many units of the current periods break the pattern now and would with this version."""
    new_curve = rules.curve_from_parameters(parameters)
    periods = {p.pk: p for p in _latest_periods(region_ids)}
    current = {
        p.region_id: rules.curve_from_parameters(curve_version(period=p).parameters) for p in periods.values()
    }
    before = after = 0
    rows = _unit_counts(Appraisal.objects.filter(period__in=list(periods), is_current=True), "period_id")
    for row in rows:
        period = periods[row["period_id"]]
        per = {p: row[p] for p, _l in Predikat.choices}
        before += bool(rules.curve_breaches(per, period.org_rating, current[period.region_id]))
        after += bool(rules.curve_breaches(per, period.org_rating, new_curve))
    return [
        _("%(after)s work units break the distribution pattern (now %(before)s)")
        % {"after": after, "before": before}
    ]


def recognition(*, region_id: int, period: Period) -> QuerySet[Appraisal]:
    """Sangat Baik of the region and period: the list for awards (penghargaan)."""
    return period_appraisals(period=period).filter(period__region_id=region_id, predikat=Predikat.SANGAT_BAIK)


def _box_case() -> Case:
    whens = [
        When(
            Q(perf_level=level)
            & Q(potential_value=potential.value if hasattr(potential, "value") else potential),
            then=Value(box),
        )
        for (level, potential), box in rules.NINE_BOX.items()
    ]
    return Case(*whens, default=None, output_field=IntegerField())


def talent_rows(*, region_id: int, year: int | None = None) -> QuerySet[Employee]:
    """Employees of a region with their latest current predikat, potential and 9-box, in SQL."""
    latest = Appraisal.objects.filter(employee=OuterRef("pk"), is_current=True)
    potentials = TalentPotential.objects.filter(employee=OuterRef("pk"))
    if year is not None:
        latest = latest.filter(period__year=year)
        potentials = potentials.filter(year=year)
    latest = latest.order_by("-period__end", "-version")
    potentials = potentials.order_by("-year")
    level = Case(
        *[When(predikat_value=p.value, then=Value(lvl)) for p, lvl in rules.PERFORMANCE_LEVEL.items()],
        default=None,
    )
    return (
        Employee.objects.filter(region_id=region_id, status=Employee.Status.ACTIVE)
        .select_related("unit", "position")
        .annotate(
            predikat_value=Subquery(latest.values("predikat")[:1]),
            potential_value=Subquery(potentials.values("potential")[:1]),
        )
        .annotate(perf_level=level)
        .annotate(box=_box_case())
        .order_by("-box", "name")
    )


def talent_pool(*, region_id: int, year: int | None = None) -> QuerySet[Employee]:
    """Employees in boxes 7–9 (the talent pool) of a region; each row has `.box`."""
    return talent_rows(region_id=region_id, year=year).filter(box__in=rules.TALENT_POOL_BOXES)


def box_counts(*, region_id: int, year: int | None = None) -> dict[int, int]:
    rows = (
        talent_rows(region_id=region_id, year=year)
        .filter(box__isnull=False)
        .values("box")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(range(1, 10), 0)
    counts.update({r["box"]: r["n"] for r in rows.order_by()})
    return counts


def low_rated_competencies(*, employee_ids: list[int]) -> dict[int, list[str]]:
    """Employee id -> BerAKHLAK codes rated di bawah ekspektasi in their latest appraisal."""
    if not employee_ids:
        return {}
    # The latest current appraisal per employee, as a correlated subquery (portable: the demo runs
    # on SQLite, which has no DISTINCT ON).
    newest = (
        Appraisal.objects.filter(employee_id=OuterRef("employee_id"), is_current=True)
        .order_by("-period__end", "-version")
        .values("pk")[:1]
    )
    latest = Appraisal.objects.filter(
        employee_id__in=employee_ids, is_current=True, pk=Subquery(newest)
    ).values_list("employee_id", "behaviour")
    return {
        emp_id: sorted(code for code, rating in behaviour.items() if rating == Rating.BELOW)
        for emp_id, behaviour in latest
    }


def _staff_logging(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    # EXISTS per employee walks the (employee, date) index; a join would read every log first.
    logged = ActivityLog.objects.filter(employee_id=OuterRef("pk"), date__gte=start, date__lte=end)
    return Employee.objects.filter(region_id=region_id, status=Employee.Status.ACTIVE).aggregate(
        total=Count("pk"),
        logging=Count("pk", filter=Q(Exists(logged))),
    )


def _approval_latency(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    return ActivityLog.objects.filter(
        employee__region_id=region_id, date__gte=start, date__lte=end, reviewed_at__isnull=False
    ).aggregate(
        avg=Avg(ExpressionWrapper(F("reviewed_at") - F("created_at"), output_field=DurationField())),
        reviewed=Count("pk"),
    )


def _unit_predikat(*, region_id: int, start: dt.date, end: dt.date) -> dict[int, dict]:
    """Each unit's predikat counts over the periods ending in the range, with its curve warnings."""
    periods = Period.objects.filter(region_id=region_id, end__gte=start, end__lte=end).order_by("end")
    units: dict[int, dict] = {}
    counts = {p: Count("pk", filter=Q(predikat=p)) for p, _l in Predikat.choices}
    rows = (
        Appraisal.objects.filter(period__in=periods, is_current=True)
        .values("unit_id", "unit__name", "period__org_rating")
        .annotate(**counts)
        .order_by("unit__name")
    )
    for row in rows:
        unit = units.setdefault(
            row["unit_id"],
            {
                "unit": row["unit__name"],
                "org_rating": row["period__org_rating"],
                "predikat": dict.fromkeys(counts, 0),
            },
        )
        for p in counts:
            unit["predikat"][p] += row[p]
    # Checked against the pattern in force at the range's end in the region (asnportal.regulations).
    version = (
        regulations.version_in_force(kind=RuleKind.CURVE, region_id=region_id, on=end) if units else None
    )
    curve = rules.curve_from_parameters(version.parameters) if version else None
    for unit in units.values():
        unit["warnings"] = rules.curve_warnings(unit["predikat"], unit["org_rating"], curve)
        unit["rule"] = version.label
    return units


def performance_summary(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    """For reports: share of staff logging, approval latency, predikat per unit and curve warnings."""
    staff = _staff_logging(region_id=region_id, start=start, end=end)
    latency = _approval_latency(region_id=region_id, start=start, end=end)
    total = staff["total"] or 0
    return {
        "staff_total": total,
        "staff_logging": staff["logging"],
        "logging_share": (Decimal(staff["logging"]) / total).quantize(Decimal("0.0001"))
        if total
        else Decimal("0"),
        "reviewed_logs": latency["reviewed"],
        "approval_latency": latency["avg"],
        "units": _unit_predikat(region_id=region_id, start=start, end=end),
    }


def units_of_region(*, region_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(region_id=region_id).order_by("name")


def succession_slate(*, region_id: int, limit: int = 10) -> list[dict]:
    """Vacant managerial positions of a region with the talent-pool candidates (boxes 7–9) who meet
    the position's rank minimum, best box first. Two queries whatever the number of positions."""
    from asnportal.org.models import MANAGERIAL_KINDS, Position

    vacant = list(
        Position.objects.filter(region_id=region_id, kind__in=list(MANAGERIAL_KINDS))
        .annotate(holders=Count("employees", filter=Q(employees__status=Employee.Status.ACTIVE)))
        .filter(holders=0)
        .order_by("kind", "name")
    )
    pool = list(talent_pool(region_id=region_id).filter(kind=Employee.Kind.PNS))
    slate = []
    for position in vacant:
        candidates = [
            e
            for e in pool
            if e.position_id != position.pk
            and rules.meets_rank_minimum(rank=e.rank, position_kind=position.kind)
        ]
        slate.append(
            {
                "position": position,
                "min_rank": rules.MIN_RANK_FOR_MANAGERIAL.get(position.kind, ""),
                "candidates": candidates[:limit],
                "more": max(0, len(candidates) - limit),
            }
        )
    return slate
