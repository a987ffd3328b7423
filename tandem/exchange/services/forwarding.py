"""Forwarding of AMBER items by their recipients (the rule is in :mod:`tandem.exchange.access`).

A direct recipient of a TLP:AMBER item may share it with the organisations and
people their organisation works with inside its own jurisdiction. A forward adds
recipient rows marked with who forwarded them and when, is audited, notifies the
new readers and is shown on the item page. AMBER+STRICT and RED are refused;
GREEN and CLEAR need no forwarding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import events
from tandem.core.models import AuditAction, Organisation, Person, User
from tandem.core.services import audit_record

from .. import access
from ..models import ExchangeItem, ItemRecipient, RecipientKind, Tlp


class ForwardRefused(PermissionDenied):
    """This item may not be forwarded by this user; ``message`` says why (shown to them)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ForwardPreview:
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    new_readers: list[User] = field(default_factory=list)


def forward_refusal(*, actor: User, item: ExchangeItem) -> str:
    """Why ``actor`` may not forward ``item`` ("" when they may)."""
    if item.tlp in (Tlp.AMBER_STRICT, Tlp.RED):
        return _(
            "TLP:AMBER+STRICT and TLP:RED items cannot be forwarded: only the recipients the sender chose may "
            "read them. Ask the sender to add the people who need it."
        )
    if item.tlp in (Tlp.GREEN, Tlp.CLEAR):
        return _("This item needs no forwarding: everyone it may be shared with can already read it.")
    if not access.is_direct_recipient(actor, item):
        return _(
            "Only the recipients the sender chose may forward this item (people who received it through a "
            "forward, and the sender, cannot)."
        )
    return ""


def _check(
    *, actor: User, item: ExchangeItem, organisations: list[Organisation], people: list[Person]
) -> ForwardPreview:
    if item.sent_at is None or not access.can_see(actor, item):
        from django.http import Http404

        raise Http404
    refusal = forward_refusal(actor=actor, item=item)
    if refusal:
        raise ForwardRefused(refusal)
    allowed_orgs = set(
        access.forward_organisations(actor).filter(pk__in=[o.pk for o in organisations]).values_list("pk", flat=True)
    )
    allowed_people = set(
        access.forward_people(actor).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    errors = [
        _("%(name)s is outside your organisation's jurisdiction.") % {"name": o.name}
        for o in organisations
        if o.pk not in allowed_orgs
    ] + [
        _("%(name)s is outside your organisation's jurisdiction.") % {"name": p.full_name}
        for p in people
        if p.pk not in allowed_people
    ]
    if errors:
        raise ValidationError({"recipients": errors})
    existing = item.recipients.values_list("organisation_id", "user_id")
    have_orgs = {org_id for org_id, _u in existing if org_id}
    have_users = {user_id for _o, user_id in existing if user_id}
    preview = ForwardPreview(
        organisations=[o for o in dict.fromkeys(organisations) if o.pk not in have_orgs],
        people=[p for p in dict.fromkeys(people) if p.user_id not in have_users],
    )
    if not preview.organisations and not preview.people:
        raise ValidationError(
            {"recipients": [_("Choose at least one organisation or person who does not have it yet.")]}
        )
    spec = access.AudienceSpec.of_item(item)
    before = set(access.audience_users(spec).values_list("pk", flat=True))
    spec.organisation_ids |= {o.pk for o in preview.organisations}
    spec.user_ids |= {p.user_id for p in preview.people if p.user_id}
    preview.new_readers = list(access.audience_users(spec).exclude(pk__in=sorted(before)))
    return preview


def forward_preview(
    *, actor: User, item: ExchangeItem, organisations: list[Organisation], people: list[Person]
) -> ForwardPreview:
    """Who would newly read ``item`` if ``actor`` forwarded it to these organisations and people."""
    return _check(actor=actor, item=item, organisations=organisations, people=people)


@transaction.atomic
def item_forward(
    *,
    actor: User,
    item: ExchangeItem,
    organisations: list[Organisation],
    people: list[Person],
    notify: bool = True,
) -> ForwardPreview:
    """Forward an AMBER item: add the recipient rows (marked forwarded), audit, notify the new readers."""
    locked = ExchangeItem.objects.select_for_update().get(pk=item.pk)
    preview = _check(actor=actor, item=locked, organisations=organisations, people=people)
    now = timezone.now()
    ItemRecipient.objects.bulk_create(
        [
            ItemRecipient(
                item=locked, kind=RecipientKind.ORGANISATION, organisation=o, forwarded_by=actor, forwarded_at=now
            )
            for o in preview.organisations
        ]
        + [
            ItemRecipient(
                item=locked,
                kind=RecipientKind.USER,
                user_id=p.user_id,
                person=p,
                forwarded_by=actor,
                forwarded_at=now,
            )
            for p in preview.people
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        changes={
            "forwarded_to_organisations": sorted(o.name for o in preview.organisations),
            "forwarded_to_people": sorted(p.full_name for p in preview.people),
            "new_readers": len(preview.new_readers),
        },
    )
    if notify and events.has_listeners():
        from .sending import announce_received

        announce_received(locked, [u.pk for u in preview.new_readers], actor)
    elif notify:
        item_pk, user_pks = locked.pk, [u.pk for u in preview.new_readers]
        transaction.on_commit(lambda: _notify(item_pk, user_pks))
    return preview


def _notify(item_pk: int, user_pks: list[int]) -> int:
    from django.core.mail import get_connection

    from .sending import notification_for

    item = ExchangeItem.objects.get(pk=item_pk)
    users = User.objects.filter(pk__in=user_pks, is_active=True).exclude(email="")
    messages = [notification_for(item, user) for user in users]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
