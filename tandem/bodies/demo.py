"""Demo data of tandem.bodies, built by ``manage.py load_demo`` after the core directory.

Per demo country: a national-local platform at country level and one local
body for every unit with at least three organisations (Kenya's Mombasa County
Engagement Forum with its commissioner and governor co-chair seats and a
civil-society secretariat). Some bodies deliberately lack youth or women's
groups so the inclusivity panels have something to show. Each body gets a year
of monthly meetings (attendance, minutes, decisions, action items, some
overdue) and two upcoming ones. Deterministic: ``random.Random(seed)``; dates
are relative to today. Every write goes through :mod:`tandem.bodies.services`.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from typing import Any

from django.utils import timezone

from tandem.core.models import Affiliation, Jurisdiction, Organisation, Person, Sector

from . import services
from .models import ActionStatus, BodyKind, MeetingStatus, MinutesVersion, SeatKind
from .selectors import COUNTRY_ZONES

COUNTRIES = ("KE", "PH", "ID", "MK")
LOCAL_KIND = {
    "KE": BodyKind.ENGAGEMENT_FORUM,
    "PH": BodyKind.COORDINATION_COMMITTEE,
    "ID": BodyKind.LOCAL_PREVENTION_NETWORK,
    "MK": BodyKind.COMMUNITY_ACTION_TEAM,
}
LOCAL_NAME = {
    "KE": "{place} County Engagement Forum",
    "PH": "{place} Peace and Order Coordination Committee",
    "ID": "{place} Local Prevention Network",
    "MK": "{place} Community Action Team",
}
MEETING_TITLES = ["Regular meeting", "Quarterly review", "Working session", "Community dialogue follow-up"]
AGENDA = [
    "Welcome and adoption of the agenda",
    "Update from the secretariat",
    "Community concerns raised since the last meeting",
    "Progress on action items",
    "Youth engagement activities",
    "Referral cases (anonymised) and support services",
    "Communication with the national coordination centre",
    "Any other business",
]
DECISIONS = [
    "Hold a community dialogue with religious leaders before the end of the quarter.",
    "Set up a referral desk at the family support centre.",
    "Ask the national coordination centre for training on early warning signs.",
    "Publish a short summary of the forum's work on community radio.",
    "Map youth groups in the informal settlements and invite two to join the body.",
    "Review the terms of reference at the next meeting.",
]
ACTIONS = [
    "Draft the dialogue concept note",
    "Contact the religious leaders' council",
    "Prepare the referral desk procedure",
    "Send the training request",
    "Record the radio programme",
    "Compile the list of youth groups",
    "Circulate the revised terms of reference",
]
MANDATE = (
    "The {name} brings together government, security, civil society, faith and youth organisations of "
    "{place} to prevent violent extremism and hate: it shares information on community concerns, coordinates "
    "prevention activities and follows up on referrals, within the national strategy."
)
OBJECTIVES = [
    "Meet at least every month and keep minutes of decisions",
    "Keep a joint picture of community concerns",
    "Coordinate prevention activities of members",
    "Make sure women, youth and faith communities are at the table",
]


def _at(day: dt.date, hour: int, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zoneinfo.ZoneInfo(zone))


class _Builder:
    def __init__(self, admin: Any, seed: int) -> None:
        self.admin = admin
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.counts: dict[str, int] = defaultdict(int)

    def body(self, *, name, kind, place, orgs, drop=(), seats=()):
        today = self.today
        body = services.body_create(
            actor=self.admin,
            name=name,
            kind=kind,
            jurisdiction=place,
            mandate=MANDATE.format(name=name, place=place.name),
            mandate_reviewed_on=today - dt.timedelta(days=self.rng.randint(60, 900)),
            objectives=OBJECTIVES,
        )
        self.counts["bodies"] += 1
        members = []
        for org in orgs:
            if org.sector in drop:
                continue
            start = today - dt.timedelta(days=self.rng.randint(420, 1400))
            members.append(
                services.membership_add(actor=self.admin, body=body, organisation=org, role="Member", start_date=start)
            )
        # History: one former member (ended last year).
        self.counts["memberships"] += len(members)
        for title, kind_, holder in seats:
            seat = services.seat_create(actor=self.admin, body=body, title=title, kind=kind_)
            if holder is not None:
                services.seat_assign(
                    actor=self.admin, seat=seat, organisation=holder, start_date=today - dt.timedelta(days=400)
                )
            self.counts["seats"] += 1
        return body, members

    @staticmethod
    def representative(org: Organisation) -> Person | None:
        """Someone currently working for the organisation (persona accounts first), or nobody."""
        affiliation = (
            Affiliation.objects.filter(organisation=org, end_date__isnull=True, person__archived_at__isnull=True)
            .select_related("person")
            .order_by("person__user_id", "person__full_name", "id")
            .first()
        )
        return affiliation.person if affiliation else None

    def meetings(self, body, members, zone: str, *, focus_org=None):
        rng, today = self.rng, self.today
        last_held = None
        for month in range(12, 0, -1):
            day = today - dt.timedelta(days=30 * month + rng.randint(-5, 5))
            status = MeetingStatus.CANCELLED if rng.random() < 0.08 else MeetingStatus.HELD
            meeting = services.meeting_create(
                actor=self.admin,
                body=body,
                title=rng.choice(MEETING_TITLES),
                starts_at=_at(day, 10, zone),
                ends_at=_at(day, 12, zone),
                time_zone=zone,
                place=f"{body.jurisdiction.name}, meeting room",
                status=status,
                agenda=rng.sample(AGENDA, 4),
            )
            self.counts["meetings"] += 1
            if status == MeetingStatus.CANCELLED:
                continue
            last_held = meeting
            present = [m.pk for m in members if rng.random() < 0.7]
            services.meeting_record_attendance(actor=self.admin, meeting=meeting, attended_membership_ids=present)
            names = ", ".join(m.organisation.name for m in members if m.pk in present)
            minutes = services.minutes_save(
                actor=self.admin,
                meeting=meeting,
                minutes=None,
                text=f"Present: {names}.\n\nThe members reviewed the agenda items and agreed on the decisions below.",
                expected_version=None,
            )
            if month > 1:
                approved = services.minutes_approve(actor=self.admin, minutes=minutes, expected_version=minutes.version)
                MinutesVersion.objects.filter(pk=approved.pk).update(
                    approved_at=_at(day + dt.timedelta(days=20), 9, zone)
                )
            self.counts["minutes"] += 1
            for _n in range(rng.randint(1, 2)):
                decision = services.decision_create(actor=self.admin, meeting=meeting, text=rng.choice(DECISIONS))
                self.counts["decisions"] += 1
                owner = rng.choice(members).organisation if members else None
                if focus_org is not None and rng.random() < 0.35:
                    owner = focus_org
                due = day + dt.timedelta(days=rng.randint(14, 60))
                if due < today:
                    roll = rng.random()
                    if roll < 0.55:
                        status_, done = ActionStatus.DONE, due + dt.timedelta(days=rng.randint(-10, 12))
                    elif roll < 0.65:
                        status_, done = ActionStatus.DROPPED, None
                    else:
                        status_, done = rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]), None
                else:
                    status_, done = rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]), None
                services.action_item_create(
                    actor=self.admin,
                    body=body,
                    meeting=meeting,
                    decision=decision,
                    title=rng.choice(ACTIONS),
                    owner_organisation=owner,
                    due_date=due,
                    status=status_,
                    completed_on=min(done, today) if done else None,
                )
                self.counts["action_items"] += 1
        if focus_org is not None and last_held is not None:
            # The member persona's organisation always has one overdue and one upcoming item here.
            for title, due, status_ in (
                ("Share the youth dialogue report with the forum", today - dt.timedelta(days=5), ActionStatus.OPEN),
                (
                    "Nominate two youth representatives for the county dialogue",
                    today + dt.timedelta(days=10),
                    ActionStatus.IN_PROGRESS,
                ),
            ):
                services.action_item_create(
                    actor=self.admin,
                    body=body,
                    meeting=last_held,
                    title=title,
                    owner_organisation=focus_org,
                    due_date=due,
                    status=status_,
                )
                self.counts["action_items"] += 1
        for weeks in (2, 6):
            day = today + dt.timedelta(weeks=weeks)
            services.meeting_create(
                actor=self.admin,
                body=body,
                title=rng.choice(MEETING_TITLES),
                starts_at=_at(day, 10, zone),
                ends_at=_at(day, 12, zone),
                time_zone=zone,
                place=f"{body.jurisdiction.name}, meeting room",
                agenda=rng.sample(AGENDA, 4),
            )
            self.counts["meetings"] += 1

    def country(self, code: str) -> None:
        country = Jurisdiction.objects.filter(iso_code=code).first()
        if country is None:
            return
        zone = COUNTRY_ZONES.get(code, "UTC")
        orgs = list(
            Organisation.objects.filter(jurisdiction__path__startswith=country.path, archived_at__isnull=True)
            .select_related("jurisdiction")
            .order_by("jurisdiction__path", "name", "id")
        )
        by_place: dict[int, list[Organisation]] = defaultdict(list)
        places: dict[int, Jurisdiction] = {}
        for org in orgs:
            by_place[org.jurisdiction_id].append(org)
            places[org.jurisdiction_id] = org.jurisdiction
        national = by_place.get(country.pk, [])
        # National-local platform: national organisations and one local government per unit.
        local_govs = [
            o
            for pk, group in by_place.items()
            if pk != country.pk
            for o in group
            if o.sector == Sector.LOCAL_GOVERNMENT
        ]
        body, members = self.body(
            name=f"{country.name} National-Local Prevention Platform",
            kind=BodyKind.NATIONAL_LOCAL_PLATFORM,
            place=country,
            orgs=[*national, *local_govs[:6]],
        )
        self.meetings(body, members, zone)
        drops = [(Sector.YOUTH,), (Sector.WOMEN,), (), (Sector.YOUTH, Sector.RELIGIOUS)]
        index = 0
        for pk, group in sorted(by_place.items(), key=lambda kv: places[kv[0]].path):
            if pk == country.pk or len(group) < 3:
                continue
            place = places[pk]
            seats = ()
            focus = None
            drop = drops[index % len(drops)]
            if code == "KE" and place.iso_code == "KE-28":
                names = {o.name: o for o in group}
                seats = (
                    (
                        "Co-chair (county commissioner)",
                        SeatKind.CO_CHAIR,
                        names.get("Mombasa County Commissioner's Office"),
                    ),
                    ("Co-chair (governor)", SeatKind.CO_CHAIR, names.get("Mombasa County Government")),
                    ("Secretariat", SeatKind.SECRETARIAT, names.get("Pwani Community Dialogue Trust")),
                )
                focus = names.get("Coast Youth Peace Network")
                drop = ()
            name = LOCAL_NAME[code].format(place=place.name)
            body, members = self.body(name=name, kind=LOCAL_KIND[code], place=place, orgs=group, drop=drop, seats=seats)
            self.meetings(body, members, zone, focus_org=focus)
            index += 1


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    builder = _Builder(admin, seed)
    for code in COUNTRIES:
        builder.country(code)
    return dict(builder.counts)
