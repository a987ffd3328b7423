"""Fixed-window request counters in Django's cache (API rate limits).

``check(scope, ident, rate)`` counts one request of ``ident`` (a token fingerprint,
an address) against ``rate`` ("120/minute") and returns how many seconds to wait
when the limit is passed, else None. With several processes or hosts the cache
must be shared (``REDIS_URL``); the local-memory default counts per process.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day)\s*")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/minute" -> (120, 60)."""
    match = _RATE.fullmatch(rate or "")
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(f"A rate limit must look like '120/minute' (second, minute, hour, day): {rate!r}")
    return int(match.group(1)), UNITS[match.group(2)]


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]


def check(scope: str, ident: str, rate: str) -> int | None:
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    count = _count(f"tandem:rl:{scope}:{ident}:{window}", period + 5)
    if count > limit:
        return max(1, math.ceil((window + 1) * period - now))
    return None


def _count(key: str, timeout: int) -> int:
    """One more request in the window ``key``: the count so far.

    On Redis one round trip (a pipeline: create the counter with its expiry if missing, increment it);
    Django's ``add`` then ``incr`` took three (``incr`` asks whether the key exists first), six per
    API request. Elsewhere (the local-memory cache of one process) through Django's cache API.
    """
    client = _redis_client(key)
    if client is not None:
        name = cache.make_and_validate_key(key)
        pipe = client.pipeline(transaction=False)
        pipe.set(name, 0, ex=timeout, nx=True)
        pipe.incr(name)
        return int(pipe.execute()[1])
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def _redis_client(key: str) -> Any:
    """The redis.Redis client of the default cache when it is Django's Redis cache, else None."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(key, write=True)
