"""Reads of the structure history: the organisation chart at any date, the change log, placements.

An employee without placement rows is read as placed in their current unit and position since their
TMT CPNS; a unit without versions as it is now, since ever (see structure/__init__.py).
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from asnportal.org.models import Employee, PositionKind, Unit

from .models import EmployeePlacement, StructureChange, UnitVersion

# Which managerial post heads a unit: the most senior one placed there.
HEAD_ORDER = [
    PositionKind.JPT_UTAMA,
    PositionKind.JPT_MADYA,
    PositionKind.JPT_PRATAMA,
    PositionKind.ADMINISTRATOR,
    PositionKind.PENGAWAS,
]


def structure_changes(*, region_id: int, limit: int = 50) -> list[StructureChange]:
    return list(
        StructureChange.objects.filter(region_id=region_id)
        .select_related("created_by")
        .order_by("-effective_date", "-pk")[:limit]
    )


def _at(on: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def org_chart(*, region_id: int, on: dt.date) -> list[dict]:
    """The unit tree of a region as it was on a date, with headcount and head (seven queries, whatever the size).

    Counts employees active today (those who have left since are not in the records of the time).
    """
    units = _units_on(region_id, on)
    placed, unplaced = _placed_on(region_id, on)
    counts = _headcounts(placed, unplaced)
    heads = _heads(placed, unplaced)
    children: dict[int | None, list[int]] = defaultdict(list)
    for uid, u in units.items():
        parent = u["parent_id"] if u["parent_id"] in units else None
        children[parent].append(uid)
    for ids in children.values():
        ids.sort(key=lambda i: units[i]["name"])
    result: list[dict] = []

    def walk(uid: int, depth: int) -> int:
        head = heads.get(uid, (None, "", ""))
        entry = {**units[uid], "depth": depth, "headcount": counts.get(uid, 0), "head_name": head[1],
                 "head_position": head[2]}  # fmt: skip
        result.append(entry)
        entry["total"] = entry["headcount"] + sum(walk(child, depth + 1) for child in children.get(uid, []))
        return entry["total"]

    for root in children.get(None, []):
        walk(root, 0)
    return result


def _units_on(region_id: int, on: dt.date) -> dict[int, dict]:
    """The region's units that existed on the date, with the name and parent of then: a unit's
    version of that day, or the unit as it is now when it has no versions."""
    units = {
        u["id"]: u for u in Unit.objects.filter(region_id=region_id).values("id", "name", "code", "parent_id")
    }
    versioned = set(
        UnitVersion.objects.filter(unit__region_id=region_id).values_list("unit_id", flat=True).distinct()
    )
    existing: dict[int, dict] = {}
    for v in UnitVersion.objects.filter(_at(on), unit__region_id=region_id).values(
        "unit_id", "parent_id", "name"
    ):
        existing[v["unit_id"]] = {
            "id": v["unit_id"],
            "name": v["name"],
            "code": units[v["unit_id"]]["code"],
            "parent_id": v["parent_id"],
        }
    for uid, u in units.items():
        if uid not in versioned:
            existing[uid] = dict(u)
    return existing


def _placed_on(region_id: int, on: dt.date):
    """The placements of the date of active employees, and the active employees with no placement
    rows (in their current unit since their TMT CPNS)."""
    has_rows = EmployeePlacement.objects.filter(employee_id=OuterRef("pk"))
    active = Q(employee__status=Employee.Status.ACTIVE)
    placed = EmployeePlacement.objects.filter(_at(on), active, employee__region_id=region_id)
    unplaced = Employee.objects.filter(
        region_id=region_id, status=Employee.Status.ACTIVE, tmt_cpns__lte=on
    ).filter(~Exists(has_rows))
    return placed, unplaced


def _headcounts(placed, unplaced) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for r in placed.values("unit_id").annotate(n=Count("id")).order_by():
        counts[r["unit_id"]] += r["n"]
    for r in unplaced.values("unit_id").annotate(n=Count("id")).order_by():
        counts[r["unit_id"]] += r["n"]
    return counts


def _heads(placed, unplaced) -> dict[int, tuple]:
    """unit id -> (rank, name, position name) of the most senior managerial post placed there."""
    rank = {kind: i for i, kind in enumerate(HEAD_ORDER)}
    heads: dict[int, tuple] = {}
    managers = list(
        placed.filter(position__kind__in=HEAD_ORDER).values_list(
            "unit_id", "employee__name", "position__name", "position__kind"
        )
    ) + list(
        unplaced.filter(position__kind__in=HEAD_ORDER).values_list(
            "unit_id", "name", "position__name", "position__kind"
        )
    )
    for unit_id, name, position_name, kind in managers:
        candidate = (rank[kind], name, position_name)
        if unit_id not in heads or candidate < heads[unit_id]:
            heads[unit_id] = candidate
    return heads


def placement_history(*, employee_id: int) -> list[EmployeePlacement]:
    return list(
        EmployeePlacement.objects.filter(employee_id=employee_id)
        .select_related("unit", "position")
        .order_by("valid_from")
    )
