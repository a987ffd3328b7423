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
    "conflict_declare",
    "document_add",
    "linked_to_applicant",
    "payment_record",
    "report_schedule",
    "report_submit",
    "reviewer_assign",
    "scores_save",
    "source_create",
    "tranche_add",
]
