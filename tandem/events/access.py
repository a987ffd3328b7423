"""THE visibility rule of events. Every list, detail, export, calendar, report and API operation
goes through here.

* An event is read by its visibility, with the library's rule (``library.access.audience_q``):
  network-wide (TLP:CLEAR), the community (TLP:GREEN: every user holding a role), the country of
  the owning jurisdiction, or the owning jurisdiction's subtree (and the units above it). Its
  organisers read it whatever its visibility.
* Organisers: coordinators (local and above) and network facilitators whose grant covers the
  owning jurisdiction (and administrators). They edit the event, its agenda, participants,
  breakouts, outcomes, commitments and report.
* A participant's name, role and status: the organisers, and the participant themselves (through
  their directory record). Everyone else who reads the event sees counts only.
* Breakouts, outcomes and commitments go with the event. The report before publication: the
  organisers; once published, every reader of the event.

Fail closed: an anonymous or inactive user reads nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from tandem.core.access import COORDINATOR_RANK, Actor, get_access, path_q
from tandem.core.models import Jurisdiction, Role
from tandem.library import access as library_access

from .models import Breakout, Commitment, Event, EventReport, Participant, ReportStatus


def organiser_paths(actor: Actor) -> list[str] | None:
    """Paths where the actor organises events (``None``: everywhere; ``[]``: nowhere)."""
    access = get_access(actor)
    if not access.is_active:
        return []
    if access.is_admin:
        return None
    paths = {g.path for g in access.grants if g.rank >= COORDINATOR_RANK or g.role == Role.FACILITATOR}
    return sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def _organised(actor: Actor, field: str) -> Q:
    paths = organiser_paths(actor)
    if paths is None:
        return Q(pk__isnull=False)
    if not paths:
        return Q(pk__in=[])
    return path_q(paths, field)


def event_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` on events (``prefix`` leads to the event): may the actor read it?"""
    if not get_access(actor).is_active:
        return Q(pk__in=[])
    return library_access.audience_q(actor, prefix) | _organised(actor, f"{prefix}jurisdiction__path")


def visible_events(actor: Actor) -> QuerySet[Event]:
    return Event.objects.filter(event_q(actor)).select_related("jurisdiction", "place", "host")


def can_organise_at(actor: Actor, jurisdiction: Jurisdiction) -> bool:
    paths = organiser_paths(actor)
    return paths is None or any(jurisdiction.path.startswith(p) for p in paths)


def can_manage(actor: Actor, event: Event) -> bool:
    return can_organise_at(actor, event.jurisdiction)


def require_organise_at(actor: Actor, jurisdiction: Jurisdiction) -> None:
    if not can_organise_at(actor, jurisdiction):
        raise PermissionDenied


def require_manage(actor: Actor, event: Event) -> None:
    if not can_manage(actor, event):
        raise PermissionDenied


def organiser_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    """Where the actor may own an event (nowhere without an organiser's grant: ``path_q`` of no path)."""
    return Jurisdiction.objects.filter(path_q(organiser_paths(actor), "path")).order_by("path")


def participant_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` on participants: the event's organisers and the participant themselves."""
    access = get_access(actor)
    if not access.is_active:
        return Q(pk__in=[])
    return Q(**{f"{prefix}person__user_id": access.pk}) | _organised(access, f"{prefix}event__jurisdiction__path")


def visible_participants(actor: Actor) -> QuerySet[Participant]:
    return Participant.objects.filter(
        participant_q(actor), event__in=Event.objects.filter(event_q(actor))
    ).select_related("event", "country", "organisation", "person")


def visible_breakouts(actor: Actor) -> QuerySet[Breakout]:
    return Breakout.objects.filter(event__in=Event.objects.filter(event_q(actor))).select_related("event", "country")


def visible_commitments(actor: Actor) -> QuerySet[Commitment]:
    return Commitment.objects.filter(breakout__event__in=Event.objects.filter(event_q(actor))).select_related(
        "breakout", "breakout__event", "breakout__event__jurisdiction", "owner_organisation"
    )


def report_q(actor: Actor) -> Q:
    """``Q`` on reports: published ones to the event's readers, drafts to its organisers."""
    return Q(event__in=Event.objects.filter(event_q(actor))) & (
        Q(status=ReportStatus.PUBLISHED) | _organised(actor, "event__jurisdiction__path")
    )


def visible_reports(actor: Actor) -> QuerySet[EventReport]:
    return EventReport.objects.filter(report_q(actor)).select_related("event", "event__jurisdiction", "library_item")


__all__ = [
    "can_manage",
    "can_organise_at",
    "event_q",
    "organiser_jurisdictions",
    "organiser_paths",
    "participant_q",
    "report_q",
    "require_manage",
    "require_organise_at",
    "visible_breakouts",
    "visible_commitments",
    "visible_events",
    "visible_participants",
    "visible_reports",
]
