"""Pages of tandem.assessment."""

from .answering import assessment_answer, evidence_add, respondent_answers
from .assessments import (
    assessment_create,
    assessment_detail,
    assessment_export,
    assessment_list,
    assessment_pdf,
    assessment_transition,
    respondent_invite,
)
from .frameworks import (
    comparison,
    comparison_export,
    framework_detail,
    framework_export,
    framework_import,
    framework_list,
    framework_workbook,
)
from .mapping import mapping_create, mapping_detail, mapping_edit, mapping_entry_add, mapping_list, mapping_pdf
from .removal import evidence_remove, respondent_remove
from .validation import (
    finding_create,
    finding_record,
    recommendation_action,
    recommendation_activity,
    recommendation_create,
    validation_meeting,
)

__all__ = [
    "assessment_answer",
    "assessment_create",
    "assessment_detail",
    "assessment_export",
    "assessment_list",
    "assessment_pdf",
    "assessment_transition",
    "comparison",
    "comparison_export",
    "evidence_add",
    "evidence_remove",
    "finding_create",
    "finding_record",
    "framework_detail",
    "framework_export",
    "framework_import",
    "framework_workbook",
    "framework_list",
    "mapping_create",
    "mapping_detail",
    "mapping_edit",
    "mapping_entry_add",
    "mapping_list",
    "mapping_pdf",
    "recommendation_action",
    "recommendation_activity",
    "recommendation_create",
    "respondent_answers",
    "respondent_invite",
    "respondent_remove",
    "validation_meeting",
]
