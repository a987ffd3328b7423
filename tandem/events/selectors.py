"""Reads of events, built on :mod:`tandem.events.access` (pages, PDF, exports and API share them)."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.core.models import GovernmentLevel, Jurisdiction, JurisdictionKind, Organisation, Sector

from . import access
from .models import (
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
    ReportVersion,
)

LIST_FILTERS = ("q", "kind", "year")


def filter_events(actor: Any, params: Any = None) -> QuerySet[Event]:
    """The event list (page and API): words in the title, kind, year; unknown values are dropped."""
    params = params or {}
    counted = (
        Participant.objects.filter(event=OuterRef("pk"))
        .exclude(status=ParticipantStatus.DECLINED)
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = access.visible_events(actor).annotate(participant_count=Coalesce(Subquery(counted), 0))
    term = str(params.get("q") or "").strip()[:100]
    if term:
        qs = qs.filter(title__icontains=term)
    kind = str(params.get("kind") or "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    year = str(params.get("year") or "")
    if year.isdigit() and 1900 <= int(year) <= 2200:
        qs = qs.filter(starts_at__year=int(year))
    return qs.order_by("-starts_at", "id")


def event_organisations(event: Event) -> dict[str, list[Organisation]]:
    """Organisers, partners and funders (part of the event; their names are shown with it)."""
    result: dict[str, list[Organisation]] = {r: [] for r in OrganisationRole.values}
    for row in EventOrganisation.objects.filter(event=event).select_related("organisation"):
        result[row.role].append(row.organisation)
    return result


def sessions(event: Event) -> QuerySet[AgendaSession]:
    """The agenda (part of the event)."""
    return AgendaSession.objects.filter(event=event).order_by("starts_at", "id")


def participants(actor: Any, event: Event) -> QuerySet[Participant]:
    """The participants the actor may see by name (organisers: all; others: themselves)."""
    return access.visible_participants(actor).filter(event=event).order_by("country__name", "name", "id")


def attending(event: Event) -> QuerySet[Participant]:
    """Everyone not declined (for counts only: names go through ``participants``)."""
    return Participant.objects.filter(event=event).exclude(status=ParticipantStatus.DECLINED)


@dataclass
class Counts:
    total: int = 0
    by_country: list[tuple[str, int]] = field(default_factory=list)
    by_level: list[tuple[str, int]] = field(default_factory=list)
    by_sector: list[tuple[str, int]] = field(default_factory=list)
    by_role: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_country_level: list[tuple[str, dict[str, int]]] = field(default_factory=list)


def participant_counts(event: Event) -> Counts:
    """Counts by country, level, sector, role and status (figures, no names)."""
    rows = list(attending(event).values_list("country__name", "level", "sector", "role", "status"))
    levels = dict(GovernmentLevel.choices)
    sectors = dict(Sector.choices)
    statuses = dict(ParticipantStatus.choices)
    grid: dict[str, Counter] = {}
    for country, level, _sector, _role, _status in rows:
        grid.setdefault(country, Counter())[level] += 1
    role_counter = Counter((role or "").strip().capitalize() or _("Not given") for *_r, role, _s in rows)

    def ordered(counter: Counter, labels: dict | None = None) -> list[tuple[str, int]]:
        return [
            (str(labels.get(k, k)) if labels else k, n)
            for k, n in sorted(counter.items(), key=lambda x: (-x[1], str(x[0])))
        ]

    return Counts(
        total=len(rows),
        by_country=ordered(Counter(r[0] for r in rows)),
        by_level=[(str(levels[k]), n) for k in GovernmentLevel.values if (n := sum(1 for r in rows if r[1] == k))],
        by_sector=ordered(Counter(r[2] or "" for r in rows if r[2]), sectors),
        by_role=ordered(role_counter),
        by_status=[(str(statuses[k]), n) for k in ParticipantStatus.values if (n := sum(1 for r in rows if r[4] == k))],
        by_country_level=[(c, {str(levels[k]): grid[c][k] for k in GovernmentLevel.values}) for c in sorted(grid)],
    )


def participant_countries(event: Event) -> list[Jurisdiction]:
    ids = attending(event).values("country_id")
    return list(Jurisdiction.objects.filter(pk__in=ids, kind=JurisdictionKind.COUNTRY).order_by("name"))


def country_choices() -> QuerySet[Jurisdiction]:
    """The countries of the network (names are not confidential: the public members page shows them)."""
    return Jurisdiction.objects.filter(kind=JurisdictionKind.COUNTRY).order_by("name")


def place_choices(actor: Any) -> QuerySet[Jurisdiction]:
    """Cities and other local units the actor sees in the jurisdiction tree."""
    from tandem.core import access as core_access

    return (
        core_access.visible_jurisdictions(actor)
        .exclude(kind__in=[JurisdictionKind.NETWORK, JurisdictionKind.COUNTRY])
        .order_by("path")
    )


# --- Breakouts ------------------------------------------------------------------------------


@dataclass
class FollowUp:
    kind: str  # "action_item", "exchange", ""
    label: str
    status: str
    url_name: str = ""
    uuid: Any = None


def follow_up(actor: Any, commitment: Commitment) -> FollowUp:
    """What became of the commitment: the linked record's status (the link only if the actor may open it)."""
    if commitment.action_item_id is not None:
        from tandem.bodies import access as bodies_access

        item = commitment.action_item
        visible = bodies_access.visible_action_items(actor).filter(pk=commitment.action_item_id).exists()
        return FollowUp(
            "action_item",
            _("Action item of a coordination body"),
            str(item.get_status_display()) if item else "",
            "action_item_detail" if visible else "",
            item.uuid if item and visible else None,
        )
    if commitment.exchange_item_id is not None:
        request = commitment.exchange_item
        if request is None:
            return FollowUp("exchange", _("Exchange request"), "")
        if request.sent_at is None:
            mine = request.sender_id == getattr(actor, "pk", None)
            return FollowUp(
                "exchange",
                _("Exchange request"),
                str(_("draft, not sent yet")),
                "exchange_preview" if mine else "",
                request.uuid if mine else None,
            )
        from tandem.exchange import access as exchange_access

        visible = exchange_access.visible_items(actor).filter(pk=request.pk).exists()
        return FollowUp(
            "exchange",
            _("Exchange request"),
            str(request.get_status_display()) if request.status else "",
            "exchange_detail" if visible else "",
            request.uuid if visible else None,
        )
    return FollowUp("", _("No follow-up yet"), "")


