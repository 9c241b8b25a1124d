"""Recruitment's previews: the SKD thresholds' (applicants now advancing to SKB who would miss a
proposed pass mark) and the SKB rubric's (ranks and places within the quota that a proposed rubric
would change, the SKB scores recomputed with it); both only read."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from asnportal.accounts.models import AuditEvent
from asnportal.regulations import registry, services
from asnportal.regulations.models import RuleKind, RuleVersion
from asnportal.regulations.schemas import OFFICIAL
from recruitment import rules
from recruitment.models import Application, SkbScore
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


# --- The SKB rubric's preview ----------------------------------------------------------------------
HALF = {
    "items": [
        {"key": "technical", "label": "Kompetensi teknis", "weight": 50, "max": 100},
        {"key": "managerial", "label": "Kompetensi manajerial dan sosial kultural", "weight": 25, "max": 100},
        {"key": "interview", "label": "Wawancara", "weight": 25, "max": 100},
    ]
}
HALF_KEYS = ("technical", "managerial", "interview")
NOTE = (
    "Seleksi yang sudah dibuka tetap memakai rubrik saat dibuka: angka di atas adalah nilainya bila "
    "dihitung ulang dengan rubrik ini."
)


def _ranked(formation, panel, items_list, *, skd=(100, 100, 200)):
    """Applicants advancing to SKB, each scored by the panel member with the given items (40/30/30)."""
    out = []
    for i, items in enumerate(items_list):
        application = make_application(formation, skd=skd, birth=dt.date(1990, 1, 1 + i))
        application.status = Application.Status.SKD_PASSED
        application.save(update_fields=["status"])
        SkbScore.objects.create(
            application=application, panel_member=panel, items=items, score=rules.rubric_score(items)
        )
        out.append(application)
    return out


@pytest.fixture
def skb_ranking(cast):
    """Quota 1. Under 40/30/30: B 75, A 70, C 50; under 50/25/25: A 75, B 72.5, C 50."""
    formation = make_selection(region=cast.region_a, quota=1).formations.get()
    items = [
        {"technical": 100, "managerial": 50, "interview": 50},  # A
        {"technical": 60, "managerial": 85, "interview": 85},  # B
        {"technical": 50, "managerial": 50, "interview": 50},  # C
    ]
    return _ranked(formation, cast.users["panel"], items)


def test_a_rubric_that_reorders_the_ranking_is_previewed(cast, skb_ranking):
    lines = registry.preview_effects(kind=RuleKind.SKB_RUBRIC, parameters=HALF, region_ids=[cast.region_a.pk])
    assert lines == ["2 pelamar berubah peringkat", "1 pelamar keluar dari daftar lulus", NOTE]
    elsewhere = registry.preview_effects(
        kind=RuleKind.SKB_RUBRIC, parameters=HALF, region_ids=[cast.region_b.pk]
    )
    assert elsewhere[:2] == ["0 pelamar berubah peringkat", "0 pelamar keluar dari daftar lulus"]


def test_the_rubric_in_force_changes_nothing(cast, skb_ranking):
    lines = registry.preview_effects(
        kind=RuleKind.SKB_RUBRIC, parameters=OFFICIAL[RuleKind.SKB_RUBRIC], region_ids=[cast.region_a.pk]
    )
    assert lines[:2] == ["0 pelamar berubah peringkat", "0 pelamar keluar dari daftar lulus"]


def test_a_panel_members_latest_score_counts(cast, skb_ranking):
    a, b, _c = skb_ranking
    # B's score corrected to 50s: B is last now under either rubric
    SkbScore.objects.create(
        application=b,
        panel_member=cast.users["panel"],
        items=dict.fromkeys(HALF_KEYS, 50),
        score=Decimal("50.00"),
    )
    lines = registry.preview_effects(kind=RuleKind.SKB_RUBRIC, parameters=HALF, region_ids=[cast.region_a.pk])
    assert lines[:2] == ["0 pelamar berubah peringkat", "0 pelamar keluar dari daftar lulus"]


def test_scores_lacking_a_new_item_keep_their_value_and_are_counted(cast, skb_ranking):
    extra = {"items": [*HALF["items"][:2], {"key": "presentation", "label": "Presentasi", "weight": 25}]}
    lines = registry.preview_effects(
        kind=RuleKind.SKB_RUBRIC, parameters=extra, region_ids=[cast.region_a.pk]
    )
    assert lines[2] == (
        "3 pelamar tetap dengan nilai SKB-nya: nilainya tidak memuat salah satu butir rubrik ini atau "
        "melebihi nilai tertingginya"
    )
    assert lines[:2] == ["0 pelamar berubah peringkat", "0 pelamar keluar dari daftar lulus"]


def _propose(cast, parameters, **extra):
    return {
        "scope": str(cast.region_a.pk),
        "effective_from": (TODAY + dt.timedelta(days=1)).isoformat(),
        "parameters": json.dumps(parameters),
        "reason": "Bobot teknis dinaikkan",
    } | extra


SKB_PROPOSE = reverse("regulations:propose", kwargs={"kind": "skb_rubric"})


def test_the_page_previews_the_rubric_writes_nothing_and_keeps_its_query_count(
    cast, skb_ranking, django_assert_max_num_queries
):
    client = cast.client("hr")
    client.get(reverse("regulations:index"))  # session and 2FA settled
    events, versions = AuditEvent.objects.count(), RuleVersion.objects.count()
    with django_assert_max_num_queries(12):
        html = client.get(SKB_PROPOSE, _propose(cast, HALF, preview="1")).content.decode()
    assert "2 pelamar berubah peringkat" in html and "1 pelamar keluar dari daftar lulus" in html
    assert (AuditEvent.objects.count(), RuleVersion.objects.count()) == (events, versions)
    # ten times the applicants: the same queries
    formation = make_selection(region=cast.region_a, quota=3).formations.get()
    _ranked(
        formation,
        cast.users["panel"],
        [{"technical": 60 + i, "managerial": 70, "interview": 80} for i in range(30)],
    )
    with django_assert_max_num_queries(12):
        html = client.get(SKB_PROPOSE, _propose(cast, HALF, preview="1")).content.decode()
    assert "2 pelamar berubah peringkat" in html


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            [{"key": "technical", "label": "Teknis", "weight": 60}, {"key": "x", "label": "X", "weight": 30}],
            "berjumlah 100",
        ),
        ([{"key": "technical", "label": "Teknis", "weight": 100, "max": 0}], "antara 1 dan 1000"),
        ([{"key": "technical", "label": "Teknis", "weight": 100, "bobot": 1}], "key, label, weight dan max"),
        ([{"key": "teknis 1", "label": "Teknis", "weight": 100}], "kunci (huruf, angka, _)"),
    ],
)
def test_a_bad_rubric_is_refused_in_indonesian_and_nothing_saved(cast, items, message):
    client = cast.client("hr")
    versions = RuleVersion.objects.count()
    for method in (client.post, lambda url, data: client.get(url, data | {"preview": "1"})):
        response = method(SKB_PROPOSE, _propose(cast, {"items": items}))
        assert response.status_code == 400
        assert message in response.content.decode()
    assert RuleVersion.objects.count() == versions


def test_a_confirmed_rubric_applies_to_selections_opened_from_its_date(cast):
    response = cast.client("hr").post(SKB_PROPOSE, _propose(cast, HALF, effective_from=TODAY.isoformat()))
    assert response.status_code == 302
    version = RuleVersion.objects.get(kind=RuleKind.SKB_RUBRIC, region=cast.region_a)
    assert version.parameters == HALF
    assert make_selection(region=cast.region_a).skb_rule == version
    assert make_selection(region=cast.region_b).skb_rule.number == 1
