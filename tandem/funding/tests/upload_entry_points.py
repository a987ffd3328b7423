"""The funding pages that take a file, for tandem/tests/test_upload_entry_points.py."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from . import factories as f


def prepare_document(world, client) -> dict:
    draft = f.draft_app(world)
    client.force_login(world.cso)
    return {"world": world, "application": draft}


def post_document(client, ctx, name, data):
    url = reverse("funding_document_add", args=[ctx["application"].uuid])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def prepare_report(world, client) -> dict:
    report = f.report(world)
    client.force_login(world.cso)
    return {"world": world, "report": report, "lines": f.budget_ids(report.award.application)}


def post_report(client, ctx, name, data):
    payload = {"narrative": "Two sessions held.", "receipt": SimpleUploadedFile(name, data)}
    payload.update({f"line_{pk}": "100" for pk in ctx["lines"].values()})
    return client.post(reverse("funding_report_submit", args=[ctx["report"].uuid]), payload)
