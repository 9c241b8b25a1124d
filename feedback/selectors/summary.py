"""A region's feedback figures for the evaluation reports (reports)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, F, Q

from asnportal.org.models import Region
from asnportal.regulations.models import RuleVersion

from ..models import CitizenInput, ServiceUnit
from .ikm import IkmResult, _aggregates, _responses, _result, _sums_of, ikm_rule, population_for


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
