"""Selections, their formations and public pages, the stages' sign-off status, proposals to open."""

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from ..models import (
    Announcement,
    Application,
    Formation,
    LedgerHead,
    ScheduleItem,
    ScreeningDecision,
    Selection,
    SignOff,
    SkbScore,
    SkdScore,
    Stage,
)


# --- Selections, formations, public pages ------------------------------------------------------
def selections_public() -> QuerySet[Selection]:
    return (
        Selection.objects.filter(is_published=True)
        .select_related("region")
        .annotate(formation_count=Count("formations", distinct=True))
    )


def selection_public_detail(*, pk: int) -> Selection:
    # the ledger head comes along: its length versions the public ranking's cache (ranking_version);
    # the rule versions too: the ranking names them (rule_versions.rules_used)
    return Selection.objects.select_related("region", "ledger_head", "skd_rule", "skb_rule").get(
        pk=pk, is_published=True
    )


def ranking_version(*, selection: Selection) -> int:
    """How many ledger entries the selection has: every score, import, publication and sign-off
    appends one in the transaction of its change, so a new entry means the ranking may have moved."""
    try:
        return selection.ledger_head.seq
    except LedgerHead.DoesNotExist:
        return 0


def formations_of(*, selection: Selection) -> QuerySet[Formation]:
    return (
        selection.formations.select_related("position", "unit")
        .annotate(applicant_count=Count("applications"))
        .order_by("unit__name", "position__name", "pk")
    )


def formation_public(*, selection: Selection, pk: int) -> Formation:
    """A formation of a published selection (Formation.DoesNotExist for another's)."""
    return selection.formations.select_related("position", "unit").get(pk=pk)


def schedule_of(*, selection: Selection) -> QuerySet[ScheduleItem]:
    return selection.schedule.all()


def announcements_of(*, selection: Selection) -> QuerySet[Announcement]:
    return selection.announcements.filter(published_at__lte=timezone.now())


def selections_for_regions(*, region_ids) -> QuerySet[Selection]:
    return (
        Selection.objects.filter(region_id__in=list(region_ids))
        .select_related("region")
        .annotate(
            application_count=Count("applications", distinct=True),
            formation_count=Count("formations", distinct=True),
        )
    )


def applications_of(*, selection: Selection) -> QuerySet[Application]:
    return selection.applications.select_related("formation__position", "formation__unit").order_by(
        "participant_number"
    )


# --- Stages: sign-off status --------------------------------------------------------------------
def stage_score_model(stage: str):
    return {Stage.ADMINISTRATION: ScreeningDecision, Stage.SKD: SkdScore, Stage.SKB: SkbScore}[stage]


def stage_status(*, selection: Selection) -> list[dict]:
    """Per stage: the last score row, the last sign-off, and whether the sheet is signed as it stands."""
    marks = SignOff.objects.filter(selection=selection).values("stage").annotate(last=Max("last_score_id"))
    signed = {m["stage"]: m["last"] for m in marks}
    result = []
    for stage in (Stage.ADMINISTRATION, Stage.SKD, Stage.SKB):
        model = stage_score_model(stage)
        last = model.objects.filter(application__selection=selection).aggregate(m=Max("id"))["m"] or 0
        signed_up_to = signed.get(stage)
        result.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "last_score_id": last,
                "signed": signed_up_to is not None and signed_up_to >= last and last > 0,
                "ever_signed": signed_up_to is not None,
                "needs_signoff": last > 0 and (signed_up_to is None or signed_up_to < last),
            }
        )
    return result


def stage_locked(*, selection: Selection, stage: str) -> bool:
    """A stage's scores are locked once any sign-off exists: later writes are corrections."""
    return SignOff.objects.filter(selection=selection, stage=stage).exists()


def proposals_ready(*, region_ids) -> list:
    """The regions' approved workforce proposals that no selection was opened from yet."""
    from workforce.selectors import proposals_ready_for_selection

    return [p for region_id in sorted(region_ids) for p in proposals_ready_for_selection(region_id=region_id)]
