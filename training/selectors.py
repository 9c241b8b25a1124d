"""Reads of the training app: querysets with the joins and SQL aggregates each page needs."""

import datetime as dt
import logging

from django.db import NotSupportedError
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from asnportal.org.models import Employee

from .models import JP_RIGHT_PER_YEAR, Competency, Enrollment, Feedback, Material, Programme, Session

logger = logging.getLogger(__name__)


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# ----- JP ------------------------------------------------------------------------------------


def jp_totals(*, employee_ids: list[int], year: int) -> dict[int, tuple[int, int]]:
    """{employee id: (JP completed in `year`, JP completed in `year` and the two years before)}."""
    if not employee_ids:
        return {}
    rows = (
        Enrollment.objects.filter(
            employee_id__in=employee_ids,
            status=Enrollment.Status.COMPLETED,
            completed_on__gte=dt.date(year - 2, 1, 1),
            completed_on__lte=dt.date(year, 12, 31),
        )
        .order_by()
        .values("employee_id")
        .annotate(
            this_year=Coalesce(Sum("jp_granted", filter=Q(completed_on__gte=dt.date(year, 1, 1))), 0),
            three_years=Sum("jp_granted"),
        )
    )
    return {r["employee_id"]: (r["this_year"], r["three_years"]) for r in rows}


def jp_of(*, employee_id: int, year: int) -> int:
    return jp_totals(employee_ids=[employee_id], year=year).get(employee_id, (0, 0))[0]


