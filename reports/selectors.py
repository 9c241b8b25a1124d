"""Reads for the dashboards: the latest snapshots and what a page shows of them."""

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asnportal.org.models import Employee, PositionKind
from asnportal.ui import formatting
from performance.models import Predikat

from .models import PeriodKind, ReportSnapshot
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
    """The latest version of the latest period for each region, in one (portable) query."""
    newest = (
        ReportSnapshot.objects.filter(region_id=OuterRef("region_id"), kind=kind)
        .order_by("-period_start", "-version")
        .values("pk")[:1]
    )
    return list(
        ReportSnapshot.objects.select_related("region")
        .filter(region_id__in=list(region_ids), kind=kind, pk=Subquery(newest))
        .order_by("region__name")
    )


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


def snapshot_title(snapshot: ReportSnapshot) -> str:
    """ "Provinsi Bengkulu — November 2026"; a period still running says up to when it counts."""
    title = f"{snapshot.region.name} — {period_label(snapshot.kind, snapshot.period_start)}"
    computed = timezone.localtime(snapshot.computed_at, snapshot.region.tzinfo).date()
    if computed <= snapshot.period_end:
        title += " " + _("(running period, counted up to %(day)s)") % {"day": formatting.date(computed)}
    return title


# (path into the figures, label, unit, multiplier): headline cards, compared with the previous period.
KEY_FIGURES = [
    (("workforce", "total"), _("Active employees"), "", 1),
    (("workforce", "remote"), _("Staff in remote areas"), "", 1),
    (("workforce", "retiring_5y_total"), _("Retiring within 5 years"), "", 1),
    (("training", "share_reaching_20"), _("Staff with at least 20 JP this year"), "%", 100),
    (("performance", "logging_share"), _("Staff who logged activities"), "%", 100),
    (("feedback", "region", "ikm"), _("Public satisfaction index (IKM)"), "", 1),
    (("recruitment", "applicants"), _("Applicants"), "", 1),
]

SECTION_TITLES = {
    "workforce": _("Workforce"),
    "recruitment": _("Recruitment"),
    "training": _("Training"),
    "performance": _("Performance"),
    "feedback": _("Public feedback"),
}

