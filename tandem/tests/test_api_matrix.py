"""The API's permission matrix: every operation of the OpenAPI document × persona.

``test_every_api_operation_is_in_the_matrix`` reads the live OpenAPI schema and
fails when an operation has no row. Records named in the paths live in Cebu City.
Each persona's request is rolled back, so writes do not leak between personas.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from tandem.conftest import PERSONAS
from tandem.core import services
from tandem.tests.matrix import ANON, COORDINATORS_HERE, EVERYONE, Expect, Op, app_rows
from tandem.tests.openapi import openapi_schema

_api = Expect(anon=401)
statuses, read, read_cebu, manage_cebu = _api.statuses, _api.read, _api.read_cebu, _api.manage_cebu


def _invitation(w):
    from tandem.core import invitations

    return invitations.invitation_create(
        actor=w.local, email="new@example.org", full_name="New Member", role="member", jurisdiction=w.cebu_city
    ).invitation


def create_anywhere(ok: int, foreign: int) -> dict[str, int]:
    """Create in Cebu City: lower roles 403; the outsider (a coordinator elsewhere) cannot name it."""
    return {**statuses(403), **dict.fromkeys(COORDINATORS_HERE, ok), "outsider": foreign}


MATRIX: list[Op] = [
    Op("get", "/api/v1/me", read()),
    Op("get", "/api/v1/jurisdictions", read()),
    Op("get", "/api/v1/jurisdictions/{uuid}", read_cebu(), uuid=lambda w: w.cebu_city.uuid),
    Op(
        "patch",
        "/api/v1/jurisdictions/{uuid}",
        manage_cebu(),
        uuid=lambda w: w.cebu_city.uuid,
        body=lambda w: {"version": 1, "level_name": "Highly urbanised city"},
    ),
    Op(
        "post",
        "/api/v1/jurisdictions/{uuid}/children",
        manage_cebu(201),
        uuid=lambda w: w.cebu_city.uuid,
        body=lambda w: {"name": "Lahug", "kind": "district"},
    ),
    Op("get", "/api/v1/organisations", read()),
    Op(
        "post",
        "/api/v1/organisations",
        create_anywhere(201, 422),
        body=lambda w: {"name": "Cebu Peace Circle", "sector": "women", "jurisdiction": str(w.cebu_city.uuid)},
    ),
    Op("get", "/api/v1/organisations/{uuid}", read_cebu(), uuid=lambda w: w.city_hall.uuid),
    Op(
        "patch",
        "/api/v1/organisations/{uuid}",
        manage_cebu(),
        uuid=lambda w: w.city_hall.uuid,
        body=lambda w: {"version": 1, "phone": "+63 32 555 0000"},
    ),
    Op("post", "/api/v1/organisations/{uuid}/archive", manage_cebu(), uuid=lambda w: w.city_hall.uuid),
    Op("post", "/api/v1/organisations/{uuid}/restore", manage_cebu(), uuid=lambda w: w.city_hall.uuid),
    Op("get", "/api/v1/people", read()),
    Op(
        "post",
        "/api/v1/people",
        create_anywhere(201, 422),
        body=lambda w: {"full_name": "Ana Cruz", "jurisdiction": str(w.cebu_city.uuid)},
    ),
    Op("get", "/api/v1/people/{uuid}", read_cebu(), uuid=lambda w: w.person_cebu.uuid),
    Op(
        "patch",
        "/api/v1/people/{uuid}",
        manage_cebu(),
        uuid=lambda w: w.person_cebu.uuid,
        body=lambda w: {"version": 1, "notes": "Met at the forum"},
    ),
    Op("get", "/api/v1/people/{uuid}/affiliations", read_cebu(), uuid=lambda w: w.person_cebu.uuid),
    Op(
        "post",
        "/api/v1/people/{uuid}/affiliations",
        manage_cebu(201),
        uuid=lambda w: w.person_cebu.uuid,
        body=lambda w: {"organisation": str(w.city_hall.uuid), "title": "Adviser"},
    ),
    Op("post", "/api/v1/people/{uuid}/archive", manage_cebu(), uuid=lambda w: w.person_cebu.uuid),
    Op("post", "/api/v1/people/{uuid}/restore", manage_cebu(), uuid=lambda w: w.person_cebu.uuid),
    Op("get", "/api/v1/role-assignments", read()),
    Op(
        "post",
        "/api/v1/role-assignments",
        create_anywhere(201, 422),
        body=lambda w: {"username": "company", "role": "viewer", "jurisdiction": str(w.cebu_city.uuid)},
    ),
    Op(
        "post",
        "/api/v1/role-assignments/{uuid}/revoke",
        # Non-coordinators see only their own assignments: the member sees it (403), others do not (404).
        {**statuses(404), "member": 403, **dict.fromkeys(COORDINATORS_HERE, 200)},
        uuid=lambda w: w.member.role_assignments.get().uuid,
    ),
    Op("get", "/api/v1/invitations", _api.coordinators_only()),
    Op("get", "/api/v1/audit-events", _api.coordinators_only()),
    Op(
        "post",
        "/api/v1/invitations",
        create_anywhere(201, 422),
        body=lambda w: {
            "email": "new@example.org",
            "full_name": "New Member",
            "role": "member",
            "jurisdiction": str(w.cebu_city.uuid),
        },
    ),
    Op("post", "/api/v1/invitations/{uuid}/revoke", manage_cebu(), uuid=lambda w: _invitation(w).uuid),
    *app_rows("API_OPS"),
]


def test_every_api_operation_is_in_the_matrix():
    schema = openapi_schema()
    operations = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    covered = {(op.method, op.path) for op in MATRIX}
    assert sorted(operations - covered) == [], "API operations without a matrix row"
    assert sorted(covered - operations) == [], "matrix rows for operations that no longer exist"


def _world_with_tokens():
    from tandem.conftest import build_world

    world = build_world()
    world.tokens = {p: services.api_token_create(actor=world.personas[p], name="matrix").secret for p in PERSONAS}
    return world


@pytest.fixture(scope="session")
def _world_with_tokens_snapshot(django_db_setup, django_db_blocker):
    """The world and one API token per persona, built once per session (tandem.tests.snapshots)."""
    from tandem.tests.snapshots import capture

    with django_db_blocker.unblock():
        return capture(_world_with_tokens)


@pytest.fixture
def world(db, _world_with_tokens_snapshot):
    """The named cast with ``world.tokens`` (persona → secret), restored into this test's transaction: the
    same rows as creating the tokens in the test, without running the service 10 times per operation."""
    return _world_with_tokens_snapshot.restore()


@pytest.mark.parametrize("op", MATRIX, ids=[f"{op.method}-{op.path}" for op in MATRIX])
def test_api_permission_matrix(world, client, op):
    assert set(op.expected) == set(EVERYONE)
    tokens = world.tokens
    target = op.uuid(world)
    path = op.path.replace("{uuid}", str(target)) if target is not None else op.path
    body = op.body(world)
    mismatches = []
    for persona in EVERYONE:
        headers = {} if persona == ANON else {"HTTP_AUTHORIZATION": f"Bearer {tokens[persona]}"}
        with transaction.atomic():
            if op.method == "get":
                response = client.get(path, **headers)
            else:
                payload = json.dumps(body) if body is not None else ""
                response = getattr(client, op.method)(path, data=payload, content_type="application/json", **headers)
            if response.status_code != op.expected[persona]:
                mismatches.append(f"{persona}: expected {op.expected[persona]}, got {response.status_code}")
            transaction.set_rollback(True)
    assert not mismatches, f"{op.method.upper()} {path}\n" + "\n".join(mismatches)
