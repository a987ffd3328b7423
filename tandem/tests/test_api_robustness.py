"""Requests a careless or hostile client sends get a clear 4xx in the JSON error shape, never a
500 and never a misleading answer (issue 17, "API robustness")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from tandem.core import services as core_services

DOCUMENT = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text())


def _operations(predicate) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and predicate(operation)
    ]


def _content_types(operation) -> set[str]:
    return set(operation.get("requestBody", {}).get("content", {}))


UPLOADS = _operations(lambda op: "multipart/form-data" in _content_types(op))
PAGED = _operations(lambda op: any(p.get("name") == "offset" for p in op.get("parameters", [])))


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {core_services.api_token_create(actor=user, name='t').secret}"}


def _url(path: str, world) -> str:
    return path.replace("{uuid}", str(world.cebu_city.uuid))


def test_the_document_has_upload_and_paged_operations():
    assert UPLOADS, "no multipart operation found in docs/openapi.json"
    assert len(PAGED) >= 5


@pytest.mark.parametrize(("method", "path"), UPLOADS, ids=[f"{m} {p}" for m, p in UPLOADS])
@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=xyz"],
    ids=["no boundary", "empty boundary", "body without the boundary"],
)
def test_a_broken_multipart_body_is_a_400(world, client, method, path, content_type):
    response = client.generic(
        method, _url(path, world), b"--other\r\n\r\nnot a form", content_type=content_type, **_bearer(world.admin)
    )
    assert response.status_code in {400, 404}, response.content  # 404: the record named is not a draft
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize(("method", "path"), PAGED, ids=[f"{m} {p}" for m, p in PAGED])
def test_an_offset_beyond_any_list_is_a_422(world, client, method, path):
    response = client.get(_url(path, world), {"offset": 2**63}, **_bearer(world.admin))
    assert response.status_code in {422, 404}, response.content
    if response.status_code == 422:
        assert "offset" in response.json()["errors"]


def test_a_date_given_as_a_number_is_refused_and_nothing_is_saved(world, client):
    from tandem.core.models import Affiliation

    before = Affiliation.objects.count()
    response = client.post(
        f"/api/v1/people/{world.person_cebu.uuid}/affiliations",
        data=json.dumps({"organisation": str(world.city_hall.uuid), "start_date": 0}),
        content_type="application/json",
        **_bearer(world.admin),
    )
    assert response.status_code == 422, response.content
    assert "ISO 8601" in json.dumps(response.json()["errors"]["start_date"])
    assert Affiliation.objects.count() == before


def test_an_iso_date_is_still_accepted(world, client):
    response = client.post(
        f"/api/v1/people/{world.person_cebu.uuid}/affiliations",
        data=json.dumps({"organisation": str(world.city_hall.uuid), "start_date": "2026-01-05"}),
        content_type="application/json",
        **_bearer(world.admin),
    )
    assert response.status_code == 201, response.content
    assert response.json()["start_date"] == "2026-01-05"


def test_a_too_large_form_on_a_page_is_a_413(world, as_user, settings):
    client = as_user(world.local)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(reverse("organisation_create"), {"name": "x" * (limit + 1)})
    assert response.status_code == 413
    assert "too large" in response.content.decode()


METHODS = {"get", "post", "put", "patch", "delete"}


def test_a_method_the_document_does_not_list_answers_405_naming_the_listed_ones(world, client):
    """The document says so in its description; every path keeps to it (e.g. DELETE /api/v1/me)."""
    assert "405" in DOCUMENT["info"]["description"]
    headers = _bearer(world.local)
    wrong = []
    for path, item in DOCUMENT["paths"].items():
        listed = {m for m in item if m in METHODS}
        for method in sorted(METHODS - listed):
            response = client.generic(method.upper(), _url(path, world), **headers)
            allowed = {m.strip().lower() for m in response.get("Allow", "").split(",") if m.strip()}
            if response.status_code != 405 or "detail" not in response.json() or allowed != listed:
                wrong.append(f"{method.upper()} {path}: {response.status_code} Allow={sorted(allowed)}")
    assert not wrong, "\n".join(wrong)


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document names each schema by its class name: two classes of one name would have the
    later overwrite the earlier, and the document would describe one operation's body with another's."""
    from ninja import Schema

    import tandem.urls  # noqa: F401  (imports every app's API modules)

    modules: dict[str, set[str]] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("tandem."):
                modules.setdefault(sub.__name__, set()).add(sub.__module__)
            walk(sub)

    walk(Schema)
    shared = {name: sorted(where) for name, where in modules.items() if len(where) > 1}
    assert not shared, shared
