"""Course materials: added by those who may edit the course, listed and downloaded by whoever sees it,
removed with confirmation; the same through the API. Foreign materials answer 404 like missing ones."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.capacity import materials
from tandem.capacity.models import CourseMaterial
from tandem.core import services as core_services
from tandem.core.models import AuditEvent

from .factories import cebu_training

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def _material(w, name="handout.pdf", session=None):
    return materials.material_add(actor=w.local, course=w.course, file=SimpleUploadedFile(name, PDF), session=session)


def test_the_organiser_adds_a_file_for_a_session_and_everyone_who_sees_the_course_finds_it(world, as_user):
    w = cebu_training(world)
    client = as_user(w.local)
    page = client.get(reverse("material_add", args=[w.course.uuid]))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(
        reverse("material_add", args=[w.course.uuid]),
        {"file": SimpleUploadedFile("day-one.pdf", PDF), "session": str(w.session.uuid)},
    )
    assert response.status_code == 302
    material = CourseMaterial.objects.get()
    assert (material.name, material.session_id, material.size) == ("day-one.pdf", w.session.pk, len(PDF))
    viewer = as_user(w.viewer)
    detail = viewer.get(reverse("course_detail", args=[w.course.uuid])).content.decode()
    assert "day-one.pdf" in detail and reverse("material_download", args=[material.uuid]) in detail
    assert reverse("material_remove", args=[material.uuid]) not in detail  # the viewer may not remove it
    download = viewer.get(reverse("material_download", args=[material.uuid]))
    assert (
        download.status_code == 200
        and b"".join(download.streaming_content if download.streaming else [download.content]) == PDF
    )
    assert download["Content-Disposition"].startswith("attachment") and "day-one.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(actor=w.viewer, action="read", object_uuid=material.uuid).count() == 1


def test_a_program_is_refused_and_nothing_is_stored(world, as_user):
    w = cebu_training(world)
    response = as_user(w.local).post(
        reverse("material_add", args=[w.course.uuid]), {"file": SimpleUploadedFile("handout.pdf", ELF)}
    )
    assert response.status_code == 200
    assert "Programs and scripts are not accepted" in response.content.decode()
    assert not CourseMaterial.objects.exists()


def test_a_foreign_material_answers_like_a_missing_one(world, as_user):
    w = cebu_training(world)
    material = _material(w)
    client = as_user(w.outsider)
    for name in ("material_download", "material_remove"):
        foreign = client.get(reverse(name, args=[material.uuid]))
        missing = client.get(reverse(name, args=[uuid.uuid4()]))
        assert foreign.status_code == missing.status_code == 404


def test_removal_asks_for_confirmation_and_only_editors_may_remove(world, as_user):
    w = cebu_training(world)
    material = _material(w)
    url = reverse("material_remove", args=[material.uuid])
    assert as_user(w.viewer).post(url, {"confirm": "on"}).status_code == 403
    client = as_user(w.local)
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 200 and CourseMaterial.objects.filter(pk=material.pk).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not CourseMaterial.objects.filter(pk=material.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_uuid=material.uuid).exists()


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {core_services.api_token_create(actor=user, name='t').secret}"}


def test_the_api_lists_adds_downloads_and_removes_materials(world, client):
    w = cebu_training(world)
    base = f"/api/v1/capacity/courses/{w.course.uuid}/materials"
    organiser = _token(w.local)
    added = client.post(
        base, {"file": SimpleUploadedFile("notes.pdf", PDF), "session": str(w.session.uuid)}, **organiser
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["name"] == "notes.pdf" and body["session"] == str(w.session.uuid)
    refused = client.post(base, {"file": SimpleUploadedFile("notes.pdf", ELF)}, **organiser)
    assert refused.status_code == 422 and "Programs and scripts" in str(refused.json())
    viewer = _token(w.viewer)
    listed = client.get(base, **viewer)
    assert [m["name"] for m in listed.json()] == ["notes.pdf"]
    file = client.get(f"/api/v1/capacity/materials/{body['uuid']}/file", **viewer)
    assert file.status_code == 200 and file.content == PDF and file["X-Content-Type-Options"] == "nosniff"
    assert file["Content-Disposition"].startswith("attachment")
    assert client.post(f"/api/v1/capacity/materials/{body['uuid']}/remove", **viewer).status_code == 403
    outsider = _token(w.outsider)
    assert client.get(f"/api/v1/capacity/materials/{body['uuid']}/file", **outsider).status_code == 404
    assert client.post(f"/api/v1/capacity/materials/{body['uuid']}/remove", **organiser).status_code == 204
    assert not CourseMaterial.objects.exists()


def test_a_session_of_another_course_is_refused(world):
    from django.core.exceptions import ValidationError

    from .factories import cebu_course, cebu_session

    w = cebu_training(world)
    other = cebu_session(w, cebu_course(w, title="Another course"))
    with pytest.raises(ValidationError):
        _material(w, session=other)
    assert not CourseMaterial.objects.exists()


def test_the_course_page_and_the_api_list_read_materials_in_a_fixed_number_of_queries(world, as_user, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cebu_training(world)
    page = as_user(w.viewer)
    token = _token(w.viewer)

    def count():
        with CaptureQueriesContext(connection) as on_page:
            assert page.get(reverse("course_detail", args=[w.course.uuid])).status_code == 200
        with CaptureQueriesContext(connection) as on_api:
            assert client.get(f"/api/v1/capacity/courses/{w.course.uuid}/materials", **token).status_code == 200
        return len(on_page.captured_queries), len(on_api.captured_queries)

    _material(w)
    count()  # warm: the token's first use is recorded once
    one = count()
    for i in range(3):
        _material(w, name=f"extra-{i}.pdf", session=w.session)
    assert count() == one == (COURSE_PAGE_QUERIES, MATERIALS_API_QUERIES)


COURSE_PAGE_QUERIES = 10
MATERIALS_API_QUERIES = 6
