from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import Role, audit_record, get_in_scope, role_required
from asnportal.params import parse_page
from asnportal.ui.formatting import number_formatter

from . import exports, selectors, services
from .access import (
    application_for_hr,
    application_for_panel,
    application_of_applicant,
    document_for_user,
    objection_for_hr,
    selection_for_hr,
    selection_for_observer,
)
from .forms import (
    AnnouncementForm,
    ApplyForm,
    ConflictForm,
    DocumentForm,
    FormationForm,
    ImportForm,
    ObjectionAnswerForm,
    ObjectionForm,
    ObservationForm,
    ProfileForm,
    RegisterForm,
    ScreeningForm,
    SelectionForm,
    SignOffForm,
    SkbScoreForm,
    SkdCorrectionForm,
)
from .imports import parse_score_file
from .ledger import PROBLEMS
from .ledger import ledger_verify as verify_chains
from .models import ApplicantProfile, Selection

RANKING_PAGE_SIZE = 100
MAX_SHOWN_ERRORS = 100  # an import with 100,000 bad rows must not render 100,000 list items


def _form_page(request, form, *, heading, submit, intro="", back=None, extra=None, status=200):
    context = {"form": form, "heading": heading, "submit_label": submit, "intro": intro, "back": back}
    context.update(extra or {})
    return render(request, "recruitment/form.html", context, status=status)


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Public pages ------------------------------------------------------------------------------
def public_selections(request: HttpRequest) -> HttpResponse:
    return render(
        request, "recruitment/public_selections.html", {"selections": selectors.selections_public()}
    )


def _public_selection(pk: int) -> Selection:
    try:
        return selectors.selection_public_detail(pk=pk)
    except Selection.DoesNotExist:
        raise Http404 from None


def public_selection(request: HttpRequest, pk: int) -> HttpResponse:
    selection = _public_selection(pk)
    return render(
        request,
        "recruitment/public_selection.html",
        {
            "selection": selection,
            "formations": selectors.formations_of(selection=selection),
            "schedule": selection.schedule.all(),
            "announcements": selectors.announcements_of(selection=selection),
        },
    )


def _ranking_table(rows: list) -> list[dict]:
    """The ranking's cells as text, numbers formatted once here rather than localised per cell in
    the template (ten cells on each of 100 rows)."""
    fmt = number_formatter(none="–")
    skb, below, outside = _("SKB"), _("Below SKD threshold"), _("Outside 3× quota")
    table = []
    for r in rows:
        if r.passes or r.advances:
            result = "" if r.passes else skb
        elif r.skd_total is None:
            result = ""
        else:
            result = outside if r.skd_pass else below
        table.append(
            {
                "rank": fmt(r.final_rank),
                "number": r.participant_number,
                "name": r.full_name,
                "twk": fmt(r.twk),
                "tiu": fmt(r.tiu),
                "tkp": fmt(r.tkp),
                "skd": fmt(r.skd_total),
                "skb": fmt(r.skb),
                "final": fmt(r.final_score),
                "passes": r.passes,
                "result": result,
            }
        )
    return table


def public_ranking(request: HttpRequest, pk: int, formation_pk: int) -> HttpResponse:
    selection = _public_selection(pk)
    formation = get_object_or_404(selection.formations.select_related("position", "unit"), pk=formation_pk)
    number = parse_page(request.GET.get("page"))

    def ranking_page(n: int):
        return selectors.ranking_rows(
            selection_id=selection.pk,
            formation_id=formation.pk,
            limit=RANKING_PAGE_SIZE,
            offset=(n - 1) * RANKING_PAGE_SIZE,
        )

    rows, total = ranking_page(number)
    if not rows and number > 1:
        # Past the end: the last page, as Paginator.get_page does (the total comes with the rows).
        rows, total = ranking_page(1)
        number = Paginator(range(total), RANKING_PAGE_SIZE).num_pages
        if number > 1:
            rows, total = ranking_page(number)
    page = Paginator(range(total), RANKING_PAGE_SIZE).get_page(number)
    return render(
        request,
        "recruitment/public_ranking.html",
        {
            "selection": selection,
            "formation": formation,
            "rows": rows,
            "table": _ranking_table(rows),
            "page": page,
            "stages": selectors.stage_status(selection=selection),
        },
    )


