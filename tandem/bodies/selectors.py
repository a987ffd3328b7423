"""Reads of the coordination bodies that are more than a scoped queryset: panels and summaries.

Every function runs a fixed number of queries, whatever the number of bodies,
members, meetings or action items (aggregation happens in the database).
"""

from __future__ import annotations

import datetime as dt
import hmac
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core.idsets import first_per_group
from tandem.core.models import SECURITY_SECTORS, Jurisdiction, Person, Sector

from . import access
from .models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Body,
    Meeting,
    MeetingStatus,
    Membership,
    Seat,
    SeatHolding,
    action_item_order,
)

FOCUS_SECTORS = (Sector.WOMEN, Sector.YOUTH, Sector.RELIGIOUS)


@dataclass
class Inclusivity:
    total: int
    by_sector: dict[str, int]
    represented: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, members)
    missing: list[tuple[str, str]] = field(default_factory=list)
    security: int = 0

    @property
    def non_security(self) -> int:
        return self.total - self.security

    @property
    def security_share(self) -> int:
        """Percentage of current members from security sectors (police, security, justice)."""
        return round(100 * self.security / self.total) if self.total else 0

    @property
    def non_security_share(self) -> int:
        return 100 - self.security_share if self.total else 0

    @property
    def focus(self) -> list[tuple[str, str, bool]]:
        """Women's, youth and religious organisations: (value, label, present)."""
        return [(s.value, str(s.label), self.by_sector.get(s.value, 0) > 0) for s in FOCUS_SECTORS]


def _inclusivity(counts: dict[str, int]) -> Inclusivity:
    result = Inclusivity(total=sum(counts.values()), by_sector=counts)
    for value, label in Sector.choices:
        if counts.get(value):
            result.represented.append((value, str(label), counts[value]))
        else:
            result.missing.append((value, str(label)))
    result.security = sum(counts.get(s.value, 0) for s in SECURITY_SECTORS)
    return result


def body_inclusivity(body: Body) -> Inclusivity:
    """Sectors among the body's current members. One query."""
    rows = (
        Membership.objects.filter(access.current_membership_q(), body=body)
        .values("sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _inclusivity({r["sector"]: r["n"] for r in rows})


@dataclass
class InclusivityOverview:
    body_count: int
    members: Inclusivity
    bodies_with_sector: dict[str, int]
    sector: str = ""
    bodies_missing: list[Body] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, str, int, int]]:
        """(sector, label, bodies with it, bodies without it)."""
        return [
            (v, str(label), self.bodies_with_sector.get(v, 0), self.body_count - self.bodies_with_sector.get(v, 0))
            for v, label in Sector.choices
        ]


def inclusivity_overview(user: Any, within: Jurisdiction | None, sector: str = "", limit: int = 500):
    """Inclusivity over all active bodies the user coordinates (optionally within a unit). Four queries."""
    bodies = _coordinated_bodies(user, within)
    body_ids = bodies.values("id")
    members = Membership.objects.filter(access.current_membership_q(), body_id__in=body_ids)
    counts = {r["sector"]: r["n"] for r in members.values("sector").annotate(n=Count("id")).order_by()}
    with_sector = {
        r["sector"]: r["b"] for r in members.values("sector").annotate(b=Count("body_id", distinct=True)).order_by()
    }
    overview = InclusivityOverview(
        body_count=bodies.count(), members=_inclusivity(counts), bodies_with_sector=with_sector
    )
    if sector in Sector.values:
        overview.sector = sector
        has_sector = Membership.objects.filter(access.current_membership_q(), body_id=OuterRef("pk"), sector=sector)
        overview.bodies_missing = list(
            bodies.filter(~Exists(has_sector)).select_related("jurisdiction").order_by("name", "id")[:limit]
        )
    return overview


def _coordinated_bodies(user: Any, within: Jurisdiction | None) -> QuerySet[Body]:
    paths = access.core_access.scope_paths(user, access.COORDINATOR_RANK)
    bodies = Body.objects.filter(access.path_q(paths, "jurisdiction__path"), archived_at__isnull=True)
    return bodies.filter(jurisdiction__path__startswith=within.path) if within is not None else bodies


def inclusivity_by_body(user: Any, within: Jurisdiction | None) -> QuerySet[Body]:
    """The bodies of the overview, each with its current members in total and per sector
    (``n_<sector>``). One query, whatever the number of bodies."""
    current = access.current_membership_q("memberships__")
    counts = {
        f"n_{value}": Count("memberships", filter=current & Q(memberships__sector=value)) for value in Sector.values
    }
    return (
        _coordinated_bodies(user, within)
        .annotate(n_members=Count("memberships", filter=current), **counts)
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "name", "id")
    )


@dataclass
class Health:
    held_90: int
    held_365: int
    average_attendance: float | None  # members present per held meeting (last 365 days)
    attendance_rate: int | None  # % of invited members who came
    closed_on_time_share: int | None  # % of done items with a due date done by it
    overdue: int
    open_items: int
    months_since_review: int | None


