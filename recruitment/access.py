"""Recruitment scope on top of asnportal.accounts.access: observers and panel members see only the
selections they are assigned to, while the assignment runs (404 otherwise); applicants their own."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from asnportal.accounts.access import Role, get_in_scope, has_role, require_role, role_regions

from . import selectors
from .models import Application, Document, Objection, Selection


def selection_for_hr(user, pk: int) -> Selection:
    selections = Selection.objects.select_related("region", "skd_rule", "skb_rule")
    return get_in_scope(user, selections, role=Role.HR_OFFICER, pk=pk)


def application_for_hr(user, pk: int) -> Application:
    return get_in_scope(
        user,
        Application.objects.select_related("selection__region", "formation__position", "formation__unit"),
        role=Role.HR_OFFICER,
        region_field="selection__region",
        pk=pk,
    )


def proposal_for_hr(user, pk: int):
    """An approved-or-not workforce proposal of the officer's region (404 for another region's)."""
    from workforce.models import FormationProposal

    return get_in_scope(user, FormationProposal.objects.all(), role=Role.HR_OFFICER, pk=pk)


def objection_for_hr(user, pk: int) -> Objection:
    return get_in_scope(
        user,
        Objection.objects.select_related("application__selection"),
        role=Role.HR_OFFICER,
        region_field="application__selection__region",
        pk=pk,
    )


def selection_for_observer(user, pk: int) -> Selection:
    require_role(user, Role.OBSERVER)
    if not selectors.observer_assigned(user=user, selection_id=pk):
        raise Http404
    return get_object_or_404(Selection.objects.select_related("region", "skd_rule", "skb_rule"), pk=pk)


def application_for_panel(user, pk: int) -> Application:
    require_role(user, Role.PANEL_MEMBER)
    application = get_object_or_404(
        Application.objects.select_related("selection__skb_rule", "formation__position", "formation__unit"),
        pk=pk,
    )
    if not selectors.panel_assigned(user=user, selection_id=application.selection_id):
        raise Http404
    return application


def application_of_applicant(user, pk: int) -> Application:
    require_role(user, Role.APPLICANT)
    return get_object_or_404(Application.objects.select_related("selection", "formation"), pk=pk, user=user)


def document_for_user(user, pk: int) -> tuple[Document, int | None]:
    """(document, region id of the HR read) for its owner (None) or an HR officer of a region where
    the owner applied; 404 for anyone else."""
    document = get_object_or_404(Document.objects.select_related("profile"), pk=pk)
    if document.profile.user_id == user.pk:
        return document, None
    if has_role(user, Role.HR_OFFICER):
        region_id = (
            Application.objects.filter(
                user_id=document.profile.user_id,
                selection__region_id__in=list(role_regions(user, Role.HR_OFFICER)),
            )
            .values_list("selection__region_id", flat=True)
            .first()
        )
        if region_id is not None:
            return document, region_id
    raise Http404
