"""Pages of the coordination bodies: bodies, members, seats, meetings, minutes, decisions, action items.

One module per concern; ``tandem.bodies.urls`` reads the views from here.
"""

from .action_items import (
    action_item_create,
    action_item_detail,
    action_item_edit,
    action_item_export,
    action_item_list,
    action_item_mine,
)
from .bodies import (
    body_archive,
    body_create,
    body_detail,
    body_edit,
    body_export,
    body_inclusivity_export,
    body_inclusivity_overview,
    body_list,
)
from .calendars import (
    body_calendar_feed,
    body_calendar_rotate,
    meeting_ics,
)
from .lookups import body_lookup_organisations
from .meetings import (
    meeting_attendance,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_export,
    meeting_invitations,
    meeting_list,
)
from .members import (
    membership_create,
    membership_end,
    seat_assign,
    seat_create,
)
from .minutes import (
    decision_create,
    minutes_amend,
    minutes_approve,
    minutes_edit,
    minutes_pdf,
)

__all__ = [
    "body_lookup_organisations",
    "body_list",
    "body_export",
    "body_create",
    "body_detail",
    "body_edit",
    "body_archive",
    "body_inclusivity_export",
    "body_inclusivity_overview",
    "membership_create",
    "membership_end",
    "seat_create",
    "seat_assign",
    "body_calendar_rotate",
    "body_calendar_feed",
    "meeting_ics",
    "meeting_list",
    "meeting_export",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_attendance",
    "meeting_invitations",
    "minutes_edit",
    "minutes_approve",
    "minutes_amend",
    "minutes_pdf",
    "decision_create",
    "action_item_list",
    "action_item_mine",
    "action_item_export",
    "action_item_create",
    "action_item_detail",
    "action_item_edit",
]
