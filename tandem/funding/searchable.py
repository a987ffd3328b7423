"""Funding in the global search: calls (``funding.access``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import Call


def _call(c: Call) -> SearchText:
    return SearchText(
        title=c.title,
        url_uuid=c.uuid,
        body=c.purpose,
        jurisdiction_id=c.jurisdiction_id,
        year=(c.opens_at or c.created_at).year,
    )


SOURCES = [
    SearchSource(
        "funding_call", _("Funding calls"), "funding.Call", access.visible_calls, _call, "funding_call_detail"
    ),
]
