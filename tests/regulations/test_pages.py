"""The rules page: versions per kind, a proposal's preview (a GET that writes nothing), the confirm
POST that saves and ledgers; access per role; bad parameters refused; query counts pinned."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from asnportal.accounts.models import AuditEvent
from asnportal.regulations import registry
from asnportal.regulations.models import RuleKind, RuleVersion
from asnportal.regulations.schemas import OFFICIAL
from tests.performance.factories import open_period

from ..clock import TODAY
from .factories import appraised

pytestmark = pytest.mark.django_db
PROPOSE = reverse("regulations:propose", kwargs={"kind": "work_rating"})


def _data(cast, **extra):
    return {
        "scope": str(cast.region_a.pk),
        "effective_from": (TODAY + dt.timedelta(days=1)).isoformat(),
        "parameters": json.dumps({"above_from": "1.20", "meets_from": "1.05"}),
        "reason": "Ambang daerah dinaikkan",
    } | extra


@pytest.fixture
def results(cast):
    """Last year's Triwulan IV of region A: 12 Baik at achievement 1.00, 3 Sangat Baik at 1.30."""
    period = open_period(cast.region_a, TODAY.year - 1, "tw4")
    appraised(period, cast.unit_a, "baik", 12, achievement="1.00")
    appraised(period, cast.unit_a, "sangat_baik", 3, achievement="1.30", behaviour="di_atas")
    return period


def test_the_ledger_lists_each_kind_with_its_versions(cast):
    html = cast.client("hr").get(reverse("regulations:index")).content.decode()
    for label in ("Pola distribusi", "Kategori IKM", "Ambang dan bobot SKD", "Butir dan bobot rubrik SKB"):
        assert label in html
    assert "Nilai awal" in html


@pytest.mark.parametrize(
    ("role", "status"), [("head", 403), ("staff", 403), ("supervisor", 403), ("panel", 403)]
)
def test_heads_and_staff_are_refused(cast, role, status):
    assert cast.client(role).get(reverse("regulations:index")).status_code == status
    assert cast.client(role).post(PROPOSE, _data(cast)).status_code == status
    assert RuleVersion.objects.count() == len(RuleKind.values)


def test_anonymous_is_sent_to_login(cast):
    response = cast.client("anonymous").get(PROPOSE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_regions_officer_cannot_propose_for_region_a_nor_nationally(cast):
    client = cast.client("hr_other")
    for scope in (str(cast.region_a.pk), "national"):
        assert client.post(PROPOSE, _data(cast, scope=scope)).status_code == 400
    assert RuleVersion.objects.count() == len(RuleKind.values)


def test_an_unknown_kind_is_404(cast):
    assert cast.client("hr").get(reverse("regulations:propose", kwargs={"kind": "zodiak"})).status_code == 404


def test_the_preview_shows_the_effect_and_writes_nothing(cast, results, django_assert_max_num_queries):
    client = cast.client("hr")
    client.get(reverse("regulations:index"))  # session and 2FA settled
    events = AuditEvent.objects.count()
    with django_assert_max_num_queries(12):
        response = client.get(PROPOSE, _data(cast, preview="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "12 pegawai berpindah dari Baik ke Butuh Perbaikan" in html
    assert "Sangat Baik" not in html.split("Dampak pada hasil saat ini")[1].split("</ul>")[0]
    assert "Konfirmasi dan catat versi ini" in html
    assert RuleVersion.objects.count() == len(RuleKind.values)
    assert AuditEvent.objects.count() == events


def test_the_preview_query_count_is_constant_in_data_size(cast, results, django_assert_max_num_queries):
    appraised(results, cast.unit_a, "baik", 40, achievement="0.95")
    client = cast.client("hr")
    client.get(reverse("regulations:index"))
    with django_assert_max_num_queries(12):
        html = client.get(PROPOSE, _data(cast, preview="1")).content.decode()
    assert "52 pegawai berpindah dari Baik ke Butuh Perbaikan" in html


def test_confirm_saves_and_ledgers_the_version(cast, results):
    client = cast.client("hr")
    response = client.post(PROPOSE, _data(cast))
    assert response.status_code == 302
    version = RuleVersion.objects.get(kind=RuleKind.WORK_RATING, region=cast.region_a)
    assert (version.number, version.author, version.reason) == (
        1,
        cast.users["hr"],
        "Ambang daerah dinaikkan",
    )
    assert version.parameters == {"above_from": "1.20", "meets_from": "1.05"}
    event = AuditEvent.objects.get(action="rule_version_create")
    assert event.detail["hash"] == version.hash and event.region_id == cast.region_a.pk
    html = client.get(reverse("regulations:index")).content.decode()
    assert version.hash[:12] in html and "Ambang daerah dinaikkan" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"parameters": "{bukan json"}, "Parameter bukan JSON yang sah."),
        ({"parameters": json.dumps({"above_from": "0.9", "meets_from": "1.0"})}, "harus lebih tinggi"),
        ({"effective_from": (TODAY - dt.timedelta(days=1)).isoformat()}, "tidak pernah di masa lalu"),
        ({"reason": " "}, "Alasan"),
    ],
)
def test_bad_proposals_are_refused_with_a_message_and_nothing_saved(cast, extra, message):
    client = cast.client("hr")
    for method in (client.post, lambda url, data: client.get(url, data | {"preview": "1"})):
        response = method(PROPOSE, _data(cast, **extra))
        assert response.status_code == 400
        assert message in response.content.decode()
    assert RuleVersion.objects.count() == len(RuleKind.values)


def test_the_admin_may_propose_a_national_version(cast):
    data = _data(cast, scope="national", parameters=json.dumps(OFFICIAL[RuleKind.WORK_RATING]))
    assert cast.client("admin").post(PROPOSE, data).status_code == 302
    assert RuleVersion.objects.filter(kind=RuleKind.WORK_RATING, region__isnull=True).count() == 2


def test_the_index_query_count_is_pinned(cast, django_assert_max_num_queries):
    client = cast.client("hr")
    client.get(reverse("regulations:index"))
    for n in range(5):
        client.post(PROPOSE, _data(cast, reason=f"Perubahan {n}"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("regulations:index")).status_code == 200


def test_a_rule_without_a_preview_says_so(cast, monkeypatch):
    # every kind has its preview now; a kind whose app registered none says so
    monkeypatch.setitem(registry._previews, RuleKind.SKB_RUBRIC, [])
    url = reverse("regulations:propose", kwargs={"kind": "skb_rubric"})
    data = _data(cast, parameters=json.dumps(OFFICIAL[RuleKind.SKB_RUBRIC]), preview="1")
    html = cast.client("hr").get(url, data).content.decode()
    assert "belum dapat dipratinjau" in html
