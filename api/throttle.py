"""Calls per token per minute, counted in the shared cache (Redis): every web process sees one count."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def rate_take(*, token_id: int) -> int | None:
    """Count one call of the token in the current minute: None when allowed, else the seconds to wait."""
    now = timezone.now()
    window = int(now.timestamp()) // 60
    key = f"api:rate:{token_id}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        count = 1
    if count > settings.API_RATE_LIMIT_PER_MINUTE:
        return 60 - int(now.timestamp()) % 60
    return None
