"""Access helpers: every view checks its user through one of these (§3 of DESIGN.md).

Outside the user's scope -> 404 (the object "does not exist" for them); an action the user may not
take -> 403; anonymous -> login redirect (done by the decorators).

Two scopes (issue 24). `role_regions` is where a role is held: every page with personal data
(employees, names, NIP, logs, scores) and every action keeps to it. `report_regions` adds, for a
regional head or HR officer of a provinsi, the kabupaten/kota under it (Region.parent): their
aggregate reports only (the dashboards, the comparison, a report's unit drill-down and its exports,
whose small groups stay hidden). The grant of a regency's personal data to a provinsi officer is a
role assignment in that regency itself (explicit, in the admin, dated with valid_from/valid_until):
then the regency is in their role_regions like any other.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from asnportal.org.models import Employee, Region

from .models import REGIONAL_ROLES, AuditEvent, Role, RoleAssignment

M = TypeVar("M", bound=Model)
_CACHE_ATTR = "_asn_roles"
_EMPLOYEE_ATTR = "_asn_employee"
_SUPERVISOR_ATTR = "_asn_supervisor"
_REPORT_ATTR = "_asn_report_regions"
# Who reads a region's evaluation reports (and, in a provinsi, its regencies' ones).
REPORT_READERS = (Role.REGIONAL_HEAD, Role.HR_OFFICER)


def roles_of(user) -> dict[str, frozenset[int | None]]:
    """{role: region ids} of the user's assignments valid today, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    found: dict[str, set[int | None]] = {}
    rows = RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "region_id", "valid_from", "valid_until"
    )
    for role, region_id, valid_from, valid_until in rows:
        if not assignment_active(valid_from, valid_until, today):
            continue
        found.setdefault(role, set()).add(region_id)
    result = {role: frozenset(ids) for role, ids in found.items()}
    setattr(user, _CACHE_ATTR, result)
    return result


def has_role(user, role: str, region_id: int | None = None) -> bool:
    regions = roles_of(user).get(role)
    if not regions:
        return False
    return region_id is None or region_id in regions


def role_regions(user, role: str) -> frozenset[int]:
    return frozenset(r for r in roles_of(user).get(role, ()) if r is not None)


def report_regions(user) -> list[Region]:
    """The regions whose aggregate reports the user reads, by name: where they are regional head or
    HR officer, and the kabupaten/kota under each such provinsi. One query, cached on the user."""
    cached = getattr(user, _REPORT_ATTR, None)
    if cached is not None:
        return cached
    own: set[int] = set()
    for role in REPORT_READERS:
        own |= role_regions(user, role)
    regions = (
        list(Region.objects.filter(Q(pk__in=own) | Q(parent_id__in=own)).order_by("name")) if own else []
    )
    if getattr(user, "is_authenticated", False):
        setattr(user, _REPORT_ATTR, regions)
    return regions


def get_in_report_scope(user, queryset: QuerySet[M], *, region_field: str = "region", **lookup: Any) -> M:
    """One report object (a snapshot) of a region in the user's report scope: 403 without a reader's
    role, 404 outside (a sibling regency, another province, the provinsi seen from a regency)."""
    require_role(user, *REPORT_READERS)
    region_ids = [r.pk for r in report_regions(user)]
    return get_object_or_404(scoped(queryset, region_ids, region_field), **lookup)


def employee_of(user) -> Employee | None:
    """The active employee record linked to the user, or None (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _EMPLOYEE_ATTR):
        setattr(
            user,
            _EMPLOYEE_ATTR,
            Employee.objects.select_related("region", "unit", "position")
            .filter(user_id=user.pk, status=Employee.Status.ACTIVE)
            .first(),
        )
    return getattr(user, _EMPLOYEE_ATTR)


def is_supervisor(user) -> bool:
    """Whether the user's employee record has active direct reports (cached on the user object, so
    a view's check and the menu ask the database once per request)."""
    cached = getattr(user, _SUPERVISOR_ATTR, None)
    if cached is not None:
        return cached
    me = employee_of(user)
    result = bool(me) and Employee.objects.filter(supervisor_id=me.pk, status=Employee.Status.ACTIVE).exists()
    if getattr(user, "is_authenticated", False):
        setattr(user, _SUPERVISOR_ATTR, result)
    return result


