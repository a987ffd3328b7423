"""The library in the global search: published items, found by those who may read them
(``library.access.visible_published_items``)."""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import LibraryItem


def _item(i: LibraryItem) -> SearchText:
    return SearchText(
        title=i.title,
        url_uuid=i.uuid,
        summary=i.summary,
        body=strip_tags(i.body),
        language=i.language,
        jurisdiction_id=i.jurisdiction_id,
        year=(i.publication_date or i.created_at).year,
    )


SOURCES = [
    SearchSource(
        "library_item",
        _("Library items"),
        "library.LibraryItem",
        access.visible_published_items,
        _item,
        "library_item_detail",
    ),
]
