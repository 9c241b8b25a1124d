"""A provinsi's dashboard compares its kabupaten/kota (issue 24).

Every row comes from the snapshot the report job already computed for that region and period (one
query for all the regencies, whatever their number): no figure is counted again per request, and no
row names a person. A regency without a snapshot of the period shows as not computed yet.
"""

from django.db.models import OuterRef, Subquery

from asnportal.org.models import Region
from asnportal.ui import formatting
from performance.models import Predikat

from .models import ReportSnapshot
from .selectors import MIN_GROUP, PREDIKAT_ORDER


def snapshots_for_period(*, region_ids, kind: str, period_start) -> dict[int, ReportSnapshot]:
    """The latest version of one period's report for each region, in one (portable) query."""
    newest = (
        ReportSnapshot.objects.filter(region_id=OuterRef("region_id"), kind=kind, period_start=period_start)
        .order_by("-version")
        .values("pk")[:1]
    )
    found = ReportSnapshot.objects.filter(
        region_id__in=list(region_ids), kind=kind, period_start=period_start, pk=Subquery(newest)
    )
    return {s.region_id: s for s in found}


def _get(figures: dict, *path: str):
    value = figures
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _number(value) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def raw_figures(figures: dict) -> dict:
    """The comparison's figures of one snapshot, unformatted: counts, and the bases of each share."""
    predikat = dict.fromkeys(PREDIKAT_ORDER, 0)
    for unit in (_get(figures, "performance", "units") or {}).values():
        for key in PREDIKAT_ORDER:
            predikat[key] += (unit.get("predikat") or {}).get(key) or 0
    return {
        "employees": _number(_get(figures, "workforce", "total")),
        "predikat": predikat,
        "jp20": _number(_get(figures, "training", "share_reaching_20")),
        "jp20_base": _number(_get(figures, "training", "employees")) or 0,
        "logging": _number(_get(figures, "performance", "logging_share")),
        "logging_base": _number(_get(figures, "performance", "staff_total")) or 0,
        "ikm": _number(_get(figures, "feedback", "region", "ikm")),
        "ikm_base": _number(_get(figures, "feedback", "region", "respondents")) or 0,
        "category": _get(figures, "feedback", "region", "category"),
        "applicants": _number(_get(figures, "recruitment", "applicants")),
    }


def _weighted(raws: list[dict], key: str) -> float | None:
    """A share or index over several regions: each region's value weighted by its base."""
    pairs = [(r[key], r[f"{key}_base"]) for r in raws if r[key] is not None and r[f"{key}_base"]]
    base = sum(b for _v, b in pairs)
    return sum(v * b for v, b in pairs) / base if base else None


def total_figures(raws: list[dict]) -> dict:
    """The provinsi with its kabupaten/kota: counts added, shares and IKM weighted by their bases
    (staff for the shares, respondents for IKM: the mean of NRRs over all respondents)."""

    def added(key: str):
        values = [r[key] for r in raws if r[key] is not None]
        return sum(values) if values else None

    return {
        "employees": added("employees"),
        "predikat": {k: sum(r["predikat"][k] for r in raws) for k in PREDIKAT_ORDER},
        "jp20": _weighted(raws, "jp20"),
        "logging": _weighted(raws, "logging"),
        "ikm": _weighted(raws, "ikm"),
        "category": None,
        "applicants": added("applicants"),
    }


def row_cells(raw: dict) -> dict:
    """One row as the page shows it (Indonesian numbers and shares); a predikat distribution of fewer
    than MIN_GROUP appraised people stays hidden, as small groups do everywhere on the dashboards."""
    appraised = sum(raw["predikat"].values())
    shares = [
        formatting.percent(raw["predikat"][k] / appraised, ratio=True) if appraised >= MIN_GROUP else "–"
        for k in PREDIKAT_ORDER
    ]
    ikm = formatting.number(raw["ikm"]) if raw["ikm"] is not None else "–"
    return {
        "employees": formatting.number(raw["employees"]),
        "predikat": shares,
        "appraised": formatting.number(appraised) if appraised else "–",
        "jp20": formatting.percent(raw["jp20"], ratio=True) if raw["jp20"] is not None else "–",
        "logging": formatting.percent(raw["logging"], ratio=True) if raw["logging"] is not None else "–",
        "ikm": f"{ikm} ({raw['category']})" if raw["category"] else ikm,
        "applicants": formatting.number(raw["applicants"]),
    }


def province_comparison(*, province: Region, regencies: list[Region], snapshot: ReportSnapshot) -> dict:
    """The table of a provinsi's dashboard: its own row, one per kabupaten/kota, the total; and the
    predikat chart per regency. Regencies are given (the user's report scope already holds them)."""
    found = snapshots_for_period(
        region_ids=[r.pk for r in regencies], kind=snapshot.kind, period_start=snapshot.period_start
    )
    named = [(province.name, raw_figures(snapshot.figures))]
    rows = [{"name": province.name, "own": True, "cells": row_cells(named[0][1])}]
    for regency in regencies:
        theirs = found.get(regency.pk)
        raw = raw_figures(theirs.figures) if theirs else None
        if raw is not None:
            named.append((regency.name, raw))
        rows.append({"name": regency.name, "region_id": regency.pk, "cells": raw and row_cells(raw)})
    return {
        "rows": rows,
        "total": row_cells(total_figures([raw for _name, raw in named])),
        "predikat_labels": [str(Predikat(p).label) for p in PREDIKAT_ORDER],
        "chart": _predikat_chart(named),
    }


def _predikat_chart(named: list[tuple[str, dict]]) -> dict:
    """Stacked bars, one per region whose distribution is shown: the share of each predikat (%)."""
    shown = [(name, raw["predikat"], sum(raw["predikat"].values())) for name, raw in named]
    shown = [(name, counts, n) for name, counts, n in shown if n >= MIN_GROUP]
    return {
        "type": "bar",
        "stacked": True,
        "labels": [name for name, _c, _n in shown],
        "datasets": [
            {"label": str(Predikat(p).label), "data": [round(100 * c[p] / n, 1) for _name, c, n in shown]}
            for p in PREDIKAT_ORDER
        ],
    }
