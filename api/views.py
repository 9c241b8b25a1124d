"""The HR officer's page for integration tokens: create (the secret shown once) and revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asnportal.accounts.access import Role, get_in_scope, role_required

from . import selectors, services
from .forms import TokenForm
from .models import ApiToken


@role_required(Role.HR_OFFICER)
def tokens(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_of(region_ids=request.role_regions)
    form = TokenForm(request.POST or None, regions=regions)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.token_create(
                region=form.cleaned_data["region"],
                name=form.cleaned_data["name"],
                permissions=form.cleaned_data["permissions"],
                created_by=request.user,
                acts_for_nip=form.cleaned_data["acts_for_nip"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm(regions=regions)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": selectors.tokens_for_regions(region_ids=request.role_regions),
        },
        status=201 if issued else 200,
    )


@role_required(Role.HR_OFFICER)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_in_scope(request.user, ApiToken.objects.all(), role=Role.HR_OFFICER, pk=pk)
    services.token_revoke(token=token)
    messages.success(
        request, _("The token %(name)s is revoked: it no longer opens the API.") % {"name": token}
    )
    return redirect("api:tokens")
