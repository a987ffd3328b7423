"""Events in the global search: found by those who may read them (``events.access.visible_events``:
the library's audience rule by the event's visibility, and its organisers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import Event


def _event(e: Event) -> SearchText:
    return SearchText(
        title=e.title,
        url_uuid=e.uuid,
        summary=" ".join(filter(None, [e.venue, e.languages])),
        body=e.objectives,
        language=e.language,
        jurisdiction_id=e.jurisdiction_id,
        year=e.starts_at.year,
    )


SOURCES = [SearchSource("event", _("Events"), "events.Event", access.visible_events, _event, "event_detail")]
