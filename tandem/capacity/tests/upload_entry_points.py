"""The capacity page and API operation that take a file, for tandem/tests/test_upload_entry_points.py."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .factories import cebu_training


def prepare_material(world, client) -> dict:
    w = cebu_training(world)
    client.force_login(w.local)
    return {"world": w, "course": w.course}


def post_material(client, ctx, name, data):
    return client.post(reverse("material_add", args=[ctx["course"].uuid]), {"file": SimpleUploadedFile(name, data)})


def prepare_api_material(world, client) -> dict:
    from tandem.core import services as core_services

    w = cebu_training(world)
    return {"world": w, "course": w.course, "token": core_services.api_token_create(actor=w.local, name="up").secret}


def post_api_material(client, ctx, name, data):
    return client.post(
        f"/api/v1/capacity/courses/{ctx['course'].uuid}/materials",
        {"file": SimpleUploadedFile(name, data)},
        HTTP_AUTHORIZATION=f"Bearer {ctx['token']}",
    )
