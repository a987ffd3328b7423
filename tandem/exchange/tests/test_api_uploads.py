"""Attachments through the API: a draft, its uploads (the pages' checks), sending it; lowering a label."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core import services as core_services
from tandem.exchange.models import ExchangeItem, LabelChange
from tandem.exchange.tests.conftest import PDF, send_item

BASE = "/api/v1/exchange"


@pytest.fixture
def api(world, client):
    tokens = {}

    def call(persona, method, path, **kwargs):
        if persona not in tokens:
            tokens[persona] = core_services.api_token_create(actor=world.personas[persona], name="t").secret
        if "json" in kwargs:
            kwargs["data"] = kwargs.pop("json")
            kwargs["content_type"] = "application/json"
        return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {tokens[persona]}", **kwargs)

    return call


def _new_draft(world, api, **extra):
    body = {
        "kind": "alert",
        "direction": "lateral",
        "tlp": "AMBER",
        "title": "Gathering near the market",
        "body": "Rumours of a gathering on Saturday.",
        "to_organisations": [str(world.cso_org.uuid)],
        **extra,
    }
    response = api("local", "post", f"{BASE}/drafts", json=body)
    assert response.status_code == 201, response.content
    return response.json()


def _upload(api, draft, name, data, persona="local"):
    return api(
        persona, "post", f"{BASE}/drafts/{draft['uuid']}/attachments", data={"file": SimpleUploadedFile(name, data)}
    )


def _send(api, draft, version, **extra):
    body = {"version": version, "no_agreement_reason": "Urgent public safety information", **extra}
    return api("local", "post", f"{BASE}/drafts/{draft['uuid']}/send", json=body)


def test_upload_send_and_download_by_a_recipient(world, api):
    draft = _new_draft(world, api)
    assert draft["attachments"] == [] and draft["preview"]["audience_count"] >= 2
    response = _upload(api, draft, "situation.pdf", PDF)
    assert response.status_code == 201, response.content
    uploaded = response.json()
    assert uploaded["version"] == draft["version"] + 1
    [attachment] = uploaded["attachments"]
    assert attachment["original_name"] == "situation.pdf" and attachment["content_type"] == "application/pdf"

    assert _send(api, draft, draft["version"]).status_code == 422  # the preview before the upload is stale
    assert not ExchangeItem.objects.filter(uuid=draft["uuid"], sent_at__isnull=False).exists()
    sent = _send(api, draft, uploaded["version"])
    assert sent.status_code == 201, sent.content
    assert [a["uuid"] for a in sent.json()["attachments"]] == [attachment["uuid"]]

    download = api("cso", "get", f"{BASE}/attachments/{attachment['uuid']}")
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert "situation.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert api("outsider", "get", f"{BASE}/attachments/{attachment['uuid']}").status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        ("notes.txt", b"<html><body><script>alert(1)</script></body></html>", "SVG"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", "not accepted"),
    ],
)
def test_scriptable_or_unknown_files_are_refused_with_a_clear_422(world, api, name, data, words):
    draft = _new_draft(world, api)
    response = _upload(api, draft, name, data)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert any(words in message for message in response.json()["errors"]["file"])
    assert api("local", "get", f"{BASE}/drafts/{draft['uuid']}").json()["attachments"] == []


def test_oversize_file_is_refused(world, api, settings):
    settings.TANDEM_UPLOAD_MAX_BYTES = 1024
    draft = _new_draft(world, api)
    response = _upload(api, draft, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 422
    assert "too large" in response.json()["errors"]["file"][0]
    assert _upload(api, draft, "small.pdf", PDF).status_code == 201


def test_zip_bomb_is_refused_fast(world, api):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(210):
                entry.write(chunk)
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024
    draft = _new_draft(world, api)
    started = time.monotonic()
    response = _upload(api, draft, "report.docx", bomb)
    assert time.monotonic() - started < 2
    assert response.status_code == 422
    assert "unpacks to more than" in response.json()["errors"]["file"][0]


def test_only_the_sender_sees_and_fills_a_draft(world, api):
    draft = _new_draft(world, api)
    for persona in ("cso", "national", "regional", "outsider"):
        assert api(persona, "get", f"{BASE}/drafts/{draft['uuid']}").status_code == 404
        assert _upload(api, draft, "x.pdf", PDF, persona=persona).status_code == 404
        assert api(persona, "post", f"{BASE}/drafts/{draft['uuid']}/send", json={"version": 1}).status_code == 404
        assert api(persona, "get", f"{BASE}/items/{draft['uuid']}").status_code == 404
    assert api("local", "get", f"{BASE}/drafts/{draft['uuid']}").json()["attachments"] == []
    sent = _send(api, draft, draft["version"])
    assert sent.status_code == 201
    # Once sent it is no longer a draft: no more uploads.
    assert _upload(api, draft, "late.pdf", PDF).status_code == 404


def test_personal_data_in_an_attachment_name_must_be_confirmed(world, api):
    draft = _new_draft(world, api)
    uploaded = _upload(api, draft, "juan.delacruz@example.org.pdf", PDF).json()
    matches = uploaded["preview"]["personal_data"]
    assert any(m["kind"] == "email" and "juan.delacruz@example.org" in m["match"] for m in matches), matches
    refused = _send(api, draft, uploaded["version"])
    assert refused.status_code == 422
    assert "confirm_personal_data" in refused.json()["errors"]
    assert _send(api, draft, uploaded["version"], confirm_personal_data=True).status_code == 201


def test_sender_lowers_a_label_through_the_api(world, api):
    item = send_item(world, sender=world.local, tlp="AMBER", organisations=[world.cso_org], direction="lateral")
    path = f"{BASE}/items/{item.uuid}/label"
    raised = api("local", "post", path, json={"tlp": "RED", "reason": "Sensitive after all"})
    assert raised.status_code == 422 and "tlp" in raised.json()["errors"]
    assert api("cso", "post", path, json={"tlp": "GREEN", "reason": "Why not"}).status_code == 403
    assert api("outsider", "post", path, json={"tlp": "GREEN", "reason": "Why not"}).status_code == 404
    lowered = api("local", "post", path, json={"tlp": "GREEN", "reason": "The city published it"})
    assert lowered.status_code == 200 and lowered.json()["tlp"] == "GREEN"
    change = LabelChange.objects.get(item=item)
    assert (change.from_tlp, change.to_tlp, change.by, change.reason) == (
        "AMBER",
        "GREEN",
        world.local,
        "The city published it",
    )


def test_a_json_body_is_not_an_upload(world, api):
    draft = _new_draft(world, api)
    path = f"{BASE}/drafts/{draft['uuid']}/attachments"
    wrong = api("local", "post", path, json={"name": "x.pdf", "data": "JVBERi0="})
    assert wrong.status_code == 422
    assert set(wrong.json()["errors"]) == {"name", "data"}
    assert "multipart/form-data" in wrong.json()["errors"]["name"][0]
    empty = api("local", "post", path, HTTP_ACCEPT_LANGUAGE="fr")
    assert empty.status_code == 422
    assert empty.json()["errors"]["file"] == ["Choisissez un fichier à joindre."]
