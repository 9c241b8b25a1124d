"""IKM from SQL aggregates (one GROUP BY query per table); Python only applies the §4 formulas
(feedback.rules) to the aggregated sums."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum

from asnportal.org.models import Unit
from asnportal.regulations import selectors as regulations
from asnportal.regulations.models import RuleKind, RuleVersion

from .. import rules
from ..models import ServicePopulation, ServiceUnit, SurveyResponse
from .periods import quarters_between

FOUR_PLACES = Decimal("0.0001")


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
