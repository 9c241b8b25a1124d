import datetime as dt

from celery import shared_task

from asnportal.tasking import DB_LOST, JobTask, ReconnectingTask
from asnportal.tasking.outbox import task_id_for

from .models import ReportRun
from .services import reports_enqueue_all, run_mark, snapshot_compute


def _give_up(*, region_id: int, kind: str, period_start: str, run_id: int | None = None) -> None:
    if run_id:
        run_mark(run_id=run_id, status=ReportRun.Status.FAILED, error="lost")


@shared_task(
    name="reports.compute",
    bind=True,
    base=JobTask,
    atomic=False,  # its progress is seen on the way; snapshot_compute takes the receipt
    give_up=_give_up,
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


@shared_task(base=ReconnectingTask)
def reports_fan_out(kind: str, period_start: str | None = None) -> list[str]:
    """Beat entry point: one report job per region for the last complete period (through the outbox).

    Returns the Celery task ids of the per-region jobs.
    """
    return [task_id_for(job_id) for job_id in reports_enqueue_all(kind=kind, period_start=period_start)]
