"""Reads of the feedback app. IKM figures come from SQL aggregates (one GROUP BY query per table);
Python only applies the §4 formulas (feedback.rules) to the aggregated sums."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Region, Unit
from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind, RuleVersion

from . import rules
from .models import CitizenInput, ServicePopulation, ServiceUnit, SurveyResponse

FOUR_PLACES = Decimal("0.0001")

# --- periods ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * (self.quarter - 1) + 1, 1)

    @property
    def end(self) -> dt.date:
        nxt = self.next()
        return nxt.start - dt.timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - (self.quarter == 1), (self.quarter - 2) % 4 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def __str__(self) -> str:
        return f"TW {self.quarter} {self.year}"

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, raw: str | None, default: "Quarter") -> "Quarter":
        try:
            year, q = (raw or "").upper().split("-Q")
            parsed = cls(int(year), int(q))
        except ValueError:
            return default
        return parsed if 1 <= parsed.quarter <= 4 and 2000 <= parsed.year <= 2100 else default


def quarters_between(start: dt.date, end: dt.date) -> list[Quarter]:
    """Quarters whose first day falls in [start, end] (the populations counted for that period)."""
    out, q = [], Quarter.of(start)
    if q.start < start:
        q = q.next()
    while q.start <= end:
        out.append(q)
        q = q.next()
    return out


# --- IKM from aggregated sums -------------------------------------------------------------------------


@dataclass
class IkmResult:
    respondents: int
    nrr: dict[str, Fraction]
    ikm: Decimal
    category: str
    population: int | None = None
    extra: dict = field(default_factory=dict)
    rule: RuleVersion | None = None  # the version of the IKM categories the category was read with

    @property
    def category_label(self) -> str:
        return rules.CATEGORY_LABELS[self.category]

    @property
    def min_sample(self) -> int | None:
        return rules.min_sample_size(self.population) if self.population else None

    @property
    def adequate(self) -> bool | None:
        return rules.sample_is_adequate(respondents=self.respondents, population=self.population)

    def element_rows(self) -> list[dict]:
        return [
            {
                "code": code,
                "label": rules.ELEMENT_LABELS[code],
                "nrr": rules.round_half_up(self.nrr[code]),
                "weighted": (rules.round_half_up(rules.weighted_nrr(self.nrr[code]) * 100) / 100).quantize(
                    FOUR_PLACES
                ),
                "score": rules.round_half_up(self.nrr[code] * rules.CONVERSION),
            }
            for code in rules.ELEMENT_CODES
        ]


def _aggregates() -> dict:
    out = {"respondents": Count("pk", distinct=True)}
    for code in rules.ELEMENT_CODES:
        out[f"s_{code}"] = Sum("answers__value", filter=Q(answers__element=code))
        out[f"n_{code}"] = Count("answers", filter=Q(answers__element=code))
    return out


def _result(row: dict, version: RuleVersion | None = None) -> IkmResult | None:
    if not row.get("respondents") or any(not row[f"n_{c}"] for c in rules.ELEMENT_CODES):
        return None
    nrrs = {c: rules.nrr(row[f"s_{c}"], row[f"n_{c}"]) for c in rules.ELEMENT_CODES}
    ikm = rules.ikm_value(nrrs)
    result = IkmResult(respondents=row["respondents"], nrr=nrrs, ikm=ikm, category=rules.ikm_category(ikm))
    return _ruled(result, version) if version is not None else result


def _ruled(result: IkmResult | None, version: RuleVersion) -> IkmResult | None:
    """The result's category read with a version of the IKM categories, which it records."""
    if result is not None:
        result.category = rules.ikm_category(result.ikm, rules.categories_from_parameters(version.parameters))
        result.rule = version
    return result


def ikm_rule(*, region_id, on: dt.date) -> RuleVersion:
    """The IKM categories in force on a day in a region (asnportal.regulations)."""
    return regulations.version_in_force(kind=RuleKind.IKM_CATEGORIES, region_id=region_id, on=on)


def _responses(start: dt.date, end: dt.date) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(submitted_on__gte=start, submitted_on__lte=end)


def ikm_grouped(
    responses: QuerySet[SurveyResponse], *group_fields: str, version: RuleVersion | None = None
) -> list[tuple[dict, IkmResult]]:
    """IKM per group (e.g. per service unit, per service, per quarter) in ONE aggregate query."""
    rows = responses.values(*group_fields).annotate(**_aggregates()).order_by(*group_fields)
    out = []
    for row in rows:
        result = _result(row, version)
        if result is not None:
            out.append(({f: row[f] for f in group_fields}, result))
    return out


