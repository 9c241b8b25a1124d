"""Independent observers' pages: their selections (read everything), findings and sign-offs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import Role, role_required

from .. import selectors, services
from ..access import selection_for_observer
from ..forms import ObservationForm, SignOffForm
from .common import errors_to_form, errors_to_messages, form_page


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
            "observations": selectors.observations_of(selection=selection)[:100],
            "objections": selectors.objections_of(selection=selection)[:100],
            "signoffs": selectors.signoffs_of(selection=selection)[:50],
            "signoff_form": SignOffForm(),
            "rules": selectors.rules_used(selection),
        },
    )


@role_required(Role.OBSERVER)
def observation_create(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_observer(request.user, pk)
    form = ObservationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_record(selection=selection, observer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The observation was recorded."))
            return redirect("recruitment:observer_selection", selection.pk)
    return form_page(request, form, heading=_("Record an observation"), submit=_("Record"))


@require_POST
@role_required(Role.OBSERVER)
def signoff(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selection_for_observer(request.user, pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            services.stage_signoff(selection=selection, observer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_messages(request, exc)
        else:
            messages.success(request, _("The score sheet was signed off."))
    else:
        messages.error(request, _("Choose a stage to sign off."))
    return redirect("recruitment:observer_selection", selection.pk)
