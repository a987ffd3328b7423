"""THE visibility rule of the exchange. Every list, detail, search, count, export,
notification, attachment download, reply and API endpoint goes through here.

``item_q(user)`` is the one rule, as SQL. ``visible_items`` filters with it,
``can_see`` asks the database with it, and ``audience_users`` computes the same
rule from the other side (which users satisfy it) for the preview and the
notifications; a test checks the two sides agree for every persona and label.

Rules (TLP 2.0; the label governs what *recipients* may share next, it never
widens the audience to supervising levels):

* the sender always reads their own items (and alone sees their drafts);
* named people (recipient users) read items of every label;
* RED: nobody else;
* AMBER+STRICT and AMBER: exactly the recipients the sender chose: also the
  users of the recipient organisations (current affiliation or a role on their
  behalf, organisation not archived) and the coordinators holding a role *at* a
  recipient jurisdiction (not above it). A level above reads the item only if the
  sender addresses it (its jurisdiction, its organisation or its people);
* AMBER only: a recipient may **forward** the item (see :func:`forward_organisations`,
  :func:`forward_people` and ``services.forwarding``). A forward adds recipient rows (organisations or
  named people) marked with who forwarded them and when; those rows then count
  like the sender's own (they are exactly "the recipients"). AMBER+STRICT and RED
  cannot be forwarded; GREEN and CLEAR need no forwarding;
* GREEN: every user with a role in the sender's country (its community);
* CLEAR: every signed-in user of the network, i.e. holding an active role
  anywhere in it (any country, the network administrators included).

Forwarding, precisely. Who may forward an AMBER item: a *direct* recipient, i.e.
a user named on it by the sender, a user of an organisation the sender addressed,
or a coordinator holding a role at a jurisdiction the sender addressed (people who
received it through a forward do not forward it further: one hop). Where to: the
people their organisation works with inside its own jurisdiction, i.e. live
organisations, and people with a user account, located in the subtree of the
forwarder's *forwarding area*: the jurisdictions of the organisations the forwarder
acts for, and the jurisdictions where the forwarder holds a coordinator role.
Never above it, never in another country.

Fail closed: an administrator's network-wide grant does not count as a country
role nor as a coordinator at a unit, so administrators follow the same rules as
everyone else through their other roles (they do not read RED, AMBER+STRICT or
AMBER content by virtue of being administrators; they read CLEAR like every
user of the network).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import In
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core.models import Affiliation, Jurisdiction, Organisation, Role, RoleAssignment

from .models import ExchangeItem, ItemRecipient, ReadLog, SharingAgreement, Tlp

EXCHANGE_WRITE_RANK = core_access.ROLE_RANK[Role.MEMBER]  # any role above "viewer" may send items
COORDINATOR_ROLES_FOR_TLP = (Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.LOCAL_COORDINATOR)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _country_grants(user: Any) -> list[core_access.Grant]:
    """The user's grants at country level or below (a network-wide grant is not a country role)."""
    return [g for g in core_access.grants(user) if len(g.path.strip("/").split("/")) >= 2]


def _coordinator_grants(user: Any) -> list[core_access.Grant]:
    return [g for g in _country_grants(user) if g.role in COORDINATOR_ROLES_FOR_TLP]


def _country_prefixes(user: Any) -> list[str]:
    return sorted({"/" + "/".join(g.path.strip("/").split("/")[:2]) + "/" for g in _country_grants(user)})


def _recipient_items(condition: Q, *labels: str) -> Exists:
    """Some recipient row of the item matches ``condition`` (and, if ``labels`` are given, the
    item carries one of them): a correlated ``EXISTS``.

    Not ``pk IN (subquery)``: ORed with the other branches of :func:`item_q`, an ``IN`` is a
    subplan whose whole result PostgreSQL hashes before the first row (for a national
    coordinator, every item addressed to the country; once it outgrows ``work_mem`` it is
    rescanned for every item). The label test on the outer item keeps this ``EXISTS`` from
    being turned back into that hashed ``IN``: it is probed per item through the recipients'
    ``item_id`` index, and only for items with those labels, so a page of 25 reads about 25
    items' recipients whatever the size of the exchange.
    """
    rows = ItemRecipient.objects.filter(condition, item_id=OuterRef("pk"))
    if labels:
        rows = rows.filter(In(OuterRef("tlp"), list(labels)))
    return Exists(rows)


