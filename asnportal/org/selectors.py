"""Reads of the organisation core: querysets with the joins a page needs."""

from django.db.models import Count, Q, QuerySet

from .models import Employee, Region, Unit


def employee_directory(*, region_ids, query: str = "", unit_id: int | None = None) -> QuerySet[Employee]:
    """The HR directory: active and retired staff of the officer's regions, one query per page."""
    qs = Employee.objects.filter(region_id__in=list(region_ids)).select_related(
        "region", "unit", "position", "supervisor"
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(nip__startswith=query))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("name", "pk")


def units_for_regions(*, region_ids) -> QuerySet[Unit]:
    return Unit.objects.filter(region_id__in=list(region_ids), is_active=True).select_related("region")


def region_headcount_by_unit(*, region: Region) -> list[dict]:
    """Active headcount per unit of one region, aggregated in the database."""
    return list(
        Employee.objects.filter(region=region, status=Employee.Status.ACTIVE)
        .values("unit__name")
        .annotate(total=Count("id"), pns=Count("id", filter=Q(kind=Employee.Kind.PNS)))
        .order_by("-total", "unit__name")
    )


def subordinates_of(*, employee: Employee) -> QuerySet[Employee]:
    return Employee.objects.filter(supervisor=employee, status=Employee.Status.ACTIVE).select_related(
        "unit", "position"
    )
