"""Position structuring (penataan jabatan): bulk reassignment, position moves and conversions, unit
merges and splits — each one transaction, kept in history — and the organisation chart at any date (history.py).

History model: EmployeePlacement rows (valid_from inclusive, valid_to exclusive) and UnitVersion rows.
An employee or unit without rows is read as it is now (an employee since their TMT CPNS); the first
change that touches them writes that baseline row. Effective dates may not be in the future (the
current record changes at once) nor on or before the start of the current period (history would
overlap); any error leaves everything unchanged.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Position, PositionKind, Region, Unit

from .models import EmployeePlacement, StructureChange, UnitVersion

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
            new_rows.append(
                EmployeePlacement(
                    employee=e,
                    unit_id=e.unit_id,
                    position_id=e.position_id,
                    valid_from=e.tmt_cpns,
                    valid_to=effective_date,
                )
            )
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


@transaction.atomic
def employees_reassign(
    *,
    region: Region,
    employee_ids: list[int],
    unit_id: int,
    position_id: int | None = None,
    effective_date: dt.date,
    user=None,
    note: str = "",
) -> StructureChange:
    """Bulk reassignment to an active unit (and optionally a position) from an effective date."""
    _check_effective_date(region, effective_date)
    unit = _active_unit(region, unit_id)
    position = _region_position(region, position_id) if position_id else None
    employees = _lock_employees(region, employee_ids)
    open_rows = _open_rows(employees)
    _check_history(employees, open_rows, effective_date)
    detail = {
        "unit": unit.name,
        "position": str(position) if position else "",
        "employees": [e.pk for e in employees],
    }
    change = _log(region, StructureChange.Kind.REASSIGN, effective_date, user, note, detail, len(employees))
    _place(
        employees,
        open_rows,
        effective_date=effective_date,
        change=change,
        unit_id=unit.pk,
        position_id=position_id,
    )
    return change


def _holders(region: Region, position: Position, unit_id: int | None) -> list[int]:
    qs = Employee.objects.filter(region=region, position=position, status=Employee.Status.ACTIVE)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return list(qs.values_list("pk", flat=True))


@transaction.atomic
def position_move(
    *,
    region: Region,
    position_id: int,
    from_unit_id: int,
    to_unit_id: int,
    effective_date: dt.date,
    user=None,
    note: str = "",
) -> StructureChange:
    """Move a position (all its active holders) from one unit to another active unit."""
    _check_effective_date(region, effective_date)
    if from_unit_id == to_unit_id:
        raise ValidationError(_("Choose a different unit to move the position to."))
    position = _region_position(region, position_id)
    source = Unit.objects.filter(region=region, pk=from_unit_id).first()
    if source is None:
        raise ValidationError(_("The unit does not exist in this region."))
    target = _active_unit(region, to_unit_id)
    ids = _holders(region, position, source.pk)
    if not ids:
        raise ValidationError(_("Nobody holds this position in %(unit)s.") % {"unit": source.name})
    employees = _lock_employees(region, ids)
    open_rows = _open_rows(employees)
    _check_history(employees, open_rows, effective_date)
    detail = {"position": str(position), "from_unit": source.name, "to_unit": target.name}
    change = _log(
        region, StructureChange.Kind.POSITION_MOVE, effective_date, user, note, detail, len(employees)
    )
    _place(employees, open_rows, effective_date=effective_date, change=change, unit_id=target.pk)
    return change


@transaction.atomic
def position_convert(
    *,
    region: Region,
    position_id: int,
    to_position_id: int,
    effective_date: dt.date,
    unit_id: int | None = None,
    user=None,
    note: str = "",
) -> StructureChange:
    """Convert the holders of a position to another one; administrator/pengawas to a functional
    position is logged as equalisation (penyetaraan jabatan administrasi ke jabatan fungsional)."""
    _check_effective_date(region, effective_date)
    if position_id == to_position_id:
        raise ValidationError(_("Choose a different position to convert to."))
    source = _region_position(region, position_id)
    target = _region_position(region, to_position_id)
    ids = _holders(region, source, unit_id)
    if not ids:
        raise ValidationError(_("Nobody holds the position %(name)s.") % {"name": str(source)})
    employees = _lock_employees(region, ids)
    open_rows = _open_rows(employees)
    _check_history(employees, open_rows, effective_date)
    kind = (
        StructureChange.Kind.EQUALISATION
        if source.kind in ADMINISTRATIVE_KINDS and target.kind in FUNCTIONAL_KINDS
        else StructureChange.Kind.POSITION_CONVERT
    )
    detail = {"from_position": str(source), "to_position": str(target), "unit_id": unit_id}
    change = _log(region, kind, effective_date, user, note, detail, len(employees))
    _place(employees, open_rows, effective_date=effective_date, change=change, position_id=target.pk)
    return change


def _unit_history_check(units: list[Unit], effective_date: dt.date) -> dict[int, UnitVersion]:
    open_versions = {
        v.unit_id: v
        for v in UnitVersion.objects.select_for_update().filter(unit__in=units, valid_to__isnull=True)
    }
    for unit in units:
        v = open_versions.get(unit.pk)
        if v is not None and v.valid_from is not None and effective_date <= v.valid_from:
            raise ValidationError(
                _("%(name)s last changed on %(date)s; the effective date must be later.")
                % {"name": unit.name, "date": _d(v.valid_from)}
            )
    return open_versions


def _unit_version_change(
    unit: Unit,
    open_versions: dict,
    effective_date: dt.date,
    change: StructureChange,
    *,
    parent_id,
    close: bool,
) -> list[UnitVersion]:
    """Close the unit's current version (writing the baseline if none) and open the next one."""
    rows = []
    current = open_versions.get(unit.pk)
    if current is None:
        rows.append(
            UnitVersion(
                unit=unit, parent_id=unit.parent_id, name=unit.name, valid_from=None, valid_to=effective_date
            )
        )
    else:
        UnitVersion.objects.filter(pk=current.pk).update(valid_to=effective_date)
    if not close:
        rows.append(
            UnitVersion(
                unit=unit, parent_id=parent_id, name=unit.name, valid_from=effective_date, change=change
            )
        )
    return rows