def role_keys(user) -> set[str]:
    """Every role key the user holds now: the assigned roles plus derived 'staff' and 'supervisor'."""
    if not getattr(user, "is_authenticated", False):
        return {"anonymous"}
    keys = set(roles_of(user))
    if employee_of(user):
        keys.add("staff")
        if is_supervisor(user):
            keys.add("supervisor")
    return keys


def require_role(user, *roles: str) -> frozenset[int]:
    """Region ids where the user holds any of the roles; 403 when none."""
    regions: set[int] = set()
    held = False
    for role in roles:
        if role in roles_of(user):
            held = True
            regions |= role_regions(user, role)
    if not held:
        raise PermissionDenied
    return frozenset(regions)


def role_required(*roles: str) -> Callable:
    """Login required, then one of the roles (403 otherwise). Sets request.role_regions."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
            request.role_regions = require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def staff_required(view: Callable) -> Callable:
    """Login required and an active employee record linked to the account (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        request.employee = employee_of(request.user)
        if request.employee is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def scoped(queryset: QuerySet[M], region_ids: Iterable[int], region_field: str = "region") -> QuerySet[M]:
    """Restrict a queryset to the given regions (the officer's scope)."""
    return queryset.filter(**{f"{region_field}__in": list(region_ids)})


def get_in_scope(
    user, queryset: QuerySet[M], *, role: str | Iterable[str], region_field: str = "region", **lookup: Any
) -> M:
    """Fetch one object of a region where the user holds the role: 403 without the role, 404 outside."""
    roles = (role,) if isinstance(role, str) else tuple(role)
    region_ids = require_role(user, *roles)
    return get_object_or_404(scoped(queryset, region_ids, region_field), **lookup)


def get_employee_for_officer(request: HttpRequest, pk: int) -> Employee:
    """An HR officer opens an employee record of their region: the read is audit-logged."""
    employee = get_in_scope(
        request.user,
        Employee.objects.select_related("region", "unit", "position", "supervisor", "user"),
        role=Role.HR_OFFICER,
        pk=pk,
    )
    audit_record(request=request, action="read_personal", obj=employee, region_id=employee.region_id)
    return employee


def get_subordinate(user, pk: int) -> Employee:
    """A supervisor opens a direct report; anyone else gets 404."""
    me = employee_of(user)
    if me is None:
        raise PermissionDenied
    return get_object_or_404(
        Employee.objects.select_related("region", "unit", "position"), pk=pk, supervisor_id=me.pk
    )


def can_supervise(user, employee: Employee) -> bool:
    me = employee_of(user)
    return bool(me) and employee.supervisor_id == me.pk


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the matching
    X-Forwarded-For hop (hops further left can be forged by the client and are ignored)."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    request: HttpRequest | None = None,
    user=None,
    action: str,
    obj: Model,
    region_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append an audit event (who, when, what, from where)."""
    actor = user if user is not None else getattr(request, "user", None)
    return AuditEvent.objects.create(
        user=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        region_id=region_id,
        ip=client_ip(request),
        detail=detail or {},
    )


def assignment_active(
    valid_from: dt.date | None, valid_until: dt.date | None, on: dt.date | None = None
) -> bool:
    on = on or timezone.localdate()
    return not ((valid_from and valid_from > on) or (valid_until and valid_until < on))


__all__ = [
    "REGIONAL_ROLES",
    "REPORT_READERS",
    "Role",
    "assignment_active",
    "audit_record",
    "can_supervise",
    "employee_of",
    "get_employee_for_officer",
    "get_in_report_scope",
    "get_in_scope",
    "get_subordinate",
    "has_role",
    "is_supervisor",
    "report_regions",
    "require_role",
    "role_keys",
    "role_regions",
    "role_required",
    "roles_of",
    "scoped",
    "staff_required",
]
