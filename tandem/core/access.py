"""The one access layer. Every page and API endpoint reads scoped records here.

Rules (fail closed):

* A role is granted at a jurisdiction and covers its whole subtree.
* ``visible_*(user)`` return querysets already filtered in SQL: nothing outside
  the user's grants is ever loaded.
* ``get_visible_or_404`` answers a record outside the scope exactly like a
  missing one (same exception, same message).
* ``require_role`` answers too little role inside the scope with 403.

Views and API modules must not call ``Model.objects`` on scoped models; a test
scans the code for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Exists, Model, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from .models import (
    COORDINATOR_ROLES,
    Affiliation,
    ApiToken,
    AuditEvent,
    Jurisdiction,
    Organisation,
    Person,
    Role,
    RoleAssignment,
    User,
)

M = TypeVar("M", bound=Model)

ROLE_RANK: dict[str, int] = {
    Role.ADMINISTRATOR: 100,
    Role.NATIONAL_COORDINATOR: 80,
    Role.REGIONAL_COORDINATOR: 60,
    Role.LOCAL_COORDINATOR: 40,
    Role.MEMBER: 20,
    Role.PARTNER: 20,
    Role.FACILITATOR: 20,
    Role.VIEWER: 10,
}
COORDINATOR_RANK = ROLE_RANK[Role.LOCAL_COORDINATOR]
READ_RANK = ROLE_RANK[Role.VIEWER]

_CACHE_ATTR = "_tandem_grants"


@dataclass(frozen=True)
class Grant:
    role: str
    jurisdiction_id: int
    jurisdiction_uuid: Any
    jurisdiction_name: str
    path: str
    organisation_id: int | None

    @property
    def rank(self) -> int:
        return ROLE_RANK.get(self.role, 0)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def grants(user: Any) -> list[Grant]:
    """Active role grants of ``user`` (cached on the user object per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    rows = (
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        .filter(Q(jurisdiction__valid_to__isnull=True) | Q(jurisdiction__valid_to__gte=today))
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "role")
    )
    result = [
        Grant(
            role=r.role,
            jurisdiction_id=r.jurisdiction_id,
            jurisdiction_uuid=r.jurisdiction.uuid,
            jurisdiction_name=r.jurisdiction.name,
            path=r.jurisdiction.path,
            organisation_id=r.organisation_id,
        )
        for r in rows
    ]
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_admin(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(g.role == Role.ADMINISTRATOR for g in grants(user))


def _minimal_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths already covered by a shorter one (keeps the SQL small)."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(p) for p in result):
            result.append(path)
    return sorted(result)


def scope_paths(user: Any, min_rank: int = READ_RANK) -> list[str] | None:
    """Paths the user covers with at least ``min_rank``. ``None`` means everything."""
    if is_admin(user):
        return None
    return _minimal_paths(g.path for g in grants(user) if g.rank >= min_rank)


def path_q(paths: list[str] | None, field: str) -> Q:
    """``Q`` matching rows whose jurisdiction path starts with one of ``paths``.

    ``field`` is the lookup to the path column, e.g. ``"jurisdiction__path"``.
    ``None`` (administrator) matches all; an empty list matches nothing.
    """
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def scope_q(user: Any, field: str = "jurisdiction__path", min_rank: int = READ_RANK) -> Q:
    return path_q(scope_paths(user, min_rank), field)


def _country_prefix(path: str) -> str:
    """'/1/7/42/' -> '/1/7/' (the country's path); a network-level path stays as it is."""
    parts = path.strip("/").split("/")
    return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else path


def country_paths(user: Any) -> list[str] | None:
    """Paths of the countries the user holds any role in (``None``: administrator, everything).

    "Visible to every role in the country" (a body's existence, a GREEN item) is
    ``path_q(country_paths(user), field)``. A role at network level (above any
    country) covers the whole network, like ``scope_paths``.
    """
    if is_admin(user):
        return None
    return _minimal_paths(_country_prefix(g.path) for g in grants(user) if g.rank >= READ_RANK)


def rank_at(user: Any, jurisdiction: Jurisdiction) -> int:
    """Highest role rank the user holds over ``jurisdiction`` (0 if none)."""
    if is_admin(user):
        return ROLE_RANK[Role.ADMINISTRATOR]
    return max((g.rank for g in grants(user) if jurisdiction.path.startswith(g.path)), default=0)


def require_rank(user: Any, jurisdiction: Jurisdiction, min_rank: int) -> None:
    """403 when the user sees ``jurisdiction`` but lacks the rank to act on it."""
    if rank_at(user, jurisdiction) < min_rank:
        raise PermissionDenied


def can_manage(user: Any, jurisdiction: Jurisdiction) -> bool:
    """Coordinators (local and above) manage the directory of their subtree."""
    return rank_at(user, jurisdiction) >= COORDINATOR_RANK


def has_any_rank(user: Any, min_rank: int) -> bool:
    return is_admin(user) or any(g.rank >= min_rank for g in grants(user))


def require_any_rank(user: Any, min_rank: int) -> None:
    if not has_any_rank(user, min_rank):
        raise PermissionDenied


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """The object if it is in ``queryset`` (already scoped), else 404.

    A missing object and an object outside the scope give the same answer.
    """
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
    except Exception as exc:  # a malformed UUID raises ValidationError
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            raise Http404("Not found") from None
        raise


# --- Scoped querysets ----------------------------------------------------------


def visible_jurisdictions(user: Any) -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(scope_q(user, "path")).order_by("path")


def managed_jurisdictions(user: Any) -> QuerySet[Jurisdiction]:
    """Jurisdictions where the user may create and edit directory records."""
    return Jurisdiction.objects.filter(scope_q(user, "path", COORDINATOR_RANK)).order_by("path")


def visible_organisations(user: Any, *, include_archived: bool = False) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(scope_q(user)).select_related("jurisdiction", "parent")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def visible_people(user: Any, *, include_archived: bool = False) -> QuerySet[Person]:
    qs = Person.objects.filter(scope_q(user)).select_related("jurisdiction")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.annotate(contact_visible=contact_visibility_expression(user))


def visible_affiliations(user: Any) -> QuerySet[Affiliation]:
    return Affiliation.objects.filter(scope_q(user)).select_related("organisation", "person", "jurisdiction")


def visible_role_assignments(user: Any) -> QuerySet[RoleAssignment]:
    """Coordinators see assignments in their subtree; everyone sees their own."""
    qs = RoleAssignment.objects.select_related("user", "jurisdiction", "organisation", "granted_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    paths = scope_paths(user, COORDINATOR_RANK)
    if paths is None:
        return qs
    # Build the OR explicitly: an empty Q() OR'd with another Q narrows instead of widening.
    return qs.filter(path_q(paths, "jurisdiction__path") | Q(user=user)) if paths else qs.filter(user=user)


def visible_audit_events(user: Any) -> QuerySet[AuditEvent]:
    """Administrators see all; coordinators the events of their subtree about records they may see
    (each record by its own rule, see :mod:`tandem.core.audit_scope`)."""
    from .audit_scope import visible_audit_events as events  # it builds on this module

    return events(user)


def own_api_tokens(user: Any) -> QuerySet[ApiToken]:
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def visible_users(user: Any) -> QuerySet[User]:
    """Users who hold a role inside the coordinator's subtree (for role management)."""
    paths = scope_paths(user, COORDINATOR_RANK)
    if paths is None:
        return User.objects.filter(is_active=True)
    if not paths:
        return User.objects.filter(pk=user.pk)
    return User.objects.filter(
        path_q(paths, "role_assignments__jurisdiction__path"), role_assignments__revoked_at__isnull=True
    ).distinct()


# --- The organisations a user acts for -------------------------------------------------


def user_organisation_ids(user: Any) -> QuerySet[Organisation]:
    """Ids of the organisations ``user`` belongs to, as a subquery (``.values("id")``).

    A user belongs to an organisation through a current affiliation of their
    person record (no end date, or one not yet past) or through an active role
    assignment made on its behalf. Used by the bodies (who is a member) and the
    exchange (who are "the recipient organisation's users"). Fails closed: an
    anonymous user belongs to none.
    """
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none().values("id")
    today = timezone.localdate()
    affiliated = Affiliation.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), person__user_id=user.pk, person__archived_at__isnull=True
    ).values("organisation_id")
    on_behalf = RoleAssignment.objects.filter(
        user_id=user.pk, revoked_at__isnull=True, organisation_id__isnull=False
    ).values("organisation_id")
    return Organisation.objects.filter(Q(id__in=affiliated) | Q(id__in=on_behalf), archived_at__isnull=True).values(
        "id"
    )


