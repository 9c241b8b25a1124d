"""Flood guards for the anonymous public forms: rate counters in the shared cache (Redis in production),
the duplicate guard and the wrong-code throttle in the database (they must hold under concurrency).

Limits are settings with defaults (read with getattr so the project settings may override them):
FEEDBACK_IP_LIMIT / FEEDBACK_IP_WINDOW (submissions per address), FEEDBACK_UNIT_LIMIT /
FEEDBACK_UNIT_WINDOW (submissions per service unit), FEEDBACK_DUPLICATE_WINDOW (seconds an identical
submission is refused), FEEDBACK_CODE_GUESS_LIMIT / FEEDBACK_CODE_GUESS_WINDOW (wrong one-time codes
per address before every code from it is refused for the rest of the window). Addresses are kept only
as keyed hashes, never in clear.
"""

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from redis.exceptions import RedisError

from .models import CodeGuessCounter, SubmissionGuard

logger = logging.getLogger(__name__)

DEFAULTS = {
    "FEEDBACK_IP_LIMIT": 20,  # generous: mobile carriers put many phones behind one address (CGNAT)
    "FEEDBACK_IP_WINDOW": 3600,
    "FEEDBACK_UNIT_LIMIT": 300,
    "FEEDBACK_UNIT_WINDOW": 3600,
    "FEEDBACK_DUPLICATE_WINDOW": 86400,
    "FEEDBACK_CODE_GUESS_LIMIT": 10,
    "FEEDBACK_CODE_GUESS_WINDOW": 900,
}
PURGE_BATCH = 50  # expired guard rows removed in passing by each submission


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def digest(*parts: object) -> str:
    message = "|".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under `key`; False once more than `limit` attempts fall in the window."""
    full = f"feedback:rate:{key}"
    cache.add(full, 0, timeout=window)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=window)
        count = 1
    return count <= limit


def seen(fingerprint: str) -> bool:
    return cache.get(f"feedback:dup:{fingerprint}") is not None


def remember(fingerprint: str) -> None:
    cache.set(f"feedback:dup:{fingerprint}", 1, timeout=setting("FEEDBACK_DUPLICATE_WINDOW"))


# The three guards of one submission in a single atomic round trip to Redis (instead of seven
# commands): refuse a duplicate without counting it, then count the address and refuse over its
# limit without counting the unit (a flood from one address must not use up the unit's budget),
# then count the unit. Returns 0 (accepted), 1 (duplicate), 2 (address over limit), 3 (unit over).
GUARD_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
local ip = redis.call('INCR', KEYS[2])
if ip == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
if ip > tonumber(ARGV[1]) then return 2 end
local unit = redis.call('INCR', KEYS[3])
if unit == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
if unit > tonumber(ARGV[3]) then return 3 end
return 0
"""
ACCEPTED, DUPLICATE, IP_OVER, UNIT_OVER = 0, 1, 2, 3


def _redis_client():
    """The cache's Redis client when the cache is Redis (None for the demo's local-memory cache)."""
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    return get_client(write=True) if get_client else None


def guard(*, fingerprint: str, ip_key: str, unit_key: str) -> int:
    """Check and count one submission: ACCEPTED, DUPLICATE, IP_OVER or UNIT_OVER.

    With Redis unavailable the guards fail open for the outage (logged), like the cache itself."""
    dup, ip, unit = f"feedback:dup:{fingerprint}", f"feedback:rate:{ip_key}", f"feedback:rate:{unit_key}"
    ip_limit, ip_window = setting("FEEDBACK_IP_LIMIT"), setting("FEEDBACK_IP_WINDOW")
    unit_limit, unit_window = setting("FEEDBACK_UNIT_LIMIT"), setting("FEEDBACK_UNIT_WINDOW")
    client = _redis_client()
    if client is None:
        if seen(fingerprint):
            return DUPLICATE
        if not hit(ip_key, limit=ip_limit, window=ip_window):
            return IP_OVER
        return ACCEPTED if hit(unit_key, limit=unit_limit, window=unit_window) else UNIT_OVER
    keys = [cache.make_and_validate_key(k) for k in (dup, ip, unit)]
    try:
        return int(client.eval(GUARD_SCRIPT, 3, *keys, ip_limit, ip_window, unit_limit, unit_window))
    except RedisError as exc:
        logger.warning("flood guard skipped, Redis unavailable: %s", exc)
        return ACCEPTED


