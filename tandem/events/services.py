"""Every write of events: the event, its agenda, participants, breakouts with outcomes and
commitments, follow-ups (an action item of a coordination body), and the report (versions kept;
published, it becomes a library item). Each service is atomic, checks the permission again and
audits."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import versioning
from tandem.core.auditlog import audit_record
from tandem.core.models import (
    AuditAction,
    GovernmentLevel,
    Jurisdiction,
    JurisdictionKind,
    Organisation,
    Person,
    Sector,
    User,
)

from . import access
from .models import (
    TEXT_MAX,
    AgendaSession,
    Breakout,
    Commitment,
    Event,
    EventOrganisation,
    EventReport,
    Kind,
    OrganisationRole,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    ReportStatus,
    ReportVersion,
)

# --- Events ---------------------------------------------------------------------------------


@dataclass
class EventData:
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    visibility: str
    time_zone: str = "UTC"
    place: Jurisdiction | None = None
    online: bool = False
    venue: str = ""
    host: Organisation | None = None
    language: str = "en"
    languages: str = ""
    objectives: str = ""
    organisers: tuple[Organisation, ...] = ()
    partners: tuple[Organisation, ...] = ()
    funders: tuple[Organisation, ...] = ()

    def fields(self) -> dict[str, Any]:
        return {
            "title": self.title.strip(),
            "kind": self.kind,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "time_zone": self.time_zone,
            "visibility": self.visibility,
            "place": self.place,
            "online": self.online,
            "venue": self.venue.strip(),
            "host": self.host,
            "language": self.language,
            "languages": self.languages.strip(),
            "objectives": "\n".join(line.strip() for line in self.objectives.splitlines() if line.strip()),
        }


def _check_event(data: EventData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the event a title.")]
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        errors["starts_at"] = [_("Give the times with their time zone.")]
    elif data.ends_at < data.starts_at:
        errors["ends_at"] = [_("The event cannot end before it starts.")]
    try:
        zoneinfo.ZoneInfo(data.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = [_("Unknown time zone: use a name such as Asia/Manila.")]
    if data.place is None and not data.online:
        errors["place"] = [_("Choose the city where it takes place, or say it is online.")]
    if data.place is not None and data.place.kind in (JurisdictionKind.NETWORK, JurisdictionKind.COUNTRY):
        errors["place"] = [_("Choose a city or another local unit, not a country.")]
    if data.kind not in Kind.values:
        errors["kind"] = [_("Unknown kind of event.")]
    if errors:
        raise ValidationError(errors)


def _set_organisations(event: Event, data: EventData) -> None:
    EventOrganisation.objects.filter(event=event).delete()
    rows = [
        EventOrganisation(event=event, organisation=org, role=role)
        for role, orgs in (
            (OrganisationRole.ORGANISER, data.organisers),
            (OrganisationRole.PARTNER, data.partners),
            (OrganisationRole.FUNDER, data.funders),
        )
        for org in {o.pk: o for o in orgs}.values()
    ]
    EventOrganisation.objects.bulk_create(rows)


@transaction.atomic
def event_create(*, actor: User, jurisdiction: Jurisdiction, data: EventData) -> Event:
    """A new event owned by ``jurisdiction`` (organisers over it)."""
    access.require_organise_at(actor, jurisdiction)
    _check_event(data)
    event = Event(jurisdiction=jurisdiction, created_by=actor, **data.fields())
    event.full_clean()
    event.save()
    _set_organisations(event, data)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=event)
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, expected_version: int, data: EventData) -> Event:
    """An edit; the agenda must still fit inside the new dates. A stale version writes nothing."""
    access.require_manage(actor, event)
    _check_event(data)
    outside = AgendaSession.objects.filter(event=event).filter(_outside(data.starts_at, data.ends_at))
    if outside.exists():
        raise ValidationError({"starts_at": [_("Some agenda sessions would fall outside the new dates.")]})
    saved = versioning.update(actor=actor, obj=event, expected_version=expected_version, values=data.fields())
    _set_organisations(saved, data)
    return saved


def _outside(starts_at: dt.datetime, ends_at: dt.datetime) -> Any:
    from django.db.models import Q

    return Q(starts_at__lt=starts_at) | Q(ends_at__gt=ends_at)


# --- Agenda ---------------------------------------------------------------------------------


@transaction.atomic
def session_add(
    *,
    actor: User,
    event: Event,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    speakers: str = "",
    room: str = "",
) -> AgendaSession:
    """A session of the agenda, inside the event's dates (else a clear error, nothing written)."""
    access.require_manage(actor, event)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the session a title.")]
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        errors["starts_at"] = [_("Give the times with their time zone.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The session must end after it starts.")]
    elif starts_at < event.starts_at or ends_at > event.ends_at:
        zone = zoneinfo.ZoneInfo(event.time_zone)
        errors["starts_at"] = [
            _("The session must fall within the event's dates (%(start)s to %(end)s).")
            % {
                "start": event.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "end": event.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            }
        ]
    if errors:
        raise ValidationError(errors)
    session = AgendaSession(
        event=event,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        speakers=speakers.strip(),
        room=room.strip(),
    )
    session.full_clean()
    session.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session, jurisdiction=event.jurisdiction)
    return session


