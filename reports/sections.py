"""The figures of one evaluation report, section by section, each aggregated in the database.

Each section reads the owning app's selectors (reports sit on top of every app; nothing imports them).
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, Q

from asnportal.org.models import Employee, Region


def jsonable(value):
    """Make figures JSON-safe and canonical (Decimals to 2-place floats, dates to ISO strings)."""
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 3600, 2)  # durations are reported in hours
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _counts(qs, field: str) -> dict[str, int]:
    return {str(row[field]): row["n"] for row in qs.values(field).annotate(n=Count("id")).order_by(field)}


def workforce_section(region: Region, start: dt.date, end: dt.date) -> dict:
    """Headcount by unit, golongan, jenis jabatan, sex, PNS/PPPK and remote area; retirements in 5 years."""
    active = Employee.objects.filter(region=region, status=Employee.Status.ACTIVE)
    by_unit = _unit_counts(active)
    retiring_by_unit = _retiring_by_unit(region, end)
    return {
        "total": active.count(),
        "by_unit": [
            {
                "unit_id": r["unit_id"],
                "unit": r["unit__name"],
                **{key: r[key] for key in ("total", "pns", "pppk", "female", "remote")},
                "retiring_5y": retiring_by_unit.get(r["unit_id"], 0),
            }
            for r in by_unit
        ],
        "by_rank": _counts(active, "rank"),
        "by_position_kind": _counts(active, "position__kind"),
        "by_sex": _counts(active, "sex"),
        "by_kind": _counts(active, "kind"),
        "remote": sum(r["remote"] for r in by_unit),
        "retiring_5y_total": sum(retiring_by_unit.values()),
    }


def _unit_counts(active) -> list[dict]:
    """Per unit (by name): everyone, PNS, PPPK, women and remote-area staff, in one aggregate."""
    return list(
        active.values("unit_id", "unit__name")
        .annotate(
            total=Count("id"),
            pns=Count("id", filter=Q(kind=Employee.Kind.PNS)),
            pppk=Count("id", filter=Q(kind=Employee.Kind.PPPK)),
            female=Count("id", filter=Q(sex=Employee.Sex.FEMALE)),
            remote=Count("id", filter=Q(is_remote=True)),
        )
        .order_by("unit__name")
    )


def _retiring_by_unit(region: Region, end: dt.date) -> dict[int, int]:
    from workforce import selectors as planning_selectors

    retiring_by_unit: dict[int, int] = {}
    for row in planning_selectors.retirements_due(region_id=region.pk, on=end, years=5):
        retiring_by_unit[row["unit_id"]] = retiring_by_unit.get(row["unit_id"], 0) + row["count"]
    return retiring_by_unit


def recruitment_section(region: Region, start: dt.date, end: dt.date) -> dict:
    from recruitment import selectors as recruitment_selectors

    return recruitment_selectors.recruitment_summary(region_id=region.pk, start=start, end=end)


def training_section(region: Region, start: dt.date, end: dt.date) -> dict:
    from training import selectors as training_selectors

    return training_selectors.jp_summary(region_id=region.pk, year=end.year)


def performance_section(region: Region, start: dt.date, end: dt.date) -> dict:
    from performance import selectors as performance_selectors

    return performance_selectors.performance_summary(region_id=region.pk, start=start, end=end)


def feedback_section(region: Region, start: dt.date, end: dt.date) -> dict:
    from feedback import selectors as feedback_selectors

    return feedback_selectors.feedback_summary(region_id=region.pk, start=start, end=end)


SECTIONS: list[tuple[str, Callable[[Region, dt.date, dt.date], dict]]] = [
    ("workforce", workforce_section),
    ("recruitment", recruitment_section),
    ("training", training_section),
    ("performance", performance_section),
    ("feedback", feedback_section),
]