# --- Contact details ---------------------------------------------------------------


def contact_visibility_expression(user: Any) -> Case | Value:
    """SQL expression: may ``user`` see this person's contact details?

    Coordinators of the person's jurisdiction (or above) and the person
    themselves. Computed in the database so list pages stay one query.
    """
    if not getattr(user, "is_authenticated", False):
        return Value(False, output_field=BooleanField())
    paths = scope_paths(user, COORDINATOR_RANK)
    if paths is None:
        return Value(True, output_field=BooleanField())
    condition = Q(user_id=user.pk) | Q(_fellow_body_member_exists(user))
    if paths:
        condition |= path_q(paths, "jurisdiction__path")
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _fellow_body_member_exists(user: Any) -> Exists:
    """Exists: the person (OuterRef) represents a current member of a body where the user is a current member.

    The user is a member through an organisation they act for (``user_organisation_ids``)
    or as a representative themselves. Both memberships must be current.
    """
    from tandem.bodies.models import Membership  # bodies builds on core: import late

    today = timezone.localdate()
    current = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    user_bodies = Membership.objects.filter(
        current,
        Q(organisation_id__in=user_organisation_ids(user)) | Q(person__user_id=user.pk),
        body__archived_at__isnull=True,
    ).values("body_id")
    return Exists(Membership.objects.filter(current, person_id=OuterRef("pk"), body_id__in=user_bodies))


