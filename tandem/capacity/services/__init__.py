"""Writes of capacity building: atomic, audited, permission re-checked.

Every function is ``<entity>_<action>(*, actor, ...)``. A refusal raises
``ValidationError`` (bad input: nothing written) or ``PermissionDenied``.

The package is split by concern; the services the pages, API, demo and tests call are
re-exported here, so callers keep writing ``from tandem.capacity import services``.
"""

from .calendars import calendar_feed_rotate
from .courses import choosable_items, course_create, course_update
from .needs import need_answer, need_create
from .participants import (
    participation_add,
    participation_decide,
    participation_nominate,
    participation_request,
    participation_withdraw,
)
from .records import attendance_record, certificates_issue, feedback_submit
from .sessions import session_archive, session_cancel, session_create, session_days, session_update

__all__ = [
    "attendance_record",
    "calendar_feed_rotate",
    "certificates_issue",
    "choosable_items",
    "course_create",
    "course_update",
    "feedback_submit",
    "need_answer",
    "need_create",
    "participation_add",
    "participation_decide",
    "participation_nominate",
    "participation_request",
    "participation_withdraw",
    "session_archive",
    "session_cancel",
    "session_create",
    "session_days",
    "session_update",
]
