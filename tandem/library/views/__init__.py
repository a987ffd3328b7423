"""Pages of the library (split by concern)."""

from .checklists import checklist_detail, checklist_list, checklist_run, checklist_start
from .items import (
    library_attachment,
    library_attachment_add,
    library_item_create,
    library_item_detail,
    library_item_edit,
    library_item_step,
    library_item_versions,
    library_review,
    library_search,
)

__all__ = [
    "checklist_detail",
    "checklist_list",
    "checklist_run",
    "checklist_start",
    "library_attachment",
    "library_attachment_add",
    "library_item_create",
    "library_item_detail",
    "library_item_edit",
    "library_item_step",
    "library_item_versions",
    "library_review",
    "library_search",
]
