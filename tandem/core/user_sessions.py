"""Ending a user's sessions (after a second-factor change, a deactivation)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from .models import User


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every stored session of ``user`` except ``keep`` (a session key); returns how many.

    Sessions live in the database (Django's default engine); each is decoded to find its user.
    """
    store = Session.get_session_store_class()()
    doomed = []
    for key, data in Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data"):
        if key != keep and store.decode(data).get(SESSION_KEY) == str(user.pk):
            doomed.append(key)
    if doomed:
        Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)