def body_health(body: Body) -> Health:
    """The body's activity in numbers. Three aggregate queries."""
    now = timezone.now()
    today = timezone.localdate()
    held = Q(status=MeetingStatus.HELD)
    meetings = Meeting.objects.filter(body=body).aggregate(
        held_90=Count("id", filter=held & Q(starts_at__gte=now - dt.timedelta(days=90))),
        held_365=Count("id", filter=held & Q(starts_at__gte=now - dt.timedelta(days=365))),
    )
    attendance = Attendance.objects.filter(
        meeting__body=body, meeting__status=MeetingStatus.HELD, meeting__starts_at__gte=now - dt.timedelta(days=365)
    ).aggregate(
        present=Count("id", filter=Q(attended=True)),
        n_invited=Count("id", filter=Q(invited=True)),
        invited_present=Count("id", filter=Q(invited=True, attended=True)),
        meetings=Count("meeting_id", distinct=True),
    )
    items = ActionItem.objects.filter(body=body).aggregate(
        done_with_due=Count("id", filter=Q(status=ActionStatus.DONE, due_date__isnull=False)),
        on_time=Count(
            "id",
            filter=Q(status=ActionStatus.DONE, due_date__isnull=False, completed_on__lte=F("due_date")),
        ),
        overdue=Count("id", filter=Q(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], due_date__lt=today)),
        open_items=Count("id", filter=Q(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])),
    )
    review = body.mandate_reviewed_on
    months = None
    if review is not None:
        months = max(0, (today.year - review.year) * 12 + today.month - review.month - (today.day < review.day))
    held_meetings = meetings["held_365"]
    return Health(
        held_90=meetings["held_90"],
        held_365=held_meetings,
        average_attendance=round(attendance["present"] / held_meetings, 1) if held_meetings else None,
        attendance_rate=round(100 * attendance["invited_present"] / attendance["n_invited"])
        if attendance["n_invited"]
        else None,
        closed_on_time_share=round(100 * items["on_time"] / items["done_with_due"]) if items["done_with_due"] else None,
        overdue=items["overdue"],
        open_items=items["open_items"],
        months_since_review=months,
    )


def body_members(body: Body, *, current: bool = True) -> QuerySet[Membership]:
    qs = Membership.objects.filter(body=body).select_related("organisation", "person", "person__jurisdiction")
    if current:
        return qs.filter(access.current_membership_q()).order_by("organisation__name", "id")
    return qs.exclude(access.current_membership_q()).order_by("-end_date", "organisation__name", "id")