def item_q(user: Any, *, many: bool = False) -> Q:
    """The visibility rule as a ``Q`` on ExchangeItem (see the module docstring).

    ``many``: for a count over many items (the dashboard). The same rule, with the user's
    organisations read first (``Access.organisation_id_list``) and tested as a list of ids:
    PostgreSQL otherwise ran their subquery again for each AMBER item it tested. And the AMBER
    test is an ``EXISTS`` without the label inside (the label is tested on the item beside it), so
    PostgreSQL may read the reader's recipient rows once and hash them when they are few (a
    regional coordinator, a member: none or a few hundred) instead of probing the recipients of
    each of 18,000 AMBER items (x1: 240 -> 70 ms); it still probes when they are many (a national
    coordinator, to whom most items are addressed).
    """
    if not _authenticated(user):
        return Q(pk__in=[])
    sent = Q(sent_at__isnull=False)
    audience = Q(_recipient_items(Q(user_id=user.pk)))
    organisations = (
        core_access.get_access(user).organisation_id_list() if many else core_access.user_organisation_ids(user)
    )
    org_or_own_unit = Q(organisation_id__in=organisations)
    coordinator = _coordinator_grants(user)
    if coordinator:
        org_or_own_unit |= Q(jurisdiction_id__in=sorted({g.jurisdiction_id for g in coordinator}))
    labels = () if many else (Tlp.AMBER_STRICT, Tlp.AMBER)
    audience |= Q(tlp__in=[Tlp.AMBER_STRICT, Tlp.AMBER]) & Q(_recipient_items(org_or_own_unit, *labels))
    countries = _country_prefixes(user)
    if countries:
        audience |= Q(tlp=Tlp.GREEN) & Q(country_path__in=countries)
    if core_access.grants(user):
        audience |= Q(tlp=Tlp.CLEAR)
    return Q(sender_id=user.pk) | (sent & audience)


def visible_items(user: Any) -> QuerySet[ExchangeItem]:
    """Every item ``user`` may read (sent items, plus their own drafts), filtered in SQL."""
    return ExchangeItem.objects.filter(item_q(user)).select_related("sender", "sender_organisation", "jurisdiction")


def visible_sent_items(user: Any, *, many: bool = False) -> QuerySet[ExchangeItem]:
    """Sent items ``user`` may read; ``many``: for a count over many items (see :func:`item_q`)."""
    if many:
        return ExchangeItem.objects.filter(item_q(user, many=True), sent_at__isnull=False).select_related(
            "sender", "sender_organisation", "jurisdiction"
        )
    return visible_items(user).filter(sent_at__isnull=False)


def can_see(user: Any, item: ExchangeItem) -> bool:
    return ExchangeItem.objects.filter(item_q(user), pk=item.pk).exists()


def get_item_or_404(user: Any, uuid: Any) -> ExchangeItem:
    return core_access.get_visible_or_404(visible_items(user), uuid=uuid)


def get_sent_item_or_404(user: Any, uuid: Any) -> ExchangeItem:
    return core_access.get_visible_or_404(visible_sent_items(user), uuid=uuid)


# --- The same rule, from the audience's side ---------------------------------------------


@dataclass
class AudienceSpec:
    """An item's label and addressees, saved or not (the compose preview uses an unsaved one)."""

    sender_id: int
    tlp: str
    country_path: str
    organisation_ids: set[int] = field(default_factory=set)
    jurisdiction_ids: set[int] = field(default_factory=set)
    user_ids: set[int] = field(default_factory=set)

    @classmethod
    def of_item(cls, item: ExchangeItem) -> AudienceSpec:
        spec = cls(sender_id=item.sender_id, tlp=item.tlp, country_path=item.country_path)
        for _kind, org_id, jur_id, user_id in item.recipients.values_list(
            "kind", "organisation_id", "jurisdiction_id", "user_id"
        ):
            if org_id:
                spec.organisation_ids.add(org_id)
            if jur_id:
                spec.jurisdiction_ids.add(jur_id)
            if user_id:
                spec.user_ids.add(user_id)
        return spec


