"""Access rules of the coordination bodies (built on :mod:`tandem.core.access`).

* A body's existence, type, mandate and member organisations: every role in the
  body's country (``visible_bodies``).
* Its internals (meetings, minutes, decisions, action items, member contacts):
  current members (the user acts for a current member organisation, see
  ``user_organisation_ids``) and coordinators of its jurisdiction and above.
* Managing it (edit, members, seats, meetings): coordinators of its jurisdiction.
* Keeping its action log (adding action items, updating their owner, due date and
  status): those who manage it, and the current holder of its Secretariat seat
  (``action_log_q``): a person who is the holder, or who acts for the holding
  organisation. The keeper reads the log's items (``visible_action_items``) but not the
  meetings behind them (``meeting_visible`` is false for them) nor anything else inside.

Everything is filtered in SQL. Records the user may not see answer 404 exactly
like missing ones; a visible body whose internals are closed to the user
answers 403 on pages addressed by the body, 404 on records addressed by their
own identifier (they are simply not in the user's querysets).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core.access import COORDINATOR_RANK, Actor, get_access, get_visible_or_404, path_q
from tandem.core.idsets import InIdSet, compiled
from tandem.core.models import Organisation, Person

from .models import ActionItem, Body, Decision, Meeting, Membership, MinutesVersion, Seat, SeatHolding, SeatKind

# Core's rules that callers reach through this module.
rank_at = core_access.rank_at
user_organisation_ids = core_access.user_organisation_ids


def current_membership_q(prefix: str = "") -> Q:
    """Memberships current today (started, not ended)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def current_member_organisation_ids(body: Body) -> QuerySet:
    """Ids of the body's current member organisations, as a subquery (for plans and the exchange)."""
    return Membership.objects.filter(current_membership_q(), body=body).values("organisation_id")


def member_body_ids(actor: Actor) -> QuerySet:
    """Ids of the bodies where the actor acts for a current member organisation (a subquery)."""
    access = get_access(actor)
    if not access.is_authenticated:
        return Membership.objects.none().values("body_id")
    return Membership.objects.filter(
        current_membership_q(), organisation_id__in=access.organisation_ids(), body__archived_at__isnull=True
    ).values("body_id")


def _member_bodies_at_home(access: Any) -> QuerySet:
    """Ids of the bodies of the actor's countries (archived included) where they act for a current
    member organisation: the member part of ``internal_bodies``, as a one-column subquery."""
    return visible_bodies(access, include_archived=True).filter(id__in=member_body_ids(access)).values("id").order_by()


def internals_q(actor: Actor, prefix: str = "") -> Q:
    """Q on bodies (``prefix`` leads to the body, e.g. ``"body__"``): may the actor see internals?"""
    access = get_access(actor)
    if not access.is_authenticated:
        return Q(pk__in=[])
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return Q()
    condition = Q(**{f"{prefix}id__in" if prefix else "id__in": member_body_ids(access)})
    if paths:
        condition |= path_q(paths, f"{prefix}jurisdiction__path")
    return condition


def visible_bodies(actor: Actor, *, include_archived: bool = False) -> QuerySet[Body]:
    """Bodies in the actor's countries (existence, type, mandate, member organisations)."""
    access = get_access(actor)
    if not access.is_authenticated:
        return Body.objects.none()
    qs = Body.objects.filter(path_q(access.country_paths(), "jurisdiction__path")).select_related("jurisdiction")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def with_internals_flag(actor: Actor, bodies: QuerySet[Body]) -> QuerySet[Body]:
    """Annotate ``internals_visible`` (one SQL expression, no extra query)."""
    condition = internals_q(actor)
    if not condition:  # administrator: an empty Q
        return bodies.annotate(internals_visible=Value(True, output_field=BooleanField()))
    return bodies.annotate(
        internals_visible=Exists(Body.objects.filter(condition, pk=OuterRef("pk"))),
    )


def internal_bodies(actor: Actor) -> QuerySet[Body]:
    """Visible bodies whose internals the actor may see (built once per resolved access)."""
    access = get_access(actor)
    return access.memo(
        "bodies.internal_bodies", lambda: visible_bodies(access, include_archived=True).filter(internals_q(access))
    ).all()


def _internal_body_ids(actor: Actor) -> Any:
    """The ids of ``internal_bodies``, for ``body__in=``: the same subquery, compiled once per resolved
    access. A page applies the rule up to five times (meetings, minutes, decisions, action items and
    their ``meeting_visible``, in the home feed), and building, nesting and compiling it each time
    was most of the home page's CPU."""
    access = get_access(actor)
    return access.memo("bodies.internal_body_ids", lambda: compiled(_internal_body_id_set(access)))


