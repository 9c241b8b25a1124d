"""HR's moderation of citizen input: the queue and the decisions on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import get_in_scope, role_required

from .. import selectors, services
from ..forms import (
    ModerationForm,
)
from ..models import CitizenInput
from .common import HR, flash_errors


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
            flash_errors(request, exc=exc)
        else:
            messages.success(request, _("Saved."))
    else:
        flash_errors(request, form=form)
    back = request.POST.get("back", "")
    back = back if back in CitizenInput.Status.values or back == "all" else CitizenInput.Status.PENDING
    return redirect(f"{reverse('feedback:moderation')}?status={back}")
