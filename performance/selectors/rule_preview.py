"""Effects of a proposed rule version (asnportal.regulations' preview, registered in apps.py)."""

from decimal import Decimal

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.translation import gettext as _

from .. import rules
from ..models import Appraisal, Period, Predikat, Rating
from .appraisals import _unit_counts, curve_version


def _latest_periods(region_ids: list[int]) -> QuerySet[Period]:
    """The current results: each region's latest period that has appraisals."""
    latest = (
        Period.objects.filter(region_id=OuterRef("region_id"), appraisals__is_current=True)
        .order_by("-end")
        .values("pk")[:1]
    )
    return Period.objects.filter(region_id__in=region_ids).filter(pk=Subquery(latest))


def _predikat_case(*, above_from: Decimal, meets_from: Decimal) -> tuple[Case, Case]:
    """The work rating and predikat under other thresholds, in SQL (the §4 matrix)."""
    work = Case(
        When(achievement__gte=above_from, then=Value(Rating.ABOVE.value)),
        When(achievement__gte=meets_from, then=Value(Rating.MEETS.value)),
        default=Value(Rating.BELOW.value),
    )
    whens = [
        When(Q(new_work=w) & Q(behaviour_rating=b), then=Value(rules.predikat_for(w, b)))
        for w in Rating.values
        for b in Rating.values
    ]
    return work, Case(*whens, default=F("predikat"))


def rule_preview_work_rating(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """How many current appraisals would move between predikat with these thresholds (one query)."""
    work, predikat = _predikat_case(
        above_from=Decimal(parameters["above_from"]), meets_from=Decimal(parameters["meets_from"])
    )
    rows = (
        Appraisal.objects.filter(period__in=_latest_periods(region_ids), is_current=True)
        .annotate(new_work=work)
        .annotate(new_predikat=predikat)
        .exclude(new_predikat=F("predikat"))
        .values("predikat", "new_predikat")
        .annotate(n=Count("pk"))
        .order_by("predikat", "new_predikat")
    )
    return [
        _("%(n)s employees move from %(old)s to %(new)s")
        % {"n": r["n"], "old": Predikat(r["predikat"]).label, "new": Predikat(r["new_predikat"]).label}
        for r in rows
    ]


def rule_preview_curve(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """How many units of the current periods break the pattern now and would with this version."""
    new_curve = rules.curve_from_parameters(parameters)
    periods = {p.pk: p for p in _latest_periods(region_ids)}
    current = {
        p.region_id: rules.curve_from_parameters(curve_version(period=p).parameters) for p in periods.values()
    }
    before = after = 0
    rows = _unit_counts(Appraisal.objects.filter(period__in=list(periods), is_current=True), "period_id")
    for row in rows:
        period = periods[row["period_id"]]
        per = {p: row[p] for p, _l in Predikat.choices}
        before += bool(rules.curve_breaches(per, period.org_rating, current[period.region_id]))
        after += bool(rules.curve_breaches(per, period.org_rating, new_curve))
    return [
        _("%(after)s work units break the distribution pattern (now %(before)s)")
        % {"after": after, "before": before}
    ]