# --- in the database: guards that must hold under concurrency ------------------------------------------


def _purge(queryset) -> None:
    """Delete a few expired rows in passing, in one statement, skipping rows another transaction holds."""
    stale = queryset.select_for_update(skip_locked=True).values("pk")[:PURGE_BATCH]
    queryset.model.objects.filter(pk__in=stale).delete()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def duplicate_claim(fingerprint: str) -> None:
    """Claim a code-less submission's fingerprint for FEEDBACK_DUPLICATE_WINDOW seconds, inside the
    caller's transaction; ValidationError while an identical submission holds it.

    One conditional upsert (INSERT ... ON CONFLICT DO UPDATE ... WHERE expired) decides on the
    primary key: a simultaneous identical claim waits for this transaction, then finds the live row
    and claims nothing (or succeeds if this one rolled back). An expired claim is taken over."""
    now = timezone.now()
    expires = now + dt.timedelta(seconds=setting("FEEDBACK_DUPLICATE_WINDOW"))
    table, adapt = _table(SubmissionGuard), connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (fingerprint, expires_at) VALUES (%s, %s) "  # noqa: S608  # nosec B608 - table name from the model, not input
            f"ON CONFLICT (fingerprint) DO UPDATE SET expires_at = excluded.expires_at "
            f"WHERE {table}.expires_at <= %s",
            [fingerprint, adapt(expires), adapt(now)],
        )
        claimed = cursor.rowcount == 1
    if not claimed:
        raise ValidationError(_("This response has already been received. Thank you, once is enough."))
    _purge(SubmissionGuard.objects.filter(expires_at__lte=now))


class TooManyCodeGuesses(Exception):
    """Too many wrong one-time codes from one address: every code from it waits for the window."""

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(
            ngettext(
                "Too many wrong survey codes were entered from your network. Wait %(minutes)d minute "
                "and try again, or fill in the survey without a code.",
                "Too many wrong survey codes were entered from your network. Wait %(minutes)d minutes "
                "and try again, or fill in the survey without a code.",
                minutes,
            )
            % {"minutes": minutes}
        )


def code_guess_open(client_ip: str | None) -> CodeGuessCounter:
    """Lock the address's wrong-code counter for the caller's transaction and refuse with
    TooManyCodeGuesses once FEEDBACK_CODE_GUESS_LIMIT wrong codes fell in the window that began with
    the first of them: a right code is refused too until the window ends.

    The counter is created or locked by one upsert (ON CONFLICT DO UPDATE locks the existing row), so
    parallel guesses from one address queue here and are counted one after the other."""
    now = timezone.now()
    window = dt.timedelta(seconds=setting("FEEDBACK_CODE_GUESS_WINDOW"))
    client = digest("code-guess", client_ip)
    table = _table(CodeGuessCounter)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client, window_start, failures) VALUES (%s, %s, 0) "  # noqa: S608  # nosec B608 - table name from the model, not input
            f"ON CONFLICT (client) DO UPDATE SET client = excluded.client "
            f"RETURNING id, window_start, failures",
            [client, connection.ops.adapt_datetimefield_value(now)],
        )
        pk, window_start, failures = cursor.fetchone()
    if isinstance(window_start, str):  # SQLite (the demo) returns the stored UTC text ...
        window_start = dt.datetime.fromisoformat(window_start)
    if timezone.is_naive(window_start):  # ... or a naive UTC datetime
        window_start = window_start.replace(tzinfo=dt.UTC)
    counter = CodeGuessCounter(pk=pk, client=client, window_start=window_start, failures=failures)
    ends = counter.window_start + window
    if counter.failures >= setting("FEEDBACK_CODE_GUESS_LIMIT") and ends > now:
        raise TooManyCodeGuesses(minutes=max(1, -(-int((ends - now).total_seconds()) // 60)))
    _purge(CodeGuessCounter.objects.filter(window_start__lte=now - window).exclude(pk=pk))
    return counter


def code_guess_failed(counter: CodeGuessCounter) -> None:
    """Count one wrong code on the counter locked by code_guess_open (a stale window starts anew)."""
    now = timezone.now()
    window = dt.timedelta(seconds=setting("FEEDBACK_CODE_GUESS_WINDOW"))
    if counter.failures == 0 or counter.window_start + window <= now:
        counter.window_start, counter.failures = now, 1
    else:
        counter.failures += 1
    counter.save(update_fields=["window_start", "failures"])
