from reports.models import ReportSnapshot
from reports.periods import period_bounds, period_last_complete
from reports.services import figures_digest

from ..clock import TODAY

# The month before the suite's day: the last complete one, which the monthly job computes.
LAST_MONTH = period_last_complete("monthly", TODAY)


def snapshot_make(
    *, region, kind="monthly", period_start=LAST_MONTH, version=1, units=None
) -> ReportSnapshot:
    """A stored snapshot with a workforce section (for pages that only read snapshots)."""
    from asnportal.org.models import Unit

    unit_rows = units or [
        {"unit_id": u.pk, "unit": u.name, "total": 12, "pns": 10, "pppk": 2, "female": 6, "remote": 1}
        for u in Unit.objects.filter(region=region)
    ]
    figures = {
        "workforce": {
            "total": sum(r["total"] for r in unit_rows),
            "by_unit": unit_rows,
            "by_rank": {"III/a": 5},
            "by_position_kind": {"pelaksana": 5},
            "by_sex": {"L": 3, "P": 2},
            "by_kind": {"PNS": 5},
            "remote": 1,
            "retiring_5y_total": 2,
        }
    }
    return ReportSnapshot.objects.create(
        region=region,
        kind=kind,
        period_start=period_start,
        period_end=period_bounds(kind, period_start)[1],
        version=version,
        figures=figures,
        digest=figures_digest(figures),
    )
