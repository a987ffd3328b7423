"""THE visibility rule of network membership.

* A membership (application, member, history) is seen by the users holding a role at its
  jurisdiction or above it (``scope_q``), which includes the facilitators of that area.
* A facilitator (or an administrator) whose grant covers the jurisdiction reviews it.
* A coordinator (local and above) of the jurisdiction applies on its behalf.
* The public list (``public_members``) shows members only: the authority's name, its country and
  the year it joined, nothing more.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from tandem.core import access as core_access
from tandem.core.models import Jurisdiction, Role

from .models import NetworkMembership, Status


def visible_memberships(actor: Any) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.filter(core_access.scope_q(actor)).select_related(
        "jurisdiction", "organisation", "focal_point"
    )


def public_members() -> QuerySet[NetworkMembership]:
    """Members for the public page (the page shows name, country and year only; its selector reads
    them with ``values_list``, so there is nothing to ``select_related``)."""
    return NetworkMembership.objects.filter(status=Status.MEMBER)


def reviewer_paths(actor: Any) -> list[str] | None:
    access = core_access.get_access(actor)
    if not access.is_active:
        return []
    if access.is_admin:
        return None
    return core_access._minimal_paths(g.path for g in access.grants if g.role == Role.FACILITATOR)


def can_review(actor: Any, jurisdiction: Jurisdiction) -> bool:
    paths = reviewer_paths(actor)
    return paths is None or any(jurisdiction.path.startswith(p) for p in paths)


def require_review(actor: Any, jurisdiction: Jurisdiction) -> None:
    if not can_review(actor, jurisdiction):
        raise PermissionDenied


def can_apply(actor: Any, jurisdiction: Jurisdiction) -> bool:
    return core_access.rank_at(actor, jurisdiction) >= core_access.COORDINATOR_RANK


def require_apply(actor: Any, jurisdiction: Jurisdiction) -> None:
    if not can_apply(actor, jurisdiction):
        raise PermissionDenied


def applicable_jurisdictions(actor: Any) -> QuerySet[Jurisdiction]:
    """Sub-national units the actor may apply for (coordinators, in their subtree, below country level)."""
    return core_access.managed_jurisdictions(actor).filter(depth__gte=2)
