"""A region's public results per quarter, and the cache generation that moderation bumps."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear

from asnportal.org.models import Region
from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind

from ..models import CitizenInput, ServicePopulation, ServiceUnit, SurveyResponse
from .ikm import _responses, _ruled, ikm_grouped
from .periods import Quarter


def _last_quarters(quarter: Quarter, n: int) -> list[Quarter]:
    """The n quarters ending with this one, oldest first."""
    quarters = [quarter]
    for _i in range(n - 1):
        quarters.insert(0, quarters[0].previous())
    return quarters


def _by_quarter(responses: QuerySet[SurveyResponse]) -> QuerySet[SurveyResponse]:
    return responses.annotate(y=ExtractYear("submitted_on"), q=ExtractQuarter("submitted_on"))


def _service_unit_trends(region: Region, quarters: list[Quarter], responses, timeline) -> list[dict]:
    """Per active service unit of the region, its IKM (with the population) in each of the quarters."""
    units = list(
        ServiceUnit.objects.filter(region=region, is_active=True).select_related("unit").order_by("name")
    )
    per_unit = {
        (key["service_unit_id"], key["y"], key["q"]): result
        for key, result in ikm_grouped(_by_quarter(responses), "service_unit_id", "y", "q")
    }
    pops = {
        (r.service_unit_id, r.year, r.quarter): r.users
        for r in ServicePopulation.objects.filter(
            service_unit__region=region, year__gte=quarters[0].year, year__lte=quarters[-1].year
        )
    }
    rows = []
    for su in units:
        trend = []
        for q in quarters:
            result = _ruled(per_unit.get((su.pk, q.year, q.quarter)), timeline.on(q.end))
            if result is not None:
                result.population = pops.get((su.pk, q.year, q.quarter))
            trend.append({"quarter": q, "result": result})
        rows.append({"service_unit": su, "current": trend[-1]["result"], "trend": trend})
    return rows


def _answered_inputs(region: Region, limit: int = 20) -> list[CitizenInput]:
    """The latest input shown publicly (answered, or published and waiting for the unit's answer)."""
    return list(
        CitizenInput.objects.filter(
            service_unit__region=region,
            status__in=[CitizenInput.Status.ANSWERED, CitizenInput.Status.PUBLISHED],
        )
        .select_related("service_unit")
        .order_by(F("answered_at").desc(nulls_last=True), "-created_at")[:limit]
    )


def region_results(*, region: Region, quarter: Quarter, trend_length: int = 4) -> dict:
    """The public results of a region: per service unit the IKM of the quarter with its trend over the
    last quarters, sample size and adequacy; the region's IKM; answered input. Constant query count."""
    quarters = _last_quarters(quarter, trend_length)
    responses = _responses(quarters[0].start, quarter.end).filter(service_unit__region=region)
    timeline = regulations.Timeline(kind=RuleKind.IKM_CATEGORIES, region_id=region.pk)
    rows = _service_unit_trends(region, quarters, responses, timeline)
    by_quarter = {
        (key["y"], key["q"]): result for key, result in ikm_grouped(_by_quarter(responses), "y", "q")
    }
    region_trend = [
        {"quarter": q, "result": _ruled(by_quarter.get((q.year, q.quarter)), timeline.on(q.end))}
        for q in quarters
    ]
    return {
        "region": region,
        "quarter": quarter,
        "rule": timeline.on(quarter.end),  # the IKM categories version the quarter is read with
        "quarters": quarters,
        "rows": rows,
        "region_trend": region_trend,
        "region_current": region_trend[-1]["result"],
        "chart": {
            "labels": [str(q) for q in quarters],
            "datasets": [
                {
                    "label": region.name,
                    "values": [str(t["result"].ikm) if t["result"] else None for t in region_trend],
                }
            ],
        },
        "inputs": _answered_inputs(region),
    }


def _results_key(region_id: int) -> str:
    return f"feedback:results-generation:{region_id}"


def _responses_key(region_id: int) -> str:
    return f"feedback:responses-generation:{region_id}"


RULES_KEY = "feedback:ikm-rules-generation"


def region_results_generation(*, region_id: int) -> str:
    """The version of the region's public results: moderation bumps its first part
    (region_results_changed), every stored survey response its second (region_responses_changed),
    every new IKM categories version its third (ikm_rules_changed), so the cached results, the
    page's body and its ETag follow all at once. One cache read."""
    keys = (_results_key(region_id), _responses_key(region_id), RULES_KEY)
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 0)) for key in keys)


def ikm_rules_changed(sender, instance, **kwargs) -> None:
    """post_save of a rule version: a new version of the IKM categories (national or a region's)
    changes how the public results are read, so every region's results are computed afresh once
    it commits. Connected in feedback.apps."""
    if instance.kind != RuleKind.IKM_CATEGORIES:
        return

    def bump() -> None:
        try:
            cache.incr(RULES_KEY)
        except ValueError:
            if not cache.add(RULES_KEY, 1, None):
                cache.incr(RULES_KEY)

    transaction.on_commit(bump)


def region_results_cached(*, region: Region, quarter: Quarter) -> dict:
    """region_results, aggregated once per FEEDBACK_PUBLIC_CACHE_SECONDS rather than per visitor (the
    page sums a year of answers). Moderation and new responses move the region's generation, so a
    hidden item disappears and a new response counts at once."""
    generation = region_results_generation(region_id=region.pk)
    return cache.get_or_set(
        f"feedback:region-results:{region.pk}:{generation}:{quarter.key}",
        lambda: region_results(region=region, quarter=quarter),
        timeout=settings.FEEDBACK_PUBLIC_CACHE_SECONDS,
    )


def region_results_changed(*, region_id: int) -> None:
    """Make the region's public results be computed afresh: now, and again once the transaction
    commits (a visitor in between could otherwise cache the old state under the new generation)."""
    key = _results_key(region_id)

    def bump() -> None:
        cache.set(key, cache.get(key, 0) + 1, None)

    bump()
    transaction.on_commit(bump)


def region_responses_changed(*, region_id: int) -> None:
    """A survey response of the region was stored: once its transaction commits (a visitor before
    that must not cache the results without it under the new generation), the region's results and
    public page are computed afresh. An atomic increment: simultaneous responses each count."""

    def bump() -> None:
        key = _responses_key(region_id)
        try:
            cache.incr(key)
        except ValueError:  # the region's first response (or the counter was evicted)
            if not cache.add(key, 1, None):
                cache.incr(key)  # a simultaneous first response added it

    transaction.on_commit(bump)
