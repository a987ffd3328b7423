"""Access rules of the coordination bodies (built on :mod:`tandem.core.access`).

* A body's existence, type, mandate and member organisations: every role in the
  body's country (``visible_bodies``).
* Its internals (meetings, minutes, decisions, action items, member contacts):
  current members (the user acts for a current member organisation, see
  ``user_organisation_ids``) and coordinators of its jurisdiction and above.
* Managing it (edit, members, seats, meetings): coordinators of its jurisdiction.

Everything is filtered in SQL. Records the user may not see answer 404 exactly
like missing ones; a visible body whose internals are closed to the user
answers 403 on pages addressed by the body, 404 on records addressed by their
own identifier (they are simply not in the user's querysets).
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core.access import COORDINATOR_RANK, get_visible_or_404, path_q, rank_at, user_organisation_ids
from tandem.core.models import Organisation

from .models import ActionItem, Body, Decision, Meeting, Membership, MinutesVersion, Seat


def current_membership_q(prefix: str = "") -> Q:
    """Memberships current today (started, not ended)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def current_member_organisation_ids(body: Body) -> QuerySet:
    """Ids of the body's current member organisations, as a subquery (for plans and the exchange)."""
    return Membership.objects.filter(current_membership_q(), body=body).values("organisation_id")


def member_body_ids(user: Any) -> QuerySet:
    """Ids of the bodies where the user acts for a current member organisation (a subquery)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none().values("body_id")
    return Membership.objects.filter(
        current_membership_q(), organisation_id__in=user_organisation_ids(user), body__archived_at__isnull=True
    ).values("body_id")


def internals_q(user: Any, prefix: str = "") -> Q:
    """Q on bodies (``prefix`` leads to the body, e.g. ``"body__"``): may the user see internals?"""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    paths = core_access.scope_paths(user, COORDINATOR_RANK)
    if paths is None:
        return Q()
    condition = Q(**{f"{prefix}id__in" if prefix else "id__in": member_body_ids(user)})
    if paths:
        condition |= path_q(paths, f"{prefix}jurisdiction__path")
    return condition


def visible_bodies(user: Any, *, include_archived: bool = False) -> QuerySet[Body]:
    """Bodies in the user's countries (existence, type, mandate, member organisations)."""
    if not getattr(user, "is_authenticated", False):
        return Body.objects.none()
    qs = Body.objects.filter(path_q(core_access.country_paths(user), "jurisdiction__path")).select_related(
        "jurisdiction"
    )
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def with_internals_flag(user: Any, bodies: QuerySet[Body]) -> QuerySet[Body]:
    """Annotate ``internals_visible`` (one SQL expression, no extra query)."""
    condition = internals_q(user)
    if not condition:  # administrator: an empty Q
        return bodies.annotate(internals_visible=Value(True, output_field=BooleanField()))
    return bodies.annotate(
        internals_visible=Exists(Body.objects.filter(condition, pk=OuterRef("pk"))),
    )


def internal_bodies(user: Any) -> QuerySet[Body]:
    """Visible bodies whose internals the user may see."""
    return visible_bodies(user, include_archived=True).filter(internals_q(user))


def can_see_internals(user: Any, body: Body) -> bool:
    annotated = getattr(body, "internals_visible", None)
    if annotated is not None:
        return bool(annotated)
    if rank_at(user, body.jurisdiction) >= COORDINATOR_RANK:
        return True
    return Body.objects.filter(pk=body.pk, id__in=member_body_ids(user)).exists()


def can_manage_body(user: Any, body: Body) -> bool:
    return rank_at(user, body.jurisdiction) >= COORDINATOR_RANK


def require_internals(user: Any, body: Body) -> None:
    from django.core.exceptions import PermissionDenied

    if not can_see_internals(user, body):
        raise PermissionDenied


def require_manage(user: Any, body: Body) -> None:
    from django.core.exceptions import PermissionDenied

    if not can_manage_body(user, body):
        raise PermissionDenied


def member_candidates(user: Any, body: Body) -> QuerySet[Organisation]:
    """Organisations a body's manager may seat: active ones anywhere in the body's country.

    A county forum seats national and provincial offices (the commissioner, the
    police command), which lie outside a local coordinator's directory scope;
    their names are offered only to those who manage the body. The user's own
    directory scope is offered too, so a choice from another country gets the
    service's clear refusal. Fails closed.
    """
    if not can_manage_body(user, body):
        return Organisation.objects.none()
    country = body.jurisdiction.country_path or body.jurisdiction.path
    in_scope = core_access.scope_q(user)  # the user's own directory (the service refuses other countries)
    condition = Q(jurisdiction__path__startswith=country) | in_scope if in_scope else Q()
    return Organisation.objects.filter(condition, archived_at__isnull=True).select_related("jurisdiction")


def visible_memberships(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(body__in=visible_bodies(user, include_archived=True).values("id")).select_related(
        "organisation", "person", "body"
    )


def visible_seats(user: Any) -> QuerySet[Seat]:
    return Seat.objects.filter(body__in=visible_bodies(user, include_archived=True).values("id")).select_related(
        "body", "body__jurisdiction"
    )


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=internal_bodies(user).values("id")).select_related(
        "body", "body__jurisdiction"
    )


def visible_minutes(user: Any) -> QuerySet[MinutesVersion]:
    return MinutesVersion.objects.filter(meeting__body__in=internal_bodies(user).values("id")).select_related(
        "meeting", "meeting__body", "meeting__body__jurisdiction", "approved_by"
    )


def visible_decisions(user: Any) -> QuerySet[Decision]:
    return Decision.objects.filter(meeting__body__in=internal_bodies(user).values("id")).select_related(
        "meeting", "meeting__body"
    )


def visible_action_items(user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(body__in=internal_bodies(user).values("id")).select_related(
        "body", "body__jurisdiction", "meeting", "decision", "owner_organisation", "owner_person"
    )


def my_action_items(user: Any) -> QuerySet[ActionItem]:
    """Action items the user owns: as their person, or for an organisation they act for."""
    if not getattr(user, "is_authenticated", False):
        return ActionItem.objects.none()
    mine = Q(owner_person__user_id=user.pk) | Q(owner_organisation_id__in=user_organisation_ids(user))
    return visible_action_items(user).filter(mine)


def get_body_or_404(user: Any, uuid: Any, *, include_archived: bool = True) -> Body:
    return get_visible_or_404(
        with_internals_flag(user, visible_bodies(user, include_archived=include_archived)), uuid=uuid
    )


__all__ = [
    "can_manage_body",
    "can_see_internals",
    "current_member_organisation_ids",
    "current_membership_q",
    "get_body_or_404",
    "internal_bodies",
    "internals_q",
    "member_body_ids",
    "my_action_items",
    "require_internals",
    "require_manage",
    "visible_action_items",
    "visible_bodies",
    "visible_decisions",
    "visible_meetings",
    "visible_memberships",
    "visible_minutes",
    "with_internals_flag",
]
