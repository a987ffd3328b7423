"""The personal calendar feed: a private link, replaced on request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from tandem.core.access import get_access
from tandem.core.models import AuditAction, User
from tandem.core.services import audit_record

from ..models import CalendarFeed, new_token


@transaction.atomic
def calendar_feed_rotate(*, actor: User) -> CalendarFeed:
    """Give the actor a (new) private feed link; the old one stops at once."""
    if not get_access(actor).is_active:
        raise PermissionDenied
    feed, created = CalendarFeed.objects.get_or_create(user=actor)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    audit_record(actor=actor, action=AuditAction.TOKEN, changes={"calendar_feed": "created" if created else "replaced"})
    return feed
