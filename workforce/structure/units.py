"""Changes of units: merges and splits, with the units' versions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Region, Unit

from ..models import StructureChange, UnitVersion
from .common import (
    _active_unit,
    _check_effective_date,
    _check_history,
    _d,
    _lock_employees,
    _log,
    _open_rows,
    _place,
)


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


def _merge_versions(
    sources: list[Unit],
    children: list[Unit],
    target: Unit,
    open_versions: dict,
    effective_date: dt.date,
    change: StructureChange,
) -> list[UnitVersion]:
    """The merged units' versions close; their sub-units' next versions hang under the target."""
    versions: list[UnitVersion] = []
    for unit in sources:
        versions += _unit_version_change(
            unit, open_versions, effective_date, change, parent_id=None, close=True
        )
    for child in children:
        versions += _unit_version_change(
            child, open_versions, effective_date, change, parent_id=target.pk, close=False
        )
    return versions


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
    sources = _merge_sources(region, ids, into_unit_id)
    target = _active_unit(region, into_unit_id) if into_unit_id else None
    children = _merge_children(sources, ids, target)
    open_versions = _unit_history_check(sources + children + ([target] if target else []), effective_date)
    employees, open_rows = _staff_locked(region, sources, effective_date)

    change = _log(region, StructureChange.Kind.UNIT_MERGE, effective_date, user, note, {}, len(employees))
    versions: list[UnitVersion] = []
    if target is None:
        target = _unit_create(region, new_code, new_name, sources[0].parent_id)
        versions.append(_first_version(target, effective_date, change))
    versions += _merge_versions(sources, children, target, open_versions, effective_date, change)
    UnitVersion.objects.bulk_create(versions)
    Unit.objects.filter(pk__in=[u.pk for u in sources]).update(is_active=False)
    Unit.objects.filter(pk__in=[c.pk for c in children]).update(parent=target)
    if employees:
        _place(employees, open_rows, effective_date=effective_date, change=change, unit_id=target.pk)
    change.detail = {"units": [u.name for u in sources], "into": target.name, "into_id": target.pk}
    change.save(update_fields=["detail"])
    return change


def _staff_locked(region: Region, units: list[Unit], effective_date: dt.date) -> tuple[list[Employee], dict]:
    """The active employees of the units, locked, with their open placement rows; their history must
    allow the effective date."""
    employee_ids = list(
        Employee.objects.filter(unit__in=units, status=Employee.Status.ACTIVE).values_list("pk", flat=True)
    )
    employees = _lock_employees(region, employee_ids) if employee_ids else []
    open_rows = _open_rows(employees)
    _check_history(employees, open_rows, effective_date)
    return employees, open_rows


def _merge_sources(region: Region, ids: list[int], into_unit_id: int | None) -> list[Unit]:
    """The units to merge, locked: at least two (or one and an existing target), all active, all of the region."""
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
    return sources


def _merge_children(sources: list[Unit], ids: list[int], target: Unit | None) -> list[Unit]:
    """The active sub-units of the merged units (not merged themselves, not the target), locked."""
    children = list(
        Unit.objects.select_for_update()
        .filter(parent__in=sources, is_active=True)
        .exclude(pk__in=ids)
        .order_by("pk")
    )
    return [c for c in children if target is None or c.pk != target.pk]


def _first_version(unit: Unit, effective_date: dt.date, change: StructureChange) -> UnitVersion:
    return UnitVersion(
        unit=unit, parent_id=unit.parent_id, name=unit.name, valid_from=effective_date, change=change
    )


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
    allocated = _split_allocation(source, parts, close_source=close_source)
    open_versions = _unit_history_check([source], effective_date)
    employees = _lock_employees(region, allocated) if allocated else []
    open_rows = _open_rows(employees)
    _check_history(employees, open_rows, effective_date)

    change = _log(region, StructureChange.Kind.UNIT_SPLIT, effective_date, user, note, {}, len(employees))
    by_id = {e.pk: e for e in employees}
    new_units = [
        _split_part_create(region, source, p, by_id, open_rows, effective_date, change) for p in parts
    ]
    versions = [_first_version(unit, effective_date, change) for unit in new_units]
    if close_source:
        versions += _unit_version_change(
            source, open_versions, effective_date, change, parent_id=None, close=True
        )
        Unit.objects.filter(pk=source.pk).update(is_active=False)
    UnitVersion.objects.bulk_create(versions)
    change.detail = {"unit": source.name, "into": [u.name for u in new_units], "closed": close_source}
    change.save(update_fields=["detail"])
    return change


def _split_allocation(source: Unit, parts: list[dict], *, close_source: bool) -> list[int]:
    """The employees the parts take: each once, all active in the source; closing it, all of them
    and no sub-unit left."""
    if not parts:
        raise ValidationError(_("Describe at least one new unit."))
    allocated = [pk for p in parts for pk in (p.get("employee_ids") or [])]
    if len(allocated) != len(set(allocated)):
        raise ValidationError(_("An employee can go to only one new unit."))
    staff = set(
        Employee.objects.filter(unit=source, status=Employee.Status.ACTIVE).values_list("pk", flat=True)
    )
    if set(allocated) - staff:
        raise ValidationError(
            _("Only active employees of %(unit)s can be moved by this split.") % {"unit": source.name}
        )
    if close_source and staff - set(allocated):
        raise ValidationError(
            _("To close %(unit)s, allocate every one of its employees to a new unit.") % {"unit": source.name}
        )
    if close_source and Unit.objects.filter(parent=source, is_active=True).exists():
        raise ValidationError(_("To close %(unit)s, move its sub-units first.") % {"unit": source.name})
    return allocated


def _split_part_create(
    region: Region, source: Unit, part: dict, by_id: dict, open_rows: dict, effective_date: dt.date, change
) -> Unit:
    """One new unit of a split, a sibling of the source, and the placement of its employees there."""
    unit = _unit_create(region, part.get("code", ""), part.get("name", ""), source.parent_id)
    moving = [by_id[i] for i in sorted(set(part.get("employee_ids") or []))]
    if moving:
        _place(
            moving,
            {e.pk: open_rows[e.pk] for e in moving if e.pk in open_rows},
            effective_date=effective_date,
            change=change,
            unit_id=unit.pk,
        )
    return unit
