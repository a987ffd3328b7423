"""Writes of the exchange: drafts, sending, replies, acknowledgements, status, labels, agreements.

Every function is ``<entity>_<action>(*, actor, ...)``, atomic and audited.
Reads of items go through :mod:`tandem.exchange.access` and :mod:`tandem.exchange.selectors` only.

The package is split by concern; every public name is re-exported here, so callers keep
writing ``from tandem.exchange import services`` and ``services.draft_save(...)``.
"""

from .addressing import Addressees, addressees_of, level_above, propose_recipients, spec_for
from .agreements import AGREEMENT_VALUE_FIELDS, agreement_save, covering_agreement
from .attachments import (
    ATTACHMENT_TYPES,
    Upload,
    attachment_open,
    read_upload,
)
from .drafts import draft_attach, draft_discard, draft_save
from .forwarding import ForwardPreview, ForwardRefused, forward_preview, forward_refusal, item_forward
from .personal_data import PERSONAL_DATA_PATTERNS, personal_data_labels, personal_data_matches
from .reading import log_export, log_read
from .replies import (
    RECIPIENT_STATUSES,
    SENDER_STATUSES,
    item_acknowledge,
    item_change_label,
    reply_create,
    request_set_status,
)
from .sending import Preview, item_send, notification_for, notify_audience, preview_for, preview_unsaved, send_refusals

__all__ = [
    "AGREEMENT_VALUE_FIELDS",
    "ATTACHMENT_TYPES",
    "PERSONAL_DATA_PATTERNS",
    "RECIPIENT_STATUSES",
    "SENDER_STATUSES",
    "Addressees",
    "level_above",
    "propose_recipients",
    "ForwardPreview",
    "ForwardRefused",
    "Preview",
    "Upload",
    "addressees_of",
    "agreement_save",
    "attachment_open",
    "covering_agreement",
    "draft_attach",
    "draft_discard",
    "draft_save",
    "item_acknowledge",
    "forward_preview",
    "forward_refusal",
    "item_change_label",
    "item_forward",
    "item_send",
    "send_refusals",
    "log_export",
    "log_read",
    "notification_for",
    "notify_audience",
    "personal_data_labels",
    "personal_data_matches",
    "preview_for",
    "preview_unsaved",
    "read_upload",
    "reply_create",
    "request_set_status",
    "spec_for",
]
