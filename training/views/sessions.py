"""HR: the sessions of the regions, their seats, attendance and completion."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import get_in_scope, role_required

from .. import selectors, services
from ..forms import AttendanceForm, SessionForm
from ..models import Session
from .common import HR, _errors


@role_required(HR)
def manage(request: HttpRequest) -> HttpResponse:
    regions = request.role_regions
    sessions = Paginator(selectors.sessions_for_regions(region_ids=regions), 25).get_page(
        request.GET.get("page")
    )
    programmes = selectors.programmes_for_regions(region_ids=regions)[:200]
    return render(request, "training/manage.html", {"page": sessions, "programmes": programmes})


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
    return get_in_scope(request.user, selectors.sessions_with_programme(), role=HR, pk=pk)


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


def _attendance_form(session: Session, day: dt.date) -> AttendanceForm | None:
    """The day's attendance sheet, while the seats are allocated and the session is not closed."""
    if not session.allocated_at or session.completed_at:
        return None
    return AttendanceForm(
        initial={"day": day.isoformat(), "present": selectors.present_ids_on(session=session, day=day)},
        session=session,
        participants=selectors.admitted_choices(session=session),
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
    return render(
        request,
        "training/session_manage.html",
        {
            "session": session,
            "page": participants,
            "attendance_form": _attendance_form(session, chosen),
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