def _jp_year_subquery(year: int):
    start, end = _year_range(year)
    total = (
        Enrollment.objects.filter(
            employee_id=OuterRef("pk"),
            status=Enrollment.Status.COMPLETED,
            completed_on__gte=start,
            completed_on__lte=end,
        )
        .order_by()
        .values("employee_id")
        .annotate(s=Sum("jp_granted"))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def employees_with_jp(*, region_ids, year: int) -> QuerySet[Employee]:
    return (
        Employee.objects.filter(region_id__in=list(region_ids), status=Employee.Status.ACTIVE)
        .annotate(jp=_jp_year_subquery(year))
        .select_related("unit", "position", "region")
    )


def below_20(*, region_ids, year: int, unit_id: int | None = None) -> QuerySet[Employee]:
    """Active staff of the regions below the 20 JP right this year, fewest JP first (one query)."""
    qs = (
        employees_with_jp(region_ids=region_ids, year=year)
        .filter(jp__lt=JP_RIGHT_PER_YEAR)
        .annotate(jp_missing=Value(JP_RIGHT_PER_YEAR) - F("jp"))
    )
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("jp", "unit__name", "name", "pk")


def below_20_by_unit(*, region_ids, year: int) -> list[dict]:
    """Per unit: active staff, how many are below 20 JP, their mean JP (aggregated in SQL)."""
    return list(
        employees_with_jp(region_ids=region_ids, year=year)
        .order_by()
        .values("unit_id", "unit__name", "region__name")
        .annotate(
            staff=Count("id"),
            below=Count("id", filter=Q(jp__lt=JP_RIGHT_PER_YEAR)),
            mean_jp=Avg("jp"),
        )
        .order_by("region__name", "unit__name")
    )


def jp_summary(*, region_id: int, year: int) -> dict:
    """Training figures of a region for a year, computed with SQL aggregates (for the reports).

    mean/median JP per active employee, share reaching 20 JP, seats offered and taken in sessions
    starting that year, completions, and participation of remote and non-remote staff.
    """
    start, end = _year_range(year)
    participated = Enrollment.objects.filter(
        employee_id=OuterRef("pk"),
        status__in=[Enrollment.Status.ADMITTED, Enrollment.Status.COMPLETED, Enrollment.Status.NOT_COMPLETED],
        session__start_date__gte=start,
        session__start_date__lte=end,
    )
    staff = employees_with_jp(region_ids=[region_id], year=year).annotate(took_part=Exists(participated))
    agg = staff.aggregate(
        n=Count("id"),
        mean=Avg("jp"),
        reached=Count("id", filter=Q(jp__gte=JP_RIGHT_PER_YEAR)),
        remote=Count("id", filter=Q(is_remote=True)),
        remote_part=Count("id", filter=Q(is_remote=True, took_part=True)),
        other=Count("id", filter=Q(is_remote=False)),
        other_part=Count("id", filter=Q(is_remote=False, took_part=True)),
    )
    n = agg["n"]
    median = 0.0
    if n:
        middle = list(staff.order_by("jp", "pk").values_list("jp", flat=True)[(n - 1) // 2 : n // 2 + 1])
        median = sum(middle) / len(middle)
    seats = Session.objects.filter(region_id=region_id, start_date__gte=start, start_date__lte=end).aggregate(
        offered=Coalesce(Sum("capacity"), 0), taken=Coalesce(Sum("seats_taken"), 0), sessions=Count("id")
    )
    completions = Enrollment.objects.filter(
        employee__region_id=region_id,
        status=Enrollment.Status.COMPLETED,
        completed_on__gte=start,
        completed_on__lte=end,
    ).aggregate(n=Count("id"), jp=Coalesce(Sum("jp_granted"), 0))

    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 0.0

    return {
        "region_id": region_id,
        "year": year,
        "employees": n,
        "mean_jp": round(float(agg["mean"] or 0), 2),
        "median_jp": median,
        "share_reaching_20": share(agg["reached"], n),
        "sessions": seats["sessions"],
        "seats_offered": seats["offered"],
        "seats_taken": seats["taken"],
        "completions": completions["n"],
        "jp_granted": completions["jp"],
        "remote_employees": agg["remote"],
        "remote_participation": share(agg["remote_part"], agg["remote"]),
        "non_remote_employees": agg["other"],
        "non_remote_participation": share(agg["other_part"], agg["other"]),
    }


# ----- catalog -------------------------------------------------------------------------------


def session_visible_to(*, session: Session, employee: Employee) -> bool:
    """An employee sees the sessions of their region and every session of a national programme."""
    return session.region_id == employee.region_id or session.programme.region_id is None


def catalog_sessions(*, employee: Employee, today: dt.date) -> QuerySet[Session]:
    return (
        Session.objects.filter(Q(region_id=employee.region_id) | Q(programme__region__isnull=True))
        .filter(programme__is_active=True, end_date__gte=today)
        .select_related("programme", "region")
        .prefetch_related(Prefetch("programme__competencies", queryset=Competency.objects.order_by("name")))
        .order_by("start_date", "pk")
    )


def session_for_employee(*, employee: Employee, pk: int) -> Session | None:
    return (
        Session.objects.filter(Q(region_id=employee.region_id) | Q(programme__region__isnull=True), pk=pk)
        .select_related("programme", "region")
        .first()
    )


def materials_of(*, programme: Programme) -> QuerySet[Material]:
    return programme.materials.all()


def enrollment_map(*, employee: Employee, session_ids: list[int]) -> dict[int, Enrollment]:
    rows = Enrollment.objects.filter(employee=employee, session_id__in=session_ids).exclude(
        status=Enrollment.Status.CANCELLED
    )
    return {e.session_id: e for e in rows}


def current_enrollment(*, employee: Employee, session: Session) -> Enrollment | None:
    return (
        Enrollment.objects.filter(employee=employee, session=session)
        .exclude(status=Enrollment.Status.CANCELLED)
        .annotate(days_present=Count("attendance", filter=Q(attendance__present=True)))
        .first()
    )


def ranked_count(*, session: Session) -> int:
    return Enrollment.objects.filter(session=session, rank__isnull=False).count()


def my_enrollments(*, employee: Employee) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(employee=employee)
        .select_related("session__programme", "session__region", "feedback")
        .annotate(days_present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("-session__start_date", "-pk")
    )


# ----- HR ------------------------------------------------------------------------------------


def programmes_for_regions(*, region_ids) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(Q(region_id__in=list(region_ids)) | Q(region__isnull=True))
        .select_related("region")
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("title", "pk")
    )


def sessions_for_regions(*, region_ids) -> QuerySet[Session]:
    return (
        Session.objects.filter(region_id__in=list(region_ids))
        .select_related("programme", "region")
        .annotate(
            requests=Count("enrollments", filter=~Q(enrollments__status=Enrollment.Status.CANCELLED)),
            waitlisted=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
        )
        .order_by("-start_date", "pk")
    )


def session_participants(*, session: Session) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(session=session)
        .exclude(status=Enrollment.Status.CANCELLED)
        .select_related("employee__unit", "employee__position")
        .annotate(days_present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("rank", "pk")
    )


def admitted_choices(*, session: Session) -> list[tuple[int, str]]:
    return list(
        Enrollment.objects.filter(session=session, status=Enrollment.Status.ADMITTED)
        .order_by("employee__name", "pk")
        .values_list("pk", "employee__name")
    )


def present_ids_on(*, session: Session, day: dt.date) -> list[int]:
    return list(
        Enrollment.objects.filter(session=session, attendance__day=day, attendance__present=True).values_list(
            "pk", flat=True
        )
    )


def programme_results(*, programme: Programme, region_ids) -> dict:
    """Feedback per session of a programme in the regions and overall (aggregated in SQL)."""
    feedback = Feedback.objects.filter(
        enrollment__session__programme=programme, enrollment__session__region_id__in=list(region_ids)
    )
    overall = feedback.aggregate(n=Count("id"), session=Avg("session_rating"), trainer=Avg("trainer_rating"))
    per_session = list(
        feedback.order_by()
        .values("enrollment__session_id", "enrollment__session__name", "enrollment__session__trainer")
        .annotate(n=Count("id"), session=Avg("session_rating"), trainer=Avg("trainer_rating"))
        .order_by("enrollment__session__name")
    )
    comments = list(
        feedback.exclude(comment="").order_by("-created_at").values_list("comment", flat=True)[:20]
    )
    return {"overall": overall, "sessions": per_session, "comments": comments}


def certificate_by_code(*, code: str) -> Enrollment | None:
    return (
        Enrollment.objects.filter(certificate_code=code.strip().upper(), status=Enrollment.Status.COMPLETED)
        .select_related("employee", "session__programme", "session__region")
        .first()
    )


# ----- training needs ------------------------------------------------------------------------


def low_rated_competencies(*, employee_ids: list[int]) -> dict[int, list[str]]:
    """The performance app's appraisal gaps, or {} while it does not offer them."""
    try:
        from performance import selectors as performance_selectors
    except ImportError:
        return {}
    fn = getattr(performance_selectors, "low_rated_competencies", None)
    if fn is None:
        return {}
    try:
        return fn(employee_ids=employee_ids) or {}
    except NotSupportedError:  # e.g. DISTINCT ON on the SQLite demo database: no suggestion, no crash
        logger.warning("performance.selectors.low_rated_competencies is not supported on this database")
        return {}


def training_suggestions(*, employee: Employee) -> dict:
    """Programmes that build the competencies rated below expectations in the employee's appraisal."""
    codes = low_rated_competencies(employee_ids=[employee.pk]).get(employee.pk, [])
    if not codes:
        return {"competencies": [], "programmes": []}
    programmes = (
        Programme.objects.filter(is_active=True, competencies__code__in=codes)
        .filter(Q(region_id=employee.region_id) | Q(region__isnull=True))
        .distinct()
        .prefetch_related("competencies")
        .order_by("title")
    )
    return {
        "competencies": list(Competency.objects.filter(code__in=codes).order_by("name")),
        "programmes": list(programmes),
    }
