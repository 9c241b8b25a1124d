"""The rules page: each kind's versions, and a proposal -> preview (GET, writes nothing) -> confirm."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asnportal.accounts.access import Role, role_regions, roles_of

from . import registry, selectors, services
from .forms import NATIONAL, ProposalForm
from .models import RuleKind


def _access(request: HttpRequest) -> tuple[frozenset[int], bool]:
    """(regions whose rules the user may change, whether national ones too). §3: the system admin
    everything; an HR officer the rules of their own regions; anyone else 403."""
    user = request.user
    if user.is_superuser:
        return selectors.all_region_ids(), True
    if Role.HR_OFFICER not in roles_of(user):
        raise PermissionDenied
    return role_regions(user, Role.HR_OFFICER), False


@login_required
def index(request: HttpRequest) -> HttpResponse:
    region_ids, _national = _access(request)
    versions = selectors.ledger(region_ids=region_ids)
    kinds = [{"kind": k, "label": label, "versions": versions[k]} for k, label in RuleKind.choices]
    return render(request, "regulations/index.html", {"kinds": kinds})


def _scopes(region_ids: frozenset[int], national: bool) -> list[tuple[str, str]]:
    regions = [(str(pk), name) for pk, name in selectors.region_names(region_ids)]
    return ([(NATIONAL, _("National (every region without its own version)"))] if national else []) + regions


def _proposal_form(request: HttpRequest, kind: str, region_ids: frozenset[int], national: bool):
    """(the form, bound to the POST or to a preview's GET, else unbound; the version in force now in
    the user's scope, whose parameters the form starts with)."""
    data = request.POST if request.method == "POST" else (request.GET if "preview" in request.GET else None)
    current = selectors.version_in_force(
        kind=kind, region_id=None if national else min(region_ids, default=None), on=selectors.today()
    )
    form = ProposalForm(
        data,
        kind=kind,
        scopes=_scopes(region_ids, national),
        initial={"parameters": json.dumps(current.parameters, indent=2, ensure_ascii=False)},
    )
    return form, current


def _record(request: HttpRequest, kind: str, form: ProposalForm) -> HttpResponse | None:
    """Save the confirmed version and go back to the ledger; None (the error on the form) if refused."""
    try:
        version = services.rule_version_create(
            user=request.user,
            kind=kind,
            region_id=form.cleaned_data["region_id"],
            effective_from=form.cleaned_data["effective_from"],
            parameters=form.cleaned_data["parameters"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ValidationError as exc:
        form.add_error(None, " ".join(exc.messages))
        return None
    messages.success(request, _("Recorded: %(rule)s.") % {"rule": version.label})
    return redirect(reverse("regulations:index"))


def _effects(kind: str, form: ProposalForm, region_ids: frozenset[int]) -> list[str]:
    """The preview: each registered app's sentences for the proposal's scope (reads only)."""
    region_id = form.cleaned_data["region_id"]
    scope_ids = [region_id] if region_id else sorted(region_ids)
    return registry.preview_effects(
        kind=kind, parameters=form.cleaned_data["parameters"], region_ids=scope_ids
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, kind: str) -> HttpResponse:
    """GET: the form; GET with ?preview: the effect on current results (nothing written); POST: saved."""
    if kind not in RuleKind.values:
        raise Http404
    region_ids, national = _access(request)
    form, current = _proposal_form(request, kind, region_ids, national)
    effects = None
    if form.is_bound and form.is_valid():
        if request.method == "POST":
            saved = _record(request, kind, form)
            if saved is not None:
                return saved
        else:
            effects = _effects(kind, form, region_ids)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": RuleKind(kind).label,
        "current": current,
        "effects": effects,
        "has_preview": registry.has_preview(kind),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "regulations/propose.html", context, status=status)
