"""Moves of employees: bulk reassignment, position moves and conversions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asnportal.org.models import Employee, Position, Region, Unit

from ..models import StructureChange
from .common import (
    ADMINISTRATIVE_KINDS,
    FUNCTIONAL_KINDS,
    _active_unit,
    _check_effective_date,
    _check_history,
    _lock_employees,
    _log,
    _open_rows,
    _place,
    _region_position,
)


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
