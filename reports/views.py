from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import (
    REPORT_READERS,
    Role,
    audit_record,
    get_in_report_scope,
    get_in_scope,
    report_regions,
    role_regions,
    role_required,
)
from asnportal.org.models import Region
from asnportal.ui.formatting import number_formatter
from asnportal.ui.templatetags.lean_urls import row_urls

from . import exports, rollup, selectors, services
from .forms import DashboardFilterForm, RecomputeForm
from .models import PeriodKind, ReportRun, ReportSnapshot

READERS = REPORT_READERS


def _regions(request: HttpRequest) -> list[Region]:
    return list(Region.objects.filter(pk__in=list(request.role_regions)).order_by("name"))


@role_required(*READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The regional head's home: the latest snapshot with charts and the change against the previous
    one. Its regions are the user's report scope: a provinsi's also holds its kabupaten/kota, which its
    dashboard compares (issue 24)."""
    regions = report_regions(request.user)
    form = DashboardFilterForm(request.GET or None, regions=regions)
    # The region of one's own role comes first (a provinsi's regencies may sort before it by name).
    region = next(r for r in regions if r.pk in request.role_regions)
    kind = PeriodKind.MONTHLY
    if form.is_valid():
        if form.cleaned_data["region"]:
            region = next(r for r in regions if r.pk == form.cleaned_data["region"])
        kind = form.cleaned_data["kind"] or kind
    elif request.GET.get("region"):
        raise Http404
    snapshot = selectors.snapshot_latest(region_id=region.pk, kind=kind)
    previous = selectors.snapshot_previous(snapshot=snapshot) if snapshot else None
    context = {
        "form": form,
        "region": region,
        "kind": kind,
        "snapshot": snapshot,
        "previous": previous,
        "view": _with_unit_cells(selectors.dashboard_view(snapshot=snapshot, previous=previous), snapshot)
        if snapshot
        else None,
        "can_recompute": region.pk in role_regions(request.user, Role.HR_OFFICER),
        "regencies": _regencies(region, regions, snapshot),
    }
    return render(request, "reports/dashboard.html", context)


def _regencies(region: Region, regions: list[Region], snapshot: ReportSnapshot | None) -> dict | None:
    """A provinsi's comparison of the kabupaten/kota under it that the user may read, for the period
    the dashboard shows (one query for all of them)."""
    children = [r for r in regions if r.parent_id == region.pk]
    if not children or snapshot is None:
        return None
    return rollup.province_comparison(province=region, regencies=children, snapshot=snapshot)


UNIT_COUNTS = ("total", "pns", "pppk", "female", "remote")


def _with_unit_cells(view: dict, snapshot: ReportSnapshot) -> dict:
    """The per-unit table's links and numbers made once here (a region has hundreds of units: a
    `{% url %}` and five localisations per row were most of the dashboard's rendering)."""
    link, number = row_urls("reports:unit_detail", snapshot.pk), number_formatter(grouping=True)
    view["units"] = [
        u if u["hidden"] else {**u, "url": link(u["unit_id"]), **{k: number(u.get(k)) for k in UNIT_COUNTS}}
        for u in view["units"]
    ]
    return view


@role_required(*READERS)
def unit_detail(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    """Drill-down to one unit of a snapshot (small groups stay hidden)."""
    snapshot = get_in_report_scope(request.user, ReportSnapshot.objects.select_related("region"), pk=pk)
    unit = selectors.unit_view(snapshot=snapshot, unit_id=unit_id)
    if unit is None:
        raise Http404
    return render(request, "reports/unit_detail.html", {"snapshot": snapshot, "unit": unit})


@role_required(*READERS)
def compare(request: HttpRequest) -> HttpResponse:
    """Side by side: the latest report of every region in the user's report scope."""
    kind = request.GET.get("kind") if request.GET.get("kind") in PeriodKind.values else PeriodKind.MONTHLY
    region_ids = [r.pk for r in report_regions(request.user)]
    snapshots = selectors.snapshots_latest_for_regions(region_ids=region_ids, kind=kind)
    rows = [selectors.compare_row(snapshot=s) for s in snapshots]
    return render(request, "reports/compare.html", {"rows": rows, "kind": kind, "kinds": PeriodKind.choices})


@role_required(Role.HR_OFFICER)
def run_create(request: HttpRequest) -> HttpResponse:
    regions = _regions(request)
    form = RecomputeForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        region = next(r for r in regions if r.pk == form.cleaned_data["region"])
        try:
            run = services.run_request(
                region=region,
                kind=form.cleaned_data["kind"],
                period_start=form.cleaned_data["period"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report is being computed."))
            return redirect("reports:run_detail", pk=run.pk)
    runs = ReportRun.objects.filter(region__in=regions).select_related("region", "snapshot")[:20]
    return render(request, "reports/run_create.html", {"form": form, "runs": runs})


@role_required(Role.HR_OFFICER)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_in_scope(
        request.user, ReportRun.objects.select_related("region", "snapshot"), role=Role.HR_OFFICER, pk=pk
    )
    progress = services.run_progress(run.pk)
    template = "reports/_run_progress.html" if request.htmx else "reports/run_detail.html"
    return render(request, template, {"run": run, "progress": progress})


@role_required(Role.HR_OFFICER)
@require_POST
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Compute a failed report run again (another region's run: 404)."""
    run = get_in_scope(request.user, ReportRun.objects.all(), role=Role.HR_OFFICER, pk=pk)
    try:
        services.run_retry(run_id=run.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The computation is queued again."))
    return redirect("reports:run_detail", pk=run.pk)


@role_required(*READERS)
def snapshot_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    snapshot = get_in_report_scope(request.user, ReportSnapshot.objects.select_related("region"), pk=pk)
    audit_record(request=request, action=f"export_{fmt}", obj=snapshot, region_id=snapshot.region_id)
    if fmt == "xlsx":
        return exports.snapshot_xlsx(snapshot)
    return exports.snapshot_pdf(snapshot)
