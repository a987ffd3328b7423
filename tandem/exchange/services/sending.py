"""Sending: the preview of exactly who will read an item, sending and notifying the audience."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tandem.core import events, registry, versioning
from tandem.core.models import AuditAction, Jurisdiction, Organisation, User
from tandem.core.services import audit_record

from .. import access
from ..models import (
    ExchangeItem,
    ItemRecipient,
    Kind,
    RecipientKind,
    SharingAgreement,
    Tlp,
)
from .addressing import Addressees, _body_member_orgs, _check_addressees, addressees_of, spec_for
from .agreements import covering_agreement, lapsed_agreement
from .drafts import _sender_grant
from .personal_data import personal_data_matches


@dataclass
class Preview:
    audience: list[User]
    agreement: SharingAgreement | None
    agreement_needed: bool
    reason_required: bool
    personal_data: list[dict[str, str]]
    rule: str
    lapsed_agreement: SharingAgreement | None = None  # an expired agreement that would have covered it


def preview_for(item: ExchangeItem) -> Preview:
    addressees = addressees_of(item)
    spec = spec_for(actor=item.sender, tlp=item.tlp, jurisdiction=item.jurisdiction, addressees=addressees)
    return _preview(
        spec=spec,
        item_tlp=item.tlp,
        sender_org=item.sender_organisation,
        jurisdiction=item.jurisdiction,
        addressees=addressees,
        texts=[item.title, item.body, *item.attachments.values_list("original_name", flat=True)],
    )


def _preview(*, spec, item_tlp: str, sender_org, jurisdiction, addressees: Addressees, texts: list[str]) -> Preview:
    from ..models import TLP_RULES

    agreement, needed = covering_agreement(sender_org=sender_org, jurisdiction=jurisdiction, addressees=addressees)
    lapsed = None
    if needed and agreement is None:
        lapsed = lapsed_agreement(sender_org=sender_org, jurisdiction=jurisdiction, addressees=addressees)
    return Preview(
        audience=list(access.audience_users(spec)),
        agreement=agreement,
        agreement_needed=needed,
        reason_required=needed and agreement is None and item_tlp in (Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED),
        personal_data=personal_data_matches(*texts),
        rule=str(TLP_RULES[Tlp(item_tlp)]),
        lapsed_agreement=lapsed,
    )


def preview_unsaved(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    sender_organisation: Organisation | None,
    tlp: str,
    title: str,
    body: str,
    addressees: Addressees,
    attachment_names: list[str] | None = None,
) -> Preview:
    """The preview of an item not saved at all (the API's preview endpoint)."""
    _sender_grant(actor, jurisdiction, sender_organisation)
    _check_addressees(country_path=jurisdiction.country_path, addressees=addressees)
    spec = spec_for(actor=actor, tlp=tlp, jurisdiction=jurisdiction, addressees=addressees)
    return _preview(
        spec=spec,
        item_tlp=tlp,
        sender_org=sender_organisation,
        jurisdiction=jurisdiction,
        addressees=addressees,
        texts=[title, body, *(attachment_names or [])],
    )


def send_refusals(actor: User, item: ExchangeItem) -> list[str]:
    """What other apps say the sender still lacks to send this item (registry ``send_gate`` hooks)."""
    found = [gate(actor, item.jurisdiction, item.tlp) for gate in registry.functions("send_gate")]
    return [message for message in found if message]


@transaction.atomic
def item_send(
    *,
    actor: User,
    draft: ExchangeItem,
    expected_version: int,
    confirm_personal_data: bool = False,
    no_agreement_reason: str = "",
    notify: bool = True,
) -> ExchangeItem:
    """Send the draft exactly as previewed (version-checked); notify the audience after commit."""
    locked = ExchangeItem.objects.select_for_update().get(pk=draft.pk)
    if locked.sender_id != actor.pk:
        raise PermissionDenied
    if locked.sent_at is not None:
        raise ValidationError({"__all__": _("This item was already sent.")})
    if locked.version != expected_version:
        raise ValidationError(
            {"__all__": _("The draft changed after this preview. Check the new preview before sending.")}
        )
    _sender_grant(actor, locked.jurisdiction, locked.sender_organisation)
    preview = preview_for(locked)
    errors: dict[str, str] = {}
    if preview.personal_data and not confirm_personal_data:
        errors["confirm_personal_data"] = _(
            "The text looks like it contains personal data. Remove it, or confirm that you send it anyway."
        )
    reason = (no_agreement_reason or "").strip()
    if preview.reason_required and not reason:
        errors["no_agreement_reason"] = _(
            "No sharing agreement covers this channel: state why you share this information anyway."
        )
    refusals = send_refusals(actor, locked)
    if refusals:
        errors["__all__"] = " ".join(refusals)
    if errors:
        raise ValidationError(errors)
    # Bodies are expanded now: later membership changes do not widen who reads this item.
    addressees = addressees_of(locked)
    ItemRecipient.objects.bulk_create(
        [
            ItemRecipient(item=locked, kind=RecipientKind.ORGANISATION, organisation_id=org_id, via_body=body)
            for body, org_id in _body_member_orgs(addressees.bodies)
        ]
    )
    sent = {
        "sent_at": timezone.now(),
        "no_agreement_reason": reason if preview.reason_required else "",
        "personal_data_override": preview.personal_data if confirm_personal_data else [],
    }
    # Audited just below as the item's creation, with its audience.
    locked = versioning.save(locked, sent, actor=actor, audit=False)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=locked,
        changes={
            "tlp": locked.tlp,
            "kind": locked.kind,
            "audience": len(preview.audience),
            "agreement": str(preview.agreement.uuid) if preview.agreement else "",
            "no_agreement_reason_given": bool(locked.no_agreement_reason),
            "personal_data_override": len(locked.personal_data_override),
        },
    )
    item_pk = locked.pk
    if notify and events.has_listeners():
        # The notifications app e-mails each reader by their preferences (tandem.core.events).
        audience = access.item_audience(locked).values_list("pk", flat=True)
        announce_received(locked, list(audience), actor)
    elif notify:
        transaction.on_commit(lambda: notify_audience(item_pk))
    return locked


