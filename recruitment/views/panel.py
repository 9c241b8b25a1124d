"""Selection panel members' pages: their SKB queue, scoring and declaring a conflict of interest."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from asnportal.accounts.access import Role, audit_record, role_required

from .. import selectors, services
from ..access import application_for_panel
from ..forms import ConflictForm, SkbScoreForm
from .common import errors_to_form, form_page


@role_required(Role.PANEL_MEMBER)
def panel_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "recruitment/panel_queue.html", {"items": selectors.panel_queue(user=request.user)}
    )


@role_required(Role.PANEL_MEMBER)
def skb_score(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_panel(request.user, pk)
    form = SkbScoreForm(request.POST or None, rubric=selectors.rubric_of(application.selection))
    if request.method == "POST" and form.is_valid():
        try:
            score = services.skb_score_record(
                application=application,
                panel_member=request.user,
                items=form.items(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            audit_record(
                request=request, action="score_write", obj=score, region_id=application.selection.region_id
            )
            messages.success(request, _("The SKB score was recorded."))
            return redirect("recruitment:panel_queue")
    return form_page(
        request,
        form,
        heading=_("SKB score: %(n)s") % {"n": application.participant_number},
        submit=_("Record score"),
    )


@role_required(Role.PANEL_MEMBER)
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_panel(request.user, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.conflict_declare(application=application, panel_member=request.user, **form.cleaned_data)
        messages.success(request, _("Your declaration was recorded; you will not score this applicant."))
        return redirect("recruitment:panel_queue")
    return form_page(
        request,
        form,
        heading=_("Declare a conflict of interest: %(n)s") % {"n": application.participant_number},
        submit=_("Declare"),
    )
