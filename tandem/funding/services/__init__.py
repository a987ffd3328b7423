"""Every write of funding (pages, API, demo and commands call these)."""

from .applications import (
    DOCUMENT_TYPES,
    application_save,
    application_submit,
    application_withdraw,
    document_add,
)
from .awards import award_close, payment_record, report_schedule, report_submit, tranche_add
from .calls import call_close, call_create, call_release_comments, source_create
from .edits import call_update, source_update
from .files import document_read, receipt_read
from .review import DECISIONS, application_decide, conflict_declare, linked_to_applicant, reviewer_assign, scores_save

__all__ = [
    "DECISIONS",
    "DOCUMENT_TYPES",
    "application_decide",
    "application_save",
    "application_submit",
    "application_withdraw",
    "award_close",
    "call_close",
    "call_create",
    "call_release_comments",
    "call_update",
    "conflict_declare",
    "document_add",
    "document_read",
    "linked_to_applicant",
    "payment_record",
    "receipt_read",
    "report_schedule",
    "report_submit",
    "reviewer_assign",
    "scores_save",
    "source_create",
    "source_update",
    "tranche_add",
]
