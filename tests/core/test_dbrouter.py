"""Without DATABASE_REPLICA_URL (the main suite, the demo) the router is absent and nothing changes:
no replica alias, no cookie on writes. The router on a real standby: tests/replica."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from asnportal.dbrouter import WROTE_COOKIE, replica_eligible

pytestmark = pytest.mark.django_db


def test_without_a_replica_url_there_is_no_replica_and_no_write_cookie():
    if settings.DATABASES.get("replica"):
        pytest.skip("this run has a replica")
    assert settings.DATABASE_ROUTERS == []
    response = Client().post(reverse("set_language"), {"language": "id", "next": "/"})
    assert response.status_code == 302
    assert WROTE_COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("view_name", "eligible"),
    [
        ("reports:dashboard", True),
        ("reports:unit_detail", True),
        ("recruitment:public_ranking", True),
        ("feedback:public_region", True),
        ("reports:run_detail", False),  # a job's progress right after starting it
        ("performance:home", False),
        ("feedback:survey", False),  # a form: its POST must see what the GET saw
        (None, False),
    ],
)
def test_only_dashboards_reports_and_public_results_are_eligible(view_name, eligible):
    assert replica_eligible(view_name) is eligible
