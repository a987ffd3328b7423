"""Raising a training need as an exchange request to the level above.

The need's coordinator turns it into a draft request of the exchange, through the exchange's own
services (which check the sender's role and the addressees); they then preview it and send it there,
where the exchange's gates (agreements, personal data, ready to share) apply as for any request.
The link is kept, so a need is raised once.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core import versioning
from tandem.core.access import COORDINATOR_RANK, Actor, get_access
from tandem.core.models import User

from .models import TrainingNeed


def sending_grant(actor: Actor, need: TrainingNeed) -> bool:
    """May the actor send an exchange item from the need's jurisdiction?"""
    from tandem.exchange import access as exchange_access

    return any(g.jurisdiction_id == need.jurisdiction_id for g in exchange_access.sending_grants(actor))


def can_raise(actor: Actor, need: TrainingNeed) -> bool:
    """The need's own coordinators (who may send from its jurisdiction), while it is neither raised nor answered."""
    return (
        need.exchange_item_id is None
        and need.answered_at is None
        and need.jurisdiction.parent_id is not None
        and get_access(actor).rank_at(need.jurisdiction) >= COORDINATOR_RANK
        and sending_grant(actor, need)
    )


@transaction.atomic
def need_to_exchange_request(
    *, actor: User, need: TrainingNeed, due_date: dt.date, expected_version: int
) -> TrainingNeed:
    from tandem.exchange.services import Addressees, draft_save

    if get_access(actor).rank_at(need.jurisdiction) < COORDINATOR_RANK or not sending_grant(actor, need):
        raise PermissionDenied
    locked = versioning.lock(need, expected_version=expected_version, actor=actor, fields=["exchange_item"])
    if locked.exchange_item_id is not None:
        raise ValidationError(_("This need was already raised as an exchange request."))
    if locked.answered_at is not None:
        raise ValidationError(_("This need was already answered."))
    parent = locked.jurisdiction.parent
    if parent is None:
        raise ValidationError(_("There is no level above this jurisdiction."))
    details = [
        _("Competency: %(c)s.") % {"c": locked.get_competency_display()},
        _("People to train: %(n)d.") % {"n": locked.people_count},
        _("Urgency: %(u)s.") % {"u": locked.get_urgency_display()},
    ]
    if locked.sector:
        details.append(_("Sector: %(s)s.") % {"s": locked.get_sector_display()})
    draft = draft_save(
        actor=actor,
        jurisdiction=locked.jurisdiction,
        sender_organisation=None,
        kind="request",
        subkind="support",
        direction="up",
        tlp="GREEN",
        title=(
            _("Training need: %(competency)s in %(place)s")
            % {"competency": locked.get_competency_display(), "place": locked.jurisdiction.name}
        )[:200],
        body="\n".join([locked.description, "", *details]).strip(),
        due_date=due_date,
        addressees=Addressees(jurisdictions=[parent]),
    )
    return versioning.save(
        locked,
        {"exchange_item": draft},
        actor=actor,
        changes={"follow_up": "exchange_request", "exchange_item": str(draft.uuid)},
    )


__all__ = ["can_raise", "need_to_exchange_request"]
