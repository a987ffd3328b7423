"""The one access layer. Every page and API endpoint reads scoped records here.

Rules (fail closed):

* A role is granted at a jurisdiction and covers its whole subtree.
* ``visible_*(actor)`` return querysets already filtered in SQL: nothing outside
  the actor's grants is ever loaded.
* ``get_visible_or_404`` answers a record outside the scope exactly like a
  missing one (same exception, same message).
* ``require_role`` answers too little role inside the scope with 403.

Resolved once: ``get_access(actor)`` turns a user (or ``None``, an anonymous
user, or an :class:`Access` already) into the one :class:`Access` of that user
object: its grants are read with one query, and what is derived from them
(administrator or not, the paths covered at each rank, the countries) is
computed once and memoised. ``AccessMiddleware`` puts it on ``request.access``.
Every function here and in the apps' ``access`` modules takes an ``actor``, a
user or an :class:`Access`, and goes through ``get_access``; repeated calls
within a request neither query nor derive again. ``forget_grants`` drops what
was resolved (after a role is granted or revoked).

Views and API modules must not call ``Model.objects`` on scoped models; a test
scans the code for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Model, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.functional import LazyObject

from . import registry
from .models import (
    COORDINATOR_ROLES,
    Affiliation,
    ApiToken,
    Invitation,
    Jurisdiction,
    Organisation,
    Person,
    Role,
    RoleAssignment,
    User,
)
from .prepared import Prepared

M = TypeVar("M", bound=Model)
T = TypeVar("T")

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
ADMIN_RANK = ROLE_RANK[Role.ADMINISTRATOR]
COORDINATOR_RANK = ROLE_RANK[Role.LOCAL_COORDINATOR]
READ_RANK = ROLE_RANK[Role.VIEWER]

_ACCESS_ATTR = "_tandem_access"


@dataclass(frozen=True)
class Grant:
    role: str
    jurisdiction_id: int
    jurisdiction_uuid: uuid.UUID
    jurisdiction_name: str
    path: str
    organisation_id: int | None

    @property
    def rank(self) -> int:
        return ROLE_RANK.get(self.role, 0)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def _minimal_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths already covered by a shorter one (keeps the SQL small)."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(p) for p in result):
            result.append(path)
    return sorted(result)


def _country_prefix(path: str) -> str:
    """'/1/7/42/' -> '/1/7/' (the country's path); a network-level path stays as it is."""
    return "/" + "/".join(path.strip("/").split("/")[:2]) + "/"


def holds_a_country(path: str) -> bool:
    """Whether the jurisdiction at ``path`` is a whole country or more (the network): '/1/7/', '/1/'."""
    return _country_prefix(path) == path


# Every request reads the actor's grants: compiled once (tandem.core.prepared), ordered by path and role.
_GRANT_ROWS = Prepared(
    RoleAssignment,
    lambda user_id: (
        RoleAssignment.objects.filter(user_id=user_id, revoked_at__isnull=True)
        .order_by("jurisdiction__path", "role")
        .values_list(
            "role",
            "jurisdiction_id",
            "jurisdiction__uuid",
            "jurisdiction__name",
            "jurisdiction__path",
            "organisation_id",
            "jurisdiction__valid_to",
        )
    ),
    args=(int,),
)


class Access:
    """What one user may reach, resolved once (build it with :func:`get_access`).

    ``user`` is the user object (``None`` for an anonymous visitor). The grants
    are read on first use with one query; the derived figures are memoised. The
    user's ``is_active`` is read live, so a deactivated user loses everything at
    once. Lists returned are copies: changing them changes nothing here.
    """

    def __init__(self, user: User | None) -> None:
        self.user = user
        self._grants: list[Grant] | None = None
        self._scope: dict[int, tuple[str, ...] | None] = {}
        self._countries: tuple[str, ...] | None = None
        self._organisation_ids: QuerySet[Organisation, Any] | None = None
        self._organisation_id_list: list[int] | None = None
        self._ranks: tuple[bool, int] | None = None  # (administrator, highest rank) of the grants
        self._memo: dict[str, Any] = {}  # what the apps derive from the grants (``memo``)

    def __repr__(self) -> str:
        return f"<Access of {self.user!r}>"

    # --- who ---------------------------------------------------------------------------

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_active(self) -> bool:
        """Signed in with an active account (an inactive one holds no grant)."""
        return self.is_authenticated and bool(getattr(self.user, "is_active", False))

    @property
    def pk(self) -> int | None:
        """The user's primary key (``None`` when anonymous)."""
        return self.user.pk if self.is_authenticated and self.user is not None else None

    def _user_pk(self) -> int:
        """The primary key of a user known to be signed in (a programming error otherwise)."""
        if self.user is None or self.user.pk is None:
            raise ValueError("no signed-in user")  # pragma: no mutate - a programming error's message
        return int(self.user.pk)

    def refresh(self) -> None:
        """Forget what was resolved (the next use reads the grants again)."""
        self._grants = None
        self._scope = {}
        self._countries = None
        self._organisation_ids = None
        self._organisation_id_list = None
        self._ranks = None
        self._memo = {}

    # --- grants ------------------------------------------------------------------------

    @property
    def grants(self) -> list[Grant]:
        """Active role grants, ordered by jurisdiction path and role (one query, then memoised)."""
        if not self.is_active:
            return []
        if self._grants is None:
            today = timezone.localdate()
            self._grants = [
                Grant(
                    role=role,
                    jurisdiction_id=jurisdiction_id,
                    jurisdiction_uuid=jurisdiction_uuid,
                    jurisdiction_name=name,
                    path=path,
                    organisation_id=organisation_id,
                )
                for role, jurisdiction_id, jurisdiction_uuid, name, path, organisation_id, valid_to in _GRANT_ROWS.rows(
                    self._user_pk()
                )
                # A jurisdiction that ceased to exist before today grants nothing (compared here, so the
                # compiled query takes the user alone).
                if valid_to is None or valid_to >= today
            ]
        return self._grants

    def _admin_and_top_rank(self) -> tuple[bool, int]:
        """Whether a grant is the administrator's, and the highest rank: memoised with the grants
        (the navigation and every permission check ask, a dozen times a page)."""
        grants = self.grants
        if not grants:  # anonymous or deactivated (read live): nothing
            return False, 0
        if self._ranks is None:
            self._ranks = (any(g.role == Role.ADMINISTRATOR for g in grants), max(g.rank for g in grants))
        return self._ranks

    @property
    def is_admin(self) -> bool:
        return self._admin_and_top_rank()[0]

    def grant_paths(self, min_rank: int = READ_RANK) -> list[str]:
        """Paths of the grants of at least ``min_rank`` (not reduced, in grant order)."""
        return [g.path for g in self.grants if g.rank >= min_rank]

    def scope_paths(self, min_rank: int = READ_RANK) -> list[str] | None:
        """Paths the user covers with at least ``min_rank``. ``None`` means everything (administrator)."""
        if not self.is_active:
            return []
        if min_rank not in self._scope:
            self._scope[min_rank] = None if self.is_admin else tuple(_minimal_paths(self.grant_paths(min_rank)))
        paths = self._scope[min_rank]
        return None if paths is None else list(paths)

    def country_paths(self) -> list[str] | None:
        """Paths of the countries the user holds any role in (``None``: administrator, everything).

        "Visible to every role in the country" (a body's existence, a GREEN item) is
        ``path_q(access.country_paths(), field)``. A role at network level (above any
        country) covers the whole network, like ``scope_paths``.
        """
        if self.is_admin:
            return None
        if not self.is_active:
            return []
        if self._countries is None:
            self._countries = tuple(_minimal_paths(_country_prefix(p) for p in self.grant_paths(READ_RANK)))
        return list(self._countries)

    def rank_at_path(self, path: str) -> int:
        """Highest role rank the user holds over the jurisdiction at ``path`` (0 if none)."""
        if self.is_admin:
            return ADMIN_RANK
        return max((g.rank for g in self.grants if path.startswith(g.path)), default=0)

    def rank_at(self, jurisdiction: Jurisdiction) -> int:
        """Highest role rank the user holds over ``jurisdiction`` (0 if none)."""
        return self.rank_at_path(jurisdiction.path)

    def has_any_rank(self, min_rank: int) -> bool:
        admin, top = self._admin_and_top_rank()
        return admin or top >= min_rank

    def can_manage(self, jurisdiction: Jurisdiction) -> bool:
        """Coordinators (local and above) manage the directory of their subtree."""
        return self.rank_at(jurisdiction) >= COORDINATOR_RANK

    def scope_q(self, field: str = "jurisdiction__path", min_rank: int = READ_RANK) -> Q:
        return path_q(self.scope_paths(min_rank), field)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, built once per resolved access (a request) and kept under ``key``.

        For what an app derives from this user's grants and nothing else that could change within
        the request (a rule's queryset, its compiled subquery: the database reads the rows when the
        query runs). Kept on this :class:`Access` only, so one user's value never serves another;
        dropped with the grants (``refresh``, ``forget_grants``); never kept for a user not signed in
        and active (``is_active`` is read live: a deactivated user gets ``build()`` anew, which fails
        closed). Every caller shares the value: keep what nobody changes (hand out ``qs.all()``).
        """
        if not self.is_active:
            return build()
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def shared_subqueries(self) -> list[Any]:
        """The subqueries compiled once in ``memo`` (``tandem.core.idsets.compiled``: a ``RawSQL``) so
        far in this request: a statement that holds one several times may read it once instead
        (``tandem.search.selectors``)."""
        return [value for value in self._memo.values() if isinstance(value, RawSQL)]

    # --- organisations acted for --------------------------------------------------------

    def organisation_ids(self) -> QuerySet[Organisation, Any]:
        """Ids of the organisations the user belongs to, as a subquery (``.values("id")``).

        A user belongs to an organisation through a current affiliation of their
        person record (no end date, or one not yet past) or through an active role
        assignment made on its behalf; an archived organisation counts for no one.
        Used by the bodies (who is a member) and the exchange (who are "the recipient
        organisation's users"). Fails closed: an anonymous user belongs to none.
        A subquery, evaluated by the database with the query it is part of: built once
        per resolved access (a request), each call returns a fresh copy of it.
        """
        if not self.is_authenticated:
            return Organisation.objects.none().values("id")
        if self._organisation_ids is None:
            self._organisation_ids = self._build_organisation_ids()
        return self._organisation_ids.all()

    def organisation_id_list(self) -> list[int]:
        """The same ids, read now (one query, once per resolved access). For counts over many
        records: a list is one test per record, where PostgreSQL may plan the subquery again for
        each record it tests (a member's dashboard ran it for 18,000 exchange items)."""
        if not self.is_authenticated:
            return []
        if self._organisation_id_list is None:
            self._organisation_id_list = sorted(self.organisation_ids().values_list("id", flat=True))
        return list(self._organisation_id_list)

    def _build_organisation_ids(self) -> QuerySet[Organisation, Any]:
        today = timezone.localdate()
        pk = self._user_pk()
        affiliated = (
            Affiliation.objects.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today), person__user_id=pk, person__archived_at__isnull=True
            )
            .values("organisation_id")
            .order_by()
        )
        on_behalf = (
            RoleAssignment.objects.filter(user_id=pk, revoked_at__isnull=True, organisation_id__isnull=False)
            .values("organisation_id")
            .order_by()
        )
        # One set of ids (a UNION), not two ORed ``IN`` tests: the database reads the few ids
        # first and fetches those organisations by primary key, instead of testing every
        # organisation of the country against both subqueries.
        return Organisation.objects.filter(id__in=affiliated.union(on_behalf), archived_at__isnull=True).values("id")


Actor: TypeAlias = "Access | User | AnonymousUser | None"
"""Who acts: a user (signed in or not), nobody, or their resolved :class:`Access`."""

_ANONYMOUS = Access(None)


def get_access(actor: Actor) -> Access:
    """The one :class:`Access` of ``actor`` (cached on the user object: resolved once per request)."""
    if isinstance(actor, Access):
        if isinstance(actor, LazyObject):  # request.access: isinstance() resolved it (through __class__)
            return actor._wrapped
        return actor
    if actor is None or isinstance(actor, AnonymousUser) or not getattr(actor, "is_authenticated", False):
        return _ANONYMOUS
    cached = getattr(actor, _ACCESS_ATTR, None)
    if isinstance(cached, Access):
        return cached
    resolved = Access(actor)
    setattr(actor, _ACCESS_ATTR, resolved)
    return resolved


def request_access(request: HttpRequest) -> Access:
    """``request.access`` (set by ``AccessMiddleware``), or resolved from ``request.user`` without it."""
    resolved = getattr(request, "access", None)
    if resolved is not None:
        return get_access(resolved)
    return get_access(getattr(request, "user", None))


def forget_grants(actor: Actor) -> None:
    """Forget what was resolved for ``actor``: call after granting or revoking one of its roles."""
    if isinstance(actor, Access):
        actor.refresh()
        return
    cached = getattr(actor, _ACCESS_ATTR, None)
    if isinstance(cached, Access):
        cached.refresh()


# --- The functions every caller uses (each takes a user or an Access) -------------------------


def grants(actor: Actor) -> list[Grant]:
    """Active role grants of ``actor`` (resolved once per user object)."""
    return get_access(actor).grants


def is_admin(actor: Actor) -> bool:
    return get_access(actor).is_admin


def scope_paths(actor: Actor, min_rank: int = READ_RANK) -> list[str] | None:
    """Paths the actor covers with at least ``min_rank``. ``None`` means everything."""
    return get_access(actor).scope_paths(min_rank)


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


def rule_flag(rule: Q | None) -> Case | Value:
    """``rule`` as a yes/no column of each row (an annotation): ``None`` no row (an anonymous reader), an
    empty ``Q()`` every row (an administrator), otherwise the rule tested on the row itself, a row it
    cannot decide (a missing related record) no. Tested where each row is read, this costs nothing per
    row left out by the page, where ``IN (visible records)`` reads all of them first."""
    if rule is None:
        return Value(False, output_field=BooleanField())
    if not rule:
        return Value(True, output_field=BooleanField())
    return Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())