def _sums_of(rows: list[dict]) -> dict:
    """Add up the IKM sums and counts of disjoint groups (a response belongs to one group only, so
    the respondents add up too): totals over many groups without reading the answers again."""
    keys = ["respondents"] + [f"{p}_{c}" for c in rules.ELEMENT_CODES for p in ("s", "n")]
    return {k: sum(row[k] or 0 for row in rows) for k in keys}


def ikm_total(responses: QuerySet[SurveyResponse], version: RuleVersion | None = None) -> IkmResult | None:
    return _result(responses.aggregate(**_aggregates()), version)


def population_for(*, service_unit_ids: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Service users per service unit over the quarters starting in the period (entered by HR)."""
    quarters = quarters_between(start, end)
    if not quarters:
        return {}
    cond = Q()
    for q in quarters:
        cond |= Q(year=q.year, quarter=q.quarter)
    rows = (
        ServicePopulation.objects.filter(cond, service_unit_id__in=service_unit_ids)
        .values("service_unit_id")
        .annotate(total=Sum("users"))
    )
    return {r["service_unit_id"]: r["total"] for r in rows}


def ikm_for_service_unit(*, service_unit: ServiceUnit, start: dt.date, end: dt.date) -> IkmResult | None:
    version = ikm_rule(region_id=service_unit.region_id, on=end)
    result = ikm_total(_responses(start, end).filter(service_unit=service_unit), version)
    if result is not None:
        result.population = population_for(service_unit_ids=[service_unit.pk], start=start, end=end).get(
            service_unit.pk
        )
    return result


def ikm_by_service(*, service_unit: ServiceUnit, start: dt.date, end: dt.date) -> list[dict]:
    version = ikm_rule(region_id=service_unit.region_id, on=end)
    grouped = ikm_grouped(
        _responses(start, end).filter(service_unit=service_unit), "service__name", version=version
    )
    return [{"service": key["service__name"], "result": result} for key, result in grouped]


def ikm_for_unit(*, unit_id: int, start: dt.date, end: dt.date) -> dict | None:
    """IKM of an ORG unit (OPD) over all its service units in [start, end], for performance's KPIs.

    Returns {"ikm": Decimal, "category": "A".."D", "respondents": int} or None without responses; the
    category is read with the IKM categories in force at `end` in the unit's region.
    """
    result = ikm_total(_responses(start, end).filter(service_unit__unit_id=unit_id))
    if result is None:
        return None
    _ruled(result, ikm_rule(region_id=Unit.objects.filter(pk=unit_id).values("region_id"), on=end))
    return {
        "ikm": result.ikm,
        "category": result.category,
        "respondents": result.respondents,
    }


def respondent_profile(responses: QuerySet[SurveyResponse]) -> dict[str, list[tuple[str, int]]]:
    """Counts per profile answer (sex, age, education, occupation), one GROUP BY query each."""
    out = {}
    for fname in ("sex", "age_band", "education", "occupation"):
        choices = dict(SurveyResponse._meta.get_field(fname).choices)
        rows = responses.values(fname).annotate(n=Count("pk")).order_by(fname)
        out[fname] = [(str(choices.get(r[fname], "-")) if r[fname] else "-", r["n"]) for r in rows]
    return out


# --- pages --------------------------------------------------------------------------------------------


def service_units_for_regions(region_ids) -> QuerySet[ServiceUnit]:
    return (
        ServiceUnit.objects.filter(region_id__in=list(region_ids))
        .select_related("region", "unit")
        .annotate(
            n_responses=Count("responses", distinct=True),
            n_pending=Count("inputs", filter=Q(inputs__status=CitizenInput.Status.PENDING), distinct=True),
        )
        .order_by("region__name", "name")
    )


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


def input_for_moderation(*, region_ids, status: str | None = None) -> QuerySet[CitizenInput]:
    qs = CitizenInput.objects.filter(service_unit__region_id__in=list(region_ids)).select_related(
        "service_unit", "service_unit__region"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def _figures(result: IkmResult) -> dict:
    return {"ikm": result.ikm, "category": result.category, "respondents": result.respondents}


def _service_unit_figures(
    su_sums: list[dict], *, names: dict[int, str], pops: dict[int, int], version: RuleVersion
) -> list[dict]:
    """Each service unit with responses: its IKM and whether its sample is adequate for its population."""
    service_units = []
    for row in su_sums:
        result = _result(row, version)
        if result is None:
            continue
        result.population = pops.get(row["service_unit_id"])
        service_units.append(
            {
                "id": row["service_unit_id"],
                "name": names.get(row["service_unit_id"], ""),
                "unit_id": row["service_unit__unit_id"],
                **_figures(result),
                "population": result.population,
                "min_sample": result.min_sample,
                "adequate": result.adequate,
            }
        )
    return service_units


def _unit_figures(su_sums: list[dict], version: RuleVersion) -> list[dict]:
    """Each organisation unit's IKM from the sums of its service units (no unit last)."""
    by_unit: dict[int | None, list[dict]] = {}
    for row in su_sums:
        by_unit.setdefault(row["service_unit__unit_id"], []).append(row)
    units = []
    for unit_id in sorted(by_unit, key=lambda pk: (pk is None, pk or 0)):
        r = _result(_sums_of(by_unit[unit_id]), version)
        if r is not None:
            units.append({"unit_id": unit_id, **_figures(r)})
    return units


def _input_counts(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    """Input counts by the region's local calendar days, and the mean time to an answer in hours."""
    tz = Region.objects.get(pk=region_id).tzinfo
    window_start = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    window_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    inputs = CitizenInput.objects.filter(
        service_unit__region_id=region_id, created_at__gte=window_start, created_at__lt=window_end
    ).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(status=CitizenInput.Status.ANSWERED)),
        pending=Count("pk", filter=Q(status=CitizenInput.Status.PENDING)),
        hidden=Count("pk", filter=Q(status=CitizenInput.Status.HIDDEN)),
        mean_answer=Avg(F("answered_at") - F("created_at"), filter=Q(status=CitizenInput.Status.ANSWERED)),
    )
    mean = inputs.pop("mean_answer")
    inputs["mean_hours_to_answer"] = (
        Decimal(mean.total_seconds() / 3600).quantize(Decimal("0.1")) if mean is not None else None
    )
    return inputs


