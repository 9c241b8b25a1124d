"""Pages of the supervisor: review queue, team progress, plan agreement, appraisal of direct reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asnportal.accounts.access import get_subordinate, is_supervisor, staff_required
from asnportal.accounts.exports import ExportFile, export_with_purpose
from asnportal.ui import formatting
from asnportal.ui.templatetags.lean_urls import row_urls

from .. import exports, selectors, services
from ..forms import BehaviourForm, PlanReviewForm, ReviewForm
from ..models import Appraisal, Period, Plan
from .common import XLSX


def supervisor_required(view):
    @staff_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_supervisor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _queue_rows(page) -> list[dict]:
    """The queue's cells as text: dates, quantities, the checkbox's label and the links composed once
    here, not per cell in the template (the queue is the busiest page of a supervisor)."""
    date_fmt = formats.get_format("DATE_FORMAT")
    select_label = _("Select")
    detail_url, evidence_url = row_urls("performance:log_detail"), row_urls("performance:log_evidence")
    dates: dict = {}
    rows = []
    for log in page:
        day = log["date"]
        if day not in dates:
            dates[day] = dateformat.format(day, date_fmt)
        rows.append(
            {
                "pk": log["pk"],
                "employee_name": log["employee_name"],
                "date": dates[day],
                "label": f"{select_label} {log['employee_name']} {dates[day]}",
                "indicator_text": log["indicator_text"],
                # 7 berkas, not 7,00
                "quantity": f"{formatting.quantity(log['quantity'])} {log['indicator_unit']}",
                "description": Truncator(log["description"]).chars(80),
                "evidence_url": evidence_url(log["pk"]) if log["evidence_id"] else "",
                "detail_url": detail_url(log["pk"]),
            }
        )
    return rows


def _review_data(request: HttpRequest):
    if request.method != "POST":
        return None
    data = request.POST.copy()
    if data.get("single"):
        # The per-row button of the plain form: approve that one log only.
        data.setlist("log_ids", [data["single"]])
        data["action"] = "approve"
    return data


def _review(me, form: ReviewForm) -> tuple[int, str | None]:
    """Reviews the selected logs: (how many, None), or (0, why not) for an invalid or refused review."""
    if not form.is_valid():
        return 0, " ".join(m for errs in form.errors.values() for m in errs)
    try:
        n = services.log_review(
            reviewer=me,
            log_ids=form.cleaned_data["log_ids"],
            approve=form.cleaned_data["action"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        return 0, " ".join(exc.messages)
    return n, None


@supervisor_required
@require_http_methods(["GET", "POST"])
def review_queue(request: HttpRequest) -> HttpResponse:
    me = request.employee
    form = ReviewForm(_review_data(request))
    if request.method == "POST":
        n, error = _review(me, form)
        if error is None:
            done = _("%(n)s log(s) reviewed.") % {"n": n}
            if request.htmx:
                return render(request, "performance/_review_done.html", {"message": done})
            messages.success(request, done)
            return redirect("performance:review_queue")
        if request.htmx:
            return render(
                request, "performance/_review_done.html", {"message": error, "error": True}, status=400
            )
        messages.error(request, error)
    page = Paginator(selectors.review_queue(supervisor=me), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/review_queue.html",
        {"page": page, "rows": _queue_rows(page), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
def team(request: HttpRequest) -> HttpResponse:
    me = request.employee
    year = services.local_today(me).year
    members = list(selectors.team_members(supervisor=me))
    progress = selectors.with_percent(selectors.kpi_progress(employees=[m.pk for m in members], year=year))
    periods = list(selectors.open_periods(region_id=me.region_id).filter(year=year))
    return render(
        request,
        "performance/team.html",
        {"members": _team_rows(members, periods), "progress": _progress_rows(progress), "year": year},
    )


def _team_rows(members: list, periods: list) -> list[dict]:
    """Each direct report's cells and links composed once (no `{% url %}` per member and period)."""
    plan_url = row_urls("performance:plan_review")
    statuses = {value: str(label) for value, label in Plan.Status.choices}
    # the appraisal link per period, with the member's id put in per row
    appraise = [
        (reverse("performance:appraise", args=[_MEMBER, p.pk]).partition(str(_MEMBER)), p.get_kind_display())
        for p in periods
    ]
    return [
        {
            "name": m.name,
            "plan_url": plan_url(m.plan_id) if m.plan_id else "",
            "plan_status_label": statuses.get(m.plan_status, "") if m.plan_status else "",
            "waiting": m.waiting or 0,
            "appraise": [(f"{head}{m.pk}{tail}", label) for (head, _sep, tail), label in appraise],
        }
        for m in members
    ]


