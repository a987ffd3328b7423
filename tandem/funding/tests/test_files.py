"""Downloads of application documents and spend-report receipts: scoped, audited, safe headers."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tandem.core.models import AuditAction, AuditEvent
from tandem.exchange.tests.conftest import PDF

from . import factories as f


def _reads(obj):
    return list(
        AuditEvent.objects.filter(object_uuid=str(obj.uuid), action=AuditAction.READ).values_list(
            "actor__username", "changes"
        )
    )


@pytest.mark.parametrize(
    ("builder", "url", "name", "reader"),
    [
        (f.document, "funding_document_download", "work-plan.pdf", "cso"),
        (f.document, "funding_document_download", "work-plan.pdf", "local"),
        (f.receipt, "funding_receipt_download", "venue-receipt.pdf", "cso"),
        (f.receipt, "funding_receipt_download", "venue-receipt.pdf", "national"),
    ],
)
def test_a_reader_downloads_the_file_as_an_attachment_and_the_read_is_recorded(fw, as_user, builder, url, name, reader):
    record = builder(fw)
    response = as_user(getattr(fw, reader)).get(reverse(url, args=[record.uuid]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    what = "funding_document" if builder is f.document else "funding_receipt"
    assert _reads(record) == [(reader, {"read": what})]


def test_the_api_download_is_the_same_file_and_is_audited(fw, client):
    receipt = f.receipt(fw)
    response = client.get(f"/api/v1/funding/receipts/{receipt.uuid}", **f.bearer(fw.cso))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(_reads(receipt)) == 1


@pytest.mark.parametrize("builder", [f.document, f.receipt])
def test_a_foreign_file_answers_exactly_like_a_missing_one_and_nothing_is_recorded(fw, as_user, builder):
    record = builder(fw)
    url = "funding_document_download" if builder is f.document else "funding_receipt_download"
    client = as_user(fw.company)  # Cebu City, but not the applicant and not a manager
    foreign = client.get(reverse(url, args=[record.uuid]))
    missing = client.get(reverse(url, args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    assert _reads(record) == []


def test_a_reviewer_reads_the_documents_only_once_cleared(fw, as_user):
    from tandem.funding import services
    from tandem.funding.models import Application

    document = f.document(fw)
    application = Application.objects.get(pk=document.application_id)
    assignment = services.reviewer_assign(actor=fw.local, application=application, reviewer=fw.facilitator)
    client = as_user(fw.facilitator)
    url = reverse("funding_document_download", args=[document.uuid])
    assert client.get(url).status_code == 404  # not declared yet
    services.conflict_declare(actor=fw.facilitator, assignment=assignment, has_conflict=False)
    assert client.get(url).status_code == 200


def test_the_award_page_links_the_receipts(fw, as_user):
    receipt = f.receipt(fw)
    page = as_user(fw.cso).get(reverse("funding_award_detail", args=[fw.funding_award.uuid])).content.decode()
    assert reverse("funding_receipt_download", args=[receipt.uuid]) in page
    assert "venue-receipt.pdf" in page
