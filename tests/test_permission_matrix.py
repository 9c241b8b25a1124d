"""Every URL of the project answers each role as its Case says (anonymous, each role, other region)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ROLES
from .permission_cases import LOGIN, all_cases

pytestmark = pytest.mark.django_db

# The admin guards itself (staff only); it is checked once, at its index.
SKIPPED_NAMESPACES = {"admin"}


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{prefix}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


CASES = all_cases()


def test_every_url_has_a_case():
    missing = sorted(project_url_names() - set(CASES))
    assert not missing, f"URLs without an expected answer per role: {missing}"


def test_no_case_for_a_url_that_does_not_exist():
    stale = sorted(set(CASES) - project_url_names() - {"admin:index"})
    assert not stale, f"Cases for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_url_answers_each_role(url_name, cast):
    case = CASES[url_name]
    if case.setup:
        case.setup(cast)
    url = reverse(url_name, kwargs=case.kwargs(cast) if case.kwargs else None)
    failures = []
    for role in ROLES:
        client = cast.client(role)
        data = case.data(cast) if case.data else {}
        response = getattr(client, case.method)(url, data)
        wanted = case.expect[role]
        if wanted == LOGIN:
            ok = response.status_code == 302 and response.url.startswith(reverse("login"))
        else:
            ok = response.status_code == wanted
        if not ok:
            failures.append(f"{role}: wanted {wanted}, got {response.status_code}")
    assert not failures, f"{case.method.upper()} {url}: " + "; ".join(failures)
