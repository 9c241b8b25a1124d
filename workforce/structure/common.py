"""What the restructurings share: date and history checks, locks, the placement rows, the change log."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Position, PositionKind, Region, Unit

from ..models import EmployeePlacement, StructureChange

ADMINISTRATIVE_KINDS = {PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS}
FUNCTIONAL_KINDS = {PositionKind.FUNGSIONAL_KEAHLIAN, PositionKind.FUNGSIONAL_KETERAMPILAN}
MAX_LISTED = 5


def _d(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _check_effective_date(region: Region, effective_date: dt.date) -> None:
    if effective_date is None:
        raise ValidationError(_("Enter the effective date."))
    if effective_date > timezone.localdate(timezone=region.tzinfo):
        raise ValidationError(
            _("The effective date cannot be in the future; record the change on or after that day.")
        )


def _active_unit(region: Region, unit_id: int, *, lock: bool = True) -> Unit:
    qs = Unit.objects.select_for_update() if lock else Unit.objects
    unit = qs.filter(region=region, pk=unit_id).first()
    if unit is None:
        raise ValidationError(_("The unit does not exist in this region."))
    if not unit.is_active:
        raise ValidationError(_("The unit %(name)s is closed; choose an active unit.") % {"name": unit.name})
    return unit


def _region_position(region: Region, position_id: int) -> Position:
    position = Position.objects.filter(region=region, pk=position_id).first()
    if position is None:
        raise ValidationError(_("The position does not exist in this region."))
    return position


def _lock_employees(region: Region, employee_ids) -> list[Employee]:
    ids = sorted(set(employee_ids))
    if not ids:
        raise ValidationError(_("Choose at least one employee."))
    # Locked in primary-key order so that two concurrent restructurings cannot deadlock.
    employees = list(
        Employee.objects.select_for_update()
        .filter(region=region, pk__in=ids, status=Employee.Status.ACTIVE)
        .order_by("pk")
    )
    if len(employees) != len(ids):
        raise ValidationError(_("Some chosen employees are not active employees of this region."))
    return employees


def _open_rows(employees: list[Employee]) -> dict[int, EmployeePlacement]:
    rows = EmployeePlacement.objects.select_for_update().filter(
        employee_id__in=[e.pk for e in employees], valid_to__isnull=True
    )
    return {r.employee_id: r for r in rows}


def _check_history(employees: list[Employee], open_rows: dict, effective_date: dt.date) -> None:
    problems = []
    for e in employees:
        start = open_rows[e.pk].valid_from if e.pk in open_rows else e.tmt_cpns
        if effective_date <= start:
            problems.append(
                _("%(name)s: the current placement started on %(date)s; the effective date must be later.")
                % {"name": e.name, "date": _d(start)}
            )
    if problems:
        more = len(problems) - MAX_LISTED
        if more > 0:
            problems = problems[:MAX_LISTED] + [_("… and %(n)s more employees.") % {"n": more}]
        raise ValidationError(problems)


def _place(
    employees: list[Employee],
    open_rows: dict,
    *,
    effective_date: dt.date,
    change: StructureChange,
    unit_id: int | None = None,
    position_id: int | None = None,
) -> None:
    """Close each employee's current period at the effective date and open the new one."""
    new_rows = []
    for e in employees:
        if e.pk not in open_rows:
            new_rows.append(_baseline_row(e, effective_date))
        new_rows.append(
            EmployeePlacement(
                employee=e,
                unit_id=unit_id or e.unit_id,
                position_id=position_id or e.position_id,
                valid_from=effective_date,
                change=change,
            )
        )
    EmployeePlacement.objects.filter(pk__in=[r.pk for r in open_rows.values()]).update(
        valid_to=effective_date
    )
    EmployeePlacement.objects.bulk_create(new_rows)
    fields = {"updated_at": timezone.now()}
    if unit_id:
        fields["unit_id"] = unit_id
    if position_id:
        fields["position_id"] = position_id
    Employee.objects.filter(pk__in=[e.pk for e in employees]).update(**fields)


def _baseline_row(employee: Employee, effective_date: dt.date) -> EmployeePlacement:
    """The period an employee without history has been in: from their TMT CPNS to the change."""
    return EmployeePlacement(
        employee=employee,
        unit_id=employee.unit_id,
        position_id=employee.position_id,
        valid_from=employee.tmt_cpns,
        valid_to=effective_date,
    )


def _log(
    region: Region, kind: str, effective_date: dt.date, user, note: str, detail: dict, count: int
) -> StructureChange:
    change = StructureChange(
        region=region,
        kind=kind,
        effective_date=effective_date,
        note=(note or "").strip()[:300],
        detail=detail,
        employee_count=count,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    change.full_clean()
    change.save()
    return change