def _internal_body_id_set(access: Any) -> QuerySet:
    """The ids of ``internal_bodies``. For a coordinator, as a UNION of the bodies under their
    coordination and the bodies of their countries they are a member of: each part read by its own
    index. Written as one ``OR`` (``internals_q``) the database joined every body of the country to
    its place to keep a region's (x10, a regional coordinator: 30,000 bodies for 150, 15 ms, paid
    by each query that holds the set). The same rows: a coordinator's places lie inside their
    countries, and both parts keep the country test. A coordinator of a whole country keeps the
    ``OR``: nearly every body of the country is theirs, and a UNION would sort them all to drop
    duplicates (x10, national meeting list 31 -> 96 ms)."""
    paths = access.scope_paths(COORDINATOR_RANK)
    if not paths or any(core_access.holds_a_country(path) for path in paths):
        # An administrator (every body), no coordinator role, or a country's coordinator: as written.
        return internal_bodies(access).values("id").order_by()
    below = visible_bodies(access, include_archived=True).filter(path_q(paths, "jurisdiction__path"))
    return _member_bodies_at_home(access).union(below.values("id").order_by())


def can_see_internals(actor: Actor, body: Body) -> bool:
    annotated = getattr(body, "internals_visible", None)
    if annotated is not None:
        return bool(annotated)
    access = get_access(actor)
    if access.rank_at(body.jurisdiction) >= COORDINATOR_RANK:
        return True
    return Body.objects.filter(pk=body.pk, id__in=member_body_ids(access)).exists()


def can_manage_body(actor: Actor, body: Body) -> bool:
    return get_access(actor).rank_at(body.jurisdiction) >= COORDINATOR_RANK


def current_holding_q(prefix: str = "") -> Q:
    """Seat holdings current today (started, not ended)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def action_log_q(actor: Actor, prefix: str = "") -> Q:
    """Q on bodies (``prefix`` leads to the body): the bodies whose action log the actor keeps.

    The actor currently holds the body's Secretariat seat: as the holding person (their
    own person record, not archived), or by acting for the holding organisation
    (``organisation_ids``: current affiliation or role on its behalf; never an archived
    organisation). The body is not archived; a deactivated user keeps nothing. Fails closed.
    """
    access = get_access(actor)
    if not access.is_active:
        return Q(pk__in=[])
    holder = Q(person__user_id=access.pk, person__archived_at__isnull=True) | Q(
        organisation_id__in=access.organisation_ids()
    )
    held = SeatHolding.objects.filter(
        current_holding_q(), holder, seat__kind=SeatKind.SECRETARIAT, seat__body__archived_at__isnull=True
    ).values("seat__body_id")
    return Q(**{f"{prefix}id__in" if prefix else "id__in": held})


def can_keep_action_log(actor: Actor, body: Body) -> bool:
    """Is the actor the current holder of the body's Secretariat seat (see ``action_log_q``)?"""
    if body.is_archived:
        return False
    return Body.objects.filter(action_log_q(actor), pk=body.pk).exists()


def action_item_writer_q(actor: Actor, prefix: str = "") -> Q:
    """Q on bodies: those the actor may add action items to (coordinators of the body's
    jurisdiction, and the keepers of its action log). For the choices of other apps' forms."""
    access = get_access(actor)
    if not access.is_active:
        return Q(pk__in=[])
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return Q()
    condition = action_log_q(access, prefix)
    if paths:
        condition |= path_q(paths, f"{prefix}jurisdiction__path")
    return condition


def can_add_action_items(actor: Actor, body: Body) -> bool:
    """Those who run the body, or keep its action log (an archived body takes none from a keeper)."""
    return can_manage_body(actor, body) or can_keep_action_log(actor, body)


def require_action_log(actor: Actor, body: Body) -> None:
    if not can_add_action_items(actor, body):
        raise PermissionDenied


def require_internals(actor: Actor, body: Body) -> None:
    if not can_see_internals(actor, body):
        raise PermissionDenied


def require_manage(actor: Actor, body: Body) -> None:
    if not can_manage_body(actor, body):
        raise PermissionDenied


def member_candidates(actor: Actor, body: Body) -> QuerySet[Organisation]:
    """Organisations a body's manager may seat: active ones anywhere in the body's country.

    A county forum seats national and provincial offices (the commissioner, the
    police command), which lie outside a local coordinator's directory scope;
    their names are offered only to those who manage the body. The user's own
    directory scope is offered too, so a choice from another country gets the
    service's clear refusal. Fails closed.
    """
    access = get_access(actor)
    if not can_manage_body(access, body):
        return Organisation.objects.none()
    return _country_organisations(access, body)


