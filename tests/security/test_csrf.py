"""CSRF: a POST without the token is refused on every URL of the project, found through the resolver.

The URL patterns are walked (django.urls.get_resolver(), recursively, the admin included), so a
new view is covered the day it is added. Each URL is POSTed by a user who may open it (the
permission matrix's Cases say who; the admin's pages by a system admin), logged in and verified,
with Client(enforce_csrf_checks=True):
- with the victim's CSRF cookie but no token (the usual forged form on another site), and
- with no cookie at all;
both must end in the CSRF failure view. The failure view is swapped for one that marks its answer,
so a 403 of the permission checks cannot pass for a CSRF refusal.

Path parameters are filled with any value that the pattern accepts (1 for an id): URL resolution
happens before CsrfViewMiddleware.process_view and no middleware before it loads objects, so a
missing object can never answer 404 before the CSRF check. A test below checks that assumption
(a missing id: 403 without the token, 404 with it).

The only csrf_exempt views are listed in EXEMPT with the reason; the test fails when a view is
exempt and not listed, or listed and not exempt.
"""

import itertools

import pytest
from django.conf import settings
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from ..conftest import login_verified
from ..permission_cases import all_cases

pytestmark = pytest.mark.django_db

MARK = "X-Test-Csrf-Refused"
# Intentionally csrf_exempt views (grep csrf_exempt): name -> why.
EXEMPT = {
    # benchmarks/views.py: the floor the benchmark divides page timings by, posted by locust
    # without a session. Mounted only when settings.BENCHMARKS is on (the tests, `make bench`),
    # never in production.
    "benchmarks:insert": "benchmark floor insert, BENCHMARKS only",
}
# Whole namespaces exempt by design. api/ (django-ninja, issue 23): every operation authenticates
# with a bearer token (api/v1/base.py TokenAuth) that a browser never sends by itself, or is a
# public read; a session cookie alone must not be accepted (test_the_token_api_ignores_the_session).
EXEMPT_NAMESPACES = {"api:v1:": "integration API, bearer tokens only"}
# Values tried for a path parameter until the pattern accepts one (an app label for the admin).
CANDIDATES = ["1", "x", "pdf", "xlsx", "svg", "ranking", "submit", "accounts"]
# Who posts: the first of these roles that the permission matrix lets open the URL.
ROLE_ORDER = ["hr", "supervisor", "staff", "observer", "panel", "applicant", "head", "admin", "anonymous"]
SUCCESS = (200, 302)


def csrf_failure(request, reason=""):
    """The CSRF failure view of these tests: the refusal is marked, so it is told from a 403."""
    response = HttpResponseForbidden(f"CSRF: {reason}")
    response[MARK] = reason or "refused"
    return response


