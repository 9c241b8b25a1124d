"""Schema-driven fuzzing of every /api/v1/ operation with schemathesis: no input makes a server error.

Bounded for the shared machine: a few examples per operation, derandomized (the same cases every run),
against the in-process WSGI app on the test database, with a token holding every permission."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from .conftest import bearer

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())

EXAMPLES = 6


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """As django.test.Client does: the WSGI handler would close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, cast, issue):
    token = issue()
    headers = {"Authorization": bearer(token)["HTTP_AUTHORIZATION"]}
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error])