def _active_assignments(today: dt.date) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(revoked_at__isnull=True).filter(
        Q(jurisdiction__valid_to__isnull=True) | Q(jurisdiction__valid_to__gte=today)
    )


def acting_users_condition(organisation_ids: list[int], today: dt.date) -> Q:
    """Q on User: who acts for one of these organisations today: the users of people affiliated
    with it (affiliation not ended, person not archived) and those holding a role on its behalf.
    An archived organisation has nobody acting for it."""
    live_orgs = Organisation.objects.filter(pk__in=organisation_ids, archived_at__isnull=True).values("id")
    affiliated = Affiliation.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        organisation_id__in=live_orgs,
        person__archived_at__isnull=True,
        person__user__isnull=False,
    ).values("person__user_id")
    on_behalf = RoleAssignment.objects.filter(revoked_at__isnull=True, organisation_id__in=live_orgs).values("user_id")
    return Q(pk__in=affiliated) | Q(pk__in=on_behalf)


def audience_users(spec: AudienceSpec) -> QuerySet:
    """The users who will be able to read an item with this label and these addressees."""
    User = get_user_model()
    today = timezone.localdate()
    assignments = _active_assignments(today)
    who = Q(pk=spec.sender_id) | Q(pk__in=sorted(spec.user_ids))
    if spec.tlp in (Tlp.AMBER_STRICT, Tlp.AMBER):
        at_unit = assignments.filter(
            role__in=COORDINATOR_ROLES_FOR_TLP, jurisdiction_id__in=sorted(spec.jurisdiction_ids)
        ).values("user_id")
        who |= acting_users_condition(sorted(spec.organisation_ids), today) | Q(pk__in=at_unit)
    elif spec.tlp == Tlp.GREEN and spec.country_path:
        in_country = assignments.filter(jurisdiction__path__startswith=spec.country_path).values("user_id")
        who |= Q(pk__in=in_country)
    elif spec.tlp == Tlp.CLEAR:
        who |= Q(pk__in=assignments.values("user_id"))
    return User.objects.filter(who, is_active=True).order_by("last_name", "first_name", "username")


def item_audience(item: ExchangeItem) -> QuerySet:
    return audience_users(AudienceSpec.of_item(item))


# --- Read log, agreements -----------------------------------------------------------


def can_see_read_log(user: Any, item: ExchangeItem) -> bool:
    """The sender, and auditors: coordinators over the sender's jurisdiction who may read the item."""
    if not _authenticated(user):
        return False
    if item.sender_id == user.pk:
        return True
    return core_access.rank_at(user, item.jurisdiction) >= core_access.COORDINATOR_RANK and can_see(user, item)


def item_read_log(user: Any, item: ExchangeItem) -> QuerySet[ReadLog]:
    if not can_see_read_log(user, item):
        return ReadLog.objects.none()
    return ReadLog.objects.filter(item=item).select_related("user")


def visible_agreements(user: Any) -> QuerySet[SharingAgreement]:
    """Agreements registered in the user's countries (an administrator sees all)."""
    return SharingAgreement.objects.filter(
        core_access.path_q(core_access.country_paths(user), "jurisdiction__path")
    ).select_related("jurisdiction")


def can_send(user: Any) -> bool:
    return any(g.rank >= EXCHANGE_WRITE_RANK for g in _country_grants(user))


def sending_grants(user: Any) -> list[core_access.Grant]:
    """The (jurisdiction, organisation) pairs the user may send from."""
    return [g for g in _country_grants(user) if g.rank >= EXCHANGE_WRITE_RANK]