def scope_q(actor: Actor, field: str = "jurisdiction__path", min_rank: int = READ_RANK) -> Q:
    return get_access(actor).scope_q(field, min_rank)


def country_paths(actor: Actor) -> list[str] | None:
    """Paths of the countries the actor holds any role in (``None``: administrator, everything)."""
    return get_access(actor).country_paths()


def rank_at(actor: Actor, jurisdiction: Jurisdiction) -> int:
    """Highest role rank the actor holds over ``jurisdiction`` (0 if none)."""
    return get_access(actor).rank_at(jurisdiction)


def require_rank(actor: Actor, jurisdiction: Jurisdiction, min_rank: int) -> None:
    """403 when the actor sees ``jurisdiction`` but lacks the rank to act on it."""
    if get_access(actor).rank_at(jurisdiction) < min_rank:
        raise PermissionDenied


def can_manage(actor: Actor, jurisdiction: Jurisdiction) -> bool:
    """Coordinators (local and above) manage the directory of their subtree."""
    return get_access(actor).can_manage(jurisdiction)


def has_any_rank(actor: Actor, min_rank: int) -> bool:
    return get_access(actor).has_any_rank(min_rank)


def require_any_rank(actor: Actor, min_rank: int) -> None:
    if not has_any_rank(actor, min_rank):
        raise PermissionDenied


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """The object if it is in ``queryset`` (already scoped), else 404.

    A missing object and an object outside the scope give the same answer.
    """
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        # A malformed UUID raises ValidationError: the same answer as a missing record.
        raise Http404("Not found") from None  # pragma: no mutate - neither 404 page nor API shows it


