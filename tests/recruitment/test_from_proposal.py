"""HR opens a selection from an approved workforce proposal in one step (issue: workforce planning)."""

import pytest
from django.urls import reverse

from recruitment.models import Formation, Selection
from workforce.models import FormationProposal, FormationProposalRow

pytestmark = pytest.mark.django_db


def approved_proposal(cast, status=FormationProposal.Status.APPROVED) -> FormationProposal:
    proposal = FormationProposal.objects.create(region=cast.region_a, year=2027, status=status)
    FormationProposalRow.objects.create(
        proposal=proposal,
        position=cast.objects["position_a"],
        unit=cast.unit_a,
        education="S1 Psikologi",
        quota=2,
    )
    return proposal


def test_selection_opens_with_the_proposals_formations_once(cast):
    proposal = approved_proposal(cast)
    client = cast.client("hr")
    assert (
        proposal.year == 2027
        and str(proposal.pk) in client.get(reverse("recruitment:hr_selections")).content.decode()
    )
    response = client.post(reverse("recruitment:selection_from_proposal", args=[proposal.pk]))
    selection = Selection.objects.get()
    assert response.url == reverse("recruitment:hr_selection", args=[selection.pk])
    assert (selection.region, selection.year) == (cast.region_a, 2027)
    formation = Formation.objects.get(selection=selection)
    assert (formation.position, formation.unit, formation.education, formation.quota) == (
        cast.objects["position_a"],
        cast.unit_a,
        "S1 Psikologi",
        2,
    )
    proposal.refresh_from_db()
    assert proposal.selection_ref == f"selection:{selection.pk}"
    # A second attempt is refused and opens nothing.
    client.post(reverse("recruitment:selection_from_proposal", args=[proposal.pk]))
    assert Selection.objects.count() == 1


def test_a_draft_proposal_opens_nothing(cast):
    proposal = approved_proposal(cast, status=FormationProposal.Status.DRAFT)
    response = cast.client("hr").post(
        reverse("recruitment:selection_from_proposal", args=[proposal.pk]), follow=True
    )
    assert not Selection.objects.exists()
    assert response.status_code == 200


def test_other_regions_officer_gets_404(cast):
    proposal = approved_proposal(cast)
    assert (
        cast.client("hr_other")
        .post(reverse("recruitment:selection_from_proposal", args=[proposal.pk]))
        .status_code
        == 404
    )
    assert not Selection.objects.exists()
