"""Runs this app's permission cases (the project matrix loads them once "planning" is in its APPS)."""

import pytest
from django.urls import reverse

from ..conftest import ROLES
from ..permission_cases import LOGIN
from .permissions import CASES

pytestmark = pytest.mark.django_db


def test_every_planning_url_has_a_case():
    from workforce.urls import urlpatterns

    assert {f"planning:{p.name}" for p in urlpatterns} == set(CASES)


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_planning_url_answers_each_role(url_name, cast):
    case = CASES[url_name]
    if case.setup:
        case.setup(cast)
    url = reverse(url_name, kwargs=case.kwargs(cast) if case.kwargs else None)
    failures = []
    for role in ROLES:
        response = getattr(cast.client(role), case.method)(url, case.data(cast) if case.data else {})
        wanted = case.expect[role]
        if wanted == LOGIN:
            ok = response.status_code == 302 and response.url.startswith(reverse("login"))
        else:
            ok = response.status_code == wanted
        if not ok:
            failures.append(f"{role}: wanted {wanted}, got {response.status_code}")
    assert not failures, f"{case.method.upper()} {url}: " + "; ".join(failures)
