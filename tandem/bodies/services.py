"""Writes of the coordination bodies: atomic, audited, version-checked.

Every function is ``<entity>_<action>(*, actor, ...)`` and re-checks the
permission itself (fail closed): managing a body needs a coordinator role at
its jurisdiction; recording activity (minutes, decisions, action items) needs
the body's internals (members and coordinators). Its action log is kept by those
coordinators and by the current holder of its Secretariat seat.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import events, versioning
from tandem.core.models import AuditAction, Jurisdiction, Organisation, Person, User
from tandem.core.services import audit_read, audit_record

from . import access
from .models import (
    MAX_AGENDA_ITEM_CHARS,
    MAX_AGENDA_ITEMS,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Body,
    BodyObjective,
    Decision,
    Meeting,
    MeetingStatus,
    Membership,
    MinutesStatus,
    MinutesVersion,
    Seat,
    SeatHolding,
    new_calendar_token,
)

MAX_OBJECTIVES = 50


def _manage(actor: User, body: Body) -> None:
    if not access.can_manage_body(actor, body):
        raise PermissionDenied


def _internals(actor: User, body: Body) -> None:
    if not access.can_see_internals(actor, body):
        raise PermissionDenied


def _check_range(start: Any, end: Any, field: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


def _same_country(body: Body, jurisdiction: Jurisdiction, field: str) -> None:
    if not jurisdiction.path.startswith(body.jurisdiction.country_path or body.jurisdiction.path):
        raise ValidationError({field: _("This organisation is outside the body's country.")})


# --- Bodies ------------------------------------------------------------------------


def _set_objectives(body: Body, objectives: list[str]) -> None:
    cleaned = [o.strip() for o in objectives if o and o.strip()]
    if len(cleaned) > MAX_OBJECTIVES:
        raise ValidationError({"objectives": _("At most %(n)d objectives.") % {"n": MAX_OBJECTIVES}})
    if any(len(o) > 500 for o in cleaned):
        raise ValidationError({"objectives": _("Each objective can have at most 500 characters.")})
    body.objectives.all().delete()
    BodyObjective.objects.bulk_create(
        [BodyObjective(body=body, position=i, text=text) for i, text in enumerate(cleaned)]
    )


@transaction.atomic
def body_create(
    *,
    actor: User,
    name: str,
    kind: str,
    jurisdiction: Jurisdiction,
    mandate: str = "",
    mandate_reviewed_on: dt.date | None = None,
    objectives: list[str] | None = None,
) -> Body:
    if access.rank_at(actor, jurisdiction) < access.COORDINATOR_RANK:
        raise PermissionDenied
    body = Body(
        name=name.strip(),
        kind=kind,
        jurisdiction=jurisdiction,
        mandate=mandate,
        mandate_reviewed_on=mandate_reviewed_on,
    )
    body.full_clean()
    body.save()
    if objectives:
        _set_objectives(body, objectives)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=body, changes={"name": body.name, "kind": kind})
    return body


@transaction.atomic
def body_update(*, actor: User, body: Body, expected_version: int, objectives: list[str] | None = None, **values: Any):
    _manage(actor, body)
    allowed = {"name", "kind", "mandate", "mandate_reviewed_on"}
    if set(values) - allowed:
        raise ValueError(f"cannot update {set(values) - allowed}")
    updated = versioning.update(actor=actor, model=Body, obj=body, expected_version=expected_version, values=values)
    if objectives is not None:
        before = list(body.objectives.values_list("text", flat=True))
        after = [o.strip() for o in objectives if o and o.strip()]
        if before != after:
            _set_objectives(updated, after)
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=updated, changes={"objectives": [before, after]})
    return updated


@transaction.atomic
def body_archive(*, actor: User, body: Body, archived: bool) -> Body:
    _manage(actor, body)
    locked = versioning.lock(body)
    if archived == locked.is_archived:
        return locked
    if (
        not archived
        and Body.objects.filter(jurisdiction=locked.jurisdiction, name=locked.name, archived_at__isnull=True).exists()
    ):
        raise ValidationError(_("An active body with the same name exists in this jurisdiction."))
    return versioning.save(
        locked,
        {"archived_at": timezone.now() if archived else None},
        actor=actor,
        action=AuditAction.ARCHIVE if archived else AuditAction.RESTORE,
        changes={},
    )


@transaction.atomic
def calendar_token_rotate(*, actor: User, body: Body) -> Body:
    _manage(actor, body)
    locked = Body.objects.select_for_update().get(pk=body.pk)
    locked.calendar_token = new_calendar_token()
    locked.save(update_fields=["calendar_token", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes={"calendar_token": "rotated"})
    return locked


# --- Memberships -------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    actor: User,
    body: Body,
    organisation: Organisation,
    sector: str = "",
    person: Person | None = None,
    role: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Membership:
    _manage(actor, body)
    start_date = start_date or timezone.localdate()
    _check_range(start_date, end_date, "end_date")
    _same_country(body, organisation.jurisdiction, "organisation")
    if organisation.archived_at is not None:
        raise ValidationError({"organisation": _("This organisation is archived.")})
    Body.objects.select_for_update().get(pk=body.pk)  # serialise membership changes of one body
    overlapping = Membership.objects.filter(body=body, organisation=organisation).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        raise ValidationError({"organisation": _("This organisation is already a current member of the body.")})
    membership = Membership(
        body=body,
        organisation=organisation,
        person=person,
        role=role.strip(),
        sector=sector or organisation.sector,
        start_date=start_date,
        end_date=end_date,
    )
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        jurisdiction=body.jurisdiction,
        changes={"organisation": organisation.name, "start_date": start_date},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, end_date: dt.date, expected_version: int) -> Membership:
    _manage(actor, membership.body)
    _check_range(membership.start_date, end_date, "end_date")
    return versioning.update(
        actor=actor, model=Membership, obj=membership, expected_version=expected_version, values={"end_date": end_date}
    )


# --- Seats -------------------------------------------------------------------------


@transaction.atomic
def seat_create(*, actor: User, body: Body, title: str, kind: str) -> Seat:
    _manage(actor, body)
    seat = Seat(body=body, title=title.strip(), kind=kind, position=body.seats.count())
    seat.full_clean()
    seat.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=seat, changes={"title": seat.title, "kind": kind})
    return seat


@transaction.atomic
def seat_assign(
    *,
    actor: User,
    seat: Seat,
    person: Person | None = None,
    organisation: Organisation | None = None,
    start_date: dt.date | None = None,
) -> SeatHolding:
    """A new holder takes the seat from ``start_date``; the previous holding ends the day before."""
    _manage(actor, seat.body)
    if person is None and organisation is None:
        raise ValidationError(_("Choose a person, an organisation or both."))
    if organisation is not None:
        _same_country(seat.body, organisation.jurisdiction, "organisation")
    if person is not None:
        _same_country(seat.body, person.jurisdiction, "person")
    start_date = start_date or timezone.localdate()
    Seat.objects.select_for_update().get(pk=seat.pk)
    current = seat.holdings.filter(end_date__isnull=True).first()
    if current is not None:
        if start_date <= current.start_date:
            raise ValidationError({"start_date": _("The new holder must start after the current holder started.")})
        current.end_date = start_date - dt.timedelta(days=1)
        current.save(update_fields=["end_date", "updated_at"])
    holding = SeatHolding(seat=seat, person=person, organisation=organisation, start_date=start_date)
    holding.full_clean()
    holding.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=seat,
        changes={"holder": str(holding), "start_date": start_date},
    )
    return holding


# --- Meetings ----------------------------------------------------------------------


def validate_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": _("Unknown time zone: use a name such as Africa/Nairobi.")}) from None
    return name


def clean_agenda(items: list[str]) -> list[str]:
    cleaned = [i.strip() for i in items if i and i.strip()]
    if len(cleaned) > MAX_AGENDA_ITEMS:
        raise ValidationError({"agenda": _("An agenda can have at most %(n)d items.") % {"n": MAX_AGENDA_ITEMS}})
    if any(len(i) > MAX_AGENDA_ITEM_CHARS for i in cleaned):
        raise ValidationError(
            {"agenda": _("Each agenda item can have at most %(n)d characters.") % {"n": MAX_AGENDA_ITEM_CHARS}}
        )
    return cleaned


def _check_meeting(*, starts_at: dt.datetime, ends_at: dt.datetime | None, status: str, time_zone: str) -> None:
    validate_time_zone(time_zone)
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ValueError("meeting times must be aware")
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})
    if status == MeetingStatus.SCHEDULED and starts_at < timezone.now():
        raise ValidationError(
            {"starts_at": _("This time is in the past: a past meeting cannot be scheduled as upcoming.")}
        )
    if status == MeetingStatus.HELD and starts_at > timezone.now():
        raise ValidationError({"status": _("A meeting in the future cannot be marked as held.")})


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    body: Body,
    title: str,
    starts_at: dt.datetime,
    time_zone: str,
    ends_at: dt.datetime | None = None,
    place: str = "",
    online_link: str = "",
    status: str = MeetingStatus.SCHEDULED,
    agenda: list[str] | None = None,
    invite_all: bool = True,
) -> Meeting:
    _manage(actor, body)
    _check_meeting(starts_at=starts_at, ends_at=ends_at, status=status, time_zone=time_zone)
    agenda_items = clean_agenda(agenda or [])
    meeting = Meeting(
        body=body,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        place=place.strip(),
        online_link=online_link.strip(),
        status=status,
    )
    meeting.full_clean()
    meeting.save()
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=i, text=text) for i, text in enumerate(agenda_items)]
    )
    if invite_all:
        members = Membership.objects.filter(access.current_membership_q(), body=body)
        Attendance.objects.bulk_create([Attendance(meeting=meeting, membership=m, invited=True) for m in members])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=meeting,
        changes={"title": meeting.title, "starts_at": starts_at, "status": status},
    )
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, expected_version: int, agenda: list[str] | None = None, **values: Any
) -> Meeting:
    _manage(actor, meeting.body)
    allowed = {"title", "starts_at", "ends_at", "time_zone", "place", "online_link", "status"}
    if set(values) - allowed:
        raise ValueError(f"cannot update {set(values) - allowed}")
    merged = {
        name: values.get(name, getattr(meeting, name)) for name in ("starts_at", "ends_at", "status", "time_zone")
    }
    validate_time_zone(merged["time_zone"])
    if merged["ends_at"] is not None and merged["ends_at"] < merged["starts_at"]:
        raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})
    moved = values.get("starts_at", meeting.starts_at) != meeting.starts_at
    if (
        merged["status"] == MeetingStatus.SCHEDULED
        and merged["starts_at"] < timezone.now()
        and (moved or values.get("status", meeting.status) != meeting.status)
    ):
        raise ValidationError(
            {"starts_at": _("This time is in the past: a past meeting cannot be scheduled as upcoming.")}
        )
    if merged["status"] == MeetingStatus.HELD and merged["starts_at"] > timezone.now():
        raise ValidationError({"status": _("A meeting in the future cannot be marked as held.")})
    updated = versioning.update(
        actor=actor, model=Meeting, obj=meeting, expected_version=expected_version, values=values
    )
    if agenda is not None:
        items = clean_agenda(agenda)
        before = list(meeting.agenda_items.values_list("text", flat=True))
        if before != items:
            meeting.agenda_items.all().delete()
            AgendaItem.objects.bulk_create(
                [AgendaItem(meeting=meeting, position=i, text=text) for i, text in enumerate(items)]
            )
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=updated, changes={"agenda": [before, items]})
    return updated


@transaction.atomic
def meeting_record_attendance(*, actor: User, meeting: Meeting, attended_membership_ids: list[int]) -> int:
    """Record who came (members of the body on the meeting day); marks the meeting held if it has started."""
    _manage(actor, meeting.body)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Attendance can only be recorded once the meeting has started."))
    day = timezone.localtime(meeting.starts_at).date()
    members = {
        m.pk: m for m in Membership.objects.filter(body=meeting.body, start_date__lte=day).exclude(end_date__lt=day)
    }
    unknown = set(attended_membership_ids) - set(members)
    if unknown:
        raise ValidationError(_("Only members of the body on the meeting day can be recorded as present."))
    existing = {a.membership_id: a for a in Attendance.objects.filter(meeting=meeting)}
    create, update = [], []
    for pk in members:
        came = pk in attended_membership_ids
        row = existing.get(pk)
        if row is None:
            if came:
                create.append(Attendance(meeting=meeting, membership_id=pk, invited=False, attended=True))
        elif row.attended != came:
            row.attended = came
            update.append(row)
    Attendance.objects.bulk_create(create)
    Attendance.objects.bulk_update(update, ["attended"])
    changes: dict[str, Any] = {"attendance": sorted(members[pk].organisation.name for pk in attended_membership_ids)}
    if meeting.status == MeetingStatus.SCHEDULED:
        locked = versioning.lock(meeting)
        changes["status"] = [locked.status, MeetingStatus.HELD]
        versioning.save(locked, {"status": MeetingStatus.HELD}, actor=actor, changes=changes)
        meeting.status, meeting.version = locked.status, locked.version
    else:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=meeting, changes=changes)
    return len(attended_membership_ids)


@transaction.atomic
def meeting_set_invitations(*, actor: User, meeting: Meeting, invited_membership_ids: list[int]) -> int:
    """Who is invited: current members of the body (history of past invitations is kept on their rows)."""
    _manage(actor, meeting.body)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no invitations to change."))
    members = set(
        Membership.objects.filter(access.current_membership_q(), body=meeting.body).values_list("pk", flat=True)
    )
    if set(invited_membership_ids) - members:
        raise ValidationError(_("Only current members of the body can be invited."))
    existing = {a.membership_id: a for a in Attendance.objects.filter(meeting=meeting)}
    create, update = [], []
    for pk in members:
        wanted = pk in invited_membership_ids
        row = existing.get(pk)
        if row is None:
            if wanted:
                create.append(Attendance(meeting=meeting, membership_id=pk, invited=True))
        elif row.invited != wanted:
            row.invited = wanted
            update.append(row)
    Attendance.objects.bulk_create(create)
    Attendance.objects.bulk_update(update, ["invited"])
    newly = [row.membership_id for row in [*create, *update] if row.invited]
    invitees = Membership.objects.filter(pk__in=newly, person__user__isnull=False).values_list(
        "person__user", flat=True
    )
    events.emit(
        "bodies.meeting_invitation",
        meeting,
        recipient_ids=list(invitees),
        key=f"{meeting.uuid}:{meeting.starts_at.isoformat()}",
        title=f"{meeting.body.name}: {meeting.title}",
        url=reverse("meeting_detail", args=[meeting.uuid]),
        actor_id=actor.pk,
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=meeting, changes={"invited": len(invited_membership_ids)})
    return len(invited_membership_ids)


# --- Minutes -----------------------------------------------------------------------


def current_minutes(meeting: Meeting) -> MinutesVersion | None:
    return MinutesVersion.objects.filter(meeting=meeting).order_by("-number").first()


@transaction.atomic
def minutes_save(
    *, actor: User, meeting: Meeting, text: str, expected_version: int | None, minutes: MinutesVersion | None = None
) -> MinutesVersion:
    """Create the first draft (``minutes=None``) or save a draft; approved minutes are frozen."""
    _manage(actor, meeting.body)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    if minutes is None:
        if MinutesVersion.objects.filter(meeting=meeting).exists():
            latest = current_minutes(meeting)
            assert latest is not None  # some exist
            raise versioning.VersionConflict(latest, {"text": ("", latest.text)}, expected_version)
        draft = MinutesVersion(meeting=meeting, number=1, text=text, status=MinutesStatus.DRAFT)
        draft.full_clean()
        draft.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=draft, changes={"number": 1})
        return draft
    locked = MinutesVersion.objects.select_for_update().get(pk=minutes.pk)
    if locked.status == MinutesStatus.APPROVED:
        raise ValidationError(_("Approved minutes are frozen: start an amendment to change them."))
    return versioning.update(
        actor=actor, model=MinutesVersion, obj=minutes, expected_version=expected_version or 0, values={"text": text}
    )


@transaction.atomic
def minutes_approve(*, actor: User, minutes: MinutesVersion, expected_version: int) -> MinutesVersion:
    _manage(actor, minutes.meeting.body)
    locked = versioning.lock(minutes, expected_version=expected_version, actor=actor, fields=["text"])
    if locked.status == MinutesStatus.APPROVED:
        return locked
    if not locked.text.strip():
        raise ValidationError(_("Empty minutes cannot be approved."))
    return versioning.save(
        locked,
        {"status": MinutesStatus.APPROVED, "approved_at": timezone.now(), "approved_by": actor},
        actor=actor,
        changes={"status": ["draft", "approved"]},
    )


@transaction.atomic
def minutes_amend(*, actor: User, meeting: Meeting) -> MinutesVersion:
    """Start a new draft from the latest approved version (the approved one stays as it is)."""
    _manage(actor, meeting.body)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    latest = current_minutes(meeting)
    if latest is None or latest.status != MinutesStatus.APPROVED:
        raise ValidationError(_("Only approved minutes can be amended; edit the current draft instead."))
    draft = MinutesVersion(meeting=meeting, number=latest.number + 1, text=latest.text, status=MinutesStatus.DRAFT)
    draft.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=draft, changes={"number": draft.number, "amends": latest.number}
    )
    return draft


# --- Decisions and action items ----------------------------------------------------


@transaction.atomic
def decision_create(*, actor: User, meeting: Meeting, text: str) -> Decision:
    _manage(actor, meeting.body)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    number = (
        Decision.objects.filter(meeting=meeting).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    decision = Decision(meeting=meeting, number=number, text=text.strip())
    decision.full_clean()
    decision.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=decision, changes={"number": number})
    return decision


def _check_owner(body: Body, organisation: Organisation | None, person: Person | None) -> None:
    if organisation is not None:
        _same_country(body, organisation.jurisdiction, "owner_organisation")
    if person is not None:
        _same_country(body, person.jurisdiction, "owner_person")


def _completion(status: str, completed_on: dt.date | None) -> dt.date | None:
    if status == ActionStatus.DONE:
        return completed_on or timezone.localdate()
    return None


@transaction.atomic
def action_item_create(
    *,
    actor: User,
    body: Body,
    title: str,
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    owner_organisation: Organisation | None = None,
    owner_person: Person | None = None,
    due_date: dt.date | None = None,
    status: str = ActionStatus.OPEN,
    completed_on: dt.date | None = None,
) -> ActionItem:
    """Coordinators of the body and the keeper of its action log (the Secretariat seat's holder);
    a keeper who does not see the body's meetings cannot tie the item to one."""
    access.require_action_log(actor, body)
    if (meeting is not None or decision is not None) and not access.can_see_internals(actor, body):
        raise PermissionDenied
    if meeting is not None and meeting.body_id != body.pk:
        raise ValidationError({"meeting": _("This meeting belongs to another body.")})
    if decision is not None:
        if decision.meeting.body_id != body.pk:
            raise ValidationError({"decision": _("This decision belongs to another body.")})
        meeting = meeting or decision.meeting
    _check_owner(body, owner_organisation, owner_person)
    item = ActionItem(
        body=body,
        meeting=meeting,
        decision=decision,
        title=title.strip(),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_date=due_date,
        status=status,
        completed_on=_completion(status, completed_on),
    )
    item.full_clean()
    item.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, changes={"title": item.title, "status": status})
    _announce_owner(item, actor)
    return item


