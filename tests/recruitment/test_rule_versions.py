"""Rules as dated versions in recruitment (issue 20): a selection records the SKD and SKB rubric
versions in force in its region when it is opened; its panel scores with that rubric, each score keeps
the version it was computed under and recomputes identically under it; the ranking pages name both
versions; the selection form starts from the SKD version in force."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from asnportal.regulations import services as regulations
from asnportal.regulations.models import RuleKind, RuleVersion
from asnportal.regulations.schemas import OFFICIAL
from recruitment import rules, selectors, services
from recruitment.forms import SkbScoreForm
from recruitment.models import Application, LedgerEntry, Selection, SkbScore

from ..clock import TODAY
from .factories import assign, make_application, make_selection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _official_versions(db):
    """Version 1 of each rule, as the seed migration writes it (a transactional test may flush it)."""
    regulations.official_ensure()


# 50/25/25 instead of version 1's 40/30/30
HALF = {
    "items": [
        {"key": "technical", "label": "Kompetensi teknis", "weight": 50, "max": 100},
        {"key": "managerial", "label": "Kompetensi manajerial dan sosial kultural", "weight": 25, "max": 100},
        {"key": "interview", "label": "Wawancara", "weight": 25, "max": 100},
    ]
}
ITEMS = {"technical": 100, "managerial": 50, "interview": 50}  # v1: 40 + 15 + 15 = 70; 50/25/25: 75


def new_version(cast, kind=RuleKind.SKB_RUBRIC, parameters=HALF, region=None) -> RuleVersion:
    return regulations.rule_version_create(
        user=cast.users["hr"],
        kind=kind,
        region_id=region.pk if region else None,
        effective_from=TODAY,
        parameters=parameters,
        reason="Bobot teknis dinaikkan",
    )


def at_skb(cast, selection: Selection) -> Application:
    application = make_application(selection.formations.get(), skd=(100, 100, 200))
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SKD_PASSED)
    application.refresh_from_db()
    assign("panel", selection=selection, user=cast.users["panel"])
    return application


def score(cast, application, items=ITEMS) -> SkbScore:
    return services.skb_score_record(application=application, panel_member=cast.users["panel"], items=items)


def test_version_1_of_the_rubric_is_the_default_rubric():
    assert rules.rubric_from_parameters(OFFICIAL[RuleKind.SKB_RUBRIC]) == tuple(rules.DEFAULT_RUBRIC)
    # the row the seed migration wrote has no item maximum: read as 0-100
    seeded = {"items": [{k: v for k, v in i.items() if k != "max"} for i in rules.DEFAULT_RUBRIC]}
    assert rules.rubric_from_parameters(seeded) == tuple(rules.DEFAULT_RUBRIC)


def test_a_selection_records_the_versions_in_force_in_its_region(cast):
    before = make_selection(region=cast.region_a)
    v2 = new_version(cast, region=cast.region_a)
    after, elsewhere = make_selection(region=cast.region_a), make_selection(region=cast.region_b)
    assert before.skb_rule.number == 1 and before.skb_rule.region_id is None
    assert after.skb_rule == v2
    assert elsewhere.skb_rule.number == 1
    assert after.skd_rule == RuleVersion.objects.get(kind=RuleKind.SKD, region__isnull=True, number=1)


def test_a_new_rubric_version_changes_the_score_of_a_selection_opened_under_it(cast):
    old = at_skb(cast, make_selection(region=cast.region_a))
    new_version(cast)
    new = at_skb(cast, make_selection(region=cast.region_a))
    assert score(cast, old).score == Decimal("70.00")  # opened before: still 40/30/30
    recorded = score(cast, new)
    assert recorded.score == Decimal("75.00")  # 50 + 12.5 + 12.5
    assert recorded.rule.number == 2
    entry = LedgerEntry.objects.filter(kind="skb_score").order_by("-id").first()
    assert entry.payload["rule"]["number"] == 2 and entry.payload["rule"]["hash"] == recorded.rule.hash


def test_an_older_score_recomputes_identically_under_its_own_version(cast):
    old = score(cast, at_skb(cast, make_selection(region=cast.region_a)))
    new_version(cast)
    new_version(
        cast, parameters={"items": [{"key": "technical", "label": "Teknis", "weight": 100, "max": 100}]}
    )
    old = SkbScore.objects.select_related("rule").get(pk=old.pk)
    assert old.rule.number == 1
    assert selectors.skb_score_recompute(old) == old.score == Decimal("70.00")
    # a score stored before versions were recorded (no version) is version 1's
    legacy = SkbScore.objects.create(
        application=old.application, panel_member=cast.users["hr"], items=ITEMS, score=Decimal("70.00")
    )
    assert selectors.skb_score_recompute(legacy) == Decimal("70.00")


def test_item_maxima_are_data_and_scores_above_them_are_refused(cast):
    rubric = {
        "items": [
            {"key": "technical", "label": "Kompetensi teknis", "weight": 60, "max": 50},
            {"key": "interview", "label": "Wawancara", "weight": 40, "max": 100},
        ]
    }
    new_version(cast, parameters=rubric)
    application = at_skb(cast, make_selection(region=cast.region_a))
    assert score(cast, application, {"technical": 25, "interview": 100}).score == Decimal("70.00")  # 30 + 40
    with pytest.raises(ValidationError, match="Kompetensi teknis harus berupa nilai 0 sampai 50"):
        score(cast, application, {"technical": 60, "interview": 100})
    assert SkbScore.objects.filter(application=application).count() == 1


def test_the_score_form_has_the_selections_rubric(cast):
    new_version(cast)
    selection = make_selection(region=cast.region_a)
    form = SkbScoreForm(
        {"technical": "100", "managerial": "50", "interview": "50"}, rubric=selectors.rubric_of(selection)
    )
    assert form.is_valid() and form.items() == {k: Decimal(v) for k, v in ITEMS.items()}
    assert form.fields["technical"].label == "Kompetensi teknis (50%)"
    html = cast.client("panel").get(reverse("recruitment:skb_score", args=[at_skb(cast, selection).pk]))
    assert "Kompetensi teknis (50%)" in html.content.decode()


def test_the_panel_posts_a_score_under_the_selections_version(cast):
    new_version(cast)
    application = at_skb(cast, make_selection(region=cast.region_a))
    url = reverse("recruitment:skb_score", args=[application.pk])
    response = cast.client("panel").post(url, {"technical": "100", "managerial": "50", "interview": "50"})
    assert response.status_code == 302
    assert SkbScore.objects.get(application=application).score == Decimal("75.00")


def test_the_ranking_pages_name_the_rule_versions(cast):
    v2 = new_version(cast)
    selection = make_selection(region=cast.region_a)
    formation = selection.formations.get()
    public = Client().get(reverse("recruitment:public_ranking", args=[selection.pk, formation.pk]))
    html = public.content.decode()
    assert "Aturan: Ambang dan bobot SKD v1, berlaku" in html
    assert f"Butir dan bobot rubrik SKB v2, berlaku {TODAY.day} " in html
    assert "Kompetensi teknis 50%, Kompetensi manajerial dan sosial kultural 25%, Wawancara 25%" in html
    hr = cast.client("hr").get(reverse("recruitment:hr_selection", args=[selection.pk])).content.decode()
    assert "Butir dan bobot rubrik SKB v2" in hr and "Ambang dan bobot SKD v1" in hr
    assert "menetapkan ambang atau bobotnya sendiri" not in hr
    assert v2.hash in selectors.rules_version(selection)


def test_a_selection_with_its_own_pass_marks_says_so(cast):
    selection = make_selection(region=cast.region_a, twk_min=60)
    html = cast.client("hr").get(reverse("recruitment:hr_selection", args=[selection.pk])).content.decode()
    assert "seleksi ini menetapkan ambang atau bobotnya sendiri" in html


def test_the_public_ranking_shows_another_rule_version_at_once(cast):
    selection = make_selection(region=cast.region_a)
    url = reverse("recruitment:public_ranking", args=[selection.pk, selection.formations.get().pk])
    assert "rubrik SKB v1" in Client().get(url).content.decode()
    v2 = new_version(cast)
    assert "rubrik SKB v1" in Client().get(url).content.decode()  # an open selection keeps its version
    Selection.objects.filter(pk=selection.pk).update(skb_rule=v2)  # its record of the rule changes
    assert "rubrik SKB v2" in Client().get(url).content.decode()


def test_the_selection_form_starts_from_the_skd_version_in_force(cast):
    url = reverse("recruitment:selection_create")
    form = cast.client("hr").get(url).context["form"]
    assert (form.initial["twk_min"], form.initial["w_skd"]) == (65, Decimal("0.40"))
    skd = {**OFFICIAL[RuleKind.SKD], "twk_min": 70, "tkp_min": 170, "w_skd": "0.50", "w_skb": "0.50"}
    new_version(cast, kind=RuleKind.SKD, parameters=skd, region=cast.region_a)
    response = cast.client("hr").get(url)
    form = response.context["form"]
    assert (form.initial["twk_min"], form.initial["tkp_min"], form.initial["w_skb"]) == (
        70,
        170,
        Decimal("0.50"),
    )
    html = response.content.decode()
    assert 'name="twk_min" value="70"' in html