# --- What a sender may address -------------------------------------------------------


def _in_countries(user: Any, field: str) -> Q:
    countries = _country_prefixes(user)
    return core_access.path_q(countries, field) if countries else Q(pk__in=[])


def addressable_jurisdictions(user: Any) -> QuerySet[Jurisdiction]:
    """Units of the sender's countries (upward, downward or lateral)."""
    return Jurisdiction.objects.filter(_in_countries(user, "path")).order_by("path")


def addressable_organisations(user: Any) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(_in_countries(user, "jurisdiction__path"), archived_at__isnull=True)
        .select_related("jurisdiction")
        .order_by("name", "id")
    )


def addressable_people(user: Any) -> QuerySet:
    """People of the sender's countries who have a user account (only they can read an item)."""
    from tandem.core.models import Person

    return (
        Person.objects.filter(_in_countries(user, "jurisdiction__path"), archived_at__isnull=True, user__isnull=False)
        .select_related("jurisdiction")
        .order_by("full_name", "id")
    )


def addressable_bodies(user: Any) -> QuerySet:
    from tandem.bodies.models import Body

    return (
        Body.objects.filter(_in_countries(user, "jurisdiction__path"), archived_at__isnull=True)
        .select_related("jurisdiction")
        .order_by("name", "id")
    )


def acting_organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=core_access.user_organisation_ids(user)).order_by("name")


def visible_attachments(user: Any) -> QuerySet:
    """Attachments of the items ``user`` may read (the same rule, as a subquery)."""
    from .models import Attachment

    return Attachment.objects.filter(item_id__in=ExchangeItem.objects.filter(item_q(user)).values("id"))


def visible_replies(user: Any) -> QuerySet:
    """Replies to the items ``user`` may read (the item's rule, as a subquery)."""
    from .models import Reply

    return Reply.objects.filter(item_id__in=ExchangeItem.objects.filter(item_q(user)).values("id"))


# --- Forwarding (AMBER only; see the module docstring) ------------------------------------


def is_direct_recipient(user: Any, item: ExchangeItem) -> bool:
    """Did the sender address ``user`` (named, through their organisation, or as coordinator at the unit)?"""
    if not _authenticated(user) or item.sent_at is None:
        return False
    mine = Q(user_id=user.pk) | Q(organisation_id__in=core_access.user_organisation_ids(user))
    coordinator = _coordinator_grants(user)
    if coordinator:
        mine |= Q(jurisdiction_id__in=sorted({g.jurisdiction_id for g in coordinator}))
    return ItemRecipient.objects.filter(mine, item_id=item.pk, forwarded_by__isnull=True).exists()


def forwarding_area_paths(user: Any) -> list[str]:
    """Where ``user`` may forward to: the subtrees of the units of the organisations they act for
    and of the units where they hold a coordinator role (never above, never another country)."""
    if not _authenticated(user):
        return []
    paths = list(
        Organisation.objects.filter(id__in=core_access.user_organisation_ids(user)).values_list(
            "jurisdiction__path", flat=True
        )
    )
    paths += [g.path for g in _coordinator_grants(user)]
    return core_access._minimal_paths(paths)


def forward_organisations(user: Any) -> QuerySet[Organisation]:
    """Live organisations ``user`` may forward an AMBER item to."""
    paths = forwarding_area_paths(user)
    return (
        Organisation.objects.filter(core_access.path_q(paths, "jurisdiction__path"), archived_at__isnull=True)
        .select_related("jurisdiction")
        .order_by("name", "id")
    )


def forward_people(user: Any) -> QuerySet:
    """People with a user account ``user`` may forward an AMBER item to."""
    from tandem.core.models import Person

    paths = forwarding_area_paths(user)
    return (
        Person.objects.filter(
            core_access.path_q(paths, "jurisdiction__path"), archived_at__isnull=True, user__isnull=False
        )
        .exclude(user_id=user.pk)
        .select_related("jurisdiction")
        .order_by("full_name", "id")
    )