def _announce_owner(item: ActionItem, actor: User) -> None:
    """Tell the owner person (if they have an account) that the item is theirs, once per owner."""
    owner = item.owner_person
    if owner is not None and owner.user_id:
        events.emit(
            "bodies.action_assigned",
            item,
            recipient_ids=[owner.user_id],
            key=f"{item.uuid}:{owner.uuid}",
            title=item.title,
            url=reverse("action_item_mine"),
            actor_id=actor.pk,
        )


ITEM_FIELDS = ("title", "owner_organisation", "owner_person", "due_date", "status", "completed_on")
KEEPER_FIELDS = ("owner_organisation", "owner_person", "due_date", "status", "completed_on")
OWNER_FIELDS = ("status", "completed_on")


def action_item_fields(actor: User, item: ActionItem) -> tuple[str, ...]:
    """What ``actor`` may change on ``item``: everything (coordinators of the body); owner, due
    date and status (the keeper of its action log); the status (its owner); nothing (anyone else)."""
    if access.can_manage_body(actor, item.body):
        return ITEM_FIELDS
    if access.can_keep_action_log(actor, item.body):
        return KEEPER_FIELDS
    if access.my_action_items(actor).filter(pk=item.pk).exists():
        return OWNER_FIELDS
    return ()


def can_update_action_item(actor: User, item: ActionItem) -> bool:
    """Coordinators of the body, the keeper of its action log, the owner (see ``action_item_fields``)."""
    return bool(action_item_fields(actor, item))


@transaction.atomic
def action_item_update(*, actor: User, item: ActionItem, expected_version: int, **values: Any) -> ActionItem:
    allowed = action_item_fields(actor, item)
    if not allowed:
        raise PermissionDenied
    if set(values) - set(allowed):
        if allowed != ITEM_FIELDS:
            raise PermissionDenied
        raise ValueError(f"cannot update {set(values) - set(allowed)}")
    _check_owner(
        item.body,
        values.get("owner_organisation", item.owner_organisation),
        values.get("owner_person", item.owner_person),
    )
    if "status" in values or "completed_on" in values:
        status = values.get("status", item.status)
        values["completed_on"] = _completion(status, values.get("completed_on", item.completed_on))
    updated = versioning.update(
        actor=actor, model=ActionItem, obj=item, expected_version=expected_version, values=values
    )
    _announce_owner(updated, actor)
    return updated


def minutes_read(*, actor: User, minutes: MinutesVersion, ip_address: str | None = None) -> None:
    """Record that ``actor`` downloaded the minutes (one audit row per download; filed with the body)."""
    audit_read(actor=actor, what="minutes_pdf", obj=minutes, ip_address=ip_address)
