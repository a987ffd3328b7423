"""Drafts: the sender's server-side draft (what the preview shows is what is sent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import versioning
from tandem.core.models import Jurisdiction, Organisation, User

from .. import access
from ..models import (
    Direction,
    ExchangeItem,
    ItemRecipient,
    Kind,
    RecipientKind,
    Status,
    Tlp,
)
from .addressing import Addressees, _check_addressees, _check_direction, propose_recipients
from .attachments import Upload, _storage, _store_attachment

# --- Drafts and sending ------------------------------------------------------------------


def _validate_content(*, kind: str, subkind: str, due_date: dt.date | None, tlp: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    from ..models import REPORT_SUBKINDS, REQUEST_SUBKINDS

    if kind == Kind.REQUEST:
        if subkind not in REQUEST_SUBKINDS:
            errors["subkind"] = _("Choose what kind of request this is.")
        if due_date is None:
            errors["due_date"] = _("A request needs a due date.")
        elif due_date < timezone.localdate():
            errors["due_date"] = _("The due date cannot be in the past.")
    elif kind == Kind.REPORT:
        if subkind not in REPORT_SUBKINDS:
            errors["subkind"] = _("Choose what kind of report this is.")
    elif subkind:
        errors["subkind"] = _("Only reports and requests have a type.")
    if kind != Kind.REQUEST and due_date is not None:
        errors["due_date"] = _("Only requests have a due date.")
    if tlp not in Tlp.values:
        errors["tlp"] = _("Choose a label.")
    return errors


def _sender_grant(actor: User, jurisdiction: Jurisdiction, organisation: Organisation | None) -> None:
    """The sender must hold a sending role at ``jurisdiction`` (and act for ``organisation``)."""
    grants = [g for g in access.sending_grants(actor) if g.jurisdiction_id == jurisdiction.pk]
    if not grants:
        raise PermissionDenied
    if organisation is not None:
        from django.db.models import Q  # noqa: F401

        if not Organisation.objects.filter(
            pk=organisation.pk, id__in=core_access.user_organisation_ids(actor)
        ).exists():
            raise ValidationError({"sender_organisation": _("You do not act for this organisation.")})


def _write_recipients(item: ExchangeItem, addressees: Addressees) -> None:
    item.recipients.all().delete()
    rows = [ItemRecipient(item=item, kind=RecipientKind.JURISDICTION, jurisdiction=j) for j in addressees.jurisdictions]
    rows += [
        ItemRecipient(item=item, kind=RecipientKind.ORGANISATION, organisation=o) for o in addressees.organisations
    ]
    rows += [ItemRecipient(item=item, kind=RecipientKind.USER, user_id=p.user_id, person=p) for p in addressees.people]
    rows += [ItemRecipient(item=item, kind=RecipientKind.BODY, body=b) for b in addressees.bodies]
    ItemRecipient.objects.bulk_create(rows)


@transaction.atomic
def draft_save(
    *,
    actor: User,
    draft: ExchangeItem | None = None,
    expected_version: int | None = None,
    jurisdiction: Jurisdiction,
    sender_organisation: Organisation | None,
    kind: str,
    subkind: str = "",
    direction: str,
    tlp: str,
    title: str,
    body: str,
    due_date: dt.date | None = None,
    addressees: Addressees,
    uploads: list[Upload] | None = None,
    remove_attachments: list[Any] | None = None,
    publishable: bool = False,
) -> ExchangeItem:
    """Create or edit the sender's server-side draft: what the preview shows is what is sent.

    An upward item saved with no recipient is addressed to the coordinators of the level above
    (``propose_recipients``); the preview shows them and the sender may change them."""
    _sender_grant(actor, jurisdiction, sender_organisation)
    errors = _validate_content(kind=kind, subkind=subkind, due_date=due_date, tlp=tlp)
    if errors:
        raise ValidationError(errors)
    if direction not in Direction.values:
        raise ValidationError({"direction": _("Choose a direction.")})
    if publishable and tlp != Tlp.CLEAR:
        raise ValidationError({"publishable": _("Only a TLP:CLEAR item may be published to the library.")})
    addressees = propose_recipients(actor=actor, direction=direction, jurisdiction=jurisdiction, addressees=addressees)
    _check_addressees(country_path=jurisdiction.country_path, addressees=addressees)
    _check_direction(direction=direction, jurisdiction=jurisdiction, addressees=addressees)
    values = {
        "jurisdiction": jurisdiction,
        "sender_organisation": sender_organisation,
        "country_path": jurisdiction.country_path,
        "kind": kind,
        "subkind": subkind,
        "direction": direction,
        "tlp": tlp,
        "title": title.strip(),
        "body": body.strip(),
        "due_date": due_date,
        "status": Status.OPEN if kind == Kind.REQUEST else "",
        "publishable": publishable,
    }
    if draft is None:
        draft = ExchangeItem(sender=actor, **values)
        draft.full_clean()
        draft.save()
    else:
        locked = ExchangeItem.objects.select_for_update().get(pk=draft.pk)
        if locked.sender_id != actor.pk or locked.sent_at is not None:
            raise PermissionDenied
        if expected_version is not None:
            versioning.check(locked, expected_version, actor=actor)
        # An unsent draft is the sender's alone: its text stays out of the audit log (the send is audited).
        draft = versioning.save(locked, values, actor=actor, clean=True, audit=False)
    _write_recipients(draft, addressees)
    for attachment_uuid in remove_attachments or []:
        for att in draft.attachments.filter(uuid=attachment_uuid, reply__isnull=True):
            _storage().delete(att.storage_name)
            att.delete()
    for upload in uploads or []:
        _store_attachment(actor=actor, item=draft, upload=upload)
    return draft


@transaction.atomic
def draft_attach(*, actor: User, draft: ExchangeItem, uploads: list[Upload]) -> ExchangeItem:
    """Add checked uploads to the sender's draft; the version changes so a stale preview cannot be sent."""
    locked = ExchangeItem.objects.select_for_update().get(pk=draft.pk)
    if locked.sender_id != actor.pk or locked.sent_at is not None:
        raise PermissionDenied
    for upload in uploads:
        _store_attachment(actor=actor, item=locked, upload=upload)
    return versioning.save(locked, {}, actor=actor, audit=False)


@transaction.atomic
def draft_discard(*, actor: User, draft: ExchangeItem) -> None:
    if draft.sender_id != actor.pk or draft.sent_at is not None:
        raise PermissionDenied
    for att in draft.attachments.all():
        _storage().delete(att.storage_name)
    draft.delete()
