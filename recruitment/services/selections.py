"""Selections: opening one (by hand or from a workforce proposal), its formations, announcements."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ledger import ledger_append
from ..models import Announcement, Formation, Selection
from ..selectors import rule_versions


@transaction.atomic
def selection_create(
    *, region, year: int, name: str, created_by, formations: list[dict], **fields
) -> Selection:
    """Open a selection with its formations (dicts of position_id, unit_id, education, quota).

    It records the SKD and SKB rubric rule versions in force today in the region (asnportal.
    regulations); thresholds and weights not given come from that SKD version (version 1: TWK 65,
    TIU 80, TKP 166; SKD 40% / SKB 60%), and its panel scores with that rubric (version 1: 40/30/30)."""
    versions = rule_versions.rules_in_force(region_id=region.pk, on=timezone.localdate())
    defaults = rule_versions.skd_defaults(versions["skd"])
    selection = Selection(region=region, year=year, name=name, created_by=created_by, **(defaults | fields))
    selection.skd_rule = versions["skd"] if versions["skd"].pk else None
    selection.skb_rule = versions["skb"] if versions["skb"].pk else None
    selection.full_clean()
    selection.save()
    for spec in formations:
        formation_add(selection=selection, **spec)
    return selection


def formation_add(
    *, selection: Selection, position_id: int, unit_id: int, education: str, quota: int
) -> Formation:
    formation = Formation(
        selection=selection, position_id=position_id, unit_id=unit_id, education=education, quota=quota
    )
    formation.full_clean()
    if formation.position.region_id != selection.region_id or formation.unit.region_id != selection.region_id:
        raise ValidationError(_("The position and unit must belong to the selection's region."))
    formation.save()
    return formation


def announcement_publish(*, selection: Selection, title: str, body: str, by) -> Announcement:
    announcement = Announcement(selection=selection, title=title, body=body, published_at=timezone.now())
    announcement.full_clean()
    announcement.save()
    ledger_append(
        selection=selection,
        kind="announcement",
        obj=announcement,
        actor=by,
        payload={"title": title, "body": body},
    )
    return announcement


@transaction.atomic
def selection_from_proposal(*, proposal_id: int, created_by) -> Selection:
    """Open a selection whose formations are an approved workforce proposal's rows, in one step.

    The proposal is marked as opened in the same transaction, so a second attempt is refused.
    """
    from workforce import selectors as planning_selectors
    from workforce import services as planning_services
    from workforce.models import FormationProposal

    proposal = FormationProposal.objects.select_related("region").get(pk=proposal_id)
    rows = planning_selectors.proposal_formations(proposal_id=proposal_id)
    if not rows:
        raise ValidationError(_("This proposal has no formation to open."))
    selection = selection_create(
        region=proposal.region,
        year=proposal.year,
        name=_("CASN selection %(year)s — %(region)s")
        % {"year": proposal.year, "region": proposal.region.name},
        created_by=created_by,
        formations=[{k: row[k] for k in ("position_id", "unit_id", "education", "quota")} for row in rows],
    )
    planning_services.proposal_mark_opened(proposal_id=proposal_id, selection_ref=f"selection:{selection.pk}")
    return selection
