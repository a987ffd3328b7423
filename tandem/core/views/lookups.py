"""Lookup endpoints of the directory: matches for the search-as-you-type choice fields.

Each answers :func:`tandem.core.lookups.respond` over the same scoped queryset the
form views give the field, so a lookup never offers what the field would refuse.
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from .. import access, lookups
from ..permissions import requires


@requires("directory.view")
@require_GET
def lookup_organisations(request):
    return lookups.respond(request, access.visible_organisations(request.user).order_by("name", "id"), "organisation")


@requires("directory.view")
@require_GET
def lookup_people(request):
    return lookups.respond(request, access.visible_people(request.user).order_by("full_name", "id"), "person")


@requires("directory.view")
@require_GET
def lookup_jurisdictions(request):
    return lookups.respond(request, access.visible_jurisdictions(request.user), "jurisdiction")


@requires("directory.manage")
@require_GET
def lookup_managed_jurisdictions(request):
    return lookups.respond(request, access.managed_jurisdictions(request.user), "jurisdiction")


@requires("directory.manage")
@require_GET
def lookup_affiliation_organisations(request, uuid):
    """Organisations a person may be affiliated with: visible ones of the person's country."""
    person = access.get_visible_or_404(access.visible_people(request.user), uuid=uuid)
    access.require_rank(request.user, person.jurisdiction, access.COORDINATOR_RANK)
    return lookups.respond(request, affiliation_organisations(request.user, person), "organisation")


def affiliation_organisations(user, person):
    organisations = access.visible_organisations(user).order_by("name", "id")
    country = person.jurisdiction.country_path
    return organisations.filter(jurisdiction__path__startswith=country) if country else organisations