def upcoming_meetings(user: Any, body: Body, limit: int = 5) -> QuerySet[Meeting]:
    return (
        access.visible_meetings(user)
        .filter(body=body, starts_at__gte=timezone.now(), status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")[:limit]
    )


def recent_meetings(user: Any, body: Body, limit: int = 10) -> QuerySet[Meeting]:
    return access.visible_meetings(user).filter(body=body, starts_at__lt=timezone.now()).order_by("-starts_at")[:limit]


def body_seats(body: Body) -> list[Seat]:
    """Seats with their current holder (``current``) and past holders. Two queries."""
    seats = list(body.seats.all())
    holdings = SeatHolding.objects.filter(seat__body=body).select_related("person", "organisation")
    by_seat: dict[int, list[SeatHolding]] = {}
    for h in holdings.order_by("-start_date", "-id"):
        by_seat.setdefault(h.seat_id, []).append(h)
    today = timezone.localdate()
    for seat in seats:
        history = by_seat.get(seat.pk, [])
        # Attributes for the page, not fields: ``current`` holder and ``history``.
        seat.current = next(  # type: ignore[attr-defined]
            (h for h in history if h.start_date <= today and (h.end_date is None or h.end_date >= today)), None
        )
        seat.history = [h for h in history if h is not seat.current]  # type: ignore[attr-defined]
    return seats


def representative_contacts(user: Any, memberships: list[Membership]) -> dict[int, Person]:
    """Representatives whose contact details the user may see, by person id. One query."""
    ids = {m.person_id for m in memberships if m.person_id}
    if not ids:
        return {}
    people = Person.objects.filter(pk__in=ids).annotate(v=core_access.contact_visibility_expression(user))
    return {p.pk: p for p in people if p.v}


def body_by_calendar_token(uuid: Any, token: str) -> Body | None:
    """The active body whose calendar token is ``token`` (compared in constant time), or None."""
    try:
        body = Body.objects.get(uuid=uuid, archived_at__isnull=True)  # access-ok: the token is the credential
    except (Body.DoesNotExist, ValueError, ValidationError):
        return None
    if not token or not hmac.compare_digest(body.calendar_token.encode(), str(token).encode()):
        return None
    return body


def feed_meetings(body: Body, limit: int = 500) -> QuerySet[Meeting]:
    since = timezone.now() - dt.timedelta(days=180)
    return (
        Meeting.objects.filter(body=body, starts_at__gte=since)
        .select_related("body")
        .prefetch_related("agenda_items")
        .order_by("starts_at")[:limit]
    )


COUNTRY_ZONES = {"KE": "Africa/Nairobi", "PH": "Asia/Manila", "ID": "Asia/Jakarta", "MK": "Europe/Skopje"}


def default_time_zone(body: Body) -> str:
    country = (
        Jurisdiction.objects.filter(path=body.jurisdiction.country_path).values_list("iso_code", flat=True).first()
    )
    return COUNTRY_ZONES.get(country or "", settings.TIME_ZONE)


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def with_present_count(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate ``present``: how many invited members came. A count per row (a subquery on the
    attendance index), not a join grouped by meeting: grouping every visible meeting (50,000 at
    national scale) before the sort read them all for a page of 25."""
    came = (
        Attendance.objects.filter(meeting=OuterRef("pk"), attended=True)
        .order_by()
        .values("meeting")
        .annotate(n=Count("id"))
        .values("n")
    )
    return meetings.annotate(present=Coalesce(Subquery(came), 0))


def meeting_attendances(meeting: Meeting) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting=meeting).select_related("membership__organisation", "membership__person")


def members_on_day(meeting: Meeting) -> QuerySet[Membership]:
    day = timezone.localtime(meeting.starts_at).date()
    return (
        Membership.objects.filter(body=meeting.body, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("organisation", "person")
        .order_by("organisation__name", "id")
    )


# --- Lists shared by the pages and the API ----------------------------------------------


def filter_bodies(
    actor: Any, *, term: str = "", kind: str = "", within: Jurisdiction | None = None, archived: bool = False
) -> QuerySet:
    """The bodies list of the page and of ``GET /api/v1/bodies``, by name.

    Bodies ``actor`` may see: active ones, or only archived ones (``archived``); ``term``
    in the name or mandate; of ``kind``; in ``within`` or below.
    """
    qs = access.visible_bodies(actor, include_archived=archived).filter(archived_at__isnull=not archived)
    term = term.strip()
    if term:
        qs = qs.filter(Q(name__icontains=term) | Q(mandate__icontains=term))
    if kind:
        qs = qs.filter(kind=kind)
    if within is not None:
        qs = qs.filter(jurisdiction__path__startswith=within.path)
    return qs.order_by("name", "id")


def with_current_member_count(bodies: QuerySet) -> QuerySet:
    """Annotate ``current_members``: the body's current memberships, counted per row shown.

    A subquery per body, not ``Count`` over a join: the join and its GROUP BY ran over every visible
    body before the page's LIMIT (3,000 bodies and 9,300 memberships for a national coordinator,
    about 90 of the list's 117 ms); the subquery runs for the 25 rows of the page."""
    members = (
        Membership.objects.filter(access.current_membership_q(), body=OuterRef("pk"))
        .order_by()
        .values("body")
        .annotate(n=Count("id"))
        .values("n")
    )
    return bodies.annotate(current_members=Coalesce(Subquery(members), 0))


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def filter_action_items(
    actor: Any,
    *,
    mine: bool = False,
    term: str = "",
    status: str = "",
    overdue: bool = False,
    body: Body | None = None,
    within: Jurisdiction | None = None,
    ordered: bool = False,
) -> QuerySet:
    """The action items of the list pages and of ``GET /api/v1/bodies/action-items``.

    Items of bodies whose internals ``actor`` sees (``mine``: the ones ``actor`` owns);
    ``term`` in the title or the body's name; ``status`` (or ``"open_all"``: open or in
    progress); ``overdue``: open and past due; of ``body``; of bodies in ``within`` or below.

    Unordered, or ``ordered``: in the pages' order (``action_item_order``, on annotated keys for
    keyset pages). A page of a list narrowed below a country (a region's coordinator's, or one
    ``within`` a region or below: ``access.action_item_list_bodies``) is then read body by body on
    PostgreSQL, each body's first items from the index ``bodies_action_body_open_due`` (migration
    0008), merged: the list's own index holds that region's items late, after every other
    region's (x1, a regional coordinator's first page: 100,169 items tested, 72 → 17 ms). The
    same rows in the same order.
    """
    qs = access.my_action_items(actor) if mine else access.visible_action_items(actor)
    term = term.strip()
    if term:
        qs = qs.filter(Q(title__icontains=term) | Q(body__name__icontains=term))
    if status == "open_all":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    if body is not None:
        qs = qs.filter(body=body)
    if within is not None:
        qs = qs.filter(body__jurisdiction__path__startswith=within.path)
    if not ordered:
        return qs
    annotations, order = action_item_order(indexed=not mine)
    qs = qs.annotate(**annotations).order_by(*order)
    bodies = None if mine else access.action_item_list_bodies(actor, body=body, within=within)
    return qs if bodies is None else first_per_group(qs, group="body", groups=bodies)