# --- Participants ---------------------------------------------------------------------------


def country_of(jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The country a jurisdiction lies in (itself if it is one)."""
    if jurisdiction.kind == JurisdictionKind.COUNTRY:
        return jurisdiction
    return Jurisdiction.objects.filter(path=jurisdiction.country_path, kind=JurisdictionKind.COUNTRY).first()


def _duplicate(message: str) -> ValidationError:
    return ValidationError({"__all__": [message]})


def _check_participant(*, role: str, level: str, sector: str, country: Jurisdiction | None) -> None:
    errors: dict[str, list[str]] = {}
    if level not in GovernmentLevel.values:
        errors["level"] = [_("Choose national, regional or local.")]
    if sector and sector not in Sector.values:
        errors["sector"] = [_("Unknown sector.")]
    if country is None or country.kind != JurisdictionKind.COUNTRY:
        errors["country"] = [_("Choose a country.")]
    if len(role) > 200:
        errors["role"] = [_("The role is too long.")]
    if errors:
        raise ValidationError(errors)


def _save_participant(actor: User, participant: Participant) -> Participant:
    participant.full_clean(exclude=["event", "person", "country", "organisation"])
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise _duplicate(_("This person is already on the participant list.")) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=participant,
        jurisdiction=participant.event.jurisdiction,
        changes={"status": participant.status},
    )
    return participant


@transaction.atomic
def participant_invite(
    *,
    actor: User,
    event: Event,
    person: Person,
    level: str,
    role: str = "",
    organisation: Organisation | None = None,
    sector: str = "",
) -> Participant:
    """Invite someone from the directory (the view offers only people the actor may see)."""
    access.require_manage(actor, event)
    country = country_of(person.jurisdiction)
    _check_participant(role=role, level=level, sector=sector, country=country)
    if Participant.objects.filter(event=event, person=person).exists():
        raise _duplicate(_("%(name)s is already on the participant list.") % {"name": person.full_name})
    return _save_participant(
        actor,
        Participant(
            event=event,
            person=person,
            name=person.full_name,
            role=role.strip(),
            organisation=organisation,
            organisation_name=organisation.name if organisation else "",
            country=country,
            level=level,
            sector=sector or (organisation.sector if organisation else ""),
        ),
    )


@transaction.atomic
def participant_add_guest(
    *,
    actor: User,
    event: Event,
    name: str,
    country: Jurisdiction,
    level: str,
    role: str = "",
    organisation_name: str = "",
    sector: str = "",
    status: str = ParticipantStatus.REGISTERED,
) -> Participant:
    """A guest who is not in the directory: registered at once (a duplicate is refused)."""
    access.require_manage(actor, event)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the guest's name.")]})
    _check_participant(role=role, level=level, sector=sector, country=country)
    if status not in ParticipantStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    if Participant.objects.filter(event=event, name__iexact=name, country=country).exists():
        raise _duplicate(
            _("%(name)s from %(country)s is already registered for this event.")
            % {"name": name, "country": country.name}
        )
    now = timezone.now()
    return _save_participant(
        actor,
        Participant(
            event=event,
            name=name,
            role=role.strip(),
            organisation_name=organisation_name.strip(),
            country=country,
            level=level,
            sector=sector,
            status=status,
            registered_at=now if status != ParticipantStatus.INVITED else None,
            confirmed_at=now if status in (ParticipantStatus.CONFIRMED, ParticipantStatus.ATTENDED) else None,
            attended_at=now if status == ParticipantStatus.ATTENDED else None,
        ),
    )


STAMPS: dict[str, str] = {
    ParticipantStatus.REGISTERED: "registered_at",
    ParticipantStatus.CONFIRMED: "confirmed_at",
    ParticipantStatus.ATTENDED: "attended_at",
}


@transaction.atomic
def participant_set_status(*, actor: User, participant: Participant, status: str) -> Participant:
    """Registration, confirmation, attendance (or a decline), each with its time."""
    access.require_manage(actor, participant.event)
    if status not in ParticipantStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    before = locked.status
    now = timezone.now()
    locked.status = status
    order: list[str] = [ParticipantStatus.REGISTERED, ParticipantStatus.CONFIRMED, ParticipantStatus.ATTENDED]
    if status in order:
        for step in order[: order.index(status) + 1]:
            if getattr(locked, STAMPS[step]) is None:
                setattr(locked, STAMPS[step], now)
    locked.save(update_fields=["status", "registered_at", "confirmed_at", "attended_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        jurisdiction=participant.event.jurisdiction,
        changes={"status": [before, status]},
    )
    return locked


# --- Breakouts, outcomes, commitments -------------------------------------------------------


@transaction.atomic
def breakout_create(
    *,
    actor: User,
    event: Event,
    name: str,
    country: Jurisdiction | None = None,
    members: tuple[Participant, ...] = (),
    rapporteur: Participant | None = None,
) -> Breakout:
    """A breakout group of participants of the event, with a rapporteur among them."""
    access.require_manage(actor, event)
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the group a name.")]
    elif Breakout.objects.filter(event=event, name__iexact=name).exists():
        errors["name"] = [_("This event already has a group with that name.")]
    if any(m.event_id != event.pk for m in members):
        errors["members"] = [_("Choose participants of this event.")]
    if rapporteur is not None and rapporteur.event_id != event.pk:
        errors["rapporteur"] = [_("Choose a participant of this event.")]
    if country is not None and country.kind != JurisdictionKind.COUNTRY:
        errors["country"] = [_("Choose a country.")]
    if errors:
        raise ValidationError(errors)
    breakout = Breakout.objects.create(event=event, name=name, country=country, rapporteur=rapporteur)
    chosen = {m.pk: m for m in members}
    if rapporteur is not None:
        chosen[rapporteur.pk] = rapporteur
    breakout.members.set(chosen.values())
    audit_record(actor=actor, action=AuditAction.CREATE, obj=breakout, jurisdiction=event.jurisdiction)
    return breakout


@transaction.atomic
def outcome_add(*, actor: User, breakout: Breakout, kind: str, text: str) -> Outcome:
    """A challenge identified or an area of collaboration drafted by the group."""
    access.require_manage(actor, breakout.event)
    text = text.strip()
    if kind not in OutcomeKind.values:
        raise ValidationError({"kind": [_("Choose a challenge or an area of collaboration.")]})
    if not text:
        raise ValidationError({"text": [_("Write the outcome.")]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [_("The text is too long (at most %(n)s characters).") % {"n": TEXT_MAX}]})
    outcome = Outcome.objects.create(breakout=breakout, kind=kind, text=text)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=breakout,
        jurisdiction=breakout.event.jurisdiction,
        changes={"outcome": kind},
    )
    return outcome


@transaction.atomic
def commitment_add(
    *,
    actor: User,
    breakout: Breakout,
    text: str,
    owner: str,
    owner_organisation: Organisation | None = None,
    due_date: dt.date | None = None,
) -> Commitment:
    """What someone undertook in the group: an owner and a due date."""
    access.require_manage(actor, breakout.event)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Write the commitment.")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [_("The text is too long (at most %(n)s characters).") % {"n": TEXT_MAX}]
    if not owner.strip():
        errors["owner"] = [_("Say who owns the commitment.")]
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(
        breakout=breakout,
        text=text.strip(),
        owner=owner.strip()[:200],
        owner_organisation=owner_organisation,
        due_date=due_date,
    )
    commitment.full_clean(exclude=["breakout", "owner_organisation", "action_item", "exchange_item"])
    commitment.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=commitment, jurisdiction=breakout.event.jurisdiction)
    return commitment


def _lock_without_follow_up(actor: User, commitment: Commitment, expected_version: int, *, field: str) -> Commitment:
    """The commitment locked at the version the user saw, refused if it already has a follow-up."""
    access.require_manage(actor, commitment.breakout.event)
    locked = versioning.lock(commitment, actor=actor)
    versioning.check(locked, expected_version, actor=actor)
    if locked.action_item_id is not None or locked.exchange_item_id is not None:
        raise ValidationError({field: [_("This commitment already has a follow-up.")]})
    return locked


def _action_title(text: str, event_title: str) -> str:
    suffix = f" ({event_title[:80]})"
    room = 300 - len(suffix)
    text = " ".join(text.split())
    return (text if len(text) <= room else text[: room - 1] + "…") + suffix


@transaction.atomic
def commitment_to_action_item(*, actor: User, commitment: Commitment, body: Any, expected_version: int) -> Commitment:
    """The commitment becomes an action item of a coordination body (through the bodies' service,
    which checks that the actor may add action items to that body). The link is kept."""
    from tandem.bodies import services as bodies_services

    event = commitment.breakout.event
    locked = _lock_without_follow_up(actor, commitment, expected_version, field="body")
    owner = locked.owner_organisation
    item = bodies_services.action_item_create(
        actor=actor,
        body=body,
        title=_action_title(locked.text, event.title),
        owner_organisation=owner
        if owner and owner.jurisdiction.country_path == body.jurisdiction.country_path
        else None,
        due_date=locked.due_date,
    )
    return versioning.save(
        locked,
        {"action_item": item},
        actor=actor,
        jurisdiction=event.jurisdiction,
        changes={"follow_up": "action_item", "action_item": str(item.uuid)},
    )


@transaction.atomic
def commitment_to_exchange_request(
    *,
    actor: User,
    commitment: Commitment,
    sender_jurisdiction: Jurisdiction,
    recipients: tuple[Jurisdiction, ...],
    due_date: dt.date,
    expected_version: int,
) -> Commitment:
    """The commitment becomes a follow-up request of the exchange: a draft request (through the
    exchange's services, which check the sender's role and the recipients), which the sender then
    previews and sends there. The link is kept."""
    from tandem.exchange.services import Addressees, draft_save

    event = commitment.breakout.event
    locked = _lock_without_follow_up(actor, commitment, expected_version, field="__all__")
    draft = draft_save(
        actor=actor,
        jurisdiction=sender_jurisdiction,
        sender_organisation=None,
        kind="request",
        subkind="support",
        direction="lateral",
        tlp="GREEN",
        title=_action_title(locked.text, event.title)[:200],
        body=_("Follow-up of a commitment made at %(event)s: %(text)s (owner: %(owner)s).")
        % {"event": event.title, "text": locked.text, "owner": locked.owner},
        due_date=due_date,
        addressees=Addressees(jurisdictions=list(recipients)),
    )
    return versioning.save(
        locked,
        {"exchange_item": draft},
        actor=actor,
        jurisdiction=event.jurisdiction,
        changes={"follow_up": "exchange_request", "exchange_item": str(draft.uuid)},
    )


# --- The report -----------------------------------------------------------------------------


def _snapshot(report: EventReport, actor: User | None) -> None:
    ReportVersion.objects.create(report=report, number=report.version, summary=report.summary, created_by=actor)


@transaction.atomic
def report_start(*, actor: User, event: Event, summary: str = "") -> EventReport:
    """The event's report, as a draft (one per event; the existing one is returned)."""
    access.require_manage(actor, event)
    existing = EventReport.objects.filter(event=event).first()
    if existing is not None:
        return existing
    report = EventReport.objects.create(event=event, summary=summary.strip())
    _snapshot(report, actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, jurisdiction=event.jurisdiction)
    return report


@transaction.atomic
def report_update(*, actor: User, report: EventReport, expected_version: int, summary: str) -> EventReport:
    """The summary, edited before publication (each version kept)."""
    access.require_manage(actor, report.event)
    summary = summary.strip()
    if len(summary) > 20_000:
        raise ValidationError({"summary": [_("The summary is too long.")]})
    locked = versioning.lock(report, actor=actor)
    versioning.check(locked, expected_version, actor=actor, fields=["summary"])
    if locked.status == ReportStatus.PUBLISHED:
        raise ValidationError({"summary": [_("The report is published: its summary can no longer change.")]})
    if locked.summary == summary:
        return locked
    saved = versioning.save(locked, {"summary": summary}, actor=actor, jurisdiction=report.event.jurisdiction)
    _snapshot(saved, actor)
    return saved


@transaction.atomic
def report_publish(*, actor: User, report: EventReport, expected_version: int, body_html: str) -> EventReport:
    """Publish the report: it becomes a library item with the event's visibility, owned by the
    event's jurisdiction (through the library's services: proposed, then published when the actor
    curates there, else left in the library's review queue)."""
    from tandem.library import access as library_access
    from tandem.library import services as library_services
    from tandem.library.models import Kind as LibraryKind

    from . import selectors

    event = report.event
    access.require_manage(actor, event)
    locked = versioning.lock(report, actor=actor)
    versioning.check(locked, expected_version, actor=actor)
    if locked.status == ReportStatus.PUBLISHED:
        raise ValidationError({"__all__": [_("The report is already published.")]})
    if not locked.summary.strip():
        raise ValidationError({"summary": [_("Write the summary before publishing.")]})
    countries = tuple(selectors.participant_countries(event))
    data = library_services.ItemData(
        kind=LibraryKind.EVENT_REPORT,
        title=selectors.report_title(event)[:200],
        summary=locked.summary[:1000],
        body=body_html,
        language=event.language,
        visibility=event.visibility,
        publication_date=timezone.localdate(),
        author_organisation=event.host,
        countries=countries,
        concerns=(event.place,) if event.place else (),
    )
    item = library_services.item_propose(actor=actor, jurisdiction=event.jurisdiction, data=data)
    if library_access.can_curate(actor, item):
        item = library_services.item_publish(actor=actor, item=item, expected_version=item.version)
    else:
        item = library_services.item_submit(actor=actor, item=item, expected_version=item.version)
    return versioning.save(
        locked,
        {"status": ReportStatus.PUBLISHED, "library_item": item, "published_at": timezone.now()},
        actor=actor,
        jurisdiction=event.jurisdiction,
        changes={"status": ReportStatus.PUBLISHED, "library_item": str(item.uuid)},
    )