def export(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """The published results as a file, for anyone: the announcement itself, with exactly what the
    public ranking page shows (participant number, name, scores; never NIK or birth date), so no
    purpose is asked (unlike officers' exports of personal records, accounts.exports)."""
    selection = _public_selection(pk)
    if kind not in exports.KINDS or fmt not in ("xlsx", "pdf"):
        raise Http404
    return exports.export_response(selection=selection, kind=kind, fmt=fmt)


def ledger_verify(request: HttpRequest) -> HttpResponse:
    reports = verify_chains()
    for report in reports:
        for problem in report.problems:
            problem["label"] = PROBLEMS[problem["problem"]]
    return render(request, "recruitment/ledger_verify.html", {"reports": reports})


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.applicant_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready. Complete your personal data next."))
            return redirect("recruitment:applicant_profile")
    return _form_page(request, form, heading=_("Register as an applicant"), submit=_("Register"))


# --- Applicants --------------------------------------------------------------------------------
def _profile(user) -> ApplicantProfile:
    profile, _created = ApplicantProfile.objects.get_or_create(
        user=user, defaults={"full_name": user.get_full_name() or user.username}
    )
    return profile


@role_required(Role.APPLICANT)
def applicant_dashboard(request: HttpRequest) -> HttpResponse:
    profile = _profile(request.user)
    return render(
        request,
        "recruitment/applicant_dashboard.html",
        {
            "profile": profile,
            "documents": profile.documents.all(),
            "applications": selectors.applications_of_user(user=request.user),
            "open_selections": selectors.selections_public(),
        },
    )


@role_required(Role.APPLICANT)
def applicant_profile(request: HttpRequest) -> HttpResponse:
    profile = _profile(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_profile_update(
                profile=ApplicantProfile.objects.get(pk=profile.pk), **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Your personal data was saved."))
            return redirect("recruitment:applicant_dashboard")
    return _form_page(request, form, heading=_("My personal data"), submit=_("Save"))


@role_required(Role.APPLICANT)
def document_upload(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                profile=_profile(request.user),
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("recruitment:applicant_dashboard")
    return _form_page(request, form, heading=_("Upload a document"), submit=_("Upload"))


@role_required(Role.APPLICANT)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    selection = _public_selection(pk)
    form = ApplyForm(request.POST or None, formations=selectors.formations_of(selection=selection))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(user=request.user, formation=form.cleaned_data["formation"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Your application was submitted."))
            return redirect("recruitment:applicant_dashboard")
    return _form_page(request, form, heading=_("Apply: %(s)s") % {"s": selection}, submit=_("Apply"))


@role_required(Role.APPLICANT)
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_of_applicant(request.user, pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(application=application, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Your objection was filed."))
            return redirect("recruitment:applicant_dashboard")
    return _form_page(request, form, heading=_("File an objection (sanggah)"), submit=_("Submit"))


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The owner, or an HR officer of a region the applicant applied in (the read is audit-logged)."""
    document, region_id = document_for_user(request.user, pk)
    if region_id is not None:
        audit_record(request=request, action="read_personal", obj=document, region_id=region_id)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


# --- HR officers -------------------------------------------------------------------------------
@role_required(Role.HR_OFFICER)
def hr_selections(request: HttpRequest) -> HttpResponse:
    from workforce.selectors import proposals_ready_for_selection

    selections = selectors.selections_for_regions(region_ids=request.role_regions)
    proposals = [
        p
        for region_id in sorted(request.role_regions)
        for p in proposals_ready_for_selection(region_id=region_id)
    ]
    return render(
        request, "recruitment/hr_selections.html", {"selections": selections, "proposals": proposals}
    )


@require_POST
@role_required(Role.HR_OFFICER)
def selection_from_proposal(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    """Open a selection from an approved workforce proposal (its rows become the formations)."""
    from workforce.models import FormationProposal

    proposal = get_in_scope(
        request.user, FormationProposal.objects.all(), role=Role.HR_OFFICER, pk=proposal_pk
    )
    try:
        selection = services.selection_from_proposal(proposal_id=proposal.pk, created_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("recruitment:hr_selections")
    messages.success(request, _("The selection was opened with the proposal's formations."))
    return redirect("recruitment:hr_selection", selection.pk)


@role_required(Role.HR_OFFICER)
def selection_create(request: HttpRequest) -> HttpResponse:
    form = SelectionForm(request.POST or None, region_ids=request.role_regions)
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
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The selection was created. Add its formations next."))
            return redirect("recruitment:formation_add", selection.pk)
    return _form_page(request, form, heading=_("New selection"), submit=_("Create"))


@role_required(Role.HR_OFFICER)
def formation_add(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_hr(request.user, pk)
    form = FormationForm(request.POST or None, region_id=selection.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.formation_add(selection=selection, **form.spec())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The formation was added."))
            return redirect("recruitment:hr_selection", selection.pk)
    return _form_page(request, form, heading=_("Add a formation: %(s)s") % {"s": selection}, submit=_("Add"))


@role_required(Role.HR_OFFICER)
def announcement_create(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_hr(request.user, pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.announcement_publish(selection=selection, by=request.user, **form.cleaned_data)
        messages.success(request, _("The announcement was published."))
        return redirect("recruitment:hr_selection", selection.pk)
    return _form_page(request, form, heading=_("Publish an announcement"), submit=_("Publish"))


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
        },
    )


@role_required(Role.HR_OFFICER)
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_hr(request.user, pk)
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.screening_decide(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            audit_record(
                request=request, action="score_write", obj=decision, region_id=application.selection.region_id
            )
            messages.success(request, _("The screening decision was recorded."))
            return redirect("recruitment:hr_selection", application.selection_id)
    profile = ApplicantProfile.objects.filter(user_id=application.user_id).first()
    audit_record(
        request=request, action="read_personal", obj=application, region_id=application.selection.region_id
    )
    return render(
        request,
        "recruitment/screen.html",
        {
            "form": form,
            "application": application,
            "profile": profile,
            "documents": profile.documents.all() if profile else [],
            "history": application.screenings.select_related("decided_by"),
        },
    )


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
            row_errors = exc.messages
            if len(row_errors) > MAX_SHOWN_ERRORS:
                more = len(row_errors) - MAX_SHOWN_ERRORS
                row_errors = row_errors[:MAX_SHOWN_ERRORS] + [
                    _("… and %(n)s more errors.") % {"n": f"{more:,}".replace(",", ".")}
                ]
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
            _errors_to_form(form, exc)
        else:
            audit_record(
                request=request, action="score_write", obj=score, region_id=application.selection.region_id
            )
            messages.success(request, _("The correction was recorded; the SKD sheet needs a new sign-off."))
            return redirect("recruitment:hr_selection", application.selection_id)
    return _form_page(
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
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("recruitment:hr_selection", objection.application.selection_id)
    return _form_page(
        request, form, heading=_("Answer the objection"), intro=objection.text, submit=_("Record answer")
    )


# --- Observers ---------------------------------------------------------------------------------
@role_required(Role.OBSERVER)
def observer_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recruitment/observer_home.html",
        {"selections": selectors.observer_selections(user=request.user)},
    )


@role_required(Role.OBSERVER)
def observer_selection(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_observer(request.user, pk)
    rows, _total = selectors.ranking_rows(selection_id=selection.pk, limit=500)
    return render(
        request,
        "recruitment/observer_selection.html",
        {
            "selection": selection,
            "rows": rows,
            "formations": {f.pk: f for f in selectors.formations_of(selection=selection)},
            "stages": selectors.stage_status(selection=selection),
            "conflicts": selectors.conflicts_of(selection=selection),
            "observations": selection.observations.select_related("observer")[:100],
            "objections": selectors.objections_of(selection=selection)[:100],
            "signoffs": selection.signoffs.select_related("observer")[:50],
            "signoff_form": SignOffForm(),
        },
    )


@role_required(Role.OBSERVER)
def observation_create(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_observer(request.user, pk)
    form = ObservationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_record(
                selection=selection,
                observer=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The observation was recorded."))
            return redirect("recruitment:observer_selection", selection.pk)
    return _form_page(request, form, heading=_("Record an observation"), submit=_("Record"))


@require_POST
@role_required(Role.OBSERVER)
def signoff(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_observer(request.user, pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            services.stage_signoff(selection=selection, observer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The score sheet was signed off."))
    else:
        messages.error(request, _("Choose a stage to sign off."))
    return redirect("recruitment:observer_selection", selection.pk)


# --- Panel members -----------------------------------------------------------------------------
@role_required(Role.PANEL_MEMBER)
def panel_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "recruitment/panel_queue.html", {"items": selectors.panel_queue(user=request.user)}
    )


@role_required(Role.PANEL_MEMBER)
def skb_score(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_panel(request.user, pk)
    form = SkbScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            score = services.skb_score_record(
                application=application,
                panel_member=request.user,
                items=form.items(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            audit_record(
                request=request, action="score_write", obj=score, region_id=application.selection.region_id
            )
            messages.success(request, _("The SKB score was recorded."))
            return redirect("recruitment:panel_queue")
    return _form_page(
        request,
        form,
        heading=_("SKB score: %(n)s") % {"n": application.participant_number},
        submit=_("Record score"),
    )


@role_required(Role.PANEL_MEMBER)
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_panel(request.user, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.conflict_declare(application=application, panel_member=request.user, **form.cleaned_data)
        messages.success(request, _("Your declaration was recorded; you will not score this applicant."))
        return redirect("recruitment:panel_queue")
    return _form_page(
        request,
        form,
        heading=_("Declare a conflict of interest: %(n)s") % {"n": application.participant_number},
        submit=_("Declare"),
    )