_MEMBER = 987654321987  # a placeholder member id in a reversed URL


def _progress_rows(progress: list) -> list[dict]:
    return [
        {
            "employee": ind.result.plan.employee.name,
            "text": ind.text,
            "approved": formatting.quantity(ind.approved or 0),
            "waiting": formatting.quantity(ind.waiting or 0),
            "target": f"{formatting.quantity(ind.target)} {ind.unit}",
            "percent": ind.percent,
            "percent_text": formatting.percent(ind.percent, 0),
        }
        for ind in progress
    ]


@supervisor_required
def team_xlsx(request: HttpRequest) -> HttpResponse:
    me = request.employee
    year = services.local_today(me).year
    members = selectors.team_members(supervisor=me).values("pk")

    def build() -> ExportFile:
        indicators = list(selectors.kpi_progress(employees=members, year=year))
        return ExportFile(
            exports.team_xlsx(indicators=indicators),
            filename=f"tim-{year}.xlsx",
            content_type=XLSX,
            rows=len(indicators),
        )

    # Named colleagues' KPI progress: personal data of other people, so a purpose is stated and audited.
    return export_with_purpose(
        request,
        kind="performance_team",
        fmt="xlsx",
        title=_("Team results") + f" {year}",
        obj=me,
        region_id=me.region_id,
        build=build,
        back_url=reverse("performance:team"),
    )


@supervisor_required
@require_http_methods(["GET", "POST"])
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("employee"), pk=pk)
    get_subordinate(request.user, plan.employee_id)  # 404 unless a direct report
    form = PlanReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == "agree":
                services.plan_agree(plan=plan, supervisor=request.employee)
                messages.success(request, _("The plan has been agreed."))
            else:
                services.plan_return(plan=plan, supervisor=request.employee, note=form.cleaned_data["note"])
                messages.info(request, _("The plan has been sent back with your note."))
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            return redirect("performance:team")
    results = plan.results.prefetch_related("indicators").select_related("parent")
    return render(
        request,
        "performance/plan_review.html",
        {"plan": plan, "results": results, "form": form, "versions": plan.versions.all()},
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
@require_http_methods(["GET", "POST"])
def appraise(request: HttpRequest, employee_pk: int, period_pk: int) -> HttpResponse:
    employee = get_subordinate(request.user, employee_pk)
    period = get_object_or_404(Period, pk=period_pk, region_id=employee.region_id)
    current = Appraisal.objects.filter(employee=employee, period=period, is_current=True).first()
    need_reason = period.is_closed
    form = BehaviourForm(
        request.POST or None, initial_ratings=current.behaviour if current else None, need_reason=need_reason
    )
    if request.method == "POST" and form.is_valid():
        try:
            if need_reason:
                if current is None:
                    raise ValidationError(
                        _("The period is closed and this employee was not appraised in it.")
                    )
                appraisal = services.appraisal_correct(
                    supervisor=request.employee,
                    appraisal=current,
                    behaviour=form.ratings(),
                    reason=form.cleaned_data["reason"],
                )
            else:
                appraisal = services.appraisal_rate(
                    supervisor=request.employee, employee=employee, period=period, behaviour=form.ratings()
                )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("The appraisal has been saved."))
            return redirect("performance:appraisal_detail", pk=appraisal.pk)
    preview = services.appraisal_compute(employee=employee, period=period)
    return render(
        request,
        "performance/appraise.html",
        {"employee": employee, "period": period, "form": form, "preview": preview, "current": current},
        status=400 if request.method == "POST" else 200,
    )
