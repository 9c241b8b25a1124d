"""An object outside the user's scope answers 404, the same answer as an id that does not exist.

- the activity log and its evidence: another region's HR officer (and every user without an
  employee record) gets 404, not a 403 that confirms the log exists;
- every URL with an object id (found through the URL resolver, objects built by the permission
  matrix's Cases): another region's HR officer gets for region A's object exactly what they get for
  an id that does not exist, and 404 wherever HR officers may open that page in their own region;
- a fuzz-ish sweep: every such URL called with a huge id (past the bigint column) answers 404 to the
  roles that may open the page, and never 500 to anyone.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from performance.models import FeedbackMessage

from ..core.test_object_scope import CASES, CHECKED, ID_URLS, _fresh, rolled_back
from ..performance.permissions import world as performance_world
from ..permission_cases import LOGIN

pytestmark = pytest.mark.django_db

SUCCESS = (200, 302)
HUGE_ID = 10**25  # past 2**63 - 1: a query with it would overflow the column
HUGE_CODE = "9" * 25
# A bad reset link shows the "link invalid" page (200) by design: uid and token are not object ids.
NOT_AN_OBJECT = {"password_reset_confirm"}


# --- the activity log -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["performance:log_detail", "performance:log_evidence"])
@pytest.mark.parametrize("role", ["hr_other", "hr", "head", "observer", "panel", "applicant", "admin"])
def test_a_log_is_404_to_anyone_but_its_owner_and_supervisor(cast, name, role):
    performance_world(cast)
    url = reverse(name, args=[cast.objects["log"].pk])
    assert cast.client(role).get(url).status_code == 404
    # The same as for a log that does not exist.
    assert cast.client(role).get(reverse(name, args=[2_000_000_000])).status_code == 404


@pytest.mark.parametrize("name", ["performance:log_detail", "performance:log_evidence"])
def test_the_owner_and_the_supervisor_still_open_the_log(cast, name):
    performance_world(cast)
    url = reverse(name, args=[cast.objects["log"].pk])
    assert cast.client("staff").get(url).status_code == 200
    assert cast.client("supervisor").get(url).status_code == 200
    assert cast.client("anonymous").get(url).status_code == 302  # to the login page


def test_another_regions_officer_cannot_write_to_a_logs_thread(cast):
    performance_world(cast)
    url = reverse("performance:log_detail", args=[cast.objects["log"].pk])
    before = FeedbackMessage.objects.count()
    response = cast.client("hr_other").post(url, {"form": "reply", "body": "Saya dari Sorong"})
    assert response.status_code == 404
    assert FeedbackMessage.objects.count() == before


# --- every URL with an id ----------------------------------------------------------------------


def _call(cast, role: str, name: str, kwargs: dict, world):
    case = CASES[name]
    data = case.data(world) if case.data else {}
    with transaction.atomic():  # a database error must fail the test, not poison the next request
        return getattr(cast.client(role), case.method)(reverse(name, kwargs=kwargs), data).status_code


def _swapped(name: str, kwargs: dict, *, int_id, str_id) -> dict:
    ids = ID_URLS[name]
    return {k: (int_id if isinstance(v, int) else str_id) if k in ids else v for k, v in kwargs.items()}


@pytest.mark.parametrize("name", CHECKED)
def test_another_regions_officer_sees_region_as_object_as_missing(cast, name):
    with rolled_back():
        world = _fresh(cast)
        if CASES[name].setup:
            CASES[name].setup(world)
        own = CASES[name].kwargs(world)
        foreign = _call(cast, "hr_other", name, own, world)
        missing = _call(
            cast, "hr_other", name, _swapped(name, own, int_id=2_000_000_000, str_id="zz9"), world
        )
    assert foreign != 500
    assert foreign == missing, f"{name}: region A's object {foreign}, an id that does not exist {missing}"
    if CASES[name].expect["hr"] in SUCCESS:
        assert foreign == 404, f"{name}: {foreign}"


@pytest.mark.parametrize("name", sorted(ID_URLS))
def test_a_huge_id_answers_404_never_500(cast, name):
    case = CASES[name]
    failures = []
    with rolled_back():
        world = _fresh(cast)
        if case.setup:
            case.setup(world)
        kwargs = _swapped(name, case.kwargs(world), int_id=HUGE_ID, str_id=HUGE_CODE)
        for role, expected in case.expect.items():
            status = _call(cast, role, name, kwargs, world)
            if status == 500:
                failures.append(f"{role}: 500")
            elif expected in SUCCESS and name not in NOT_AN_OBJECT and status != 404:
                failures.append(f"{role}: {status} (may open the page, so the id must be 404)")
            elif expected == LOGIN and status != 302:
                failures.append(f"{role}: {status} (anonymous: to the login page)")
    assert not failures, f"{name} with id {HUGE_ID}: " + "; ".join(failures)
