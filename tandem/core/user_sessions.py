"""Ending a user's sessions (after a second-factor change, a deactivation)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from .models import User


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every stored session of ``user`` except ``keep`` (a session key); returns how many.

    Sessions live in the database; each is decoded to find its user. With the cached engine
    (``cached_db``, production) each also has a copy in the cache, removed too: a session read from
    the cache must not outlive its row.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore  # the engine's, which may cache
    store = store_class()
    doomed = []
    for key, data in Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data"):
        if key != keep and store.decode(data).get(SESSION_KEY) == str(user.pk):
            doomed.append(key)
    if doomed:
        Session.objects.filter(session_key__in=doomed).delete()
        if hasattr(store_class, "cache_key_prefix"):  # cached_db: its copies in the cache go too
            caches[settings.SESSION_CACHE_ALIAS].delete_many([store_class.cache_key_prefix + key for key in doomed])
    return len(doomed)