def feedback_summary(*, region_id: int, start: dt.date, end: dt.date) -> dict:
    """A region's feedback figures for the evaluation reports (reports).

    {"region": {"ikm", "category", "respondents"} | None,
     "service_units": [{"id", "name", "unit_id", "ikm", "category", "respondents", "population",
                        "min_sample", "adequate"}],
     "units": [{"unit_id", "ikm", "category", "respondents"}],
     "inputs": {"total", "answered", "pending", "hidden", "mean_hours_to_answer"}}
    """
    responses = _responses(start, end).filter(service_unit__region_id=region_id)
    # One pass over the answers, per service unit; the region's and each organisation unit's figures
    # are the sums of their service units' (three passes before: 3x the job's SQL floor).
    su_sums = list(
        responses.values("service_unit_id", "service_unit__unit_id")
        .annotate(**_aggregates())
        .order_by("service_unit_id")
    )
    version = ikm_rule(region_id=region_id, on=end)
    total = _result(_sums_of(su_sums), version) if su_sums else None
    names = dict(ServiceUnit.objects.filter(region_id=region_id).values_list("pk", "name"))
    pops = population_for(service_unit_ids=list(names), start=start, end=end)
    return {
        "region": _figures(total) if total else None,
        "rule": version.label,
        "service_units": _service_unit_figures(su_sums, names=names, pops=pops, version=version),
        "units": _unit_figures(su_sums, version),
        "inputs": _input_counts(region_id=region_id, start=start, end=end),
    }


def _results_key(region_id: int) -> str:
    return f"feedback:results-generation:{region_id}"


def region_results_generation(*, region_id: int) -> int:
    """The region's results generation: moderation bumps it (region_results_changed)."""
    return cache.get(_results_key(region_id), 0)


def region_results_cached(*, region: Region, quarter: Quarter) -> dict:
    """region_results, aggregated once per FEEDBACK_PUBLIC_CACHE_SECONDS rather than per visitor (the
    page sums a year of answers). Moderation bumps the region's generation, so a hidden item
    disappears at once; new survey answers show within the cache period."""
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


# --- effects of a proposed version of the IKM categories (asnportal.regulations' preview) -----------


def rule_preview_ikm_categories(*, parameters: dict, region_ids: list[int]) -> list[str]:
    """Service units whose IKM of this year so far would change category (one aggregate query, and
    one read of the rule per region)."""
    today = timezone.localdate()
    responses = _responses(dt.date(today.year, 1, 1), today).filter(service_unit__region_id__in=region_ids)
    new = rules.categories_from_parameters(parameters)
    current = {
        rid: rules.categories_from_parameters(ikm_rule(region_id=rid, on=today).parameters)
        for rid in region_ids
    }
    lines = []
    grouped = ikm_grouped(responses, "service_unit__region_id", "service_unit__name")
    for key, result in grouped:
        before = rules.ikm_category(result.ikm, current[key["service_unit__region_id"]])
        after = rules.ikm_category(result.ikm, new)
        if before != after:
            lines.append(
                _("IKM of %(unit)s (%(ikm)s) changes category %(before)s → %(after)s")
                % {
                    "unit": key["service_unit__name"],
                    "ikm": formats.number_format(result.ikm, 2),
                    "before": before,
                    "after": after,
                }
            )
    return lines