# --- Scoped querysets ----------------------------------------------------------


def visible_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(scope_q(actor, "path")).order_by("path")


def managed_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    """Jurisdictions where the actor may create and edit directory records."""
    return Jurisdiction.objects.filter(scope_q(actor, "path", COORDINATOR_RANK)).order_by("path")


def visible_organisations(actor: Actor, *, include_archived: bool = False) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(scope_q(actor)).select_related("jurisdiction", "parent")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def visible_people(actor: Actor, *, include_archived: bool = False, contacts: bool = True) -> QuerySet[Person]:
    """People in the actor's scope, each with ``contact_visible`` (may their contact details be shown);
    ``contacts=False``: the same rows without that flag (a count, which does not need its rules)."""
    qs = Person.objects.filter(scope_q(actor)).select_related("jurisdiction")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if not contacts:
        return qs
    return qs.annotate(contact_visible=contact_visibility_expression(actor))


def visible_affiliations(actor: Actor) -> QuerySet[Affiliation]:
    return Affiliation.objects.filter(scope_q(actor)).select_related("organisation", "person", "jurisdiction")


def visible_role_assignments(actor: Actor) -> QuerySet[RoleAssignment]:
    """Coordinators see assignments in their subtree; everyone sees their own."""
    access = get_access(actor)
    qs = RoleAssignment.objects.select_related("user", "jurisdiction", "organisation", "granted_by")
    if not access.is_authenticated:
        return qs.none()
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return qs
    # A viewer, member or partner has no coordinator path: path_q([]) matches nothing, and the OR
    # leaves their own assignments.
    return qs.filter(path_q(paths, "jurisdiction__path") | Q(user_id=access._user_pk()))