@dataclass
class BreakoutView:
    breakout: Breakout
    members: list[Participant]
    challenges: list[Outcome]
    collaboration: list[Outcome]
    commitments: list[tuple[Commitment, FollowUp]]


def breakouts(actor: Any, event: Event) -> list[BreakoutView]:
    """The event's groups with their outcomes and commitments (members: those the actor may see)."""
    groups = list(
        access.visible_breakouts(actor).filter(event=event).select_related("rapporteur").order_by("name", "id")
    )
    ids = [b.pk for b in groups]
    outcomes: dict[int, list[Outcome]] = {i: [] for i in ids}
    for outcome in Outcome.objects.filter(breakout_id__in=ids).order_by("id"):
        outcomes[outcome.breakout_id].append(outcome)
    commitments: dict[int, list[Commitment]] = {i: [] for i in ids}
    for c in (
        access.visible_commitments(actor)
        .filter(breakout_id__in=ids)
        .select_related("action_item", "exchange_item")
        .order_by("due_date", "id")
    ):
        commitments[c.breakout_id].append(c)
    seen = set(access.visible_participants(actor).filter(event=event).values_list("pk", flat=True))
    members: dict[int, list[Participant]] = {i: [] for i in ids}
    through = Breakout.members.through.objects.filter(breakout_id__in=ids).select_related("participant")
    for row in through:
        if row.participant_id in seen:
            members[row.breakout_id].append(row.participant)
    return [
        BreakoutView(
            b,
            sorted(members[b.pk], key=lambda p: p.name),
            [o for o in outcomes[b.pk] if o.kind == OutcomeKind.CHALLENGE],
            [o for o in outcomes[b.pk] if o.kind == OutcomeKind.COLLABORATION],
            [(c, follow_up(actor, c)) for c in commitments[b.pk]],
        )
        for b in groups
    ]


def rapporteur_name(actor: Any, breakout: Breakout) -> str:
    if breakout.rapporteur_id is None:
        return ""
    return (
        access.visible_participants(actor).filter(pk=breakout.rapporteur_id).values_list("name", flat=True).first()
        or ""
    )


# --- The report -----------------------------------------------------------------------------


def report_of(actor: Any, event: Event) -> EventReport | None:
    return access.visible_reports(actor).filter(event=event).first()