# Screen labels of the scalar figures each section reports (unknown keys show as they are).
FIGURE_LABELS = {
    "employees": _("Employees"),
    "mean_jp": _("Mean JP per employee"),
    "median_jp": _("Median JP per employee"),
    "share_reaching_20": _("Share with at least 20 JP"),
    "sessions": _("Training sessions"),
    "seats_offered": _("Seats offered"),
    "seats_taken": _("Seats taken"),
    "completions": _("Completions"),
    "jp_granted": _("JP granted"),
    "remote_employees": _("Staff in remote areas"),
    "remote_participation": _("Participation of remote-area staff"),
    "non_remote_employees": _("Other staff"),
    "non_remote_participation": _("Participation of other staff"),
    "staff_total": _("Active staff"),
    "staff_logging": _("Staff who logged activities"),
    "logging_share": _("Share of staff logging"),
    "reviewed_logs": _("Logs reviewed"),
    "approval_latency": _("Mean hours until a log is reviewed"),
    "selections": _("Selections"),
    "applicants": _("Applicants"),
    "admin_pass_rate": _("Passed administrative screening"),
    "skd_pass_rate": _("Passed SKD"),
    "objections": _("Objections (sanggah)"),
    "objections_accepted": _("Objections accepted"),
    "objections_rejected": _("Objections rejected"),
    "objections_pending": _("Objections awaiting an answer"),
    "mean_days_announcement_to_result": _("Mean days from announcement to result"),
    "findings_by_severity.info": _("Observer findings: information"),
    "findings_by_severity.minor": _("Observer findings: minor"),
    "findings_by_severity.major": _("Observer findings: major"),
    "findings_by_severity.critical": _("Observer findings: critical"),
    "region.ikm": _("IKM of the region"),
    "region.category": _("IKM category"),
    "region.respondents": _("Respondents"),
    "inputs.total": _("Citizen input received"),
    "inputs.answered": _("Citizen input answered"),
    "inputs.pending": _("Citizen input awaiting an answer"),
    "inputs.hidden": _("Citizen input hidden by moderation"),
    "inputs.mean_hours_to_answer": _("Mean hours to answer citizen input"),
    "rule": _("IKM rule version"),
}
# The columns of a unit's row (the dashboard's drill-down, the exports' unit tables).
UNIT_LABELS = {
    "unit": _("Unit"),
    "total": _("Employees"),
    "pns": "PNS",
    "pppk": "PPPK",
    "female": _("Women"),
    "remote": _("Remote area"),
    "retiring_5y": _("Retiring within 5 years"),
    "name": _("Service unit"),
    "ikm": "IKM",
    "category": _("IKM category"),
    "respondents": _("Respondents"),
    "population": _("Population served"),
    "min_sample": _("Minimum sample"),
    "adequate": _("Sample adequate"),
    "predikat": _("Predikat"),
}
# The breakdowns of the workforce section: their keys are model choice values, shown by their labels.
BREAKDOWN_CHOICES = {
    "by_position_kind": dict(PositionKind.choices),
    "by_sex": dict(Employee.Sex.choices),
    "by_kind": dict(Employee.Kind.choices),
    "by_rank": {},
}
BREAKDOWN_TITLES = {
    "by_position_kind": _("Position types"),
    "by_sex": _("Sex"),
    "by_kind": _("Employee type"),
    "by_rank": _("Rank and grade"),
    "by_unit": _("Units"),
    "service_units": _("Service units"),
    "units": _("Units"),
    "findings_by_severity": _("Observer findings"),
    "region": _("Region"),
    "inputs": _("Citizen input"),
}
HIDDEN_FIGURES = {"region_id", "year"}
PERCENT_FIGURES = {
    "share_reaching_20",
    "remote_participation",
    "non_remote_participation",
    "logging_share",
    "admin_pass_rate",
    "skd_pass_rate",
}


def _figure(figures: dict, path: tuple[str, ...]):
    value = figures or {}
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def figure_label(key: str) -> str:
    """The screen label of a figure (unknown keys show as they are: tests keep the list complete)."""
    return str(FIGURE_LABELS.get(key) or UNIT_LABELS.get(key) or BREAKDOWN_TITLES.get(key) or key)


def figure_text(key: str, value) -> str:
    """A figure as the page and the PDF show it: shares as percentages, numbers in local form."""
    if value is None:
        return "–"
    if key in PERCENT_FIGURES and isinstance(value, int | float):
        return formatting.percent(value, ratio=True)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, int | float):
        return formatting.number(value)
    return str(value)


def breakdown_label(key: str, value: str) -> str:
    """A breakdown's category (a model's choice value such as `fungsional_keahlian`) by its label;
    a nested figure (findings_by_severity.minor) by its figure label."""
    if key in BREAKDOWN_CHOICES:
        return str(BREAKDOWN_CHOICES[key].get(value, value))
    return figure_label(f"{key}.{value}").split(": ")[-1]


def key_figures(*, figures: dict, previous: dict | None) -> list[dict]:
    """The headline cards: value and change against the previous period, formatted (22,1% · +3)."""
    cards = []
    for path, label, unit, factor in KEY_FIGURES:
        value = _figure(figures, path)
        if not isinstance(value, int | float):
            continue
        before = _figure(previous or {}, path)
        value = round(value * factor, 2)
        before = round(before * factor, 2) if isinstance(before, int | float) else None
        change = delta(value, before)
        places = 1 if unit == "%" else 2
        cards.append(
            {
                "label": label,
                "value": value,
                "unit": unit,
                "delta": change,
                "display": formatting.number(value, places) + unit,
                "delta_display": None if change is None else _signed(change, places, unit),
            }
        )
    return cards


def _signed(change, places: int, unit: str) -> str:
    text = formatting.number(abs(change), places)
    if unit == "%":
        text += " " + str(_("points"))
    return ("+" if change > 0 else "−" if change < 0 else "") + text


