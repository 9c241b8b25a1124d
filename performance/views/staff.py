"""Pages of the employee: home (today's log), logs and their feedback threads, SKP, appraisals."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asnportal.accounts.access import Role, audit_record, employee_of, has_role, staff_required
from asnportal.accounts.exports import ExportFile, export_with_purpose
from asnportal.params import id_or_404
from asnportal.ui import formatting
from asnportal.ui.templatetags.lean_urls import row_urls

from .. import exports, selectors, services
from ..forms import IndicatorForm, LogForm, ReasonForm, ReplyForm, ResubmitForm, WorkResultForm
from ..models import ActivityLog, Appraisal, BerAKHLAK, Indicator, Plan, Rating
from .common import add_errors, file_response


def _log_save(me, form: LogForm, client_key: str = "") -> bool:
    """Creates the log from the valid form; False (with the errors on the form) if the service refuses."""
    data = form.cleaned_data
    try:
        services.log_create(
            client_key=client_key,
            employee=me,
            indicator_id=data["indicator"].pk,
            date=data["date"],
            quantity=data["quantity"],
            duration_minutes=data["duration_minutes"],
            description=data["description"],
            evidence_file=data["evidence"],
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    return True


@staff_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    me = request.employee
    today = services.local_today(me)
    indicators = selectors.loggable_indicators(employee=me, year=today.year)
    form = LogForm(
        request.POST or None, request.FILES or None, indicators=indicators, initial={"date": today}
    )
    if request.method == "POST" and form.is_valid() and _log_save(me, form):
        messages.success(request, _("Your log has been saved and sent to your supervisor."))
        return redirect("performance:home")
    return render(
        request,
        "performance/home.html",
        {"form": form, "today": today, **selectors.staff_home(employee=me, today=today)},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def log_sync(request: HttpRequest) -> JsonResponse:
    """The phone's offline queue sends one log here (the same fields as the form, plus its
    idempotency key `client_key`) and gets JSON back: `saved` (also for a key already received, so a
    re-send never makes a second log) or `refused` with the reason, to show on the phone."""
    me = request.employee
    today = services.local_today(me)
    form = LogForm(
        request.POST, request.FILES, indicators=selectors.loggable_indicators(employee=me, year=today.year)
    )
    client_key = request.POST.get("client_key", "").strip()
    valid = form.is_valid()
    if valid and not client_key:
        form.add_error(None, _("The log could not be recognised; save it again."))
        valid = False
    if not valid or not _log_save(me, form, client_key):
        reasons = [str(m) for errors in form.errors.values() for m in errors]
        return JsonResponse(
            {"status": "refused", "reason": " ".join(reasons), "errors": form.errors.get_json_data()},
            status=400,
        )
    return JsonResponse({"status": "saved"}, status=201)


@staff_required
def log_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.employee_logs(employee=request.employee), 25).get_page(request.GET.get("page"))
    return render(request, "performance/log_list.html", {"page": page, "rows": _log_rows(page)})


def _log_rows(page) -> list[dict]:
    """The list's cells as text, composed once here (dates, quantities, status labels, the thread's
    size, the links) rather than by filters and translations per cell in the template."""
    url = row_urls("performance:log_detail")
    statuses = {value: str(label) for value, label in ActivityLog.Status.choices}
    dates: dict = {}
    rows = []
    for log in page:
        if log.date not in dates:
            dates[log.date] = formatting.date(log.date)
        n = log.message_count
        rows.append(
            {
                "url": url(log.pk),
                "date": dates[log.date],
                "indicator": log.indicator.text,
                "quantity": f"{formatting.quantity(log.quantity)} {log.indicator.unit}",
                "status": statuses.get(log.status, log.status),
                "messages": ngettext("%(n)s message", "%(n)s messages", n) % {"n": n} if n else "",
            }
        )
    return rows


def _log_for(request: HttpRequest, pk: int) -> ActivityLog:
    """The log's owner or the owner's direct supervisor; anyone else gets 404, also a user with no
    employee record (an officer of any region): a 403 would confirm that the log exists."""
    me = request.employee = employee_of(request.user)
    if me is None:
        raise Http404
    log = get_object_or_404(ActivityLog.objects.select_related("employee", "indicator", "evidence"), pk=pk)
    if log.employee_id != me.pk and log.employee.supervisor_id != me.pk:
        raise Http404
    return log


@login_required
@require_http_methods(["GET", "POST"])
def log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    log = _log_for(request, pk)
    me = request.employee
    reply = ReplyForm(request.POST if request.POST.get("form") == "reply" else None)
    resubmit = ResubmitForm(
        request.POST if request.POST.get("form") == "resubmit" else None,
        initial={"quantity": log.quantity, "description": log.description},
    )
    if request.method == "POST":
        try:
            if reply.is_bound and reply.is_valid():
                services.feedback_reply(log=log, author=me, body=reply.cleaned_data["body"])
                messages.success(request, _("Your message has been added to the thread."))
                return redirect("performance:log_detail", pk=log.pk)
            if resubmit.is_bound and resubmit.is_valid():
                services.log_resubmit(log=log, employee=me, **resubmit.cleaned_data)
                messages.success(request, _("The corrected log is back in your supervisor's queue."))
                return redirect("performance:log_detail", pk=log.pk)
        except ValidationError as exc:
            add_errors(reply if reply.is_bound else resubmit, exc)
    return render(
        request,
        "performance/log_detail.html",
        {
            "log": log,
            "thread": selectors.log_thread(log=log),
            "reply": reply,
            "resubmit": resubmit
            if log.employee_id == me.pk and log.status == ActivityLog.Status.RETURNED
            else None,
            "is_owner": log.employee_id == me.pk,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def log_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    log = _log_for(request, pk)
    if log.evidence is None:
        raise Http404
    ev = log.evidence
    return file_response(bytes(ev.content), filename=ev.filename, content_type=ev.content_type, inline=True)


def _plan_forms(plan: Plan, boss_plan: Plan | None, *, bound: str = "", data=None) -> dict[str, forms.Form]:
    """The three forms of the SKP page; only the one named by `bound` carries the posted data."""

    def data_for(name: str):
        return data if name == bound else None

    return {
        "result_form": WorkResultForm(
            data_for("result_form"), parents=selectors.plan_results(plan=boss_plan)
        ),
        "kpi_form": IndicatorForm(data_for("kpi_form"), results=selectors.plan_results(plan=plan)),
        "reason_form": ReasonForm(data_for("reason_form")),
    }


def _plan_page(
    request: HttpRequest,
    plan: Plan,
    boss_plan: Plan | None,
    forms: dict[str, forms.Form],
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "performance/plan.html",
        {"plan": plan, "boss_plan": boss_plan, **forms, **selectors.plan_page(plan=plan)},
        status=status,
    )


def _plan_change(request: HttpRequest, form_name: str, change: Callable[[Plan, dict], None]) -> HttpResponse:
    """One change of the employee's SKP of this year (the plan is created by its first change):
    a valid form goes to the service and back to the page; an invalid one, or a change the service
    refuses, renders the page again (400) with the errors on the form."""
    me = request.employee
    year = services.local_today(me).year
    plan = services.plan_get_or_create(employee=me, year=year)
    boss_plan = selectors.supervisor_plan(employee=me, year=year)
    forms = _plan_forms(plan, boss_plan, bound=form_name, data=request.POST)
    form = forms.get(form_name)
    try:
        if form is not None and not form.is_valid():
            raise ValidationError(_("Check the form below."))
        change(plan, form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if form is not None:
            add_errors(form, exc)
        plan.refresh_from_db()
        return _plan_page(request, plan, boss_plan, forms, status=400)
    return redirect("performance:plan")


@staff_required
@require_POST
def plan_result_add(request: HttpRequest) -> HttpResponse:
    def change(plan: Plan, data: dict) -> None:
        parent = data["parent"]
        services.result_add(plan=plan, text=data["text"], parent_id=parent.pk if parent else None)

    return _plan_change(request, "result_form", change)


@staff_required
@require_POST
def plan_kpi_add(request: HttpRequest) -> HttpResponse:
    def change(plan: Plan, data: dict) -> None:
        services.indicator_add(
            result=data["result"],
            text=data["text"],
            target=data["target"],
            unit=data["unit"],
            weight=data["weight"],
            source=data["source"],
        )

    return _plan_change(request, "kpi_form", change)


@staff_required
@require_POST
def plan_kpi_remove(request: HttpRequest) -> HttpResponse:
    def change(plan: Plan, data: dict) -> None:
        indicator = get_object_or_404(
            Indicator, pk=id_or_404(request.POST.get("indicator")), result__plan=plan
        )
        services.indicator_remove(indicator=indicator)

    return _plan_change(request, "", change)


@staff_required
@require_POST
def plan_submit(request: HttpRequest) -> HttpResponse:
    def change(plan: Plan, data: dict) -> None:
        services.plan_submit(plan=plan)
        messages.success(request, _("Your plan has been sent to your supervisor for agreement."))

    return _plan_change(request, "", change)


@staff_required
@require_POST
def plan_revise(request: HttpRequest) -> HttpResponse:
    def change(plan: Plan, data: dict) -> None:
        services.plan_revise(plan=plan, reason=data["reason"])
        messages.info(request, _("You can now change your plan; it needs a new agreement."))

    return _plan_change(request, "reason_form", change)


@staff_required
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    """The employee's SKP of this year (each change posts to a URL of its own). A GET writes nothing:
    before the first change the page shows an unsaved draft."""
    me = request.employee
    year = services.local_today(me).year
    plan = selectors.plan_of(employee=me, year=year)
    boss_plan = selectors.supervisor_plan(employee=me, year=year)
    return _plan_page(request, plan, boss_plan, _plan_forms(plan, boss_plan))


@staff_required
def plan_pdf(request: HttpRequest) -> HttpResponse:
    me = request.employee
    plan = get_object_or_404(
        Plan.objects.select_related("employee__unit", "employee__position", "agreed_by").prefetch_related(
            "results__indicators"
        ),
        employee=me,
        year=services.local_today(me).year,
    )
    return file_response(
        exports.plan_pdf(plan=plan), filename=f"skp-{plan.year}-{me.nip}.pdf", content_type="application/pdf"
    )


@staff_required
def appraisals(request: HttpRequest) -> HttpResponse:
    me = request.employee
    today = services.local_today(me)
    previews = []
    for period in selectors.open_periods(region_id=me.region_id).filter(year=today.year, status="open"):
        previews.append((period, services.appraisal_compute(employee=me, period=period)))
    return render(
        request,
        "performance/appraisals.html",
        {"appraisals": selectors.appraisals_of(employee=me), "previews": previews},
    )


def _appraisal_for(request: HttpRequest, pk: int) -> Appraisal:
    """The employee, their direct supervisor, or an HR officer of the region (audit-logged)."""
    appraisal = get_object_or_404(
        Appraisal.objects.select_related(
            "employee__unit", "employee__position", "period", "employee__supervisor"
        ),
        pk=pk,
    )
    me = employee_of(request.user)
    if me is not None and me.pk in (appraisal.employee_id, appraisal.employee.supervisor_id):
        return appraisal
    if has_role(request.user, Role.HR_OFFICER, appraisal.employee.region_id):
        audit_record(
            request=request, action="read_appraisal", obj=appraisal, region_id=appraisal.employee.region_id
        )
        return appraisal
    if me is None and not has_role(request.user, Role.HR_OFFICER):
        raise PermissionDenied
    raise Http404


@login_required
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal_for(request, pk)
    versions = Appraisal.objects.filter(employee=appraisal.employee, period=appraisal.period).order_by(
        "-version"
    )
    behaviour_rows = [
        (label, Rating(appraisal.behaviour.get(code, Rating.MEETS)).label)
        for code, label in BerAKHLAK.choices
    ]
    return render(
        request,
        "performance/appraisal_detail.html",
        {"appraisal": appraisal, "versions": versions, "behaviour_rows": behaviour_rows},
    )


@login_required
def appraisal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal_for(request, pk)
    me = employee_of(request.user)
    filename = f"evaluasi-{appraisal.period.year}-{appraisal.period.kind}-{appraisal.employee.nip}.pdf"
    if me is not None and me.pk == appraisal.employee_id:
        # One's own appraisal: no purpose to state.
        return file_response(
            exports.appraisal_pdf(appraisal=appraisal), filename=filename, content_type="application/pdf"
        )
    # The supervisor's or HR's copy of someone else's appraisal: stated purpose, audited.
    return export_with_purpose(
        request,
        kind="performance_appraisal",
        fmt="pdf",
        title=_("Appraisal of %(name)s, %(period)s")
        % {"name": appraisal.employee.name, "period": appraisal.period},
        obj=appraisal,
        region_id=appraisal.employee.region_id,
        build=lambda: ExportFile(
            exports.appraisal_pdf(appraisal=appraisal),
            filename=filename,
            content_type="application/pdf",
            rows=1,
        ),
        back_url=reverse("performance:appraisal_detail", kwargs={"pk": appraisal.pk}),
    )
