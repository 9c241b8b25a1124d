"""Where a page's time goes: SQL, Django template rendering, and the rest (middleware, view code).

A few extra requests per page are timed with two hooks: the database connection's execute wrapper
(every query, wherever it runs) and the outermost `django.template.base.Template.render` of the
request (included templates render inside it). A query a template runs lazily counts as SQL, not as
template time. The hooks cost a little, so these requests are separate from the ones p50/p95 come
from.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.template import base as template_base


@dataclass
class Split:
    """Milliseconds spent by the requests timed so far."""

    total: float = 0.0
    sql: float = 0.0
    template: float = 0.0  # rendering, the SQL it ran excluded
    requests: int = 0

    def per_request(self) -> dict:
        n = max(self.requests, 1)
        rest = max(self.total - self.sql - self.template, 0.0)
        return {
            "sql_ms": round(self.sql / n, 2),
            "template_ms": round(self.template / n, 2),
            "rest_ms": round(rest / n, 2),
        }


@contextmanager
def timed(split: Split) -> Iterator[None]:
    """While inside, queries and outermost template renders add their time to `split`."""
    original = template_base.Template.render
    depth = [0]

    def render(template, context):
        if depth[0]:  # an included template: already inside the timed outer render
            return original(template, context)
        depth[0] += 1
        sql_before, t0 = split.sql, time.perf_counter()
        try:
            return original(template, context)
        finally:
            depth[0] -= 1
            split.template += (time.perf_counter() - t0) * 1000 - (split.sql - sql_before)

    def execute(run, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return run(sql, params, many, context)
        finally:
            split.sql += (time.perf_counter() - t0) * 1000

    template_base.Template.render = render
    try:
        with connection.execute_wrapper(execute):
            yield
    finally:
        template_base.Template.render = original


def breakdown(send: Callable[[], object], requests: int) -> dict:
    """Send the request `requests` times under the hooks: mean SQL, template and rest ms per request."""
    split = Split()
    with timed(split):
        for _ in range(requests):
            t0 = time.perf_counter()
            send()
            split.total += (time.perf_counter() - t0) * 1000
            split.requests += 1
    return split.per_request()
