"""The SKD thresholds' preview: applicants now advancing to SKB who would miss a proposed pass mark."""

from decimal import Decimal

import pytest

from asnportal.regulations import registry, services
from asnportal.regulations.models import RuleKind
from asnportal.regulations.schemas import OFFICIAL
from recruitment.models import Application
from tests.recruitment.factories import make_application, make_selection

from ..clock import TODAY

pytestmark = pytest.mark.django_db


def test_applicants_leaving_the_skb_list_are_counted(cast):
    formation = make_selection(region=cast.region_a, quota=5).formations.get()
    other = make_selection(region=cast.region_b, quota=5).formations.get()
    scores = [(70, 85, 170), (66, 85, 170), (70, 81, 170), (90, 100, 200)]
    for skd in scores:
        make_application(formation, skd=skd)
    make_application(other, skd=(66, 81, 167))  # another region: not counted
    Application.objects.update(status=Application.Status.SKD_PASSED)
    raised = {**OFFICIAL[RuleKind.SKD], "twk_min": 68, "tiu_min": 82}
    lines = registry.preview_effects(kind=RuleKind.SKD, parameters=raised, region_ids=[cast.region_a.pk])
    assert lines == ["2 pelamar keluar dari daftar SKB"]
    same = registry.preview_effects(
        kind=RuleKind.SKD, parameters=OFFICIAL[RuleKind.SKD], region_ids=[cast.region_a.pk]
    )
    assert same == ["0 pelamar keluar dari daftar SKB"]


def test_a_new_selection_takes_its_thresholds_from_the_skd_rule_in_force(cast):
    assert make_selection(region=cast.region_a).twk_min == 65
    services.rule_version_create(
        user=cast.users["hr"],
        kind=RuleKind.SKD,
        region_id=cast.region_a.pk,
        effective_from=TODAY,
        parameters={**OFFICIAL[RuleKind.SKD], "twk_min": 70, "w_skd": "0.50", "w_skb": "0.50"},
        reason="Ambang daerah",
    )
    selection = make_selection(region=cast.region_a)
    assert (selection.twk_min, selection.tiu_min, selection.w_skd) == (70, 80, Decimal("0.50"))
    assert make_selection(region=cast.region_b).twk_min == 65
    assert make_selection(region=cast.region_a, twk_min=60).twk_min == 60  # given explicitly
