"""Appraisals: per employee and period, the curve (distribution) per unit, awards."""

from django.db.models import Count, Q, QuerySet

from asnportal.org.models import Employee, Unit
from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind

from .. import rules
from ..models import Appraisal, Period, Predikat


def appraisals_of(*, employee: Employee) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(employee=employee)
        .select_related("period")
        .order_by("-period__year", "-period__kind", "-version")
    )


def period_appraisals(*, period: Period) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(period=period, is_current=True)
        .select_related("employee", "unit", "employee__position")
        .order_by("unit__name", "employee__name")
    )


def curve_version(*, period: Period):
    """The version of the distribution pattern a period is checked against: the one in force on its
    last day in its region (asnportal.regulations)."""
    return regulations.version_in_force(kind=RuleKind.CURVE, region_id=period.region_id, on=period.end)


def distribution(*, period: Period, version=None) -> list[dict]:
    """Predikat counts per unit for the period (one GROUP BY) with the curve warnings of §4, checked
    against `version` of the pattern (by default the one in force for the period)."""
    version = version or curve_version(period=period)
    curve = rules.curve_from_parameters(version.parameters)
    result = []
    for row in _unit_counts(Appraisal.objects.filter(period=period, is_current=True)):
        per = {p: row[p] for p, _l in Predikat.choices}
        result.append(
            {
                "unit_id": row["unit_id"],
                "unit": row["unit__name"],
                "total": row["total"],
                "counts": per,
                "cells": [(Predikat(p).label, per[p]) for p, _l in Predikat.choices],
                "warnings": rules.curve_warnings(per, period.org_rating, curve),
                "rule": version.label,
            }
        )
    return result


def _unit_counts(appraisals: QuerySet[Appraisal], *extra: str) -> QuerySet:
    counts = {p: Count("pk", filter=Q(predikat=p)) for p, _label in Predikat.choices}
    return (
        appraisals.values("unit_id", "unit__name", *extra)
        .annotate(total=Count("pk"), **counts)
        .order_by("unit__name", *extra)
    )


def recognition(*, region_id: int, period: Period) -> QuerySet[Appraisal]:
    """Sangat Baik of the region and period: the list for awards (penghargaan)."""
    return period_appraisals(period=period).filter(period__region_id=region_id, predikat=Predikat.SANGAT_BAIK)


def units_of_region(*, region_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(region_id=region_id).order_by("name")