@pytest.fixture(autouse=True)
def _marked_failure_view(settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_failure"


def url_patterns() -> dict[str, tuple[object, list[str]]]:
    """{url name: (view callback, its path parameters)} of every named pattern of the project."""
    found: dict[str, tuple[object, list[str]]] = {}

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                found.setdefault(f"{prefix}{p.name}", (p.callback, list(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "")
    return found


PATTERNS = url_patterns()
CASES = all_cases()


def url_for(name: str, params: list[str]) -> str:
    for values in itertools.product(CANDIDATES, repeat=len(params)):
        try:
            return reverse(name, kwargs=dict(zip(params, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: no value of {CANDIDATES} fits its parameters {params}")


def is_exempt(callback) -> bool:
    return bool(getattr(callback, "csrf_exempt", False))


def poster(name: str) -> str:
    if name.startswith("admin:") or name not in CASES:
        return "admin"
    expect = CASES[name].expect
    return next((role for role in ROLE_ORDER if expect[role] in SUCCESS), "admin")


def csrf_client(cast, role: str, *, with_cookie: bool) -> Client:
    client = Client(enforce_csrf_checks=True)
    user = cast.users.get(role)
    if user is not None:
        login_verified(client, user)
    if with_cookie:
        client.get(reverse("login"))  # the page sets the CSRF cookie, as the victim's browser has it
        assert settings.CSRF_COOKIE_NAME in client.cookies
    return client


def refused(response) -> bool:
    return response.status_code == 403 and MARK in response


def test_the_walk_finds_the_project():
    assert len(PATTERNS) > 150, "the resolver walk found too few URLs"
    for name in ("login", "logout", "set_language", "org:employee_edit", "performance:review_queue"):
        assert name in PATTERNS, name
    assert any(n.startswith("admin:") for n in PATTERNS)


def test_the_allow_list_is_exactly_what_is_exempt():
    exempt = {name for name, (callback, _params) in PATTERNS.items() if is_exempt(callback)}
    expected = {name for name in EXEMPT if name in PATTERNS}
    in_namespaces = {name for name in exempt if name.startswith(tuple(EXEMPT_NAMESPACES))}
    assert exempt - in_namespaces == expected, (
        f"exempt but not listed: {exempt - in_namespaces - expected}; listed: {expected - exempt}"
    )
    # A listed exemption exists only where its comment says (the benchmark floors: BENCHMARKS).
    missing = set(EXEMPT) - set(PATTERNS)
    assert not settings.BENCHMARKS or not missing, f"listed but no such URL: {missing}"


@pytest.mark.parametrize("with_cookie", [True, False], ids=["cookie-no-token", "no-cookie"])
def test_every_url_refuses_a_post_without_the_token(cast, with_cookie):
    clients: dict[str, Client] = {}
    failures = []
    checked = 0
    for name, (callback, params) in sorted(PATTERNS.items()):
        if is_exempt(callback):
            continue
        role = poster(name)
        if role not in clients:
            clients[role] = csrf_client(cast, role, with_cookie=with_cookie)
        url = url_for(name, params)
        response = clients[role].post(url, {"name": "CSRF", "action": "approve", "reason": "x"})
        checked += 1
        if not refused(response):
            failures.append(f"{name} ({url}) as {role}: {response.status_code}")
    assert checked > 150
    assert not failures, "POST without a CSRF token not refused:\n" + "\n".join(failures)


def test_a_wrong_token_is_refused_too(cast):
    client = csrf_client(cast, "supervisor", with_cookie=True)
    response = client.post(
        reverse("performance:review_queue"),
        {"log_ids": ["1"], "action": "approve", "csrfmiddlewaretoken": "x" * 64},
    )
    assert refused(response)
    response = client.post(reverse("performance:review_queue"), {}, HTTP_X_CSRFTOKEN="y" * 32)
    assert refused(response)


def test_the_check_comes_before_the_object_lookup(cast):
    """A missing id: refused for the token without looking; with the token, the view says 404."""
    url = reverse("org:employee_edit", kwargs={"pk": 2_000_000_000})
    client = csrf_client(cast, "hr", with_cookie=True)
    assert refused(client.post(url, {"name": "x"}))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    with_token = client.post(url, {"name": "x", "csrfmiddlewaretoken": token})
    assert with_token.status_code == 404 and MARK not in with_token


def test_with_the_token_the_same_post_reaches_the_view(cast):
    """The control: the marker appears only for missing tokens (a real post of the language switch)."""
    client = csrf_client(cast, "staff", with_cookie=True)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/kinerja/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and MARK not in response


@pytest.mark.parametrize("name", sorted(n for n in EXEMPT if n in PATTERNS))
def test_an_allowed_exemption_really_skips_the_check(cast, name):
    callback, params = PATTERNS[name]
    response = csrf_client(cast, "anonymous", with_cookie=False).post(url_for(name, params))
    assert not refused(response), f"{name} is listed as exempt but the check ran"


def test_the_token_api_ignores_the_session(cast):
    """The exempt API must not act on a logged-in browser's cookie: without a token, 401."""
    writes = [
        n for n, (cb, _p) in PATTERNS.items() if n.startswith(tuple(EXEMPT_NAMESPACES)) and is_exempt(cb)
    ]
    if not writes:
        pytest.skip("no token API mounted")
    client = csrf_client(cast, "hr", with_cookie=True)
    for name in writes:
        callback, params = PATTERNS[name]
        response = client.post(url_for(name, params), data="{}", content_type="application/json")
        assert response.status_code in (401, 404, 405), f"{name}: {response.status_code} for a session"
        assert response.status_code != 200