def can_see_contact(user: Any, person: Person) -> bool:
    annotated = getattr(person, "contact_visible", None)
    if annotated is not None:
        return bool(annotated)
    if not getattr(user, "is_authenticated", False):
        return False
    if person.user_id == user.pk:
        return True
    if rank_at(user, person.jurisdiction) >= COORDINATOR_RANK:
        return True
    return Person.objects.filter(_fellow_body_member_exists(user), pk=person.pk).exists()


def assignable_roles(user: Any, jurisdiction: Jurisdiction) -> list[str]:
    """Roles ``user`` may grant at ``jurisdiction``: strictly below their own rank there."""
    rank = rank_at(user, jurisdiction)
    if rank < COORDINATOR_RANK:
        return []
    if rank >= ROLE_RANK[Role.ADMINISTRATOR]:
        return [r.value for r in Role]
    return [r.value for r in Role if ROLE_RANK[r] < rank]


__all__ = [
    "COORDINATOR_RANK",
    "COORDINATOR_ROLES",
    "Grant",
    "READ_RANK",
    "ROLE_RANK",
    "assignable_roles",
    "can_manage",
    "can_see_contact",
    "get_visible_or_404",
    "grants",
    "has_any_rank",
    "is_admin",
    "managed_jurisdictions",
    "rank_at",
    "require_any_rank",
    "require_rank",
    "scope_paths",
    "scope_q",
    "visible_affiliations",
    "visible_audit_events",
    "visible_jurisdictions",
    "visible_organisations",
    "visible_people",
    "visible_role_assignments",
    "visible_users",
]
