"""The benchmark's per-page split of time into SQL, template rendering and the rest: a query run lazily
inside a template counts as SQL, an included template is not counted twice, and the hook is removed."""

import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Template
from django.template import base as template_base
from django.test import Client
from django.urls import path

from benchmarks.breakdown import Split, breakdown, timed

pytestmark = pytest.mark.django_db

SLEEP_MS = 30


def _sleep_rows():
    """A lazy query that takes SLEEP_MS in the database, evaluated wherever it is iterated."""
    cursor = connection.cursor()
    cursor.execute("SELECT pg_sleep(%s)", [SLEEP_MS / 1000])
    return [1]


class LazyRows:
    def __iter__(self):
        return iter(_sleep_rows())


def sql_in_view(request):
    _sleep_rows()
    return HttpResponse("ok")


def sql_in_template(request):
    page = Template("{% for r in rows %}{{ r }}{% endfor %}{% include inner %}")
    inner = Template("inner")
    return HttpResponse(page.render(Context({"rows": LazyRows(), "inner": inner})))


urlpatterns = [path("view/", sql_in_view), path("template/", sql_in_template)]


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = __name__
    return Client()


def test_sql_in_the_view_is_sql_and_no_template_time(client):
    split = breakdown(lambda: client.get("/view/"), 3)
    assert split["sql_ms"] >= SLEEP_MS
    assert split["template_ms"] == 0


def test_a_query_run_inside_a_template_counts_as_sql_not_template(client):
    split = breakdown(lambda: client.get("/template/"), 3)
    assert split["sql_ms"] >= SLEEP_MS
    assert 0 < split["template_ms"] < SLEEP_MS  # the sleep is subtracted from the render that ran it


def test_included_templates_are_counted_once():
    def slow():
        time.sleep(SLEEP_MS / 1000)
        return ""

    split = Split()
    outer = Template("{% include inner %}")
    with timed(split):
        outer.render(Context({"inner": Template("{{ slow }}"), "slow": slow}))
    # the inner render's sleep is inside the outer one: counted twice it would be >= 2 x SLEEP_MS
    assert SLEEP_MS <= split.template < 2 * SLEEP_MS
    assert split.sql == 0


def test_the_hooks_are_removed_after_the_run_even_on_error(client):
    original = template_base.Template.render
    with pytest.raises(RuntimeError), timed(Split()):
        assert template_base.Template.render is not original
        raise RuntimeError
    assert template_base.Template.render is original
    assert not connection.execute_wrappers


def test_rest_is_what_is_neither_sql_nor_template():
    split = Split(total=100.0, sql=30.0, template=20.0, requests=2)
    assert split.per_request() == {"sql_ms": 15.0, "template_ms": 10.0, "rest_ms": 25.0}