def owner_candidates(actor: Actor, body: Body) -> QuerySet[Organisation]:
    """Organisations that may own an action item of ``body``: as ``member_candidates``, offered
    to those who run the body and to the keeper of its action log. Fails closed."""
    access = get_access(actor)
    if not can_add_action_items(access, body):
        return Organisation.objects.none()
    return _country_organisations(access, body)


def _country_organisations(access: Any, body: Body) -> QuerySet[Organisation]:
    country = body.jurisdiction.country_path or body.jurisdiction.path
    in_scope = access.scope_q()  # the user's own directory (the service refuses other countries)
    condition = Q(jurisdiction__path__startswith=country) | in_scope if in_scope else Q()
    return Organisation.objects.filter(condition, archived_at__isnull=True).select_related("jurisdiction")


def visible_memberships(actor: Actor) -> QuerySet[Membership]:
    return Membership.objects.filter(body__in=visible_bodies(actor, include_archived=True).values("id")).select_related(
        "organisation", "person", "body"
    )


def visible_seats(actor: Actor) -> QuerySet[Seat]:
    return Seat.objects.filter(body__in=visible_bodies(actor, include_archived=True).values("id")).select_related(
        "body", "body__jurisdiction"
    )


def visible_seat_holdings(actor: Actor) -> QuerySet[SeatHolding]:
    """Who holds (held) a seat: read with the seat, by every role of the body's country."""
    return SeatHolding.objects.filter(seat__in=visible_seats(actor).values("id"))


def _inside(actor: Actor, field: str) -> Q | InIdSet:
    """``field`` (a body's id) is that of a body whose internals the actor sees (``internal_bodies``).

    For a reader of a few bodies (``_reads_few_bodies``), the set is read first and the rows are
    fetched through the field's index (x1, a member's meeting list: 44 -> 1.4 ms, a local
    coordinator's 32 -> 3.5 ms; the planner had joined all 50,000 meetings to their bodies before
    keeping those of the one body); a local coordinator's set is the UNION of ``_internal_body_id_set``
    (x10, their meeting list 55 -> 21 ms, the broad-word search 141 -> 97). A coordinator of regions
    keeps the hashed subquery (read first, the set cost the regional list 7.8 -> 11.2 ms). The same
    rows either way."""
    access = get_access(actor)
    if _reads_few_bodies(access, access.scope_paths(COORDINATOR_RANK)):
        return InIdSet(field, _internal_body_id_set(access))
    return Q(**{f"{field}__in": _internal_body_ids(access)})


def visible_meetings(actor: Actor) -> QuerySet[Meeting]:
    return Meeting.objects.filter(_inside(actor, "body_id")).select_related("body", "body__jurisdiction")


def visible_minutes(actor: Actor) -> QuerySet[MinutesVersion]:
    return MinutesVersion.objects.filter(_inside(actor, "meeting__body_id")).select_related(
        "meeting", "meeting__body", "meeting__body__jurisdiction", "approved_by"
    )


def visible_decisions(actor: Actor) -> QuerySet[Decision]:
    return Decision.objects.filter(_inside(actor, "meeting__body_id")).select_related("meeting", "meeting__body")


def visible_action_items(actor: Actor, *, for_display: bool = True) -> QuerySet[ActionItem]:
    """Items of the bodies whose internals the actor sees, and of those whose action log they keep.

    ``meeting_visible`` says whether the item's meeting and decision may be shown: false on an
    item the actor reads only as the keeper of the log (its meetings are internals).
    ``for_display=False``: the same rows, without that flag and the related records (for counts:
    an annotated queryset is counted through a subquery holding the rule twice).
    """
    access = get_access(actor)
    items = ActionItem.objects.filter(_action_item_body_rule(access, "body__"))
    return _for_display(access, items) if for_display else items


def visible_action_item_bodies(actor: Actor) -> QuerySet[Body]:
    """The bodies whose action items the actor reads: ``visible_action_items`` is exactly the items
    of these bodies (the rule is a rule on the item's body alone). For counts that group the items
    by body first and keep the groups of these bodies (one test per body, not per item)."""
    return Body.objects.filter(_action_item_body_rule(get_access(actor), ""))


