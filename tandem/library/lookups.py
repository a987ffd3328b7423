"""Lookup endpoints of the library: the owning jurisdiction of an item, its countries and the item
it translates, matched as one types.

Each answers over the queryset the item form validates against (``access.proposable_jurisdictions``,
the network's countries, the visible items). The jurisdictions an item concerns are any visible
ones (``core``'s ``lookup_jurisdictions``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tandem.core import lookups

from . import access, selectors
from .permissions import requires


@requires("library.propose")
@require_GET
def library_lookup_jurisdictions(request):
    if not access.can_propose_anywhere(request.user):
        raise PermissionDenied
    return lookups.respond(request, access.proposable_jurisdictions(request.user), "jurisdiction")


def register_kinds() -> None:
    lookups.register_kind(
        "libraryitem",
        lookups.Kind(("title",), lambda item: f"{item.title} ({item.language})", (), _("items"), "library.LibraryItem"),
    )


def translatable_items(user):
    """The items a new item may translate: those the user reads."""
    return access.visible_items(user).order_by("title", "id")


@requires("library.propose")
@require_GET
def library_lookup_countries(request):
    if not access.can_propose_anywhere(request.user):
        raise PermissionDenied
    return lookups.respond(request, selectors.country_choices(), "jurisdiction")


@requires("library.propose")
@require_GET
def library_lookup_items(request):
    if not access.can_propose_anywhere(request.user):
        raise PermissionDenied
    return lookups.respond(request, translatable_items(request.user), "libraryitem")