def _chart(kind: str, labels: list, label: str, data: list) -> dict:
    return {"type": kind, "labels": labels, "datasets": [{"label": str(label), "data": data}]}


def _scalars(section: dict) -> list[tuple[str, object]]:
    """The section's single figures (nested one level, e.g. region.ikm), labelled and formatted."""
    flat: list[tuple[str, object]] = []
    for key, value in section.items():
        if isinstance(value, dict):
            flat += [(f"{key}.{k}", v) for k, v in value.items()]
        else:
            flat.append((key, value))
    shown = []
    for key, value in flat:
        if key in HIDDEN_FIGURES or isinstance(value, bool) or not isinstance(value, int | float | str):
            continue
        shown.append((figure_label(key), figure_text(key, value)))
    return shown


PREDIKAT_ORDER = ["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]


def _domain_charts(figures: dict) -> dict:
    """Predikat per unit, IKM per service unit and training participation, when the sections have them."""
    charts = {}
    units = list(((figures.get("performance") or {}).get("units") or {}).values())
    if units:
        charts["chart-predikat"] = {
            "type": "bar",
            "stacked": True,
            "labels": [u["unit"] for u in units],
            "datasets": [
                {"label": str(Predikat(p).label), "data": [u["predikat"].get(p, 0) for u in units]}
                for p in PREDIKAT_ORDER
            ],
        }
    service_units = [s for s in (figures.get("feedback") or {}).get("service_units") or [] if s.get("ikm")]
    if service_units:
        charts["chart-ikm"] = _chart(
            "bar", [s["name"] for s in service_units], "IKM", [s["ikm"] for s in service_units]
        )
    training = figures.get("training") or {}
    if "remote_participation" in training:
        charts["chart-participation"] = _chart(
            "bar",
            [str(_("Remote-area staff")), str(_("Other staff"))],
            _("Took part in training (%)"),
            [
                round(100 * training["remote_participation"], 1),
                round(100 * training["non_remote_participation"], 1),
            ],
        )
    return charts


def dashboard_view(*, snapshot: ReportSnapshot, previous: ReportSnapshot | None) -> dict:
    figures = snapshot.figures
    workforce = figures.get("workforce", {})
    units = suppress_small(workforce.get("by_unit", []))
    visible = [u for u in units if not u["hidden"]]
    kinds = workforce.get("by_position_kind", {})
    charts = {
        "chart-units": _chart(
            "bar", [u["unit"] for u in visible], _("Employees"), [u["total"] for u in visible]
        ),
        "chart-position-kinds": _chart(
            "doughnut",
            [breakdown_label("by_position_kind", k) for k in kinds],
            _("Employees"),
            list(kinds.values()),
        ),
    } | _domain_charts(figures)
    sections = [
        {"title": SECTION_TITLES.get(name, name), "figures": _scalars(data)}
        for name, data in figures.items()
        if name != "workforce" and isinstance(data, dict)
    ]
    panel_titles = {
        "chart-predikat": _("Predikat per unit"),
        "chart-ikm": _("IKM per service unit"),
        "chart-participation": _("Training participation: remote areas against the rest"),
    }
    return {
        "panels": [{"id": key, "title": title} for key, title in panel_titles.items() if key in charts],
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
        "sections": [
            {"title": SECTION_TITLES.get(n, n), "hidden": r["hidden"], "figures": _unit_figures(r)}
            for n, r in found.items()
        ],
    }


def _unit_figures(row: dict) -> list[tuple[str, str]]:
    """A unit's row as (label, formatted value) pairs in the labels' order, without its name and keys."""
    order = list(UNIT_LABELS)
    keys = sorted(
        (k for k in row if k not in ("unit", "unit_id", "hidden", "id")),
        key=lambda k: order.index(k) if k in order else len(order),
    )
    return [(figure_label(key), figure_text(key, row[key])) for key in keys]


def compare_row(*, snapshot: ReportSnapshot) -> dict:
    return {
        "snapshot": snapshot,
        "title": snapshot_title(snapshot),
        "cards": key_figures(figures=snapshot.figures, previous=None),
    }