def _unit_create(region: Region, code: str, name: str, parent_id: int | None) -> Unit:
    unit = Unit(region=region, code=(code or "").strip(), name=(name or "").strip(), parent_id=parent_id)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def units_merge(
    *,
    region: Region,
    unit_ids: list[int],
    effective_date: dt.date,
    into_unit_id: int | None = None,
    new_code: str = "",
    new_name: str = "",
    user=None,
    note: str = "",
) -> StructureChange:
    """Merge units into an existing active unit or a new one: staff move, sub-units are re-attached,
    the merged units close (is_active False) — all from the effective date."""
    _check_effective_date(region, effective_date)
    ids = sorted(set(unit_ids) - ({into_unit_id} if into_unit_id else set()))
    if not ids or (not into_unit_id and len(ids) < 2):
        raise ValidationError(
            _("Choose at least two units to merge, or one unit and an existing target unit.")
        )
    sources = list(Unit.objects.select_for_update().filter(region=region, pk__in=ids).order_by("pk"))
    if len(sources) != len(ids):
        raise ValidationError(_("The unit does not exist in this region."))
    closed = [u.name for u in sources if not u.is_active]
    if closed:
        raise ValidationError(
            _("The unit %(name)s is closed; choose an active unit.") % {"name": ", ".join(closed)}
        )
    target = _active_unit(region, into_unit_id) if into_unit_id else None
    children = list(
        Unit.objects.select_for_update()
        .filter(parent__in=sources, is_active=True)
        .exclude(pk__in=ids)
        .order_by("pk")
    )
    if target is not None:
        children = [c for c in children if c.pk != target.pk]
    touched = sources + children + ([target] if target else [])
    open_versions = _unit_history_check(touched, effective_date)
    employee_ids = list(
        Employee.objects.filter(unit__in=sources, status=Employee.Status.ACTIVE).values_list("pk", flat=True)
    )
    employees = _lock_employees(region, employee_ids) if employee_ids else []
    open_rows = _open_rows(employees)
    _check_history(employees, open_rows, effective_date)

    change = _log(region, StructureChange.Kind.UNIT_MERGE, effective_date, user, note, {}, len(employees))
    versions: list[UnitVersion] = []
    if target is None:
        target = _unit_create(region, new_code, new_name, sources[0].parent_id)
        versions.append(
            UnitVersion(
                unit=target,
                parent_id=target.parent_id,
                name=target.name,
                valid_from=effective_date,
                change=change,
            )
        )
    for unit in sources:
        versions += _unit_version_change(
            unit, open_versions, effective_date, change, parent_id=None, close=True
        )
    for child in children:
        versions += _unit_version_change(
            child, open_versions, effective_date, change, parent_id=target.pk, close=False
        )
    UnitVersion.objects.bulk_create(versions)
    Unit.objects.filter(pk__in=[u.pk for u in sources]).update(is_active=False)
    Unit.objects.filter(pk__in=[c.pk for c in children]).update(parent=target)
    if employees:
        _place(employees, open_rows, effective_date=effective_date, change=change, unit_id=target.pk)
    change.detail = {"units": [u.name for u in sources], "into": target.name, "into_id": target.pk}
    change.save(update_fields=["detail"])
    return change


