"""A one-time code cannot be spent twice, even by two submissions at the same moment (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from feedback import services
from feedback.models import SurveyResponse, SurveyToken
from feedback.rules import ELEMENT_CODES

from .factories import ServiceUnitFactory

# The cast fixture re-creates the regions a flush removes (no serialized_rollback: it clashes with
# the content types that post_migrate re-creates after other transactional tests).
pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = dict.fromkeys(ELEMENT_CODES, 4)


def _run(target, results, key):
    try:
        results[key] = target()
    except ValidationError as exc:
        results[key] = exc
    finally:
        connections.close_all()  # each thread used its own connection


def test_two_simultaneous_submissions_with_one_token():
    su = ServiceUnitFactory()
    code = services.token_batch_create(service_unit=su, size=1).tokens.get().code
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def go():
        barrier.wait()
        return services.survey_submit(service_unit=su, answers=ANSWERS, token=code)

    threads = [threading.Thread(target=_run, args=(go, results, k)) for k in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["SurveyResponse", "ValidationError"]
    assert SurveyResponse.objects.count() == 1
    assert SurveyToken.objects.filter(used_at__isnull=False).count() == 1


def test_second_submission_waits_for_the_first_transaction_then_fails():
    """A holds its transaction open after spending the code; B's UPDATE blocks on the row lock
    (seen in pg_stat_activity), and once A commits, B finds the code used and saves nothing."""
    su = ServiceUnitFactory()
    code = services.token_batch_create(service_unit=su, size=1).tokens.get().code
    spent, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def first():
        with transaction.atomic():
            response = services.survey_submit(service_unit=su, answers=ANSWERS, token=code)
            spent.set()
            assert release.wait(timeout=30)
        return response

    def second():
        return services.survey_submit(service_unit=su, answers=ANSWERS, token=code)

    a = threading.Thread(target=_run, args=(first, results, "a"))
    a.start()
    assert spent.wait(timeout=30)
    b = threading.Thread(target=_run, args=(second, results, "b"))
    b.start()
    # Wait until B is really blocked on A's row lock (a real concurrent transaction, not a replay).
    blocked = False
    probe = threading.Event()
    for _i in range(1000):
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cur.fetchone()[0] >= 1:
                blocked = True
                break
        probe.wait(0.01)
    release.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert blocked
    assert isinstance(results["a"], SurveyResponse)
    assert isinstance(results["b"], ValidationError)
    assert "token" in results["b"].message_dict
    assert SurveyResponse.objects.count() == 1
