"""Reads of the API: each returns the queryset one operation pages through, scoped to a region."""

from django.db.models import QuerySet

from asnportal.org.models import Employee, Position, Region, Unit
from performance.models import Period
from training.models import Enrollment
from training.selectors import employees_with_jp

from .models import ApiToken


def token_by_prefix(*, prefix: str) -> ApiToken | None:
    return ApiToken.objects.select_related("region").filter(prefix=prefix).first()


def regions_of(*, region_ids) -> QuerySet[Region]:
    """The regions a token may be made for: the officer's."""
    return Region.objects.filter(pk__in=region_ids)


def region_by_code(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def tokens_for_regions(*, region_ids) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(region_id__in=list(region_ids))
        .select_related("region", "created_by", "user")
        .order_by("revoked_at", "-created_at")
    )


def employees_of_region(*, region_id: int, unit_id: int | None = None, query: str = "") -> QuerySet[Employee]:
    qs = Employee.objects.filter(region_id=region_id).select_related("unit", "position", "supervisor")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if query:
        qs = qs.filter(name__icontains=query) if not query.isdigit() else qs.filter(nip__startswith=query)
    return qs.order_by("name", "pk")


def employee_of_region(*, region_id: int, nip: str) -> Employee | None:
    return employees_of_region(region_id=region_id).filter(nip=nip).first()


def units_of_region(*, region_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(region_id=region_id).select_related("parent").order_by("name", "pk")


def positions_of_region(*, region_id: int) -> QuerySet[Position]:
    return Position.objects.filter(region_id=region_id).order_by("name", "level", "pk")


def completed_training(*, region_id: int, year: int) -> QuerySet[Enrollment]:
    """Completed enrollments of the region's employees in `year`, with the JP each granted."""
    return (
        Enrollment.objects.filter(
            employee__region_id=region_id,
            status=Enrollment.Status.COMPLETED,
            completed_on__year=year,
        )
        .select_related("employee", "session", "session__programme")
        .order_by("completed_on", "employee__nip", "pk")
    )


def jp_per_employee(*, region_id: int, year: int) -> QuerySet[Employee]:
    """Active employees with their JP of `year` (training's one-query annotation)."""
    return employees_with_jp(region_ids=[region_id], year=year).order_by("name", "pk")


def periods_of_region(*, region_id: int) -> list[Period]:
    return list(Period.objects.filter(region_id=region_id).order_by("-year", "-kind"))


def period_find(*, region_id: int, year: int, kind: str) -> Period | None:
    return Period.objects.filter(region_id=region_id, year=year, kind=kind).first()
