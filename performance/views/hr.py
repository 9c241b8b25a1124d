"""Pages of the HR officer: periods, distribution check, recognition, talent map, unit export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from asnportal.accounts.access import Role, get_in_scope, role_required
from asnportal.accounts.exports import ExportFile, export_with_purpose
from asnportal.org.models import Employee, Region
from asnportal.params import id_or_404, pk_max

from .. import exports, rules, selectors, services
from ..forms import PeriodForm, PotentialForm
from ..models import Period, Predikat
from .common import XLSX


def _region(request: HttpRequest) -> Region:
    """The region picked with ?region= among the officer's regions (the first one by default)."""
    ids = sorted(request.role_regions)
    if not ids:
        raise Http404
    wanted = request.GET.get("region") or request.POST.get("region")
    if wanted:
        region_id = id_or_404(wanted, maximum=pk_max(Region))
        if region_id not in ids:
            raise Http404
        return Region.objects.get(pk=region_id)
    return Region.objects.get(pk=ids[0])


def _period(request: HttpRequest, region: Region) -> Period | None:
    periods = Period.objects.filter(region=region)
    wanted = request.GET.get("period")
    if wanted:
        return get_object_or_404(periods, pk=id_or_404(wanted, maximum=pk_max(Period)))
    return (
        periods.order_by("-end").filter(status=Period.Status.CLOSED).first()
        or periods.order_by("-end").first()
    )


def _regions(request):
    return Region.objects.filter(pk__in=request.role_regions)


@role_required(Role.HR_OFFICER)
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = PeriodForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.period_open(user=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("The period has been opened."))
            return redirect(f"{request.path}?region={region.pk}")
    return render(
        request,
        "performance/periods.html",
        {
            "form": form,
            "region": region,
            "regions": _regions(request),
            "periods": selectors.open_periods(region_id=region.pk),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.HR_OFFICER)
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_in_scope(request.user, Period.objects.all(), role=Role.HR_OFFICER, pk=pk)
    try:
        services.period_close(period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(period)s is closed; its appraisals are locked.") % {"period": period})
    return redirect(f"{reverse('performance:periods')}?region={period.region_id}")


@role_required(Role.HR_OFFICER)
def distribution(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    period = _period(request, region)
    rule = selectors.curve_version(period=period) if period else None
    rows = selectors.distribution(period=period, version=rule) if period else []
    return render(
        request,
        "performance/distribution.html",
        {
            "region": region,
            "regions": _regions(request),
            "period": period,
            "rule": rule,
            "rows": rows,
            "periods": Period.objects.filter(region=region),
        },
    )


@role_required(Role.HR_OFFICER)
def unit_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_in_scope(request.user, Period.objects.all(), role=Role.HR_OFFICER, pk=pk)
    appraisals = selectors.period_appraisals(period=period)
    # Names, NIPs and predikat of every appraised employee: a purpose is stated and audited.
    return export_with_purpose(
        request,
        kind="performance_unit_results",
        fmt="xlsx",
        title=_("Unit results") + f" {period}",
        obj=period,
        region_id=period.region_id,
        build=lambda: ExportFile(
            exports.unit_xlsx(
                appraisals=appraisals,
                distribution=selectors.distribution(period=period),
                org_rating_label=str(period.get_org_rating_display()),
            ),
            filename=f"hasil-unit-{period.year}-{period.kind}.xlsx",
            content_type=XLSX,
            rows=appraisals.count(),
        ),
        back_url=reverse("performance:periods"),
    )


@role_required(Role.HR_OFFICER)
def recognition(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    period = _period(request, region)
    rows = selectors.recognition(region_id=region.pk, period=period) if period else []
    return render(
        request,
        "performance/recognition.html",
        {
            "region": region,
            "regions": _regions(request),
            "period": period,
            "rows": rows,
            "periods": Period.objects.filter(region=region),
        },
    )


@role_required(Role.HR_OFFICER)
@require_http_methods(["GET", "POST"])
def talent(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = PotentialForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            employee = get_object_or_404(Employee, pk=form.cleaned_data["employee"], region=region)
            services.potential_record(
                user=request.user,
                employee=employee,
                year=form.cleaned_data["year"],
                potential=form.cleaned_data["potential"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Potential recorded for %(name)s.") % {"name": employee.name})
            return redirect(f"{request.path}?region={region.pk}")
        messages.error(request, _("Choose a potential and a valid year."))
    page = Paginator(selectors.talent_rows(region_id=region.pk), 50).get_page(request.GET.get("page"))
    for employee in page:
        employee.predikat_label = Predikat(employee.predikat_value).label if employee.predikat_value else ""
    counts = selectors.box_counts(region_id=region.pk)
    grid = [
        [(box, counts[box], rules.BOX_RECOMMENDATION[box]) for box in row]
        for row in ((4, 7, 9), (2, 5, 8), (1, 3, 6))
    ]
    return render(
        request,
        "performance/talent.html",
        {
            "region": region,
            "regions": _regions(request),
            "page": page,
            "region_query": f"region={region.pk}",
            "grid": grid,
            "pool": selectors.talent_pool(region_id=region.pk),
            "recommendations": rules.BOX_RECOMMENDATION,
            "year": timezone.localdate().year,
            "potential_choices": PotentialForm.base_fields["potential"].choices,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.HR_OFFICER)
def succession(request: HttpRequest) -> HttpResponse:
    """Vacant managerial positions and the talent-pool candidates who meet their requirements."""
    region = _region(request)
    slate = selectors.succession_slate(region_id=region.pk)
    return render(
        request,
        "performance/succession.html",
        {"region": region, "regions": _regions(request), "slate": slate},
    )
