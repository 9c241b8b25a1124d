"""For reports: staff logging share, approval latency, predikat per unit with curve warnings."""

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q

from asnportal.org.models import Employee
from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind

from .. import rules
from ..models import ActivityLog, Appraisal, Period, Predikat


def _staff_logging(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    # EXISTS per employee walks the (employee, date) index; a join would read every log first.
    logged = ActivityLog.objects.filter(employee_id=OuterRef("pk"), date__gte=start, date__lte=end)
    return Employee.objects.filter(region_id=region_id, status=Employee.Status.ACTIVE).aggregate(
        total=Count("pk"),
        logging=Count("pk", filter=Q(Exists(logged))),
    )


def _approval_latency(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    return ActivityLog.objects.filter(
        employee__region_id=region_id, date__gte=start, date__lte=end, reviewed_at__isnull=False
    ).aggregate(
        avg=Avg(ExpressionWrapper(F("reviewed_at") - F("created_at"), output_field=DurationField())),
        reviewed=Count("pk"),
    )


def _unit_predikat(*, region_id: int, start: dt.date, end: dt.date) -> dict[int, dict]:
    """Each unit's predikat counts over the periods ending in the range, with its curve warnings."""
    periods = Period.objects.filter(region_id=region_id, end__gte=start, end__lte=end).order_by("end")
    units: dict[int, dict] = {}
    counts = {p: Count("pk", filter=Q(predikat=p)) for p, _l in Predikat.choices}
    rows = (
        Appraisal.objects.filter(period__in=periods, is_current=True)
        .values("unit_id", "unit__name", "period__org_rating")
        .annotate(**counts)
        .order_by("unit__name")
    )
    for row in rows:
        unit = units.setdefault(
            row["unit_id"],
            {
                "unit": row["unit__name"],
                "org_rating": row["period__org_rating"],
                "predikat": dict.fromkeys(counts, 0),
            },
        )
        for p in counts:
            unit["predikat"][p] += row[p]
    # Checked against the pattern in force at the range's end in the region (asnportal.regulations).
    version = (
        regulations.version_in_force(kind=RuleKind.CURVE, region_id=region_id, on=end) if units else None
    )
    curve = rules.curve_from_parameters(version.parameters) if version else None
    for unit in units.values():
        unit["warnings"] = rules.curve_warnings(unit["predikat"], unit["org_rating"], curve)
        unit["rule"] = version.label
    return units


def performance_summary(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    """For reports: share of staff logging, approval latency, predikat per unit and curve warnings."""
    staff = _staff_logging(region_id=region_id, start=start, end=end)
    latency = _approval_latency(region_id=region_id, start=start, end=end)
    total = staff["total"] or 0
    return {
        "staff_total": total,
        "staff_logging": staff["logging"],
        "logging_share": (Decimal(staff["logging"]) / total).quantize(Decimal("0.0001"))
        if total
        else Decimal("0"),
        "reviewed_logs": latency["reviewed"],
        "approval_latency": latency["avg"],
        "units": _unit_predikat(region_id=region_id, start=start, end=end),
    }
