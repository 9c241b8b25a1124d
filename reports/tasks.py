import datetime as dt

from celery import group, shared_task
from django.utils import timezone

from asnportal.org.models import Region
from asnportal.tasking import DB_LOST, ReconnectingTask

from .models import ReportRun
from .periods import period_last_complete
from .services import run_mark, snapshot_compute


@shared_task(
    bind=True,
    base=ReconnectingTask,
    autoretry_for=(OSError, *DB_LOST),
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def report_compute(self, region_id: int, kind: str, period_start: str, run_id: int | None = None) -> int:
    """Compute one region's report for one period (idempotent: unchanged data stores nothing new)."""
    if run_id:
        run_mark(run_id=run_id, status=ReportRun.Status.RUNNING)
    try:
        snapshot = snapshot_compute(
            region_id=region_id, kind=kind, period_start=dt.date.fromisoformat(period_start), run_id=run_id
        )
    except (OSError, *DB_LOST):
        raise  # a lost connection (network or database): retried with backoff, the run stays "running"
    except Exception as exc:
        if run_id:
            run_mark(run_id=run_id, status=ReportRun.Status.FAILED, error=str(exc))
        raise
    return snapshot.pk


@shared_task
def reports_fan_out(kind: str, period_start: str | None = None) -> list[str]:
    """Beat entry point: one report task per region for the last complete period (a Celery group).

    Returns the ids of the per-region tasks.
    """
    start = period_start or period_last_complete(kind, timezone.localdate()).isoformat()
    region_ids = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    result = group(report_compute.s(region_id, kind, start) for region_id in region_ids).apply_async()
    return [child.id for child in result.children]
