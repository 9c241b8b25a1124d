"""Daily activity logs: the staff home, the supervisor's queue and team, KPI progress."""

import datetime as dt

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum

from asnportal.org.models import Employee

from ..models import ActivityLog, FeedbackMessage, Indicator, LogReminder, Plan
from .plans import open_periods


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