def action_item_list_bodies(actor: Actor, *, body: Body | None = None, within: Any = None) -> QuerySet | None:
    """The bodies an action item list narrowed below a country can hold, as a subquery of ids, for
    reading its page body by body (``tandem.core.idsets.first_per_group``); None for a list that
    spans a country, read in its own order.

    A list of ``visible_action_items`` (filtered to ``within`` and below) spans a country when its
    reader coordinates a whole country or more (or administers) and no filter narrows it: nearly
    every item is theirs, and the list's index hands them over in order. A reader of a few bodies
    (``_reads_few_bodies``) has a rule that starts from those bodies already (as a set of ids, then
    their items by index: 1 to 3 ms at x1), and a list of one ``body`` starts from that body's
    items: None for both, for read per body the rule would be planned and run twice more, for
    nothing (x1, one body: 11 → 18 ms). Any other list (a region's coordinator, a national one
    working in a region or below) holds only the items of the bodies returned here
    (``visible_action_item_bodies``, in ``within``), scattered through the list's index. Only the
    shape of the query depends on it, never its rows.
    """
    access = get_access(actor)
    paths = access.scope_paths(COORDINATOR_RANK)
    if body is not None or _reads_few_bodies(access, paths):
        return None
    narrowed = within is not None and not core_access.holds_a_country(within.path)
    if not narrowed and (paths is None or any(core_access.holds_a_country(p) for p in paths)):
        return None
    bodies = visible_action_item_bodies(access)
    if within is not None:
        bodies = bodies.filter(jurisdiction__path__startswith=within.path)
    return bodies.values("id").order_by()


def visible_action_items_at(actor: Actor, places: Q) -> QuerySet[ActionItem]:
    """The items of ``visible_action_items(actor, for_display=False)`` whose body matches ``places``
    (a ``Q`` on Body, e.g. the dashboard's scope on its jurisdiction's path): the rule and the place
    tested once per body, each item then one test against that set of bodies (for counts over many
    items: the items' bodies and jurisdictions are not joined to each item)."""
    bodies = visible_action_item_bodies(actor).filter(places).values("id").order_by()
    return ActionItem.objects.filter(body__in=bodies)


def _action_item_body_rule(access: Any, prefix: str) -> Q:
    """``Q`` on the body at ``prefix`` (``"body__"`` from an item): its items are the actor's to read."""
    paths = access.scope_paths(COORDINATOR_RANK)
    if _reads_few_bodies(access, paths):
        # A member, partner or facilitator, or a local coordinator, sees a few bodies: one set of
        # body ids (a UNION of the bodies they are members of, those of their own unit and below,
        # and those whose log they keep: ``internal_bodies`` split at its OR, the same rows), which
        # the database reads first, estimating each part apart, and then fetches those bodies'
        # items by index (×1, a member's list: 160 → 40 ms). With the OR inside the set, it guessed
        # half of all bodies and read every item in index order to find one municipality's 85.
        visible = visible_bodies(access, include_archived=True)
        below = [visible.filter(path_q(paths, "jurisdiction__path")).values("id").order_by()] if paths else []
        kept = Body.objects.filter(action_log_q(access)).values("id").order_by()
        return Q(**{f"{prefix}id__in": _member_bodies_at_home(access).union(*below, kept)})
    if paths and all(core_access.holds_a_country(path) for path in paths):
        # A country's coordinator reads inside every body of that country, and inside those of other
        # countries they are a member of (``internal_bodies``: the same rows). The place is tested on
        # the item's own body, which the list joins anyway: as a set of ids, the country's 30,000
        # bodies were hashed before the first item was read (x10, the national list 102 -> 52 ms).
        return (
            path_q(paths, f"{prefix}jurisdiction__path")
            | Q(**{f"{prefix}id__in": _member_bodies_at_home(access)})
            | action_log_q(access, prefix)
        )
    internal = _internal_body_ids(access)
    # A coordinator (or an administrator) sees whole subtrees: two ORed tests, which PostgreSQL
    # hashes once and applies while it reads the items in the page's index order; as a UNION
    # it misjudged the set's size and sorted every item of the region (×1, regional list:
    # 441 → 100 ms). The same rows either way.
    return Q(**{f"{prefix}id__in": internal}) | action_log_q(access, prefix)


def _reads_few_bodies(access: Any, paths: list[str] | None) -> bool:
    """Whether the actor sees the internals of a few bodies only: no coordinator role (members,
    partners, facilitators), or coordinator roles of the local rank only (a municipality's bodies).
    Only the shape of the query depends on it, never its rows."""
    if paths is None:  # an administrator
        return False
    return all(grant.rank <= COORDINATOR_RANK for grant in access.grants)


_ITEM_DISPLAY = ("body", "body__jurisdiction", "meeting", "decision", "owner_organisation", "owner_person")


