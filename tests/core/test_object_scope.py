"""Object-level access by guessed ids: every URL that takes an object id answers 404 to a user who
holds the right role but guesses an id outside their scope.

For each URL pattern with an id in its path (found through the URL resolver, like the permission
matrix) the Case of the permission matrix builds the objects. The same builder runs for two other
"worlds" whose objects the cast must not reach:
- region B (Sorong): its own officers, staff, supervisor, applicant — every role of the cast that
  succeeds on its own object (200 or a redirect) must get exactly 404 there: never 200, never a 403
  that confirms the object exists, never 500;
- a colleague in region A: another staff member (with another supervisor), another applicant, an
  observer and a panel member assigned elsewhere — the staff, supervisor, applicant, observer and
  panel member of the cast must get 404 on the colleague's logs, appraisals, enrollments,
  certificates, applications, documents and selections.
Then ids that do not exist answer 404, a URL with two ids answers 404 when one of them is swapped for
region B's, and the cast's own objects still answer as the matrix says.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from asnportal.accounts.models import Role

from ..conftest import Cast, make_user
from ..org.factories import EmployeeFactory
from ..permission_cases import all_cases

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin"}
# Path parameters that choose a format or an action, not an object.
NOT_IDS = {"fmt", "kind", "action"}
ROLES = ["staff", "supervisor", "hr", "head", "observer", "panel", "applicant"]
# Roles whose scope is narrower than their region: a colleague's objects are out of their reach.
PERSONAL_ROLES = ["staff", "supervisor", "applicant", "observer", "panel"]
SUCCESS = (200, 302)
MISSING_ID = 2_000_000_000
MISSING_CODE = "tidak-ada-zz9"

# Public by design: anyone may read them, whatever region the object belongs to.
PUBLIC = {
    "recruitment:public_selection": "published selection page",
    "recruitment:public_ranking": "published ranking (participant number and name only)",
    "recruitment:export": "the published ranking and SKD results as a file (the announcement)",
    "recruitment:apply": "an applicant may apply to any published selection, in any region",
    "feedback:public_region": "public IKM results of a region",
    "feedback:survey": "public SKM survey",
    "feedback:survey_thanks": "public SKM survey",
    "feedback:survey_kiosk": "public SKM survey on a service counter's tablet",
    "feedback:survey_kiosk_sync": "the kiosk tablet's queue of public SKM responses (POST only)",
    "feedback:input_create": "public citizen input form",
    "feedback:track_detail": "a citizen follows their input by its secret tracking code",
    "training:verify": "public certificate verification by its code",
    "password_reset_confirm": "uid and token of a reset link, not an object id",
}
# The JSON API's routes with an id, tested in tests/api/: one employee opens with an integration token
# only (a session gets 401; another region's employee 404 per token, test_matrix.py); open data is
# public (an unknown selection or formation 404, test_v1.py).
TOKEN_ROUTES = {
    "api:v1:employee": "one employee of the token's region, by NIP",
    "api:v1:open_ranking": "open data: a published ranking (participant number and name only)",
}
# One-time links whose path holds a secret of their owner, not an object id: an unknown, used or
# someone else's token answers 404 (tests/security/test_two_factor.py).
SECRET_LINKS = {"accounts:otp_enroll": "one-time enrollment link after a second-factor reset"}
# Shared by the staff of one region: a colleague's session is the staff member's session too.
SHARED_IN_REGION = {"training:session_detail", "training:enroll"}

CASES = all_cases()


def id_url_names() -> dict[str, list[str]]:
    """{url name: its object-id parameters} of every project URL pattern that takes one."""
    found: dict[str, list[str]] = {}

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                params = list(p.pattern.regex.groupindex)
                ids = [name for name in params if name not in NOT_IDS]
                if ids:
                    found[f"{prefix}{p.name}"] = ids

    walk(get_resolver().url_patterns, "")
    return found


ID_URLS = id_url_names()
CHECKED = sorted(name for name in ID_URLS if name not in {**PUBLIC, **SECRET_LINKS, **TOKEN_ROUTES})


def success_roles(name: str) -> list[str]:
    return [role for role in ROLES if CASES[name].expect[role] in SUCCESS]


def test_every_url_with_an_id_is_covered():
    assert len(ID_URLS) > 40, "the resolver walk found too few URLs with ids"
    missing = sorted(n for n in ID_URLS if n not in CASES or CASES[n].kwargs is None)
    assert not missing, f"URLs with an id but no Case building their objects: {missing}"
    unreached = sorted(n for n in CHECKED if not success_roles(n))
    assert not unreached, f"URLs with an id that no role of the cast reaches: {unreached}"
    stale = sorted((set(PUBLIC) | set(SECRET_LINKS) | set(TOKEN_ROUTES) | SHARED_IN_REGION) - set(ID_URLS))
    assert not stale, f"Exemptions for URLs that no longer take an id: {stale}"


def _world(cast: Cast, tag: str, *, region, unit, position, officers: dict) -> Cast:
    """A cast of other people, with the same shape as the fixture's, for the Case builders."""
    boss = EmployeeFactory(
        unit=unit, position=position, user=make_user(f"atasan_{tag}"), name=f"Atasan {tag}"
    )
    staff = EmployeeFactory(
        unit=unit,
        position=position,
        user=make_user(f"pegawai_{tag}"),
        supervisor=boss,
        name=f"Pegawai {tag}",
    )
    users = {
        "anonymous": None,
        "staff": staff.user,
        "supervisor": boss.user,
        "applicant": make_user(f"pelamar_{tag}", role=Role.APPLICANT),
        "admin": cast.users["admin"],
        **officers,
    }
    objects = {
        "staff_employee": staff,
        "supervisor_employee": boss,
        "other_region_employee": cast.objects["staff_employee"],
        "position_a": position,
        "position_b": cast.objects["position_a"],
    }
    return Cast(
        region_a=region,
        region_b=cast.region_a,
        unit_a=unit,
        unit_b=cast.unit_a,
        users=users,
        objects=objects,
    )


