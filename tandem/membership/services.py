"""Every write of membership: apply, decide (accept, ask for information, decline), lapse, leave.
Atomic, permission checked again, audited; every status is kept in the history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import events, versioning
from tandem.core.auditlog import audit_record
from tandem.core.models import AuditAction, Jurisdiction, Organisation, Person, User

from . import access
from .models import OPEN_STATUSES, NetworkMembership, Status, StatusChange

COMMITMENTS_MAX = 5000

# decision -> (statuses it may follow, status it leads to, reason required)
DECISIONS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "accept": ((Status.APPLIED, Status.INFO_REQUESTED), Status.MEMBER, False),
    "request_info": ((Status.APPLIED,), Status.INFO_REQUESTED, True),
    "decline": ((Status.APPLIED, Status.INFO_REQUESTED), Status.DECLINED, True),
    "lapse": ((Status.MEMBER,), Status.LAPSED, False),
    "leave": ((Status.MEMBER,), Status.LEFT, False),
}


def _duplicate_message(existing: NetworkMembership) -> str:
    if existing.status == Status.MEMBER:
        return _("This jurisdiction is already a member of the network.")
    return _("This jurisdiction has already applied; the application is being reviewed.")


@transaction.atomic
def membership_apply(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    organisation: Organisation,
    focal_point: Person,
    commitments: str,
    applied_on: dt.date | None = None,
) -> NetworkMembership:
    """A local authority applies to join (free: no payment). A jurisdiction already a member, or
    with an application under review, is refused and nothing is written."""
    access.require_apply(actor, jurisdiction)
    errors: dict[str, list[str]] = {}
    if jurisdiction.depth < 2:
        errors["jurisdiction"] = [_("Only sub-national authorities (cities, municipalities, provinces…) join.")]
    if not organisation.jurisdiction.path.startswith(jurisdiction.path) or organisation.archived_at is not None:
        errors["organisation"] = [_("Choose an organisation of this jurisdiction.")]
    if not focal_point.jurisdiction.path.startswith(jurisdiction.path) or focal_point.archived_at is not None:
        errors["focal_point"] = [_("Choose a person of this jurisdiction.")]
    commitments = (commitments or "").strip()
    if not commitments:
        errors["commitments"] = [_("State the authority's commitments.")]
    elif len(commitments) > COMMITMENTS_MAX:
        errors["commitments"] = [_("At most %(n)s characters.") % {"n": COMMITMENTS_MAX}]
    existing = NetworkMembership.objects.filter(jurisdiction=jurisdiction, status__in=OPEN_STATUSES).first()
    if existing is not None:
        errors["jurisdiction"] = [_duplicate_message(existing)]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            membership = NetworkMembership.objects.create(
                jurisdiction=jurisdiction,
                organisation=organisation,
                focal_point=focal_point,
                commitments=commitments,
                applied_on=applied_on or timezone.localdate(),
                applied_by=actor,
                status=Status.APPLIED,
            )
    except IntegrityError:  # an application saved at the same moment
        raise ValidationError({"jurisdiction": [_("This jurisdiction has already applied.")]}) from None
    StatusChange.objects.create(membership=membership, status=Status.APPLIED, changed_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=membership)
    return membership


@transaction.atomic
def membership_decide(
    *,
    actor: User,
    membership: NetworkMembership,
    decision: str,
    reason: str = "",
    expected_version: int,
    on: dt.date | None = None,
) -> NetworkMembership:
    """A facilitator of the area decides: accept, request information, decline (with a reason),
    or records that a member lapsed or left."""
    access.require_review(actor, membership.jurisdiction)
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Unknown decision.")]})
    allowed_from, new_status, needs_reason = DECISIONS[decision]
    reason = (reason or "").strip()
    if needs_reason and not reason:
        raise ValidationError({"reason": [_("Give a reason: the applicant will read it.")]})
    if len(reason) > COMMITMENTS_MAX:
        raise ValidationError({"reason": [_("At most %(n)s characters.") % {"n": COMMITMENTS_MAX}]})
    locked = versioning.lock(membership, actor=actor)
    versioning.check(locked, expected_version, actor=actor)
    if locked.status not in allowed_from:
        raise ValidationError({"decision": [_("This decision is not possible in the current status.")]})
    values: dict[str, Any] = {"status": new_status, "reason": reason}
    if new_status == Status.MEMBER:
        values["joined_on"] = on or timezone.localdate()
    saved = versioning.save(locked, values, actor=actor)
    StatusChange.objects.create(membership=saved, status=new_status, reason=reason, changed_by=actor)
    events.emit(
        "membership.decision",
        saved,
        recipient_ids=[saved.applied_by_id],
        key=f"{saved.uuid}:{new_status}:{saved.version}",
        title=f"{saved.organisation.name} ({saved.jurisdiction.name})",
        url=reverse("membership_detail", args=[saved.uuid]),
        actor_id=actor.pk,
    )
    return saved


@transaction.atomic
def membership_respond(
    *, actor: User, membership: NetworkMembership, commitments: str, expected_version: int
) -> NetworkMembership:
    """The applicant answers a request for information: the commitments as revised, and the
    application goes back to the facilitators (information requested -> applied)."""
    access.require_apply(actor, membership.jurisdiction)
    commitments = (commitments or "").strip()
    if not commitments:
        raise ValidationError({"commitments": [_("State the authority's commitments.")]})
    if len(commitments) > COMMITMENTS_MAX:
        raise ValidationError({"commitments": [_("At most %(n)s characters.") % {"n": COMMITMENTS_MAX}]})
    locked = versioning.lock(membership, actor=actor)
    versioning.check(locked, expected_version, actor=actor)
    if locked.status != Status.INFO_REQUESTED:
        raise ValidationError({"commitments": [_("No information was requested on this application.")]})
    saved = versioning.save(locked, {"status": Status.APPLIED, "commitments": commitments}, actor=actor)
    StatusChange.objects.create(
        membership=saved, status=Status.APPLIED, reason=_("Information provided"), changed_by=actor
    )
    return saved
