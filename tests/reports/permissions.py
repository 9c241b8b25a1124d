from ..permission_cases import Case, only


def _snapshot(cast):
    from .factories import snapshot_make

    cast.objects["snapshot"] = snapshot_make(region=cast.region_a)


def _failed_run(cast):
    _run(cast)
    cast.objects["run"].status = "failed"
    cast.objects["run"].save(update_fields=["status"])


def _run(cast):
    from reports.models import ReportRun

    from .factories import LAST_MONTH

    cast.objects["run"] = ReportRun.objects.create(
        region=cast.region_a, kind="monthly", period_start=LAST_MONTH, status="done"
    )


CASES = {
    "reports:dashboard": Case(only("hr", "head", "hr_other")),
    "reports:compare": Case(only("hr", "head", "hr_other")),
    "reports:unit_detail": Case(
        only("hr", "head", hr_other=404),
        setup=_snapshot,
        kwargs=lambda c: {"pk": c.objects["snapshot"].pk, "unit_id": c.unit_a.pk},
    ),
    "reports:snapshot_export": Case(
        only("hr", "head", hr_other=404),
        setup=_snapshot,
        kwargs=lambda c: {"pk": c.objects["snapshot"].pk, "fmt": "pdf"},
    ),
    "reports:run_create": Case(only("hr", "hr_other")),
    "reports:run_detail": Case(
        only("hr", hr_other=404), setup=_run, kwargs=lambda c: {"pk": c.objects["run"].pk}
    ),
    # A failed computation run again by its region's officer, 404 for the other region.
    "reports:run_retry": Case(
        only("hr", status=302, hr_other=404),
        setup=_failed_run,
        kwargs=lambda c: {"pk": c.objects["run"].pk},
        method="post",
    ),
}
