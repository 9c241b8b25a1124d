"""Observers, panel members (their queue) and applicants: assignments, profiles, objections."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from asnportal.accounts.access import assignment_active

from ..models import (
    ApplicantProfile,
    Application,
    ConflictDeclaration,
    Document,
    Objection,
    Observation,
    ObserverAssignment,
    PanelAssignment,
    Selection,
    SignOff,
    SkbScore,
)
from .ranking import ranking_rows


# --- Observers and panel members ----------------------------------------------------------------
def observer_selections(*, user, on=None) -> QuerySet[Selection]:
    on = on or timezone.localdate()
    return (
        Selection.objects.filter(
            observer_assignments__user=user,
            observer_assignments__valid_from__lte=on,
            observer_assignments__valid_until__gte=on,
        )
        .select_related("region")
        .distinct()
    )


def panel_selections(*, user, on=None) -> QuerySet[Selection]:
    on = on or timezone.localdate()
    return Selection.objects.filter(
        panel_assignments__user=user,
        panel_assignments__valid_from__lte=on,
        panel_assignments__valid_until__gte=on,
    ).distinct()


def is_assigned(assignment_model, *, user, selection_id: int) -> bool:
    periods = assignment_model.objects.filter(user=user, selection_id=selection_id).values_list(
        "valid_from", "valid_until"
    )
    return any(assignment_active(f, u) for f, u in periods)


def observer_assigned(*, user, selection_id: int) -> bool:
    return is_assigned(ObserverAssignment, user=user, selection_id=selection_id)


def panel_assigned(*, user, selection_id: int) -> bool:
    return is_assigned(PanelAssignment, user=user, selection_id=selection_id)


def panel_queue(*, user) -> list[dict]:
    """Applicants advancing to SKB in the member's assigned selections, with the member's own score."""
    items = []
    selections = list(panel_selections(user=user).select_related("region"))
    for selection in selections:
        rows, _total = ranking_rows(selection_id=selection.pk)
        advancing = [r for r in rows if r.advances]
        ids = [r.application_id for r in advancing]
        mine = dict(
            SkbScore.objects.filter(application_id__in=ids, panel_member=user)
            .order_by("application_id", "-id")
            .values_list("application_id", "score")
        )
        conflicted = set(
            ConflictDeclaration.objects.filter(application_id__in=ids, panel_member=user).values_list(
                "application_id", flat=True
            )
        )
        for r in advancing:
            items.append(
                {
                    "selection": selection,
                    "row": r,
                    "my_score": mine.get(r.application_id),
                    "conflict": r.application_id in conflicted,
                }
            )
    return items


def observations_of(*, selection: Selection) -> QuerySet[Observation]:
    return selection.observations.select_related("observer")


def signoffs_of(*, selection: Selection) -> QuerySet[SignOff]:
    return selection.signoffs.select_related("observer")


def conflicts_of(*, selection: Selection) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(application__selection=selection).select_related(
        "application", "panel_member"
    )


# --- Applicants -------------------------------------------------------------------------------
def applicant_profile_of(*, user) -> ApplicantProfile:
    """The applicant's profile; an unsaved one (named after the account) until the first save."""
    profile = ApplicantProfile.objects.filter(user=user).first()
    return profile or ApplicantProfile(user=user, full_name=user.get_full_name() or user.username)


def documents_of(*, profile: ApplicantProfile) -> QuerySet[Document]:
    return profile.documents.all() if profile.pk else Document.objects.none()


def screening_page(*, application: Application) -> dict:
    """What the screening page shows of one application: the profile, its documents, the decisions."""
    profile = ApplicantProfile.objects.filter(user_id=application.user_id).first()
    return {
        "profile": profile,
        "documents": profile.documents.all() if profile else [],
        "history": application.screenings.select_related("decided_by"),
    }


def applications_of_user(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(user=user)
        .select_related("selection__region", "formation__position", "formation__unit")
        .prefetch_related("objections__answer")
    )


def objections_of(*, selection: Selection) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(application__selection=selection)
        .select_related("application", "answer")
        .order_by("-id")
    )


def open_objection_count(*, selection: Selection) -> int:
    return Objection.objects.filter(application__selection=selection).filter(Q(answer__isnull=True)).count()
