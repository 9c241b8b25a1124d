"""HR officers' pages: selections (by hand or from a workforce proposal), formations, announcements,
administrative screening, the SKD import and corrections, and answering objections."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import Role, audit_record, role_required

from .. import selectors, services
from ..access import application_for_hr, objection_for_hr, proposal_for_hr, selection_for_hr
from ..forms import (
    AnnouncementForm,
    FormationForm,
    ImportForm,
    ObjectionAnswerForm,
    ScreeningForm,
    SelectionForm,
    SkdCorrectionForm,
)
from ..imports import parse_score_file
from .common import errors_to_form, errors_to_messages, form_page

MAX_SHOWN_ERRORS = 100  # an import with 100,000 bad rows must not render 100,000 list items


@role_required(Role.HR_OFFICER)
def hr_selections(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recruitment/hr_selections.html",
        {
            "selections": selectors.selections_for_regions(region_ids=request.role_regions),
            "proposals": selectors.proposals_ready(region_ids=request.role_regions),
        },
    )


@require_POST
@role_required(Role.HR_OFFICER)
def selection_from_proposal(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    """Open a selection from an approved workforce proposal (its rows become the formations)."""
    proposal = proposal_for_hr(request.user, proposal_pk)
    try:
        selection = services.selection_from_proposal(proposal_id=proposal.pk, created_by=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect("recruitment:hr_selections")
    messages.success(request, _("The selection was opened with the proposal's formations."))
    return redirect("recruitment:hr_selection", selection.pk)


@role_required(Role.HR_OFFICER)
def selection_create(request: HttpRequest) -> HttpResponse:
    """The form starts with the pass marks and weights of the SKD rule version in force today in the
    officer's region (the first, for an officer of several)."""
    skd = (
        None
        if request.method == "POST"
        else selectors.skd_in_force(region_id=min(request.role_regions, default=None))
    )
    form = SelectionForm(request.POST or None, region_ids=request.role_regions, skd_initial=skd)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            selection = services.selection_create(
                region=data.pop("region"),
                year=data.pop("year"),
                name=data.pop("name"),
                created_by=request.user,
                formations=[],
                **data,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The selection was created. Add its formations next."))
            return redirect("recruitment:formation_add", selection.pk)
    return form_page(request, form, heading=_("New selection"), submit=_("Create"))


@role_required(Role.HR_OFFICER)
def formation_add(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_hr(request.user, pk)
    form = FormationForm(request.POST or None, region_id=selection.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.formation_add(selection=selection, **form.spec())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The formation was added."))
            return redirect("recruitment:hr_selection", selection.pk)
    return form_page(request, form, heading=_("Add a formation: %(s)s") % {"s": selection}, submit=_("Add"))


@role_required(Role.HR_OFFICER)
def announcement_create(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_hr(request.user, pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.announcement_publish(selection=selection, by=request.user, **form.cleaned_data)
        messages.success(request, _("The announcement was published."))
        return redirect("recruitment:hr_selection", selection.pk)
    return form_page(request, form, heading=_("Publish an announcement"), submit=_("Publish"))


@role_required(Role.HR_OFFICER)
def hr_selection(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_hr(request.user, pk)
    page = Paginator(selectors.applications_of(selection=selection), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/hr_selection.html",
        {
            "selection": selection,
            "page": page,
            "formations": selectors.formations_of(selection=selection),
            "stages": selectors.stage_status(selection=selection),
            "objections": selectors.objections_of(selection=selection)[:50],
            "import_form": ImportForm(),
            "rules": selectors.rules_used(selection),
        },
    )


@role_required(Role.HR_OFFICER)
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The screening form. Its GET records the officer's read of the applicant's personal data in the
    audit log (DESIGN.md §3: every such read is logged), its only write."""
    application = application_for_hr(request.user, pk)
    region_id = application.selection.region_id
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.screening_decide(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            audit_record(request=request, action="score_write", obj=decision, region_id=region_id)
            messages.success(request, _("The screening decision was recorded."))
            return redirect("recruitment:hr_selection", application.selection_id)
    context = {"form": form, "application": application, **selectors.screening_page(application=application)}
    audit_record(request=request, action="read_personal", obj=application, region_id=region_id)
    return render(request, "recruitment/screen.html", context)


def _shown_errors(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_SHOWN_ERRORS:
        return errors
    more = len(errors) - MAX_SHOWN_ERRORS
    return errors[:MAX_SHOWN_ERRORS] + [_("… and %(n)s more errors.") % {"n": f"{more:,}".replace(",", ".")}]


@role_required(Role.HR_OFFICER)
def skd_import(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_hr(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = parse_score_file(form.cleaned_data["file"])
            count = services.skd_import(selection=selection, rows=rows, by=request.user)
        except ValidationError as exc:
            row_errors = _shown_errors(exc.messages)
        else:
            audit_record(
                request=request,
                action="score_import",
                obj=selection,
                region_id=selection.region_id,
                detail={"rows": count},
            )
            messages.success(request, _("%(n)s SKD results were imported.") % {"n": count})
            return redirect("recruitment:hr_selection", selection.pk)
    return render(
        request,
        "recruitment/skd_import.html",
        {"selection": selection, "form": form, "row_errors": row_errors},
        status=400 if row_errors else 200,
    )


@role_required(Role.HR_OFFICER)
def skd_correct(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_hr(request.user, pk)
    form = SkdCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            score = services.skd_correct(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            audit_record(
                request=request, action="score_write", obj=score, region_id=application.selection.region_id
            )
            messages.success(request, _("The correction was recorded; the SKD sheet needs a new sign-off."))
            return redirect("recruitment:hr_selection", application.selection_id)
    return form_page(
        request,
        form,
        heading=_("Correct SKD score: %(a)s") % {"a": application},
        submit=_("Record correction"),
    )


@role_required(Role.HR_OFFICER)
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = objection_for_hr(request.user, pk)
    form = ObjectionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(objection=objection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("recruitment:hr_selection", objection.application.selection_id)
    return form_page(
        request, form, heading=_("Answer the objection"), intro=objection.text, submit=_("Record answer")
    )