def report_versions(report: EventReport) -> QuerySet[ReportVersion]:
    """The summary's versions (part of the report, read with it)."""
    return ReportVersion.objects.filter(report=report).select_related("created_by").order_by("-number")


def report_title(event: Event) -> str:
    with translation.override(event.language):
        return _("Report: %(title)s") % {"title": event.title}


@dataclass
class ReportData:
    """Everything the report shows, in the event's language (page, PDF, library item)."""

    event: Event
    title: str
    summary: str
    objectives: list[str]
    sessions: list[AgendaSession]
    counts: Counts
    levels: list[str]
    breakouts: list[BreakoutView]
    by_role: dict[str, list[Organisation]]


def report_data(actor: Any, event: Event, report: EventReport | None) -> ReportData:
    groups = breakouts(actor, event)
    for group in groups:
        group.members = []  # a report carries no names of participants
    return ReportData(
        event=event,
        title=report_title(event),
        summary=report.summary if report else "",
        objectives=event.objective_list,
        sessions=list(sessions(event)),
        counts=participant_counts(event),
        levels=[str(label) for label in GovernmentLevel.labels],
        breakouts=groups,
        by_role=event_organisations(event),
    )


def report_html(data: ReportData) -> str:
    """The report as formatted text for the library item (escaped; the library sanitises it again)."""
    e = html.escape
    with translation.override(data.event.language):
        parts = [f"<p>{e(p)}</p>" for p in data.summary.split("\n\n") if p.strip()]
        if data.objectives:
            parts.append(f"<h2>{e(_('Objectives'))}</h2><ul>")
            parts += [f"<li>{e(o)}</li>" for o in data.objectives]
            parts.append("</ul>")
        parts.append(f"<h2>{e(_('Participants by country and level'))}</h2><ul>")
        for country, by_level in data.counts.by_country_level:
            detail = ", ".join(f"{e(level)}: {n}" for level, n in by_level.items() if n)
            parts.append(f"<li>{e(country)}: {detail}</li>")
        parts.append("</ul>")
        if data.sessions:
            parts.append(f"<h2>{e(_('Sessions'))}</h2><ul>")
            parts += [f"<li>{e(s.title)}{' — ' + e(s.speakers) if s.speakers else ''}</li>" for s in data.sessions]
            parts.append("</ul>")
        for group in data.breakouts:
            parts.append(f"<h2>{e(group.breakout.name)}</h2>")
            if group.challenges:
                parts.append(f"<h3>{e(_('Challenges'))}</h3><ul>")
                parts += [f"<li>{e(o.text)}</li>" for o in group.challenges]
                parts.append("</ul>")
            if group.collaboration:
                parts.append(f"<h3>{e(_('Areas of collaboration'))}</h3><ul>")
                parts += [f"<li>{e(o.text)}</li>" for o in group.collaboration]
                parts.append("</ul>")
            if group.commitments:
                parts.append(f"<h3>{e(_('Commitments'))}</h3><ul>")
                for c, f in group.commitments:
                    due = f" ({_('due')} {c.due_date.isoformat()})" if c.due_date else ""
                    state = f" — {e(f.label)}{': ' + e(f.status) if f.status else ''}"
                    parts.append(f"<li>{e(c.text)} — {e(c.owner)}{e(due)}{state}</li>")
                parts.append("</ul>")
    return "".join(parts)


# --- Other apps ---------------------------------------------------------------------------


def events_attended(actor: Any, organisation_id: int) -> QuerySet[Event]:
    """Events the actor may read where someone of the organisation attended (the membership page)."""
    attended = Participant.objects.filter(organisation_id=organisation_id, status=ParticipantStatus.ATTENDED).values(
        "event_id"
    )
    return access.visible_events(actor).filter(pk__in=attended).order_by("-starts_at", "id")


def export_rows(actor: Any, event: Event) -> list[list[Any]]:
    levels = dict(GovernmentLevel.choices)
    sectors = dict(Sector.choices)
    statuses = dict(ParticipantStatus.choices)
    return [
        [
            p.name,
            p.role,
            p.organisation.name if p.organisation else p.organisation_name,
            p.country.name,
            str(levels.get(p.level, p.level)),
            str(sectors.get(p.sector, "")) if p.sector else "",
            str(statuses.get(p.status, p.status)),
            _("directory") if p.person_id else _("guest"),
        ]
        for p in participants(actor, event)
    ]