@pytest.fixture
def region_b(cast) -> Cast:
    officers = {
        "hr": cast.users["hr_other"],
        "head": make_user("kepala_b", role=Role.REGIONAL_HEAD, region=cast.region_b),
        "observer": make_user("pengamat_b", role=Role.OBSERVER, region=cast.region_b),
        "panel": make_user("penguji_b", role=Role.PANEL_MEMBER, region=cast.region_b),
        "hr_other": cast.users["hr"],
    }
    return _world(
        cast,
        "b",
        region=cast.region_b,
        unit=cast.unit_b,
        position=cast.objects["position_b"],
        officers=officers,
    )


@pytest.fixture
def colleague(cast) -> Cast:
    officers = {
        "hr": cast.users["hr"],
        "head": cast.users["head"],
        "observer": make_user("pengamat_lain", role=Role.OBSERVER, region=cast.region_a),
        "panel": make_user("penguji_lain", role=Role.PANEL_MEMBER, region=cast.region_a),
        "hr_other": cast.users["hr_other"],
    }
    return _world(
        cast,
        "rekan",
        region=cast.region_a,
        unit=cast.unit_a,
        position=cast.objects["position_a"],
        officers=officers,
    )


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Objects made inside are gone afterwards (a savepoint), so every world can reuse one builder."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def _fresh(world: Cast) -> Cast:
    return replace(world, objects=dict(world.objects))


def _request(cast: Cast, role: str, name: str, kwargs: dict, data_from: Cast):
    case = CASES[name]
    url = reverse(name, kwargs=kwargs)
    data = case.data(data_from) if case.data else {}
    return url, getattr(cast.client(role), case.method)(url, data)


def _build(name: str, world: Cast) -> dict:
    case = CASES[name]
    if case.setup:
        case.setup(world)
    return case.kwargs(world)


def _missing(kwargs: dict, ids: list[str]) -> dict:
    return {
        key: (MISSING_ID if isinstance(value, int) else MISSING_CODE) if key in ids else value
        for key, value in kwargs.items()
    }


def _expect_404(failures: list[str], label: str, role: str, url: str, response) -> None:
    if response.status_code != 404:
        failures.append(f"{label}: {role} got {response.status_code} at {url}")


@pytest.mark.parametrize("name", CHECKED)
def test_guessed_ids_answer_404(name, cast, region_b, colleague):
    roles = success_roles(name)
    ids = ID_URLS[name]
    failures: list[str] = []

    # Region B's objects, asked for by each role of region A that may open the page at all.
    with rolled_back():
        world = _fresh(region_b)
        foreign = _build(name, world)
        for role in roles:
            _expect_404(failures, "region B's object", role, *_request(cast, role, name, foreign, world))

    # A colleague's objects, for the roles whose scope is themselves or their assignments.
    personal = [r for r in roles if r in PERSONAL_ROLES]
    if personal and name not in SHARED_IN_REGION:
        with rolled_back():
            world = _fresh(colleague)
            theirs = _build(name, world)
            for role in personal:
                _expect_404(
                    failures, "a colleague's object", role, *_request(cast, role, name, theirs, world)
                )

    # Our own objects exist from here on.
    own_world = _fresh(cast)
    own = _build(name, own_world)

    # Ids that do not exist.
    for role in roles:
        _expect_404(
            failures,
            "an id that does not exist",
            role,
            *_request(cast, role, name, _missing(own, ids), own_world),
        )

    # Two ids in the path: each swapped, one at a time, for one that does not exist, then for region B's.
    if len(ids) > 1:
        for key in ids:
            mixed = {**own, key: _missing(own, [key])[key]}
            for role in roles:
                label = f"own ids but {key} that does not exist"
                _expect_404(failures, label, role, *_request(cast, role, name, mixed, own_world))
        with rolled_back():
            world = _fresh(region_b)
            foreign = _build(name, world)
            for key in ids:
                mixed = {**own, key: foreign[key]}
                for role in roles:
                    _expect_404(
                        failures,
                        f"own ids but {key} of region B",
                        role,
                        *_request(cast, role, name, mixed, own_world),
                    )

    # The same officer with their own region's object succeeds as the permission matrix says.
    for role in roles:
        url, response = _request(cast, role, name, own, own_world)
        if response.status_code != CASES[name].expect[role]:
            failures.append(f"own object: {role} got {response.status_code} at {url}")

    assert not failures, f"{name}: " + "; ".join(failures)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_with_ids_answer_404_for_ids_that_do_not_exist(name, cast):
    if name == "password_reset_confirm":
        pytest.skip("a bad reset token shows the 'link invalid' page by design")
    own_world = _fresh(cast)
    own = _build(name, own_world)
    role = next((r for r in ["anonymous", *ROLES] if CASES[name].expect[r] in SUCCESS), None)
    if role is None:  # POST only (the kiosk's queue): its GET answers 405 to everyone
        response = Client().post(reverse(name, kwargs=_missing(own, ID_URLS[name])))
        assert response.status_code == 404
        return
    url, response = _request(cast, role, name, _missing(own, ID_URLS[name]), own_world)
    assert response.status_code == 404, f"{url}: {response.status_code}"