@transaction.atomic
def unit_split(
    *,
    region: Region,
    unit_id: int,
    parts: list[dict],
    effective_date: dt.date,
    close_source: bool = False,
    user=None,
    note: str = "",
) -> StructureChange:
    """Split a unit: new units (siblings of the source) take the listed employees from the
    effective date; with close_source every employee must be allocated and the source closes."""
    _check_effective_date(region, effective_date)
    source = _active_unit(region, unit_id)
    parts = [p for p in parts if (p.get("code") or p.get("name"))]
    if not parts:
        raise ValidationError(_("Describe at least one new unit."))
    allocated: list[int] = []
    for p in parts:
        allocated += list(p.get("employee_ids") or [])
    if len(allocated) != len(set(allocated)):
        raise ValidationError(_("An employee can go to only one new unit."))
    staff = set(
        Employee.objects.filter(unit=source, status=Employee.Status.ACTIVE).values_list("pk", flat=True)
    )
    if set(allocated) - staff:
        raise ValidationError(
            _("Only active employees of %(unit)s can be moved by this split.") % {"unit": source.name}
        )
    if close_source:
        if staff - set(allocated):
            raise ValidationError(
                _("To close %(unit)s, allocate every one of its employees to a new unit.")
                % {"unit": source.name}
            )
        if Unit.objects.filter(parent=source, is_active=True).exists():
            raise ValidationError(_("To close %(unit)s, move its sub-units first.") % {"unit": source.name})
    open_versions = _unit_history_check([source], effective_date)
    employees = _lock_employees(region, allocated) if allocated else []
    open_rows = _open_rows(employees)
    _check_history(employees, open_rows, effective_date)

    change = _log(region, StructureChange.Kind.UNIT_SPLIT, effective_date, user, note, {}, len(employees))
    versions: list[UnitVersion] = []
    new_units = []
    by_id = {e.pk: e for e in employees}
    for p in parts:
        unit = _unit_create(region, p.get("code", ""), p.get("name", ""), source.parent_id)
        new_units.append(unit)
        versions.append(
            UnitVersion(
                unit=unit, parent_id=unit.parent_id, name=unit.name, valid_from=effective_date, change=change
            )
        )
        moving = [by_id[i] for i in sorted(set(p.get("employee_ids") or []))]
        if moving:
            _place(
                moving,
                {e.pk: open_rows[e.pk] for e in moving if e.pk in open_rows},
                effective_date=effective_date,
                change=change,
                unit_id=unit.pk,
            )
    if close_source:
        versions += _unit_version_change(
            source, open_versions, effective_date, change, parent_id=None, close=True
        )
        Unit.objects.filter(pk=source.pk).update(is_active=False)
    UnitVersion.objects.bulk_create(versions)
    change.detail = {"unit": source.name, "into": [u.name for u in new_units], "closed": close_source}
    change.save(update_fields=["detail"])
    return change


# The reads live in history.py; re-exported for callers of this module.
from .history import org_chart, placement_history, structure_changes  # noqa: E402

__all__ = [
    "employees_reassign",
    "org_chart",
    "placement_history",
    "position_convert",
    "position_move",
    "structure_changes",
    "unit_split",
    "units_merge",
]