def visible_invitations(actor: Actor) -> QuerySet[Invitation]:
    """Invitations into the jurisdictions the actor coordinates (where they could have sent them)."""
    return Invitation.objects.filter(scope_q(actor, "jurisdiction__path", COORDINATOR_RANK)).select_related(
        "jurisdiction", "organisation", "invited_by", "person"
    )


def own_api_tokens(actor: Actor) -> QuerySet[ApiToken]:
    access = get_access(actor)
    if not access.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=access._user_pk())


def visible_users(actor: Actor) -> QuerySet[User]:
    """Users who hold a role inside the coordinator's subtree (for role management)."""
    access = get_access(actor)
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return User.objects.filter(is_active=True)
    if not paths:
        return User.objects.filter(pk=access.pk) if access.pk is not None else User.objects.none()
    return User.objects.filter(
        path_q(paths, "role_assignments__jurisdiction__path"), role_assignments__revoked_at__isnull=True
    ).distinct()


# --- The organisations an actor acts for -------------------------------------------------


def user_organisation_ids(actor: Actor) -> QuerySet[Organisation, Any]:
    """Ids of the organisations ``actor`` belongs to, as a subquery (see ``Access.organisation_ids``)."""
    return get_access(actor).organisation_ids()


# --- Contact details ---------------------------------------------------------------


