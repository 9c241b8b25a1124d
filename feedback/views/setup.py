"""HR's set-up of the service units: units, services, extra questions, populations, code batches."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import get_in_scope, role_required

from .. import selectors, services
from ..forms import (
    ExtraQuestionForm,
    PopulationForm,
    ServiceForm,
    ServiceUnitEditForm,
    ServiceUnitForm,
    TokenBatchForm,
)
from ..models import ExtraQuestion, TokenBatch
from .common import HR, apply_errors, current_quarter, flash_errors, hr_unit


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
            apply_errors(form, exc)
        else:
            messages.success(request, _("Service unit created."))
            return redirect("feedback:unit_detail", pk=su.pk)
    return render(request, "feedback/unit_form.html", {"form": form}, status=400 if form.is_bound else 200)


@role_required(HR)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    su = hr_unit(request, pk)
    quarter = current_quarter(request, su.region)
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
    su = hr_unit(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(su, form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc=exc)
        else:
            messages.success(request, _("Saved."))
    else:
        flash_errors(request, form=form)
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
