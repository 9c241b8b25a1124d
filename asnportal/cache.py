"""A Redis cache that degrades instead of failing: with Redis down the site still serves.

Rate limits and progress figures then fail open for the outage (the database keeps its own
guarantees); every failure is logged.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _guard(name: str, default):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except RedisError as exc:
            logger.warning("cache %s failed, Redis unavailable: %s", name, exc)
            return default(args, kwargs) if callable(default) else default

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    get = _guard("get", lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None))
    set = _guard("set", None)
    add = _guard("add", False)
    touch = _guard("touch", False)
    delete = _guard("delete", False)
    get_many = _guard("get_many", {})
    has_key = _guard("has_key", False)
    incr = _guard("incr", lambda args, kwargs: kwargs.get("delta", args[1] if len(args) > 1 else 1))
    set_many = _guard("set_many", [])
    delete_many = _guard("delete_many", None)
    clear = _guard("clear", None)
