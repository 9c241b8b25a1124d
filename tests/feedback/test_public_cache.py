"""The public IKM page on announcement day: its body is kept per results generation, which moves with
moderation and with every stored survey response (from its commit on); an anonymous browser whose copy
is current gets 304, and a new response gives a new ETag and the new figures."""

import pytest
from django.test import Client
from django.urls import reverse

from feedback.selectors import region_results_generation

from .factories import ServiceUnitFactory, add_responses
from .test_views import Q, survey_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(cast):
    su = ServiceUnitFactory(unit=cast.unit_a, name="Loket Terpadu", slug="loket-terpadu")
    add_responses(su, [4] * 3)
    return su, reverse("feedback:public_region", kwargs={"code": cast.region_a.code})


def _submit(su, value: int, ip: str, capture) -> None:
    with capture(execute=True):  # the generation moves when the response's transaction commits
        response = Client(REMOTE_ADDR=ip).post(
            reverse("feedback:survey", kwargs={"slug": su.slug}), survey_data(value)
        )
    assert response.status_code == 302


def test_a_new_survey_response_shows_at_once_with_a_new_etag(page, django_capture_on_commit_callbacks):
    su, url = page
    before = Client().get(url, {"period": Q.key})
    assert "100,00 · A" in before.content.decode()  # three answers of 4
    # 4, 4, 4, 1 -> (4 * 3 + 1) / 4 = 3.25 -> 81,25
    _submit(su, 1, "10.9.9.1", django_capture_on_commit_callbacks)
    after = Client().get(url, {"period": Q.key})
    assert "81,25" in after.content.decode() and "100,00 · A" not in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_the_generation_counts_every_response_of_its_region(cast, page, django_capture_on_commit_callbacks):
    su, _ = page
    start = region_results_generation(region_id=cast.region_a.pk)
    _submit(su, 3, "10.9.9.2", django_capture_on_commit_callbacks)
    _submit(su, 2, "10.9.9.3", django_capture_on_commit_callbacks)
    moderation, responses, _rules = region_results_generation(region_id=cast.region_a.pk).split(".")
    assert int(responses) == int(start.split(".")[1]) + 2 and moderation == start.split(".")[0]
    # another region's page keeps its version
    assert region_results_generation(region_id=cast.region_b.pk).startswith("0.0.")


def test_a_browser_with_the_current_copy_gets_304_and_after_a_response_the_page(
    page, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    su, url = page
    first = Client().get(url)
    etag = first["ETag"]
    with django_assert_max_num_queries(1):  # the region; the body and its version come from the cache
        not_modified = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert "no-cache" in first["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in first["Vary"].split(",")}
    _submit(su, 2, "10.9.9.4", django_capture_on_commit_callbacks)
    fresh = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_the_etag_differs_per_language_and_logged_in_visitors_get_none(cast, page):
    _, url = page
    indonesian = Client().get(url)
    english = Client().get(url, HTTP_COOKIE="django_language=en")
    assert indonesian["ETag"] != english["ETag"]
    assert "ETag" not in cast.client("hr").get(url)
