"""The staff member's pages: the catalog, a session, a request and its cancellation, own trainings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import staff_required
from asnportal.ui.templatetags.lean_urls import row_urls

from .. import rules, selectors, services
from ..certificates import certificate_pdf
from ..filters import SessionFilter
from ..forms import FeedbackForm
from ..models import Enrollment, Programme
from .common import _employee_today, _errors, _own_enrollment


def _catalog_rows(page, mine: dict) -> list[dict]:
    """Each card's texts composed once here: dates, the seats sentence, the programme facts, the
    labels of kind, mode and status (a `get_..._display` translates every choice of the field on
    each call), the link and the competency badges; the card template only places them."""
    dates: dict = {}

    def day(value) -> str:
        if value not in dates:
            dates[value] = dateformat.format(value, "d-m-Y") if value else ""
        return dates[value]

    seats = _("%(free)s of %(cap)s seats free")
    url = row_urls("training:session_detail")
    kinds, modes = _labels(Programme.Kind), _labels(Programme.Mode)
    statuses = _labels(Enrollment.Status)
    rows = []
    for s in page:
        programme = s.programme
        enrollment = mine.get(s.pk)
        rows.append(
            {
                "session": s,
                "url": url(s.pk),
                "title": programme.title,
                "place": f"{s.name} · {s.region.name}",
                "national": not programme.region_id,
                "enrollment": enrollment,
                "status": statuses.get(enrollment.status, enrollment.status) if enrollment else "",
                "facts": f"{kinds.get(programme.kind, programme.kind)} · "
                f"{modes.get(programme.mode, programme.mode)} · {programme.jp} JP",
                "dates": f"{day(s.start_date)} – {day(s.end_date)}",
                "seats": seats % {"free": s.seats_free, "cap": s.capacity},
                "window": f"{day(s.enroll_opens)} – {day(s.enroll_closes)}",
                "badges": format_html_join(
                    " ", '<span class="badge text-bg-light border">{}</span>',
                    ((c.name,) for c in programme.competencies.all()),
                ),
            }
        )  # fmt: skip
    return rows


def _labels(choices) -> dict:
    """A choices class's labels in the current language, each translated once."""
    return {value: str(label) for value, label in choices.choices}


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
        "competencies": selectors.competencies_of(programme=session.programme),
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
            "jp_right": rules.JP_RIGHT_PER_YEAR,
            "jp_missing": rules.jp_shortfall(jp),
            "jp_pct": rules.jp_percent(jp),
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
