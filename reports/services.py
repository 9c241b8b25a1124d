"""Writes of the evaluation reports: computing snapshots and requesting recomputes."""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.models import Region
from asnportal.tasking import enqueue, receipt_take

from .models import ReportRun, ReportSnapshot
from .periods import period_bounds, period_last_complete
from .sections import SECTIONS, jsonable

COMPUTE_TASK = "reports.compute"


def _progress_key(run_id: int) -> str:
    return f"report-run-progress:{run_id}"


def run_progress(run_id: int) -> dict:
    return cache.get(_progress_key(run_id)) or {"done": 0, "total": len(SECTIONS), "section": ""}


def figures_digest(figures: dict) -> str:
    return hashlib.sha256(json.dumps(figures, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def period_validate(*, kind: str, start: dt.date, region: Region) -> tuple[dt.date, dt.date]:
    first, last = period_bounds(kind, start)
    if first > timezone.localdate(timezone=region.tzinfo):
        raise ValidationError(_("The period has not started yet: choose a past or current period."))
    return first, last


def snapshot_compute(
    *, region_id: int, kind: str, period_start: dt.date, run_id: int | None = None
) -> ReportSnapshot:
    """Compute one region's report for a period and store it as an immutable snapshot.

    One transaction: a worker killed halfway leaves nothing. The region row is locked, so two
    simultaneous runs for a region queue up; the second finds identical figures and stores nothing.
    """
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region_id)
        first, last = period_validate(kind=kind, start=period_start, region=region)
        if not receipt_take():  # a twin delivery of this job stored the snapshot first
            return ReportSnapshot.objects.filter(region=region, kind=kind, period_start=first).latest(
                "version"
            )
        figures = _figures_compute(region, first, last, run_id=run_id)
        snapshot = _snapshot_store(region, kind, first, last, figures)
        if run_id:
            ReportRun.objects.filter(pk=run_id).update(
                status=ReportRun.Status.DONE, snapshot=snapshot, finished_at=timezone.now()
            )
            _progress_set(run_id, len(SECTIONS), "")
    return snapshot


def _progress_set(run_id: int, done: int, section: str) -> None:
    cache.set(_progress_key(run_id), {"done": done, "total": len(SECTIONS), "section": section}, 3600)


def _figures_compute(region: Region, first: dt.date, last: dt.date, *, run_id: int | None) -> dict:
    """Every section's figures, JSON-safe; a run's progress is published before each section."""
    figures: dict = {}
    for done, (name, section) in enumerate(SECTIONS):
        if run_id:
            _progress_set(run_id, done, name)
        figures[name] = jsonable(section(region, first, last))
    return figures


def _snapshot_store(
    region: Region, kind: str, first: dt.date, last: dt.date, figures: dict
) -> ReportSnapshot:
    """A new version when the figures differ from the latest one; otherwise the latest itself."""
    digest = figures_digest(figures)
    latest = (
        ReportSnapshot.objects.filter(region=region, kind=kind, period_start=first)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.digest == digest:
        return latest
    snapshot = ReportSnapshot(
        region=region,
        kind=kind,
        period_start=first,
        period_end=last,
        version=(latest.version + 1) if latest else 1,
        figures=figures,
        digest=digest,
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot


def run_request(*, region: Region, kind: str, period_start: dt.date, user) -> ReportRun:
    """HR asks for a recompute: refused while one is pending or running for that region and period."""
    first, _last = period_validate(kind=kind, start=period_start, region=region)
    stale_before = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    # A run older than the task time limit was lost with its worker; it no longer blocks.
    ReportRun.objects.filter(
        region=region,
        kind=kind,
        period_start=first,
        status__in=["pending", "running"],
        created_at__lt=stale_before,
    ).update(status=ReportRun.Status.FAILED, error="lost", finished_at=timezone.now())
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(region=region, kind=kind, period_start=first, requested_by=user)
            _compute_enqueue(run)  # the job is written with the run, in its transaction
    except IntegrityError:
        raise ValidationError(
            _("A computation of this report is already running. Wait for it to finish.")
        ) from None
    return run


def _compute_enqueue(run: ReportRun) -> None:
    enqueue(
        COMPUTE_TASK,
        about=run,
        region_id=run.region_id,
        kind=run.kind,
        period_start=run.period_start.isoformat(),
        run_id=run.pk,
    )


def run_retry(*, run_id: int) -> ReportRun:
    """Compute a failed run again (refused while another computation of that report is active)."""
    try:
        with transaction.atomic():
            run = ReportRun.objects.select_for_update().get(pk=run_id)
            if run.status != ReportRun.Status.FAILED:
                raise ValidationError(_("Only a failed computation can be run again."))
            run.status, run.error, run.finished_at = ReportRun.Status.PENDING, "", None
            run.save(update_fields=["status", "error", "finished_at"])
            _compute_enqueue(run)
    except IntegrityError:
        raise ValidationError(
            _("A computation of this report is already running. Wait for it to finish.")
        ) from None
    return run


def reports_enqueue_all(*, kind: str, period_start: str | None = None) -> list[int]:
    """The periodic fan-out: one report job per region for the last complete period; the job ids."""
    start = period_start or period_last_complete(kind, timezone.localdate()).isoformat()
    with transaction.atomic():
        return [
            enqueue(COMPUTE_TASK, region_id=region_id, kind=kind, period_start=start).pk
            for region_id in Region.objects.order_by("pk").values_list("pk", flat=True)
        ]


def run_mark(*, run_id: int, status: str, error: str = "") -> None:
    # Only an active run moves: one marked lost (or done) meanwhile keeps its state.
    ReportRun.objects.filter(pk=run_id, status__in=["pending", "running"]).update(
        status=status,
        error=error[:2000],
        finished_at=timezone.now() if status == ReportRun.Status.FAILED else None,
    )
