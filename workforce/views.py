"""Workforce planning pages: HR officers plan and restructure; regional heads read gaps, proposals
and the organisation chart (aggregates only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import Role, get_in_scope, has_role, role_required
from asnportal.org.models import Region
from asnportal.params import id_or_404, pk_max

from . import exports, forms, selectors, services
from .models import FormationProposal, ServiceRatio, WorkloadAnalysis, WorkloadTask

READERS = (Role.HR_OFFICER, Role.REGIONAL_HEAD)


def _region(request: HttpRequest) -> Region:
    """The region the page is about: ?region= among the user's regions, else the first of them."""
    ids = sorted(request.role_regions)
    if not ids:
        raise PermissionDenied
    wanted = request.GET.get("region") or request.POST.get("region")
    region_id = ids[0]
    if wanted:
        region_id = id_or_404(wanted, maximum=pk_max(Region))
        if region_id not in ids:
            raise Http404
    return get_object_or_404(Region, pk=region_id)


def _require_hr(request: HttpRequest, region_id: int) -> None:
    if not has_role(request.user, Role.HR_OFFICER, region_id):
        raise PermissionDenied


def _is_hr(request: HttpRequest, region_id: int) -> bool:
    return has_role(request.user, Role.HR_OFFICER, region_id)


@role_required(*READERS)
def index(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    year = forms.default_year()
    rows = selectors.gap_rows(region_id=region.pk, year=year, on=timezone.localdate())
    summary = {
        "needed": sum(r["needed"] or 0 for r in rows),
        "in_post": sum(r["in_post"] for r in rows),
        "retiring": sum(r["retiring"] for r in rows),
        "shortfall": sum(max(r["gap_future"] or 0, 0) for r in rows),
    }
    return render(
        request,
        "workforce/index.html",
        {"region": region, "year": year, "summary": summary, "is_hr": _is_hr(request, region.pk)},
    )


@role_required(Role.HR_OFFICER)
def settings_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    hours_form = forms.EffectiveHoursForm(
        request.POST or None, initial={"effective_hours": selectors.effective_hours(region_id=region.pk)}
    )
    if request.method == "POST" and hours_form.is_valid():
        services.planning_setting_update(
            region_id=region.pk, effective_hours=hours_form.cleaned_data["effective_hours"]
        )
        messages.success(request, _("Effective working hours saved."))
        return redirect("planning:settings")
    status = 400 if hours_form.errors else 200
    return _settings_render(request, region, hours_form, forms.RetirementAgeForm(), status=status)


def _settings_render(request, region, hours_form, age_form, status=200) -> HttpResponse:
    return render(
        request,
        "workforce/settings.html",
        {
            "region": region,
            "hours_form": hours_form,
            "age_form": age_form,
            "ages": selectors.retirement_table(region_id=region.pk),
        },
        status=status,
    )


@require_POST
@role_required(Role.HR_OFFICER)
def retirement_age(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = forms.RetirementAgeForm(request.POST)
    if form.is_valid():
        try:
            services.retirement_age_set(region_id=region.pk, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Retirement age saved."))
            return redirect("planning:settings")
    hours_form = forms.EffectiveHoursForm(
        initial={"effective_hours": selectors.effective_hours(region_id=region.pk)}
    )
    return _settings_render(request, region, hours_form, form, status=400)


# --- workload analysis -------------------------------------------------------------------------------


@role_required(Role.HR_OFFICER)
def workload(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    year = forms.YearForm(request.GET).year_or_default()
    form = forms.AnalysisForm(request.POST or None, region=region, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.workload_analysis_create(region_id=region.pk, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            return redirect("planning:workload_detail", pk=analysis.pk)
    return render(
        request,
        "workforce/workload.html",
        {
            "region": region,
            "year": year,
            "form": form,
            "analyses": selectors.workload_analyses(region_id=region.pk, year=year),
            "effective_hours": selectors.effective_hours(region_id=region.pk),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.HR_OFFICER)
def workload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = get_in_scope(
        request.user,
        WorkloadAnalysis.objects.select_related("unit", "position", "region"),
        role=Role.HR_OFFICER,
        pk=pk,
    )
    form = forms.TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.workload_task_add(analysis=analysis, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Task added."))
            return redirect("planning:workload_detail", pk=analysis.pk)
    return render(
        request,
        "workforce/workload_detail.html",
        {"analysis": analysis, "form": form, **selectors.workload_detail(analysis=analysis)},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.HR_OFFICER)
def workload_task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    task = get_in_scope(
        request.user,
        WorkloadTask.objects.all(),
        role=Role.HR_OFFICER,
        region_field="analysis__region",
        pk=task_pk,
        analysis_id=pk,
    )
    services.workload_task_delete(task=task)
    messages.success(request, _("Task removed."))
    return redirect("planning:workload_detail", pk=pk)


# --- ratios ---------------------------------------------------------------------------------------------


@role_required(Role.HR_OFFICER)
def ratios(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    year = forms.YearForm(request.GET).year_or_default()
    form = forms.RatioForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_ratio_create(region_id=region.pk, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Service ratio added."))
            return redirect(f"{reverse('planning:ratios')}?year={year}")
    return _ratios_render(request, region, year, form, forms.FigureForm(initial={"year": year}))


def _ratios_render(request, region, year, ratio_form, figure_form) -> HttpResponse:
    failed = bool(ratio_form.errors or figure_form.errors)
    return render(
        request,
        "workforce/ratios.html",
        {
            "region": region,
            "year": year,
            "form": ratio_form,
            "figure_form": figure_form,
            "rows": selectors.ratio_rows(region_id=region.pk, year=year),
            "figures": selectors.figures(region_id=region.pk),
        },
        status=400 if failed else 200,
    )


@require_POST
@role_required(Role.HR_OFFICER)
def figure_set(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = forms.FigureForm(request.POST)
    if form.is_valid():
        try:
            services.region_figure_set(region_id=region.pk, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Figure saved."))
            return redirect(f"{reverse('planning:ratios')}?year={form.cleaned_data['year']}")
    year = forms.default_year()
    return _ratios_render(request, region, year, forms.RatioForm(region=region), form)


@require_POST
@role_required(Role.HR_OFFICER)
def ratio_delete(request: HttpRequest, pk: int) -> HttpResponse:
    ratio = get_in_scope(request.user, ServiceRatio.objects.all(), role=Role.HR_OFFICER, pk=pk)
    services.service_ratio_delete(ratio=ratio)
    messages.success(request, _("Service ratio removed."))
    return redirect("planning:ratios")


# --- gaps -------------------------------------------------------------------------------------------------


def _gap_context(request: HttpRequest) -> dict:
    region = _region(request)
    filters = forms.GapFilterForm(request.GET)
    year, on = filters.year_or_default(), filters.on_or_today()
    rows = selectors.gap_rows(region_id=region.pk, year=year, on=on)
    return {"region": region, "year": year, "on": on, "rows": rows, "filters": filters}


@role_required(*READERS)
def gaps(request: HttpRequest) -> HttpResponse:
    context = _gap_context(request)
    context["chart"] = selectors.gap_chart(context["rows"])
    context["is_hr"] = _is_hr(request, context["region"].pk)
    return render(request, "workforce/gaps.html", context)


@role_required(*READERS)
def gaps_xlsx(request: HttpRequest) -> HttpResponse:
    context = _gap_context(request)
    content = exports.gaps_xlsx(
        context["rows"], region=context["region"], year=context["year"], on=context["on"]
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"kesenjangan-{context['region'].code}-{context['year']}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- proposals -------------------------------------------------------------------------------------------


@role_required(*READERS)
def proposals(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    form = forms.ProposalCreateForm(request.POST or None, initial={"year": forms.default_year()})
    if request.method == "POST":
        _require_hr(request, region.pk)
        if form.is_valid():
            try:
                proposal = services.proposal_create_from_gaps(
                    region=region, year=form.cleaned_data["year"], user=request.user
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("Draft proposal created from the gaps."))
                return redirect("planning:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "workforce/proposals.html",
        {
            "region": region,
            "form": form,
            "proposals": selectors.proposals(region_ids=[region.pk]),
            "is_hr": _is_hr(request, region.pk),
        },
        status=400 if form.errors else 200,
    )


@role_required(*READERS)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_in_scope(
        request.user, FormationProposal.objects.select_related("region"), role=READERS, pk=pk
    )
    form = forms.ProposalRowForm(request.POST or None, region=proposal.region)
    if request.method == "POST":
        _require_hr(request, proposal.region_id)
        if form.is_valid():
            try:
                services.proposal_row_save(proposal_id=proposal.pk, **form.cleaned_data)
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(request, _("Formation saved."))
                return redirect("planning:proposal_detail", pk=proposal.pk)
    rows = selectors.proposal_rows(proposal=proposal)
    return render(
        request,
        "workforce/proposal_detail.html",
        {
            "proposal": proposal,
            "rows": rows,
            "total": sum(r.quota for r in rows),
            "form": form,
            "is_hr": _is_hr(request, proposal.region_id),
            "editable": proposal.status == FormationProposal.Status.DRAFT,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.HR_OFFICER)
def proposal_row_delete(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    proposal = get_in_scope(request.user, FormationProposal.objects.all(), role=Role.HR_OFFICER, pk=pk)
    # A row of another proposal (or none) is not found here, rather than silently "deleted".
    if not selectors.proposal_has_row(proposal=proposal, row_id=row_pk):
        raise Http404
    try:
        services.proposal_row_delete(proposal_id=proposal.pk, row_id=row_pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("planning:proposal_detail", pk=proposal.pk)


def _proposal_step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    """One step of a proposal's life (one POST URL each): the service, its message, back to the page."""
    proposal = get_in_scope(request.user, FormationProposal.objects.all(), role=Role.HR_OFFICER, pk=pk)
    try:
        step(proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("planning:proposal_detail", pk=proposal.pk)


@require_POST
@role_required(Role.HR_OFFICER)
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_step(
        request, pk, lambda p: services.proposal_submit(proposal_id=p.pk), _("Proposal submitted.")
    )


@require_POST
@role_required(Role.HR_OFFICER)
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_step(
        request,
        pk,
        lambda p: services.proposal_approve(proposal_id=p.pk, user=request.user),
        _("Proposal approved; recruitment can open a selection from it."),
    )


@require_POST
@role_required(Role.HR_OFFICER)
def proposal_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_step(
        request, pk, lambda p: services.proposal_return(proposal_id=p.pk), _("Proposal returned to draft.")
    )
