"""Reads of dashboards, reports and public pages on a read replica, when DATABASE_REPLICA_URL is set.

A streaming standby lags the primary by a moment, so only pages that read aggregates and published
results go there (settings.REPLICA_VIEWS, by URL name); everything else, every write and every read
inside a transaction stays on the primary. Read-your-own-writes: a browser that has just written
(any request that is not GET/HEAD/OPTIONS) carries a short-lived cookie, and its reads stay on the
primary until the cookie expires (REPLICA_STICKY_SECONDS), so the officer who has just published a
ranking sees it at once even when the standby has not replayed it yet.
"""

from contextvars import ContextVar
from fnmatch import fnmatchcase

from django.conf import settings
from django.db import connections

REPLICA = "replica"
WROTE_COOKIE = "asn_wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


class ReplicaRouter:
    """Reads on the replica while a replica-eligible request runs; writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's own data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def replica_eligible(view_name: str | None) -> bool:
    return bool(view_name) and any(fnmatchcase(view_name, pattern) for pattern in settings.REPLICA_VIEWS)


class ReplicaMiddleware:
    """Sets, for the view only, whether its reads may go to the replica; marks browsers that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_replica_token", None)
        if token is not None:
            _replica_reads.reset(token)
        if request.method not in SAFE_METHODS and REPLICA in settings.DATABASES:
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            REPLICA in settings.DATABASES
            and request.method in SAFE_METHODS
            and WROTE_COOKIE not in request.COOKIES
            and replica_eligible(request.resolver_match.view_name)
        ):
            request._replica_token = _replica_reads.set(True)
