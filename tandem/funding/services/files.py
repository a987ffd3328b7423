"""Downloads of stored files (application documents, spend-report receipts): one audited read each."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from tandem.core.models import User
from tandem.core.services import audit_read

from .. import access
from ..models import ApplicationDocument, Receipt


@transaction.atomic
def document_read(*, actor: User, document: ApplicationDocument, ip_address: str | None = None) -> bytes:
    """The document's bytes; the read is recorded (filed where the project takes place)."""
    if not access.visible_documents(actor).filter(pk=document.pk).exists():
        raise PermissionDenied
    application = document.application
    audit_read(
        actor=actor,
        what="funding_document",
        obj=document,
        jurisdiction=application.jurisdiction,
        ip_address=ip_address,
    )
    return bytes(document.data)


@transaction.atomic
def receipt_read(*, actor: User, receipt: Receipt, ip_address: str | None = None) -> bytes:
    """The receipt's bytes; the read is recorded (filed with the award's jurisdiction)."""
    if not access.visible_receipts(actor).filter(pk=receipt.pk).exists():
        raise PermissionDenied
    audit_read(
        actor=actor,
        what="funding_receipt",
        obj=receipt,
        jurisdiction=receipt.report.award.jurisdiction,
        ip_address=ip_address,
    )
    return bytes(receipt.data)
