"""Places in a session: requests, nominations, walk-ins, decisions, withdrawals and the wait-list.

Places are counted with the session row locked (``select_for_update``), so two people asking
for the last place at once cannot both get it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import events, versioning
from tandem.core.access import COORDINATOR_RANK, get_access
from tandem.core.models import Affiliation, AuditAction, Person, User
from tandem.core.services import audit_record

from .. import access
from ..models import OPEN_STATUSES, Participation, PlaceStatus, TrainingSession, level_of


def _snapshot(person: Person) -> dict[str, Any]:
    today = timezone.localdate()
    affiliation = (
        Affiliation.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today), person=person, organisation__archived_at__isnull=True
        )
        .select_related("organisation")
        .order_by("-start_date", "id")
        .first()
    )
    organisation = affiliation.organisation if affiliation else None
    return {
        "sector": organisation.sector if organisation else "",
        "organisation": organisation,
        "organisation_name": organisation.name if organisation else "",
        "jurisdiction": person.jurisdiction,
        "jurisdiction_path": person.jurisdiction.path,
        "level": level_of(person.jurisdiction),
    }


def _announce(kind: str, participation: Participation, recipient_ids: list[Any], actor: User) -> None:
    """Tell the notifications app (after commit) about a place in a session: the record is the session."""
    session = participation.session
    events.emit(
        kind,
        session,
        recipient_ids=[pk for pk in recipient_ids if pk],
        key=f"{participation.uuid}:{kind}:{participation.status}:{participation.version}",
        title=str(session),
        url=reverse("session_detail", args=[session.uuid]),
        actor_id=actor.pk,
    )


def _lock_session(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _register(
    *, actor: User, session: TrainingSession, person: Person, status: str, walk_in: bool = False
) -> Participation:
    locked = _lock_session(session)
    if locked.cancelled_at is not None:
        raise ValidationError(_("This session was cancelled; it takes no registrations."))
    if locked.archived_at is not None:
        raise ValidationError(_("This session is archived; it takes no registrations."))
    if walk_in and _accepted_count(locked) >= locked.places:
        raise ValidationError(_("The session is full (%(places)d places).") % {"places": locked.places})
    if not walk_in and timezone.now() > locked.registration_deadline:
        raise ValidationError(
            _("Registration for this session closed on %(date)s.")
            % {"date": timezone.localtime(locked.registration_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    existing = Participation.objects.filter(session=locked, person=person).first()
    if existing is not None and existing.status in OPEN_STATUSES:
        raise ValidationError(_("%(name)s already holds a place or a request for this session.") % {"name": person})
    values = {**_snapshot(person), "status": status, "nominated_by": actor if status == PlaceStatus.NOMINATED else None}
    if existing is not None:  # came back after withdrawing or being declined: a fresh registration
        participation = versioning.save(versioning.lock(existing), values, actor=actor, action=AuditAction.UPDATE)
        return participation
    participation = Participation.objects.create(session=locked, person=person, **values)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=participation,
        jurisdiction=participation.jurisdiction,
        changes={"status": status, "session": str(locked.uuid)},
    )
    return participation


@transaction.atomic
def participation_request(*, actor: User, session: TrainingSession) -> Participation:
    """The actor asks for a place for themselves (needs their own directory record)."""
    if not access.visible_sessions(actor).filter(pk=session.pk).exists():
        raise PermissionDenied
    person = access.own_person(actor)
    if person is None:
        raise ValidationError(_("Your account is not linked to a person in the directory; ask a coordinator."))
    participation = _register(actor=actor, session=session, person=person, status=PlaceStatus.REQUESTED)
    _announce("capacity.place_requested", participation, [session.created_by_id], actor)
    return participation


@transaction.atomic
def participation_nominate(*, actor: User, session: TrainingSession, person: Person) -> Participation:
    """A coordinator proposes a person of their subtree."""
    if not access.visible_sessions(actor).filter(pk=session.pk).exists():
        raise PermissionDenied
    if get_access(actor).rank_at(person.jurisdiction) < COORDINATOR_RANK or person.archived_at is not None:
        raise ValidationError({"person": _("You can nominate only people of your own jurisdiction and below.")})
    participation = _register(actor=actor, session=session, person=person, status=PlaceStatus.NOMINATED)
    _announce("capacity.nominated", participation, [person.user_id, session.created_by_id], actor)
    return participation


@transaction.atomic
def participation_add(*, actor: User, session: TrainingSession, person: Person) -> Participation:
    """The organiser gives a place directly (a walk-in, or a late addition): accepted at once if a
    place is free, whatever the registration deadline."""
    access.require_organise(actor, session)
    if not core_access.visible_people(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("This person is not in your directory.")})
    return _register(actor=actor, session=session, person=person, status=PlaceStatus.ACCEPTED, walk_in=True)


def _accepted_count(session: TrainingSession) -> int:
    return Participation.objects.filter(session=session, status=PlaceStatus.ACCEPTED).count()


def _promote(*, actor: User, session: TrainingSession) -> Participation | None:
    """Give a freed place to the first on the wait-list (the session row is locked by the caller)."""
    if _accepted_count(session) >= session.places:
        return None
    first = (
        Participation.objects.filter(session=session, status=PlaceStatus.WAITLISTED)
        .order_by("updated_at", "id")
        .first()
    )
    if first is None:
        return None
    locked = versioning.lock(first)
    promoted = versioning.save(
        locked,
        {"status": PlaceStatus.ACCEPTED},
        actor=actor,
        changes={"status": [PlaceStatus.WAITLISTED, PlaceStatus.ACCEPTED], "promoted": True},
    )
    _announce("capacity.promoted", promoted, [promoted.person.user_id], actor)
    return promoted


@transaction.atomic
def participation_decide(
    *, actor: User, participation: Participation, status: str, expected_version: int | None = None
) -> Participation:
    """The organiser accepts, wait-lists or declines a participant."""
    session = _lock_session(participation.session)
    access.require_organise(actor, session)
    if status not in (PlaceStatus.ACCEPTED, PlaceStatus.WAITLISTED, PlaceStatus.DECLINED):
        raise ValidationError({"status": _("Choose accept, wait-list or decline.")})
    locked = versioning.lock(participation, expected_version=expected_version, actor=actor, fields=["status"])
    if locked.status == PlaceStatus.WITHDRAWN:
        raise ValidationError(_("%(name)s has withdrawn.") % {"name": locked.person})
    if locked.status == status:
        return locked
    if status == PlaceStatus.ACCEPTED and _accepted_count(session) >= session.places:
        raise ValidationError(
            _("The session is full (%(places)d places). Wait-list this person or free a place first.")
            % {"places": session.places}
        )
    was_accepted = locked.status == PlaceStatus.ACCEPTED
    saved = versioning.save(locked, {"status": status}, actor=actor, jurisdiction=locked.jurisdiction)
    _announce("capacity.place_decided", saved, [saved.person.user_id], actor)
    if was_accepted:
        _promote(actor=actor, session=session)
    return saved


@transaction.atomic
def participation_withdraw(*, actor: User, participation: Participation) -> Participation:
    """The person (or whoever nominated them, or an organiser) withdraws; a freed place goes to the wait-list."""
    session = _lock_session(participation.session)
    if not (
        access.is_participant(actor, participation)
        or participation.nominated_by_id == get_access(actor).pk
        or access.can_organise(actor, session)
    ):
        raise PermissionDenied
    locked = versioning.lock(participation)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(_("This place is no longer open."))
    was_accepted = locked.status == PlaceStatus.ACCEPTED
    saved = versioning.save(locked, {"status": PlaceStatus.WITHDRAWN}, actor=actor, jurisdiction=locked.jurisdiction)
    if was_accepted:
        _promote(actor=actor, session=session)
    return saved
