"""Thin views: access helper -> form -> one service -> redirect (or render a selector's result)."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import client_ip, get_in_scope, role_required
from asnportal.accounts.exports import ExportFile, export_with_purpose
from asnportal.accounts.models import Role
from asnportal.org.models import Region

from . import exports, selectors, services, throttle
from .forms import (
    CitizenInputForm,
    ExtraQuestionForm,
    ModerationForm,
    PopulationForm,
    ServiceForm,
    ServiceUnitEditForm,
    ServiceUnitForm,
    SurveyForm,
    TokenBatchForm,
    TrackForm,
)
from .models import CitizenInput, ExtraQuestion, ServiceUnit, TokenBatch

HR = Role.HR_OFFICER


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for fname, errors in exc.message_dict.items():
            form.add_error(fname if fname in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash_errors(request: HttpRequest, form=None, exc: ValidationError | None = None) -> None:
    msgs = exc.messages if exc is not None else [e for errs in form.errors.values() for e in errs]
    for msg in msgs:
        messages.error(request, msg)


def _current_quarter(request: HttpRequest, region: Region) -> selectors.Quarter:
    today = timezone.localtime(timezone=region.tzinfo).date()
    return selectors.Quarter.parse(request.GET.get("period"), selectors.Quarter.of(today))


# --- public ---------------------------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    regions = Region.objects.annotate(n_units=Count("service_units")).order_by("name")
    return render(request, "feedback/public_index.html", {"regions": regions, "track_form": TrackForm()})


def public_region(request: HttpRequest, code: str) -> HttpResponse:
    """The public results of a region. The page is the same for every visitor, so its body is
    rendered once per region, quarter, language and moderation generation and kept in the cache
    for FEEDBACK_PUBLIC_CACHE_SECONDS (at 200 service units the table alone cost ~80 ms to render);
    moderating an item changes the generation, so a hidden item disappears at once."""
    region = get_object_or_404(Region, code=code)
    quarter = _current_quarter(request, region)
    generation = selectors.region_results_generation(region_id=region.pk)
    key = f"feedback:region-page:{region.pk}:{generation}:{quarter.key}:{get_language()}"
    body = cache.get(key)
    if body is None:
        context = selectors.region_results_cached(region=region, quarter=quarter)
        context["previous"], context["next"] = quarter.previous(), quarter.next()
        body = render_to_string("feedback/_public_region_body.html", context)
        cache.set(key, body, settings.FEEDBACK_PUBLIC_CACHE_SECONDS)
    return render(request, "feedback/public_region.html", {"region": region, "body": body})


def _public_unit(slug: str) -> ServiceUnit:
    return get_object_or_404(ServiceUnit.objects.select_related("region", "unit"), slug=slug, is_active=True)


def survey(request: HttpRequest, slug: str) -> HttpResponse:
    service_unit = _public_unit(slug)
    questions = list(service_unit.extra_questions.filter(is_active=True))
    services_qs = service_unit.services.filter(is_active=True)
    form = SurveyForm(
        request.POST or None,
        services=services_qs,
        questions=questions,
        initial={"token": request.GET.get("kode", "")},
    )
    status = 400
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_submit(
                service_unit=service_unit,
                answers=form.answers(),
                service=data["service"],
                sex=data["sex"],
                age_band=data["age_band"],
                education=data["education"],
                occupation=data["occupation"],
                comment=data["comment"],
                extra=form.extra(),
                questions=questions,
                token=data["token"],
                client_ip=client_ip(request),
                honeypot=data["website"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except throttle.TooManyCodeGuesses as exc:
            form.add_error("token", str(exc))
            status = 429
        else:
            return redirect("feedback:survey_thanks", slug=service_unit.slug)
    status = status if request.method == "POST" else 200
    return render(
        request, "feedback/survey.html", {"service_unit": service_unit, "form": form}, status=status
    )


def survey_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    service_unit = _public_unit(slug)
    return render(request, "feedback/survey_thanks.html", {"service_unit": service_unit})


def input_create(request: HttpRequest, slug: str) -> HttpResponse:
    service_unit = _public_unit(slug)
    form = CitizenInputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.citizen_input_submit(
                service_unit=service_unit,
                kind=data["kind"],
                rating=data["rating"],
                body=data["body"],
                client_ip=client_ip(request),
                honeypot=data["website"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. Keep your tracking code %(code)s to follow your input.")
                % {"code": item.tracking_code},
            )
            return redirect("feedback:track_detail", code=item.tracking_code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "feedback/input_form.html", {"service_unit": service_unit, "form": form}, status=status
    )


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = services.token_normalize(form.cleaned_data["code"])
        if services.code_is_plausible(code) and CitizenInput.objects.filter(tracking_code=code).exists():
            return redirect("feedback:track_detail", code=code)
        form.add_error("code", _("No input was found with this tracking code. Check the code and try again."))
    return render(request, "feedback/track.html", {"form": form})


def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    code = services.token_normalize(code)
    if not services.code_is_plausible(code):  # e.g. a NUL byte, which PostgreSQL refuses outright
        raise Http404
    item = get_object_or_404(
        CitizenInput.objects.select_related("service_unit", "service_unit__region"), tracking_code=code
    )
    return render(request, "feedback/track_detail.html", {"item": item})


# --- HR: set-up -----------------------------------------------------------------------------------------


def _hr_unit(request: HttpRequest, pk: int) -> ServiceUnit:
    return get_in_scope(request.user, ServiceUnit.objects.select_related("region", "unit"), role=HR, pk=pk)


@role_required(HR)
def manage(request: HttpRequest) -> HttpResponse:
    units = selectors.service_units_for_regions(request.role_regions)
    return render(
        request,
        "feedback/manage.html",
        {"units": units, "form": ServiceUnitForm(region_ids=request.role_regions)},
    )


@role_required(HR)
def unit_create(request: HttpRequest) -> HttpResponse:
    form = ServiceUnitForm(request.POST or None, region_ids=request.role_regions)
    if request.method == "POST" and form.is_valid():
        try:
            su = services.service_unit_create(
                unit=form.cleaned_data["unit"],
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Service unit created."))
            return redirect("feedback:unit_detail", pk=su.pk)
    return render(request, "feedback/unit_form.html", {"form": form}, status=400 if form.is_bound else 200)


@role_required(HR)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    su = _hr_unit(request, pk)
    quarter = _current_quarter(request, su.region)
    result = selectors.ikm_for_service_unit(service_unit=su, start=quarter.start, end=quarter.end)
    survey_url = request.build_absolute_uri(reverse("feedback:survey", kwargs={"slug": su.slug}))
    context = {
        "su": su,
        "quarter": quarter,
        "previous": quarter.previous(),
        "next": quarter.next(),
        "result": result,
        "by_service": selectors.ikm_by_service(service_unit=su, start=quarter.start, end=quarter.end),
        "services": list(su.services.all()),
        "questions": list(su.extra_questions.all()),
        "populations": list(su.populations.all()[:8]),
        "batches": list(
            TokenBatch.objects.filter(service_unit=su).annotate(
                n_used=Count("tokens", filter=Q(tokens__used_at__isnull=False))
            )[:10]
        ),
        "recent_comments": list(
            su.responses.exclude(comment="")
            .values("submitted_on", "comment")
            .order_by("-submitted_on", "-pk")[:10]
        ),
        "survey_url": survey_url,
        "edit_form": ServiceUnitEditForm(
            initial={"name": su.name, "address": su.address, "is_active": su.is_active}
        ),
        "service_form": ServiceForm(),
        "question_form": ExtraQuestionForm(),
        "population_form": PopulationForm(initial={"year": quarter.year, "quarter": quarter.quarter}),
        "batch_form": TokenBatchForm(),
    }
    return render(request, "feedback/unit_detail.html", context)


def _post_setup(request: HttpRequest, pk: int, form_class, call) -> HttpResponse:
    su = _hr_unit(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(su, form.cleaned_data)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("Saved."))
    else:
        _flash_errors(request, form=form)
    return redirect("feedback:unit_detail", pk=su.pk)


@role_required(HR)
@require_POST
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_setup(
        request,
        pk,
        ServiceUnitEditForm,
        lambda su, d: services.service_unit_update(
            service_unit=su, name=d["name"], address=d["address"], is_active=d["is_active"]
        ),
    )


@role_required(HR)
@require_POST
def service_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_setup(
        request, pk, ServiceForm, lambda su, d: services.service_add(service_unit=su, name=d["name"])
    )


@role_required(HR)
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_setup(
        request,
        pk,
        ExtraQuestionForm,
        lambda su, d: services.extra_question_add(service_unit=su, text=d["text"], kind=d["kind"]),
    )


@role_required(HR)
@require_POST
def question_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_in_scope(
        request.user,
        ExtraQuestion.objects.select_related("service_unit"),
        role=HR,
        region_field="service_unit__region",
        pk=pk,
    )
    services.extra_question_toggle(question=question)
    messages.success(request, _("Saved."))
    return redirect("feedback:unit_detail", pk=question.service_unit_id)


@role_required(HR)
@require_POST
def population_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_setup(
        request,
        pk,
        PopulationForm,
        lambda su, d: services.population_set(
            service_unit=su, year=d["year"], quarter=d["quarter"], users=d["users"]
        ),
    )


@role_required(HR)
@require_POST
def token_batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_setup(
        request,
        pk,
        TokenBatchForm,
        lambda su, d: services.token_batch_create(service_unit=su, size=d["size"], user=request.user),
    )


@role_required(HR)
def token_batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_in_scope(
        request.user,
        TokenBatch.objects.select_related("service_unit", "service_unit__region"),
        role=HR,
        region_field="service_unit__region",
        pk=pk,
    )
    url = request.build_absolute_uri(reverse("feedback:survey", kwargs={"slug": batch.service_unit.slug}))
    pdf = exports.token_batch_pdf(batch=batch, survey_url=url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kode-survei-{batch.pk}.pdf"'
    return response


@role_required(HR)
def qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    su = _hr_unit(request, pk)
    if fmt not in {"svg", "png"}:
        fmt = "svg"
    data, content_type = exports.qr_image(
        request.build_absolute_uri(reverse("feedback:survey", kwargs={"slug": su.slug})), fmt
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="qr-{su.slug}.{fmt}"'
    return response


@role_required(HR)
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    su = _hr_unit(request, pk)
    url = request.build_absolute_uri(reverse("feedback:survey", kwargs={"slug": su.slug}))
    return render(request, "feedback/poster.html", {"su": su, "survey_url": url})


@role_required(HR)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    su = _hr_unit(request, pk)
    quarter = _current_quarter(request, su.region)
    pdf = exports.skm_report_pdf(
        service_unit=su,
        start=quarter.start,
        end=quarter.end,
        period_label=str(quarter),
        result=selectors.ikm_for_service_unit(service_unit=su, start=quarter.start, end=quarter.end),
        by_service=selectors.ikm_by_service(service_unit=su, start=quarter.start, end=quarter.end),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skm-{su.slug}-{quarter.key}.pdf"'
    return response


@role_required(HR)
def answers_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The raw answers carry no name, code or address, but citizens' free-text comments may name
    people: like other exports of personal data, a purpose is stated and audited."""
    su = _hr_unit(request, pk)
    quarter = _current_quarter(request, su.region)
    return export_with_purpose(
        request,
        kind="feedback_answers",
        fmt="xlsx",
        title=_("Raw SKM answers of %(unit)s, %(quarter)s") % {"unit": su.name, "quarter": quarter.key},
        obj=su,
        region_id=su.region_id,
        build=lambda: ExportFile(
            exports.answers_xlsx(service_unit=su, start=quarter.start, end=quarter.end),
            filename=f"skm-{su.slug}-{quarter.key}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        back_url=reverse("feedback:unit_detail", kwargs={"pk": su.pk}) + f"?period={quarter.key}",
    )


# --- HR: moderation -------------------------------------------------------------------------------------


@role_required(HR)
def moderation(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or CitizenInput.Status.PENDING
    if status not in CitizenInput.Status.values and status != "all":
        status = CitizenInput.Status.PENDING
    items = list(
        selectors.input_for_moderation(
            region_ids=request.role_regions, status=None if status == "all" else status
        )[:100]
    )
    return render(
        request,
        "feedback/moderation.html",
        {"items": items, "status": status, "statuses": CitizenInput.Status.choices, "form": ModerationForm()},
    )


@role_required(HR)
@require_POST
def input_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_in_scope(
        request.user, CitizenInput.objects.all(), role=HR, region_field="service_unit__region", pk=pk
    )
    form = ModerationForm(request.POST)
    if form.is_valid():
        action, d = form.cleaned_data["action"], form.cleaned_data
        try:
            if action == "publish":
                services.citizen_input_publish(item=item, user=request.user)
            elif action == "answer":
                services.citizen_input_answer(item=item, answer=d["answer"], user=request.user)
            else:
                services.citizen_input_hide(item=item, reason=d["reason"], user=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("Saved."))
    else:
        _flash_errors(request, form=form)
    back = request.POST.get("back", "")
    back = back if back in CitizenInput.Status.values or back == "all" else CitizenInput.Status.PENDING
    return redirect(f"{reverse('feedback:moderation')}?status={back}")
