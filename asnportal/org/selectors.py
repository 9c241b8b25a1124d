"""Reads of the organisation core: querysets with the joins a page needs."""

from django.db.models import Count, F, Q, QuerySet

from .importer import error_message
from .models import Employee, EmployeeImport, Unit


def directory_filter(*, region_ids, query: str = "", unit_id: int | None = None) -> QuerySet[Employee]:
    """The HR directory's employees: active and retired staff of the officer's regions, filtered."""
    qs = Employee.objects.filter(region_id__in=list(region_ids))
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(nip__startswith=query))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def directory_rows(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """A directory page's rows: dicts of the columns the page shows (a page of model objects with
    four related objects each cost more to build than to render). Count `employees` itself: the
    joins of the row columns would make the count of a large region 2-3x slower."""
    return employees.order_by("name", "pk").values(
        "pk", "name", "nip", "rank", "status", unit_name=F("unit__name"), position_name=F("position__name")
    )


def unit_choices_for_regions(*, region_ids) -> QuerySet:
    """(id, name) of the active units of the regions, for a filter's drop-down."""
    return Unit.objects.filter(region_id__in=list(region_ids), is_active=True).values_list("pk", "name")


def subordinates_of(*, employee: Employee) -> QuerySet[Employee]:
    return Employee.objects.filter(supervisor=employee, status=Employee.Status.ACTIVE).select_related(
        "unit", "position"
    )


def supervisor_chain_reaches(*, start_id: int, target_id: int, max_depth: int = 50) -> bool:
    """Whether walking up the supervisor links from start_id meets target_id (a would-be cycle)."""
    current: int | None = start_id
    for _step in range(max_depth):
        if current is None:
            return False
        if current == target_id:
            return True
        current = Employee.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()
    return True  # a chain this long is itself broken data; refuse rather than loop


def units_with_headcount(*, region_ids) -> QuerySet[Unit]:
    """The units of the officer's regions with their headcount, counted in one SQL query."""
    active = Q(employees__status=Employee.Status.ACTIVE)
    return (
        Unit.objects.filter(region_id__in=list(region_ids))
        .select_related("region", "parent")
        .annotate(
            active_count=Count("employees", filter=active),
            pns_count=Count("employees", filter=active & Q(employees__kind=Employee.Kind.PNS)),
            pppk_count=Count("employees", filter=active & Q(employees__kind=Employee.Kind.PPPK)),
            remote_count=Count("employees", filter=active & Q(employees__is_remote=True)),
        )
        .order_by("region__name", "name")
    )


def import_history(*, region_ids) -> QuerySet[EmployeeImport]:
    """Imports of the officer's regions, newest first, without the uploaded bytes and error lists."""
    return (
        EmployeeImport.objects.filter(region_id__in=list(region_ids))
        .select_related("region", "created_by")
        .defer("content", "errors")
        .order_by("-created_at", "-pk")
    )


def import_for_page() -> QuerySet[EmployeeImport]:
    """An import for its detail page (scope applied by the caller): no uploaded bytes."""
    return EmployeeImport.objects.select_related("region", "created_by").defer("content")


def import_progress_only() -> QuerySet[EmployeeImport]:
    """What the polled progress partial needs, nothing more."""
    return EmployeeImport.objects.only(
        "id", "region_id", "status", "total_rows", "processed_rows", "created_count", "updated_count"
    )


def import_errors(*, imp: EmployeeImport) -> list[dict]:
    """The import's row errors with their message in the active language."""
    return [{**error, "message": error_message(error)} for error in imp.errors or []]