def _contact_scope_q(access: Access) -> Q:
    """People whose contact details the apps open to ``access`` (``contact_scope`` hooks), or an empty Q."""
    condition = Q()
    for scope in registry.functions("contact_scope"):
        condition |= scope(access)
    return condition


def contact_visibility_expression(actor: Actor) -> Case | Value:
    """SQL expression: may ``actor`` see this person's contact details?

    Coordinators of the person's jurisdiction (or above), the person themselves,
    and whom the apps open (``contact_scope`` hooks: e.g. fellow members of a body).
    Computed in the database so list pages stay one query.
    """
    access = get_access(actor)
    if not access.is_authenticated:
        return rule_flag(None)
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return rule_flag(Q())
    # The cheap tests first: the database stops at the first true one, so the apps' scopes
    # (subqueries) are not even built for a list of people the coordinator's paths already cover.
    condition = path_q(paths, "jurisdiction__path") if paths else Q()
    condition |= Q(user_id=access._user_pk())
    extra = _contact_scope_q(access)
    if extra:
        condition |= extra
    return rule_flag(condition)


def can_see_contact(actor: Actor, person: Person) -> bool:
    annotated = getattr(person, "contact_visible", None)
    if annotated is not None:
        return bool(annotated)
    access = get_access(actor)
    if not access.is_authenticated:
        return False
    if person.user_id == access.pk:
        return True
    if access.rank_at(person.jurisdiction) >= COORDINATOR_RANK:
        return True
    extra = _contact_scope_q(access)
    return bool(extra) and Person.objects.filter(extra, pk=person.pk).exists()


def assignable_roles(actor: Actor, jurisdiction: Jurisdiction) -> list[str]:
    """Roles ``actor`` may grant at ``jurisdiction``: strictly below their own rank there."""
    rank = rank_at(actor, jurisdiction)
    if rank < COORDINATOR_RANK:
        return []
    if rank >= ADMIN_RANK:
        return [r.value for r in Role]
    return [r.value for r in Role if ROLE_RANK[r] < rank]


__all__ = [
    "ADMIN_RANK",
    "COORDINATOR_RANK",
    "COORDINATOR_ROLES",
    "READ_RANK",
    "ROLE_RANK",
    "Access",
    "Actor",
    "Grant",
    "assignable_roles",
    "can_manage",
    "can_see_contact",
    "contact_visibility_expression",
    "country_paths",
    "forget_grants",
    "get_access",
    "get_visible_or_404",
    "grants",
    "has_any_rank",
    "is_admin",
    "managed_jurisdictions",
    "own_api_tokens",
    "path_q",
    "rule_flag",
    "rank_at",
    "request_access",
    "require_any_rank",
    "require_rank",
    "scope_paths",
    "scope_q",
    "user_organisation_ids",
    "visible_affiliations",
    "visible_invitations",
    "visible_jurisdictions",
    "visible_organisations",
    "visible_people",
    "visible_role_assignments",
    "visible_users",
]
