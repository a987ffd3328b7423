"""Downloads: an application's documents and a spend report's receipts (scoped, audited)."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import access as core_access
from tandem.core.files import file_response
from tandem.core.security import client_ip
from tandem.funding.permissions import requires

from .. import access, services


@requires("funding.view")
@require_GET
def funding_document_download(request, uuid):
    user = request.user
    document = core_access.get_visible_or_404(
        access.visible_documents(user).select_related("application__jurisdiction"), uuid=uuid
    )
    data = services.document_read(actor=user, document=document, ip_address=client_ip(request))
    return file_response(data, name=document.name, content_type=document.content_type)


@requires("funding.view")
@require_GET
def funding_receipt_download(request, uuid):
    user = request.user
    receipt = core_access.get_visible_or_404(access.visible_receipts(user), uuid=uuid)
    data = services.receipt_read(actor=user, receipt=receipt, ip_address=client_ip(request))
    return file_response(data, name=receipt.name, content_type=receipt.content_type)
