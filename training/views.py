"""Thin views: access helper -> form -> one service -> redirect (or render a selector's result)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import Role, get_in_scope, require_role, role_required, staff_required
from asnportal.accounts.exports import ExportFile, export_with_purpose
from asnportal.org.models import Region
from asnportal.params import parse_code

from . import selectors, services
from .certificates import certificate_pdf
from .exports import below_20_workbook
from .filters import SessionFilter
from .forms import (
    AttendanceForm,
    CertificateLookupForm,
    FeedbackForm,
    MaterialForm,
    ProgrammeForm,
    SessionForm,
    UnitFilterForm,
)
from .models import JP_RIGHT_PER_YEAR, Enrollment, Programme, Session

HR = Role.HR_OFFICER
CERTIFICATE_CODE_MAX = Enrollment._meta.get_field("certificate_code").max_length


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _employee_today(employee) -> dt.date:
    return timezone.now().astimezone(employee.region.tzinfo).date()


# ----- staff ---------------------------------------------------------------------------------


def _catalog_rows(page, mine: dict) -> list[dict]:
    """Each card's texts composed once here: dates, the seats sentence and the programme facts
    were about a hundred filter and translation calls per page in the template."""
    dates: dict = {}

    def day(value) -> str:
        if value not in dates:
            dates[value] = dateformat.format(value, "d-m-Y") if value else ""
        return dates[value]

    seats = _("%(free)s of %(cap)s seats free")
    rows = []
    for s in page:
        programme = s.programme
        rows.append(
            {
                "session": s,
                "enrollment": mine.get(s.pk),
                "facts": f"{programme.get_kind_display()} · {programme.get_mode_display()} · {programme.jp} JP",
                "dates": f"{day(s.start_date)} – {day(s.end_date)}",
                "seats": seats % {"free": s.seats_free, "cap": s.capacity},
                "window": f"{day(s.enroll_opens)} – {day(s.enroll_closes)}",
            }
        )
    return rows


@staff_required
def catalog(request: HttpRequest) -> HttpResponse:
    employee = request.employee
    base = selectors.catalog_sessions(employee=employee, today=_employee_today(employee))
    session_filter = SessionFilter(request.GET or None, queryset=base)
    page = Paginator(session_filter.qs, 20).get_page(request.GET.get("page"))
    mine = selectors.enrollment_map(employee=employee, session_ids=[s.pk for s in page])
    rows = _catalog_rows(page, mine)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/catalog.html",
        {"filter": session_filter, "page": page, "rows": rows, "querystring": query.urlencode()},
    )


@staff_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = request.employee
    session = selectors.session_for_employee(employee=employee, pk=pk)
    if session is None:
        raise Http404
    enrollment = selectors.current_enrollment(employee=employee, session=session)
    context = {
        "session": session,
        "programme": session.programme,
        "competencies": session.programme.competencies.order_by("name"),
        "materials": selectors.materials_of(programme=session.programme),
        "rule": services.eligibility_describe(programme=session.programme),
        "eligibility": services.eligibility_check(programme=session.programme, employee=employee),
        "window": session.window_state(),
        "enrollment": enrollment,
        "ranked": selectors.ranked_count(session=session) if enrollment and enrollment.rank else 0,
    }
    return render(request, "training/session_detail.html", context)


@require_POST
@staff_required
def enroll(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_employee(employee=request.employee, pk=pk)
    if session is None:
        raise Http404
    try:
        services.enrollment_request(session=session, employee=request.employee)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your request is recorded. Seats are allocated when enrollment closes."))
    return redirect("training:session_detail", pk=session.pk)


def _own_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("session__programme", "session__region", "employee"),
        pk=pk,
        employee=request.employee,
    )


@require_POST
@staff_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    try:
        services.enrollment_cancel(enrollment=enrollment)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your enrollment is cancelled."))
    return redirect("training:session_detail", pk=enrollment.session_id)


@staff_required
def my_trainings(request: HttpRequest) -> HttpResponse:
    employee = request.employee
    year = _employee_today(employee).year
    jp = selectors.jp_of(employee_id=employee.pk, year=year)
    return render(
        request,
        "training/my_trainings.html",
        {
            "enrollments": selectors.my_enrollments(employee=employee)[:100],
            "jp": jp,
            "jp_right": JP_RIGHT_PER_YEAR,
            "jp_missing": max(JP_RIGHT_PER_YEAR - jp, 0),
            "jp_pct": min(100, round(100 * jp / JP_RIGHT_PER_YEAR)),
            "year": year,
            "suggestions": selectors.training_suggestions(employee=employee),
        },
    )


@staff_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    if enrollment.status != Enrollment.Status.COMPLETED:
        raise Http404
    url = request.build_absolute_uri(reverse("training:verify", args=[enrollment.certificate_code]))
    response = HttpResponse(
        certificate_pdf(enrollment=enrollment, verify_url=url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{enrollment.certificate_code}.pdf"'
    return response


@staff_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(enrollment=enrollment, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("training:my")
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "heading": _("Feedback: %(session)s") % {"session": enrollment.session},
            "submit_label": _("Send feedback"),
        },
    )


# ----- public --------------------------------------------------------------------------------


def verify_lookup(request: HttpRequest) -> HttpResponse:
    form = CertificateLookupForm(request.GET or None)
    if form.is_valid():
        code = parse_code(form.cleaned_data["code"], max_length=CERTIFICATE_CODE_MAX)
        if code:
            return redirect("training:verify", code=code.upper())
        # Not the shape of any certificate code: "not found", said as for a code that does not exist.
        context = {"form": form, "enrollment": None, "looked_up": True}
        return render(request, "training/verify.html", context, status=404)
    return render(request, "training/verify.html", {"form": form, "enrollment": None, "looked_up": False})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    wanted = parse_code(code, max_length=CERTIFICATE_CODE_MAX)
    enrollment = selectors.certificate_by_code(code=wanted) if wanted else None
    return render(
        request,
        "training/verify.html",
        {"form": CertificateLookupForm(initial={"code": code}), "enrollment": enrollment, "looked_up": True},
        status=200 if enrollment else 404,
    )


# ----- HR ------------------------------------------------------------------------------------


@role_required(HR)
def manage(request: HttpRequest) -> HttpResponse:
    regions = request.role_regions
    sessions = Paginator(selectors.sessions_for_regions(region_ids=regions), 25).get_page(
        request.GET.get("page")
    )
    programmes = selectors.programmes_for_regions(region_ids=regions)[:200]
    return render(request, "training/manage.html", {"page": sessions, "programmes": programmes})


@role_required(HR)
def programme_create(request: HttpRequest) -> HttpResponse:
    regions = sorted(request.role_regions)
    form = ProgrammeForm(request.POST or None, instance=Programme(region_id=regions[0] if regions else None))
    if request.method == "POST" and form.is_valid():
        programme = form.save(commit=False)
        services.programme_save(programme=programme, competencies=list(form.cleaned_data["competencies"]))
        messages.success(request, _("Programme saved."))
        return redirect("training:programme_edit", pk=programme.pk)
    return render(
        request,
        "training/form.html",
        {"form": form, "heading": _("New programme"), "submit_label": _("Save programme")},
    )


@role_required(HR)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_in_scope(request.user, Programme.objects.all(), role=HR, pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme, prefix="p")
    material_form = MaterialForm(request.POST or None, request.FILES or None, prefix="m")
    if request.method == "POST" and "add_material" in request.POST:
        form = ProgrammeForm(instance=programme, prefix="p")
        if material_form.is_valid():
            material = material_form.save(commit=False)
            material.programme = programme
            material.full_clean()
            material.save()
            messages.success(request, _("Material added."))
            return redirect("training:programme_edit", pk=programme.pk)
    elif request.method == "POST":
        material_form = MaterialForm(prefix="m")
        if form.is_valid():
            services.programme_save(
                programme=form.save(commit=False), competencies=list(form.cleaned_data["competencies"])
            )
            messages.success(request, _("Programme saved."))
            return redirect("training:programme_edit", pk=programme.pk)
    return render(
        request,
        "training/programme_edit.html",
        {
            "form": form,
            "material_form": material_form,
            "programme": programme,
            "materials": programme.materials.all(),
        },
    )


def _programme_for_hr(request: HttpRequest, pk: int) -> Programme:
    regions = require_role(request.user, HR)
    return get_object_or_404(
        Programme.objects.filter(Q(region_id__in=list(regions)) | Q(region__isnull=True)), pk=pk
    )


@role_required(HR)
def programme_results(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_for_hr(request, pk)
    results = selectors.programme_results(programme=programme, region_ids=request.role_regions)
    return render(request, "training/programme_results.html", {"programme": programme, **results})


@role_required(HR)
def session_create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, region_ids=request.role_regions)
    if request.method == "POST" and form.is_valid():
        session = services.session_save(session=form.save(commit=False))
        messages.success(request, _("Session saved."))
        return redirect("training:session_manage", pk=session.pk)
    return render(
        request,
        "training/form.html",
        {"form": form, "heading": _("New session"), "submit_label": _("Save session")},
    )


def _session_for_hr(request: HttpRequest, pk: int) -> Session:
    return get_in_scope(request.user, Session.objects.select_related("programme", "region"), role=HR, pk=pk)


@role_required(HR)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_hr(request, pk)
    form = SessionForm(request.POST or None, instance=session, region_ids=request.role_regions)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(session=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("training:session_manage", pk=session.pk)
    return render(
        request,
        "training/form.html",
        {"form": form, "heading": _("Edit session"), "submit_label": _("Save session")},
    )


@role_required(HR)
def session_manage(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_hr(request, pk)
    participants = Paginator(selectors.session_participants(session=session), 50).get_page(
        request.GET.get("page")
    )
    day = request.GET.get("day") or ""
    days = session.days()
    chosen = next((d for d in days if d.isoformat() == day), days[0])
    attendance_form = None
    if session.allocated_at and not session.completed_at:
        attendance_form = AttendanceForm(
            initial={
                "day": chosen.isoformat(),
                "present": selectors.present_ids_on(session=session, day=chosen),
            },
            session=session,
            participants=selectors.admitted_choices(session=session),
        )
    return render(
        request,
        "training/session_manage.html",
        {
            "session": session,
            "page": participants,
            "attendance_form": attendance_form,
            "window": session.window_state(),
            "days": days,
            "chosen": chosen,
            "rule": services.eligibility_describe(programme=session.programme),
        },
    )


@require_POST
@role_required(HR)
def session_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_hr(request, pk)
    try:
        services.session_allocate(session_id=session.pk)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Seats allocated by the published priority rule."))
    return redirect("training:session_manage", pk=session.pk)


@require_POST
@role_required(HR)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_hr(request, pk)
    form = AttendanceForm(
        request.POST, session=session, participants=selectors.admitted_choices(session=session)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("training:session_manage", pk=session.pk)
    day = dt.date.fromisoformat(form.cleaned_data["day"])
    try:
        n = services.attendance_record(
            session=session, day=day, present_ids=set(form.cleaned_data["present"]), user=request.user
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("Attendance of %(day)s saved: %(n)s present.") % {"day": day.strftime("%d-%m-%Y"), "n": n},
        )
    return redirect(f"{reverse('training:session_manage', args=[session.pk])}?day={day.isoformat()}")


@require_POST
@role_required(HR)
def session_complete(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_hr(request, pk)
    try:
        n = services.session_complete(session_id=session.pk)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("Session closed: %(n)s participants completed and received their JP.") % {"n": n}
        )
    return redirect("training:session_manage", pk=session.pk)


def _below_20_query(request: HttpRequest):
    regions = request.role_regions
    year = timezone.localdate().year
    form = UnitFilterForm(request.GET or None, region_ids=regions)
    unit_id = form.cleaned_data["unit"].pk if form.is_valid() and form.cleaned_data["unit"] else None
    return form, year, selectors.below_20(region_ids=regions, year=year, unit_id=unit_id)


@role_required(HR)
def below_20_xlsx(request: HttpRequest) -> HttpResponse:
    """Names and NIPs of the staff below 20 JP: exported only with a stated, audited purpose."""
    _form, year, staff = _below_20_query(request)
    region = Region.objects.filter(pk__in=request.role_regions).order_by("pk").first()
    return export_with_purpose(
        request,
        kind="training_below_20",
        fmt="xlsx",
        title=_("Staff below 20 JP in %(year)s") % {"year": year},
        obj=region,
        region_id=region.pk,
        build=lambda: ExportFile(
            below_20_workbook(staff=staff, year=year),
            filename=f"pegawai-di-bawah-20-jp-{year}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            rows=staff.count(),
        ),
        back_url=reverse("training:below_20"),
    )


@role_required(HR)
def below_20(request: HttpRequest) -> HttpResponse:
    regions = request.role_regions
    form, year, staff = _below_20_query(request)
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/below_20.html",
        {
            "form": form,
            "page": page,
            "units": selectors.below_20_by_unit(region_ids=regions, year=year),
            "year": year,
            "jp_right": JP_RIGHT_PER_YEAR,
            "querystring": query.urlencode(),
        },
    )
