"""The bodies' records in the global search: bodies, meetings, minutes, decisions, action items
(each found only by those its ``visible_*`` rule lets see it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import ActionItem, Body, Decision, Meeting, MinutesVersion


def _body(b: Body) -> SearchText | None:
    if b.archived_at is not None:
        return None
    return SearchText(
        title=b.name, url_uuid=b.uuid, body=b.mandate, jurisdiction_id=b.jurisdiction_id, year=b.created_at.year
    )


def _meeting(m: Meeting) -> SearchText:
    return SearchText(
        title=m.title,
        url_uuid=m.uuid,
        summary=f"{m.body.name} {m.place}",
        jurisdiction_id=m.body.jurisdiction_id,
        year=m.starts_at.year,
    )


def _minutes(v: MinutesVersion) -> SearchText:
    meeting = v.meeting
    return SearchText(
        title=meeting.title,  # the kind ("Minutes") is shown beside it, in the reader's language
        url_uuid=meeting.uuid,
        body=v.text,
        jurisdiction_id=meeting.body.jurisdiction_id,
        year=meeting.starts_at.year,
    )


def _decision(d: Decision) -> SearchText:
    meeting = d.meeting
    return SearchText(
        title=d.text[:150],
        summary=meeting.title,
        url_uuid=meeting.uuid,
        body=d.text,
        jurisdiction_id=meeting.body.jurisdiction_id,
        year=meeting.starts_at.year,
    )


def _action_item(a: ActionItem) -> SearchText:
    return SearchText(
        title=a.title,
        url_uuid=a.uuid,
        summary=a.body.name,
        jurisdiction_id=a.body.jurisdiction_id,
        year=(a.due_date or a.created_at).year,
    )


SOURCES = [
    SearchSource("body", _("Bodies"), "bodies.Body", access.visible_bodies, _body, "body_detail"),
    SearchSource(
        "meeting",
        _("Meetings"),
        "bodies.Meeting",
        access.visible_meetings,
        _meeting,
        "meeting_detail",
        rows=lambda: Meeting.objects.select_related("body"),
        parents=(("bodies.Body", "body"),),
    ),
    SearchSource(
        "minutes",
        _("Minutes"),
        "bodies.MinutesVersion",
        access.visible_minutes,
        _minutes,
        "meeting_detail",
        rows=lambda: MinutesVersion.objects.select_related("meeting__body"),
        parents=(("bodies.Meeting", "meeting"), ("bodies.Body", "meeting__body")),
    ),
    SearchSource(
        "decision",
        _("Decisions"),
        "bodies.Decision",
        access.visible_decisions,
        _decision,
        "meeting_detail",
        rows=lambda: Decision.objects.select_related("meeting__body"),
        parents=(("bodies.Meeting", "meeting"), ("bodies.Body", "meeting__body")),
    ),
    SearchSource(
        "action_item",
        _("Action items"),
        "bodies.ActionItem",
        access.visible_action_items,
        _action_item,
        "action_item_detail",
        rows=lambda: ActionItem.objects.select_related("body"),
        parents=(("bodies.Body", "body"),),
    ),
]
