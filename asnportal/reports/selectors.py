"""Reads for the dashboards: the latest snapshots and what a page shows of them."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import PeriodKind, ReportRun, ReportSnapshot
from .periods import period_label, period_previous

# Groups smaller than this are hidden on dashboards and exports (privacy).
MIN_GROUP = getattr(settings, "REPORT_MIN_GROUP", 5)


def snapshot_latest(*, region_id: int, kind: str = PeriodKind.MONTHLY) -> ReportSnapshot | None:
    return (
        ReportSnapshot.objects.select_related("region")
        .filter(region_id=region_id, kind=kind)
        .order_by("-period_start", "-version")
        .first()
    )


def snapshot_previous(*, snapshot: ReportSnapshot) -> ReportSnapshot | None:
    start = period_previous(snapshot.kind, snapshot.period_start)
    return (
        ReportSnapshot.objects.filter(region_id=snapshot.region_id, kind=snapshot.kind, period_start=start)
        .order_by("-version")
        .first()
    )


def snapshots_latest_for_regions(*, region_ids, kind: str) -> list[ReportSnapshot]:
    """The latest version of the latest period for each region, in one query."""
    return (
        list(
            ReportSnapshot.objects.select_related("region")
            .filter(region_id__in=list(region_ids), kind=kind)
            .order_by("region_id", "-period_start", "-version")
            .distinct("region_id")
        )
        if _supports_distinct_on()
        else _latest_per_region_fallback(region_ids, kind)
    )


def _supports_distinct_on() -> bool:
    from django.db import connection

    return connection.features.can_distinct_on_fields


def _latest_per_region_fallback(region_ids, kind: str) -> list[ReportSnapshot]:
    # SQLite (the demo) has no DISTINCT ON; a handful of regions makes this cheap.
    seen: dict[int, ReportSnapshot] = {}
    rows = ReportSnapshot.objects.select_related("region").filter(region_id__in=list(region_ids), kind=kind)
    for snap in rows.order_by("region_id", "-period_start", "-version"):
        seen.setdefault(snap.region_id, snap)
    return list(seen.values())


def suppress_small(rows: list[dict], *, count_key: str = "total") -> list[dict]:
    """Hide every figure of a group smaller than MIN_GROUP people (the row stays, marked hidden)."""
    shown = []
    for row in rows:
        count = row.get(count_key) or 0
        if count < MIN_GROUP:
            shown.append(
                {k: (v if k in ("unit", "unit_id", "name") else None) for k, v in row.items()}
                | {"hidden": True}
            )
        else:
            shown.append(row | {"hidden": False})
    return shown


def delta(current, previous):
    if isinstance(current, int | float) and isinstance(previous, int | float):
        return round(current - previous, 2)
    return None


def runs_active(*, region_ids) -> list[ReportRun]:
    return list(ReportRun.objects.filter(region_id__in=list(region_ids), status__in=["pending", "running"]))


def snapshot_title(snapshot: ReportSnapshot) -> str:
    return f"{snapshot.region.name} — {period_label(snapshot.kind, snapshot.period_start)}"


# (section, key, label, unit): headline figures shown as cards, compared with the previous period.
KEY_FIGURES = [
    ("workforce", "total", _("Active employees"), ""),
    ("workforce", "remote", _("Staff in remote areas"), ""),
    ("workforce", "retiring_5y_total", _("Retiring within 5 years"), ""),
]

SECTION_TITLES = {
    "workforce": _("Workforce"),
    "recruitment": _("Recruitment"),
    "training": _("Training"),
    "performance": _("Performance"),
    "feedback": _("Public feedback"),
}


def _figure(figures: dict, section: str, key: str):
    return (figures or {}).get(section, {}).get(key)


def key_figures(*, figures: dict, previous: dict | None) -> list[dict]:
    cards = []
    for section, key, label, unit in KEY_FIGURES:
        value = _figure(figures, section, key)
        if value is None:
            continue
        cards.append(
            {
                "label": label,
                "value": value,
                "unit": unit,
                "delta": delta(value, _figure(previous or {}, section, key)),
            }
        )
    return cards


def _chart(kind: str, labels: list, label: str, data: list) -> dict:
    return {"type": kind, "labels": labels, "datasets": [{"label": str(label), "data": data}]}


def _scalars(section: dict) -> list[tuple[str, object]]:
    return [
        (k, v) for k, v in section.items() if isinstance(v, int | float | str) and not isinstance(v, bool)
    ]


def dashboard_view(*, snapshot: ReportSnapshot, previous: ReportSnapshot | None) -> dict:
    figures = snapshot.figures
    workforce = figures.get("workforce", {})
    units = suppress_small(workforce.get("by_unit", []))
    visible = [u for u in units if not u["hidden"]]
    charts = {
        "chart-units": _chart(
            "bar", [u["unit"] for u in visible], _("Employees"), [u["total"] for u in visible]
        ),
        "chart-position-kinds": _chart(
            "doughnut",
            list(workforce.get("by_position_kind", {}).keys()),
            _("Employees"),
            list(workforce.get("by_position_kind", {}).values()),
        ),
        "chart-ranks": _chart(
            "bar",
            list(workforce.get("by_rank", {}).keys()),
            _("Employees"),
            list(workforce.get("by_rank", {}).values()),
        ),
    }
    sections = [
        {"title": SECTION_TITLES.get(name, name), "figures": _scalars(data)}
        for name, data in figures.items()
        if name != "workforce" and isinstance(data, dict)
    ]
    return {
        "title": snapshot_title(snapshot),
        "cards": key_figures(figures=figures, previous=previous.figures if previous else None),
        "units": units,
        "charts": charts,
        "sections": sections,
    }


def unit_view(*, snapshot: ReportSnapshot, unit_id: int) -> dict | None:
    """One unit's rows from every section that reports per unit (rows keyed by unit_id)."""
    found = {}
    for name, data in snapshot.figures.items():
        rows = data.get("by_unit") if isinstance(data, dict) else None
        for row in rows or []:
            if isinstance(row, dict) and row.get("unit_id") == unit_id:
                found[name] = suppress_small([row], count_key="total" if "total" in row else "respondents")[0]
    if "workforce" not in found:
        return None
    return {
        "name": found["workforce"]["unit"],
        "sections": [{"title": SECTION_TITLES.get(n, n), "row": r} for n, r in found.items()],
    }


def compare_row(*, snapshot: ReportSnapshot) -> dict:
    return {
        "snapshot": snapshot,
        "title": snapshot_title(snapshot),
        "cards": key_figures(figures=snapshot.figures, previous=None),
    }
