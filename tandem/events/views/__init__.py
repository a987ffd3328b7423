"""Pages of events; ``tandem.events.urls`` reads the views from here."""

from .breakouts import (
    breakout_create,
    breakout_detail,
    commitment_add,
    commitment_exchange,
    commitment_follow_up,
    outcome_add,
)
from .events import event_create, event_detail, event_edit, event_ics, event_list, session_add
from .participants import participant_export, participant_list, participant_status
from .report import report_detail, report_edit, report_pdf, report_publish

__all__ = [
    "breakout_create",
    "breakout_detail",
    "commitment_add",
    "commitment_exchange",
    "commitment_follow_up",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_list",
    "outcome_add",
    "participant_export",
    "participant_list",
    "participant_status",
    "report_detail",
    "report_edit",
    "report_pdf",
    "report_publish",
    "session_add",
]
