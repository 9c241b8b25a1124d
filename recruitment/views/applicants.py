"""The applicant's pages: their dashboard, personal data, documents, applications and objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from asnportal.accounts.access import Role, audit_record, role_required

from .. import selectors, services
from ..access import application_of_applicant, document_for_user
from ..forms import ApplyForm, DocumentForm, ObjectionForm, ProfileForm
from .common import errors_to_form, form_page
from .public import public_selection_or_404


@role_required(Role.APPLICANT)
def applicant_dashboard(request: HttpRequest) -> HttpResponse:
    profile = selectors.applicant_profile_of(user=request.user)
    return render(
        request,
        "recruitment/applicant_dashboard.html",
        {
            "profile": profile,
            "documents": selectors.documents_of(profile=profile),
            "applications": selectors.applications_of_user(user=request.user),
            "open_selections": selectors.selections_public(),
        },
    )


@role_required(Role.APPLICANT)
def applicant_profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=selectors.applicant_profile_of(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_profile_save(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your personal data was saved."))
            return redirect("recruitment:applicant_dashboard")
    return form_page(request, form, heading=_("My personal data"), submit=_("Save"))


@role_required(Role.APPLICANT)
def document_upload(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_document_upload(
                user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("recruitment:applicant_dashboard")
    return form_page(request, form, heading=_("Upload a document"), submit=_("Upload"))


@role_required(Role.APPLICANT)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    selection = public_selection_or_404(pk)
    form = ApplyForm(request.POST or None, formations=selectors.formations_of(selection=selection))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(user=request.user, formation=form.cleaned_data["formation"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your application was submitted."))
            return redirect("recruitment:applicant_dashboard")
    return form_page(request, form, heading=_("Apply: %(s)s") % {"s": selection}, submit=_("Apply"))


@role_required(Role.APPLICANT)
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_of_applicant(request.user, pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(application=application, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your objection was filed."))
            return redirect("recruitment:applicant_dashboard")
    return form_page(request, form, heading=_("File an objection (sanggah)"), submit=_("Submit"))


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The owner, or an HR officer of a region the applicant applied in (the read is audit-logged,
    as DESIGN.md §3 asks of every officer's read of a personal record: the one write on this GET)."""
    document, region_id = document_for_user(request.user, pk)
    if region_id is not None:
        audit_record(request=request, action="read_personal", obj=document, region_id=region_id)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
