"""The public ranking on announcement day: its body is rendered once per version of the selection's
data (the ledger's length, the selection's and formation's own fields) and kept in Redis; an
anonymous browser whose copy is current gets 304. A score change through the services shows at once."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from recruitment.models import Selection
from recruitment.services import skd_correct

from .factories import make_application, make_selection

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranking(cast):
    selection = make_selection(region=cast.region_a)
    formation = selection.formations.get()
    first = make_application(formation, name="Peserta Satu", skd=(120, 150, 200))
    make_application(formation, name="Peserta Dua", skd=(110, 140, 190))
    url = reverse("recruitment:public_ranking", args=[selection.pk, formation.pk])
    return selection, first, url


def test_the_second_visitor_is_served_from_the_cache_with_fewer_queries(
    ranking, django_assert_max_num_queries
):
    _, _, url = ranking
    first = Client().get(url)
    # a hit reads the selection (with its ledger head) and the formation: two queries, whatever the size
    with django_assert_max_num_queries(2):
        second = Client().get(url)
    assert first.status_code == second.status_code == 200
    assert "Peserta Satu" in second.content.decode()
    assert first["ETag"] == second["ETag"]


def test_a_score_correction_shows_at_once(ranking, cast):
    selection, first_app, url = ranking
    before = Client().get(url)
    assert "470" in before.content.decode()  # 120 + 150 + 200
    skd_correct(application=first_app, twk=60, tiu=70, tkp=100, reason="Salah ketik", by=cast.users["hr"])
    after = Client().get(url)
    body = after.content.decode()
    assert "230" in body and "470" not in body
    assert after["ETag"] != before["ETag"]


def test_a_selection_field_change_is_a_new_version(ranking):
    selection, _, url = ranking
    before = Client().get(url).content.decode()
    Selection.objects.filter(pk=selection.pk).update(twk_min=100)  # not through the ledger
    after = Client().get(url).content.decode()
    assert before != after and "TWK ≥ 100" in after


def test_a_browser_with_the_current_copy_gets_304_and_a_stale_one_the_page(ranking, cast):
    selection, first_app, url = ranking
    etag = Client().get(url)["ETag"]
    not_modified = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    skd_correct(application=first_app, twk=60, tiu=70, tkp=100, reason="Salah ketik", by=cast.users["hr"])
    fresh = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert "no-cache" in fresh["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in fresh["Vary"].split(",")}


def test_each_language_has_its_own_body(ranking):
    _, _, url = ranking
    indonesian = Client().get(url).content.decode()
    with translation.override("en"):
        english = Client(headers={"Accept-Language": "en"}).get(url, HTTP_COOKIE="django_language=en")
    assert "Nilai akhir" in indonesian
    assert "Final score" in english.content.decode()


def test_every_anonymous_visitor_gets_a_working_csrf_token_for_the_language_switch(ranking):
    _, _, url = ranking
    Client().get(url)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    token = page.context["csrf_token"]
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_a_logged_in_officer_gets_the_page_without_an_etag(ranking, cast):
    _, _, url = ranking
    response = cast.client("hr").get(url)
    assert response.status_code == 200
    assert "ETag" not in response
