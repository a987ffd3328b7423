"""Pages of capacity building; ``tandem.capacity.urls`` reads the views from here."""

from .calendars import my_training, session_ics, training_feed, training_feed_rotate
from .catalogue import (
    course_create,
    course_detail,
    course_edit,
    course_list,
    session_archive,
    session_cancel,
    session_create,
    session_detail,
    session_edit,
)
from .materials import material_add, material_download, material_remove
from .needs import need_create, need_detail, need_exchange, need_list
from .participants import (
    capacity_lookup_nominees,
    participation_decide,
    participation_withdraw,
    session_nominate,
    session_request,
)
from .reach import reach, reach_export
from .readiness import sharing_readiness
from .records import (
    certificate_pdf,
    certificate_verify,
    certificates_issue,
    feedback_give,
    feedback_summary,
    session_attendance,
)

__all__ = [
    "certificate_pdf",
    "certificate_verify",
    "certificates_issue",
    "course_create",
    "course_detail",
    "course_edit",
    "course_list",
    "feedback_give",
    "feedback_summary",
    "my_training",
    "material_add",
    "material_download",
    "material_remove",
    "need_create",
    "need_exchange",
    "need_detail",
    "need_list",
    "participation_decide",
    "participation_withdraw",
    "reach",
    "reach_export",
    "session_archive",
    "session_attendance",
    "session_cancel",
    "session_create",
    "session_detail",
    "session_edit",
    "session_ics",
    "sharing_readiness",
    "session_nominate",
    "capacity_lookup_nominees",
    "session_request",
    "training_feed",
    "training_feed_rotate",
]
