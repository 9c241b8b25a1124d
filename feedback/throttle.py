"""Flood guards for the anonymous public forms, kept in the shared cache (Redis in production).

Limits are settings with defaults (read with getattr so the project settings may override them):
FEEDBACK_IP_LIMIT / FEEDBACK_IP_WINDOW (submissions per address), FEEDBACK_UNIT_LIMIT /
FEEDBACK_UNIT_WINDOW (submissions per service unit), FEEDBACK_DUPLICATE_WINDOW (seconds an identical
submission is refused). Addresses are kept only as keyed hashes in the cache, never in the database.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

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
