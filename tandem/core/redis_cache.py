"""Django's Redis cache with one client object per connection pool (settings ``CACHES`` with REDIS_URL).

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and building
one fills its table of response callbacks: about a third of a millisecond of CPU each time, four
times per API request (the two rate-limit counters), and once per page for the session. A
``redis.Redis`` is safe to share between threads (its pool hands out the connections), so the same
client is kept for each pool.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache``, its client objects kept (see the module)."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
