"""Network memberships in the global search (``membership.access.visible_memberships``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import NetworkMembership


def _membership(m: NetworkMembership) -> SearchText:
    return SearchText(
        title=m.organisation.name,
        url_uuid=m.uuid,
        summary=m.jurisdiction.name,
        body=m.commitments,
        jurisdiction_id=m.jurisdiction_id,
        year=(m.joined_on or m.applied_on or m.created_at).year,
    )


SOURCES = [
    SearchSource(
        "network_membership",
        _("Network memberships"),
        "membership.NetworkMembership",
        access.visible_memberships,
        _membership,
        "membership_detail",
        rows=lambda: NetworkMembership.objects.select_related("organisation", "jurisdiction"),
        parents=(("core.Organisation", "organisation"), ("core.Jurisdiction", "jurisdiction")),
    ),
]