def _for_display(access: Any, items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return items.annotate(meeting_visible=_internals_on_row(access, "body__")).select_related(*_ITEM_DISPLAY)


def _internals_on_row(access: Any, prefix: str) -> Any:
    """Whether the actor sees the internals of the body at ``prefix`` (``internal_bodies``: in one of
    their countries, and a member's or under their coordination), tested on the row's own body and
    place, which ``_ITEM_DISPLAY`` joins anyway. ``body IN (internal bodies)`` hashed every one of
    them first: a national coordinator's 30,000 at x10, 20 ms, for a page of one item."""
    if not access.is_authenticated:
        return core_access.rule_flag(None)
    # An administrator: two empty Q(), every body's internals.
    return core_access.rule_flag(
        path_q(access.country_paths(), f"{prefix}jurisdiction__path") & internals_q(access, prefix)
    )


def body_action_items(actor: Actor, body: Body) -> QuerySet[ActionItem]:
    """``visible_action_items(actor)`` of ``body`` alone, for the body's page. A coordinator over the
    body's place sees inside it, so reads every item and its meeting: decided once from their grants,
    where the rule tested each item against every body of their subtree (x1, a national coordinator:
    the 3,000 bodies of the country hashed for one body's 20 open items)."""
    access = get_access(actor)
    if access.rank_at(body.jurisdiction) >= COORDINATOR_RANK:
        items = ActionItem.objects.filter(body=body)
        return items.annotate(meeting_visible=Value(True, output_field=BooleanField())).select_related(*_ITEM_DISPLAY)
    return visible_action_items(access).filter(body=body)


def my_action_items(actor: Actor, *, for_display: bool = True, owners_first: bool = False) -> QuerySet[ActionItem]:
    """Action items the actor owns: as their person, or for an organisation they act for.

    ``owners_first``: the same items, for a count over every item (the dashboard): the actor's
    organisations are read first (``Access.organisation_id_list``) and their person record is one
    value (a user has one at most), so PostgreSQL starts from the owner indexes, where the ``OR``
    of two subqueries left it none (it read all 250,000 items of the national dataset for 85).
    """
    access = get_access(actor)
    if not access.is_authenticated:
        return ActionItem.objects.none()
    if owners_first:
        person = Subquery(Person.objects.filter(user_id=access._user_pk()).values("pk")[:1])  # one at most
        mine: Q | InIdSet = Q(owner_person_id=person) | Q(owner_organisation_id__in=access.organisation_id_list())
    else:
        # The few owned items first (a UNION of two indexed reads: owner person, owner organisation,
        # as one id set), then the rule on them alone. An OR across a join, or an ``IN`` join beside
        # the six joins for display, made the database read every visible item first.
        as_person = ActionItem.objects.filter(Q(owner_person__user_id=access.pk)).values("id").order_by()
        for_organisation = (
            ActionItem.objects.filter(owner_organisation_id__in=access.organisation_ids()).values("id").order_by()
        )
        mine = InIdSet("id", as_person.union(for_organisation))
    return visible_action_items(access, for_display=for_display).filter(mine)


def get_body_or_404(actor: Actor, uuid: Any, *, include_archived: bool = True) -> Body:
    access = get_access(actor)
    return get_visible_or_404(
        with_internals_flag(access, visible_bodies(access, include_archived=include_archived)), uuid=uuid
    )


# --- Contact details: fellow members (registered with core as a ``contact_scope``) ------------


def fellow_member_contacts_q(actor: Actor) -> Q:
    """``Q`` on Person: people representing a current member of a body where the actor is a current member.

    The actor is a member through an organisation they act for (``organisation_ids``)
    or as a representative themselves. Both memberships must be current, and the
    body not archived. Core asks this of every app through the ``contact_scope`` hook.
    """
    access = get_access(actor)
    if not access.is_authenticated:
        return Q(pk__in=[])
    current = current_membership_q()
    user_bodies = Membership.objects.filter(
        current,
        Q(organisation_id__in=access.organisation_ids()) | Q(person__user_id=access.pk),
        body__archived_at__isnull=True,
    ).values("body_id")
    return Q(Exists(Membership.objects.filter(current, person_id=OuterRef("pk"), body_id__in=user_bodies)))


__all__ = [
    "action_item_writer_q",
    "action_log_q",
    "can_add_action_items",
    "can_keep_action_log",
    "can_manage_body",
    "can_see_internals",
    "current_member_organisation_ids",
    "current_holding_q",
    "current_membership_q",
    "fellow_member_contacts_q",
    "get_body_or_404",
    "internal_bodies",
    "internals_q",
    "member_body_ids",
    "my_action_items",
    "owner_candidates",
    "require_action_log",
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
