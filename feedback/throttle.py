"""Flood guards for the anonymous public forms, kept in the shared cache (Redis in production).

Limits are settings with defaults (read with getattr so the project settings may override them):
FEEDBACK_IP_LIMIT / FEEDBACK_IP_WINDOW (submissions per address), FEEDBACK_UNIT_LIMIT /
FEEDBACK_UNIT_WINDOW (submissions per service unit), FEEDBACK_DUPLICATE_WINDOW (seconds an identical
submission is refused). Addresses are kept only as keyed hashes in the cache, never in the database.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULTS = {
    "FEEDBACK_IP_LIMIT": 20,  # generous: mobile carriers put many phones behind one address (CGNAT)
    "FEEDBACK_IP_WINDOW": 3600,
    "FEEDBACK_UNIT_LIMIT": 300,
    "FEEDBACK_UNIT_WINDOW": 3600,
    "FEEDBACK_DUPLICATE_WINDOW": 86400,
}


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