def announce_received(item: ExchangeItem, user_ids: list[int], actor: User) -> None:
    """Tell the readers an item waits for them (its title leaves Tandem only for GREEN and CLEAR)."""
    events.emit(
        "exchange.item_received",
        item,
        recipient_ids=user_ids,
        title=item.title,
        url=reverse("exchange_detail", args=[item.uuid]),
        label=str(Tlp(item.tlp).label),
        restricted=item.tlp not in (Tlp.GREEN, Tlp.CLEAR),
        actor_id=actor.pk,
    )


# --- Notifications -----------------------------------------------------------------------


def notification_for(item: ExchangeItem, user: User) -> EmailMessage:
    """What an audience member receives: that an item waits, never AMBER+ content."""
    base = getattr(settings, "TANDEM_SITE_URL", "").rstrip("/")
    link = base + reverse("exchange_detail", args=[item.uuid])
    with override(user.language or settings.LANGUAGE_CODE):
        kind = str(Kind(item.kind).label).lower()
        subject = _("Tandem: a new %(kind)s is waiting for you") % {"kind": kind}
        lines = [
            _("A new %(kind)s labelled %(tlp)s is waiting for you in Tandem.")
            % {"kind": kind, "tlp": Tlp(item.tlp).label},
        ]
        if item.tlp in (Tlp.GREEN, Tlp.CLEAR):
            lines.append(_("Title: %(title)s") % {"title": item.title})
        lines.append(_("Sign in to read it: %(link)s") % {"link": link})
        body = "\n\n".join(str(line) for line in lines)
    return EmailMessage(subject=str(subject), body=body, to=[user.email])


def notify_audience(item_pk: int) -> int:
    item = ExchangeItem.objects.select_related("sender").get(pk=item_pk)
    users = access.item_audience(item).exclude(pk=item.sender_id).exclude(email="")
    messages = [notification_for(item, user) for user in users]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
