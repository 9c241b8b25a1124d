"""The SKP plan: its results, KPIs and weight total, and the periods of a region."""

from decimal import Decimal

from django.db.models import QuerySet, Sum

from asnportal.org.models import Employee

from ..models import Indicator, Period, Plan, WorkResult


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
