"""The JSON API under /api/v1/: scope, roles, validation, conflicts, query counts, contract.

Every request authenticates with a personal API token of one persona of the
``world`` cast (see tandem/conftest.py). For each endpoint: it works for the
right persona, a lower role gets 403, another jurisdiction's record gets a 404
byte-identical to a random UUID.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core import services
from tandem.core.models import AuditEvent, Organisation, Person, Role, RoleAssignment, Sector, User

BASE = "/api/v1"


class Api:
    """A test client speaking JSON with one persona's token."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            secret = services.api_token_create(actor=user, name="t").secret
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"

    def get(self, path, **params):
        return self.client.get(BASE + path, params, **self.headers)

    def send(self, method, path, body=None, raw=None):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return getattr(self.client, method)(BASE + path, data=data, content_type="application/json", **self.headers)

    def post(self, path, body=None, raw=None):
        return self.send("post", path, body, raw)

    def patch(self, path, body=None, raw=None):
        return self.send("patch", path, body, raw)


@pytest.fixture
def as_api(client):
    return lambda user=None: Api(client, user)


def names(response, key="name"):
    return sorted(item[key] for item in response.json()["items"])


def assert_not_found(response, random_response=None):
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Not found."}
    if random_response is not None:
        assert random_response.status_code == 404
        assert response.content == random_response.content


# --- Authentication ------------------------------------------------------------------


def test_no_token_is_401_json(world, as_api):
    response = as_api().get("/organisations")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer tdm_not-a-real-token", "Bearer ", "Token tdm_x", "tdm_x", "Basic YTpi"])
def test_bad_authorization_header_is_401(world, client, header):
    response = client.get(f"{BASE}/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_session_cookie_alone_is_401(world, client):
    client.force_login(world.admin)
    response = client.get(f"{BASE}/organisations")
    assert response.status_code == 401


def test_token_wins_over_session_cookie(world, client):
    client.force_login(world.admin)
    secret = services.api_token_create(actor=world.viewer, name="t").secret
    response = client.get(f"{BASE}/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["username"] == "viewer"


def test_unknown_path_is_json_404_after_the_token_check(world, as_api):
    assert as_api().get("/nowhere").status_code == 401
    assert_not_found(as_api(world.local).get("/nowhere/at/all"))


def test_unsupported_method_is_json_405(world, as_api):
    response = as_api(world.local).send("put", "/me", {})
    assert response.status_code == 405
    assert response.json() == {"detail": "This method is not allowed here."}
    assert response["Allow"] == "GET"


def test_api_responses_are_not_cached(world, as_api):
    assert "no-store" in as_api(world.local).get("/me")["Cache-Control"]


def test_me_shows_the_token_user_and_grants(world, as_api):
    body = as_api(world.local).get("/me").json()
    assert body["username"] == "local"
    assert body["uuid"] == str(world.local.uuid)
    assert body["is_administrator"] is False
    assert body["grants"] == [
        {"role": "local_coordinator", "jurisdiction": {"uuid": str(world.cebu_city.uuid), "name": "Cebu City"}}
    ]
    assert as_api(world.admin).get("/me").json()["is_administrator"] is True


# --- Jurisdictions -------------------------------------------------------------------------


def test_jurisdiction_list_is_scoped(world, as_api):
    assert names(as_api(world.local).get("/jurisdictions")) == ["Cebu City"]
    assert names(as_api(world.regional).get("/jurisdictions")) == ["Cebu", "Cebu City", "Central Visayas"]
    national = names(as_api(world.national).get("/jurisdictions"))
    assert "Manila" in national and "Nairobi" not in national


def test_jurisdiction_list_filters(world, as_api):
    api = as_api(world.national)
    assert names(api.get("/jurisdictions", q="cebu")) == ["Cebu", "Cebu City"]
    assert names(api.get("/jurisdictions", q="PH-07")) == ["Central Visayas"]
    assert names(api.get("/jurisdictions", within=str(world.ncr.uuid))) == ["Manila", "National Capital Region"]
    assert names(api.get("/jurisdictions", depth=2)) == ["Central Visayas", "National Capital Region"]
    # A foreign unit as filter looks exactly like a missing one.
    assert_not_found(
        api.get("/jurisdictions", within=str(world.nairobi.uuid)), api.get("/jurisdictions", within=str(uuid.uuid4()))
    )
    assert api.get("/jurisdictions", depth="deep").status_code == 422


def test_jurisdiction_detail(world, as_api):
    body = as_api(world.local).get(f"/jurisdictions/{world.cebu_city.uuid}").json()
    assert body["name"] == "Cebu City"
    assert body["kind"] == "city"
    assert body["parent"] == {"uuid": str(world.cebu.uuid), "name": "Cebu"}
    assert "id" not in body and "path" not in body


def test_jurisdiction_detail_foreign_is_identical_to_missing(world, as_api):
    api = as_api(world.outsider)
    assert_not_found(api.get(f"/jurisdictions/{world.cebu_city.uuid}"), api.get(f"/jurisdictions/{uuid.uuid4()}"))


def test_malformed_uuid_in_path_is_422(world, as_api):
    response = as_api(world.local).get("/jurisdictions/not-a-uuid")
    assert response.status_code == 422
    assert "uuid" in response.json()["errors"]


def test_add_local_unit(world, as_api):
    response = as_api(world.local).post(
        f"/jurisdictions/{world.cebu_city.uuid}/children",
        {"name": "Lahug", "kind": "district", "level_name": "Barangay"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"]["uuid"] == str(world.cebu_city.uuid)
    assert body["depth"] == world.cebu_city.depth + 1
    assert world.cebu_city.children.filter(name="Lahug").exists()


def test_add_local_unit_refuses_lower_role_and_hides_foreign(world, as_api):
    body = {"name": "Lahug", "kind": "district"}
    assert as_api(world.viewer).post(f"/jurisdictions/{world.cebu_city.uuid}/children", body).status_code == 403
    assert as_api(world.member).post(f"/jurisdictions/{world.cebu_city.uuid}/children", body).status_code == 403
    outsider = as_api(world.outsider)
    assert_not_found(
        outsider.post(f"/jurisdictions/{world.cebu_city.uuid}/children", body),
        outsider.post(f"/jurisdictions/{uuid.uuid4()}/children", body),
    )
    assert not world.cebu_city.children.exists()


def test_add_local_unit_only_local_kinds(world, as_api):
    response = as_api(world.local).post(
        f"/jurisdictions/{world.cebu_city.uuid}/children", {"name": "X", "kind": "country"}
    )
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]


def test_local_kinds_in_the_schema_match_the_service():
    from typing import get_args

    from tandem.core.api.directory import LocalKind

    assert set(get_args(LocalKind)) == {k.value for k in services.LOCAL_KINDS}


def test_add_local_unit_duplicate_name_is_422(world, as_api):
    api = as_api(world.local)
    api.post(f"/jurisdictions/{world.cebu_city.uuid}/children", {"name": "Lahug", "kind": "district"})
    response = api.post(f"/jurisdictions/{world.cebu_city.uuid}/children", {"name": "lahug", "kind": "district"})
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


def test_jurisdiction_update_with_version(world, as_api):
    api = as_api(world.local)
    response = api.patch(
        f"/jurisdictions/{world.cebu_city.uuid}", {"version": 1, "level_name": "Highly urbanised city"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["level_name"] == "Highly urbanised city"
    assert response.json()["name"] == "Cebu City"  # untouched: PATCH changes only what is sent


def test_jurisdiction_update_refuses_lower_role_and_hides_foreign(world, as_api):
    assert (
        as_api(world.viewer).patch(f"/jurisdictions/{world.cebu_city.uuid}", {"version": 1, "name": "X"}).status_code
        == 403
    )
    outsider = as_api(world.outsider)
    assert_not_found(
        outsider.patch(f"/jurisdictions/{world.cebu_city.uuid}", {"version": 1, "name": "X"}),
        outsider.patch(f"/jurisdictions/{uuid.uuid4()}", {"version": 1, "name": "X"}),
    )


def test_jurisdiction_stale_update_is_409(world, as_api):
    api = as_api(world.local)
    assert (
        api.patch(f"/jurisdictions/{world.cebu_city.uuid}", {"version": 1, "name": "Cebu City Proper"}).status_code
        == 200
    )
    response = api.patch(f"/jurisdictions/{world.cebu_city.uuid}", {"version": 1, "level_name": "Old"})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changed_fields"] == ["name"]
    assert body["changed"]["name"] == {"at_your_version": "Cebu City", "now": "Cebu City Proper"}
    world.cebu_city.refresh_from_db()
    assert world.cebu_city.level_name == "City"


def test_jurisdiction_invalid_date_range_is_422(world, as_api):
    response = as_api(world.local).patch(
        f"/jurisdictions/{world.cebu_city.uuid}", {"version": 1, "valid_from": "2024-05-01", "valid_to": "2020-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"valid_to": ["The end date cannot be before the start date."]}
    # Only one end sent: checked against the stored other end.
    services.jurisdiction_update(
        actor=world.admin, jurisdiction=world.cebu_city, expected_version=1, valid_from=dt.date(2024, 5, 1)
    )
    response = as_api(world.local).patch(
        f"/jurisdictions/{world.cebu_city.uuid}", {"version": 2, "valid_to": "2020-01-01"}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["valid_to"]


# --- Organisations ----------------------------------------------------------------------------


def org_body(world, **extra):
    return {"name": "Cebu Women's Network", "sector": "women", "jurisdiction": str(world.cebu_city.uuid), **extra}


def test_organisation_list_is_scoped_and_filtered(world, as_api):
    api = as_api(world.local)
    assert names(api.get("/organisations")) == ["Cebu City Hall", "Cebu Shipping Co", "Visayas Youth Forum"]
    assert names(api.get("/organisations", sector="youth")) == ["Visayas Youth Forum"]
    assert names(api.get("/organisations", q="hall")) == ["Cebu City Hall"]
    assert names(as_api(world.regional).get("/organisations", within=str(world.cebu.uuid), q="police")) == [
        "Cebu Provincial Police"
    ]
    assert as_api(world.local).get("/organisations", sector="pirates").status_code == 422
    assert "Nairobi County Government" not in names(as_api(world.national).get("/organisations"))


def test_organisation_list_paginates(world, as_api):
    body = as_api(world.local).get("/organisations", limit=2, offset=1).json()
    assert body["count"] == 3
    assert [o["name"] for o in body["items"]] == ["Cebu Shipping Co", "Visayas Youth Forum"]
    assert as_api(world.local).get("/organisations", limit=201).status_code == 422
    assert as_api(world.local).get("/organisations", offset=-1).status_code == 422


def test_organisation_detail(world, as_api):
    body = as_api(world.viewer).get(f"/organisations/{world.city_hall.uuid}").json()
    assert body["name"] == "Cebu City Hall"
    assert body["jurisdiction"] == {"uuid": str(world.cebu_city.uuid), "name": "Cebu City"}
    assert body["version"] == 1


def test_organisation_detail_foreign_is_identical_to_missing(world, as_api):
    api = as_api(world.outsider)
    assert_not_found(api.get(f"/organisations/{world.city_hall.uuid}"), api.get(f"/organisations/{uuid.uuid4()}"))


def test_organisation_create(world, as_api):
    response = as_api(world.local).post("/organisations", org_body(world, parent=str(world.city_hall.uuid)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"]["name"] == "Cebu City Hall"
    org = Organisation.objects.get(uuid=body["uuid"])
    assert org.jurisdiction == world.cebu_city
    assert AuditEvent.objects.filter(object_uuid=str(org.uuid), action="create", actor=world.local).exists()


def test_organisation_create_refuses_lower_role(world, as_api):
    assert as_api(world.viewer).post("/organisations", org_body(world)).status_code == 403
    assert as_api(world.cso).post("/organisations", org_body(world)).status_code == 403
    assert not Organisation.objects.filter(name="Cebu Women's Network").exists()


def test_organisation_create_in_foreign_jurisdiction_is_422_like_missing(world, as_api):
    api = as_api(world.outsider)
    foreign = api.post("/organisations", org_body(world))
    missing = api.post("/organisations", org_body(world, jurisdiction=str(uuid.uuid4())))
    assert foreign.status_code == missing.status_code == 422
    assert foreign.content == missing.content
    assert foreign.json()["errors"] == {"jurisdiction": ["Not found."]}


def test_organisation_create_validation(world, as_api):
    api = as_api(world.local)
    unknown = api.post("/organisations", org_body(world, colour="blue"))
    assert unknown.status_code == 422
    assert "colour" in unknown.json()["errors"]
    too_long = api.post("/organisations", org_body(world, name="x" * 201))
    assert too_long.status_code == 422 and "name" in too_long.json()["errors"]
    wrong_type = api.post("/organisations", org_body(world, name=123))
    assert wrong_type.status_code == 422 and "name" in wrong_type.json()["errors"]
    bad_email = api.post("/organisations", org_body(world, email="not an e-mail"))
    assert bad_email.status_code == 422 and "email" in bad_email.json()["errors"]
    missing = api.post("/organisations", {"name": "X"})
    assert missing.status_code == 422 and {"sector", "jurisdiction"} <= set(missing.json()["errors"])
    duplicate = api.post("/organisations", org_body(world, name="Cebu City Hall"))
    assert duplicate.status_code == 422
    blank = api.post("/organisations", org_body(world, name="   "))
    assert blank.status_code == 422
    assert not Organisation.objects.filter(name="Cebu Women's Network").exists()


def test_malformed_json_is_400(world, as_api):
    response = as_api(world.local).post("/organisations", raw="{not json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


def test_body_that_is_not_an_object_is_422(world, as_api):
    assert as_api(world.local).post("/organisations", raw="[1, 2]").status_code == 422
    assert as_api(world.local).post("/organisations", raw="").status_code == 422


def test_organisation_update(world, as_api):
    response = as_api(world.local).patch(f"/organisations/{world.cso_org.uuid}", {"version": 1, "phone": "+63 32 1"})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "+63 32 1"
    assert response.json()["version"] == 2
    assert response.json()["name"] == "Visayas Youth Forum"


def test_organisation_update_parent_and_clear_it(world, as_api):
    api = as_api(world.local)
    set_parent = api.patch(f"/organisations/{world.cso_org.uuid}", {"version": 1, "parent": str(world.city_hall.uuid)})
    assert set_parent.json()["parent"]["uuid"] == str(world.city_hall.uuid)
    cleared = api.patch(f"/organisations/{world.cso_org.uuid}", {"version": 2, "parent": None})
    assert cleared.status_code == 200
    assert cleared.json()["parent"] is None


def test_organisation_update_null_for_required_field_is_422(world, as_api):
    response = as_api(world.local).patch(f"/organisations/{world.cso_org.uuid}", {"version": 1, "name": None})
    assert response.status_code == 422


def test_organisation_update_requires_version(world, as_api):
    response = as_api(world.local).patch(f"/organisations/{world.cso_org.uuid}", {"name": "New"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]
    assert as_api(world.local).patch(f"/organisations/{world.cso_org.uuid}", {"version": "one"}).status_code == 422


def test_organisation_stale_update_is_409_and_writes_nothing(world, as_api):
    services.organisation_update(actor=world.admin, organisation=world.cso_org, expected_version=1, name="Youth Forum")
    api = as_api(world.local)
    events_before = AuditEvent.objects.count()
    response = api.patch(f"/organisations/{world.cso_org.uuid}", {"version": 1, "phone": "123"})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changed_fields"] == ["name"]
    assert body["changed"]["name"] == {"at_your_version": "Visayas Youth Forum", "now": "Youth Forum"}
    assert "detail" in body
    org = Organisation.objects.get(pk=world.cso_org.pk)
    assert (org.phone, org.version) == ("", 2)
    assert AuditEvent.objects.count() == events_before


def test_organisation_update_refuses_lower_role_and_hides_foreign(world, as_api):
    assert (
        as_api(world.viewer).patch(f"/organisations/{world.city_hall.uuid}", {"version": 1, "phone": "1"}).status_code
        == 403
    )
    outsider = as_api(world.outsider)
    assert_not_found(
        outsider.patch(f"/organisations/{world.city_hall.uuid}", {"version": 1, "phone": "1"}),
        outsider.patch(f"/organisations/{uuid.uuid4()}", {"version": 1, "phone": "1"}),
    )
    assert Organisation.objects.get(pk=world.city_hall.pk).phone == ""


def test_organisation_move_needs_rank_at_target(world, as_api):
    # The local coordinator of Cebu City sees Cebu City only; Manila is not visible: 422 on the field.
    response = as_api(world.local).patch(
        f"/organisations/{world.cso_org.uuid}", {"version": 1, "jurisdiction": str(world.manila.uuid)}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"jurisdiction": ["Not found."]}
    # The facilitator sees Central Visayas but manages nothing there.
    assert (
        as_api(world.facilitator)
        .patch(f"/organisations/{world.cso_org.uuid}", {"version": 1, "jurisdiction": str(world.cebu.uuid)})
        .status_code
        == 403
    )


def test_organisation_archive_and_restore(world, as_api):
    api = as_api(world.local)
    archived = api.post(f"/organisations/{world.cso_org.uuid}/archive")
    assert archived.status_code == 200
    assert archived.json()["archived_at"] is not None
    assert "Visayas Youth Forum" not in names(api.get("/organisations"))
    assert names(api.get("/organisations", archived="true")) == ["Visayas Youth Forum"]
    assert api.get(f"/organisations/{world.cso_org.uuid}").status_code == 200
    restored = api.post(f"/organisations/{world.cso_org.uuid}/restore")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None


def test_organisation_archive_refuses_lower_role_and_hides_foreign(world, as_api):
    assert as_api(world.viewer).post(f"/organisations/{world.cso_org.uuid}/archive").status_code == 403
    outsider = as_api(world.outsider)
    assert_not_found(
        outsider.post(f"/organisations/{world.cso_org.uuid}/archive"),
        outsider.post(f"/organisations/{uuid.uuid4()}/archive"),
    )
    assert Organisation.objects.get(pk=world.cso_org.pk).archived_at is None


# --- People --------------------------------------------------------------------------------------


def test_person_detail_hides_contact_from_viewer(world, as_api):
    body = as_api(world.viewer).get(f"/people/{world.person_cebu.uuid}").json()
    assert body["full_name"] == "Maria Santos"
    assert body["email"] is None and body["phone"] is None
    assert body["contact_visible"] is False
    assert "maria@example.org" not in json.dumps(body)


def test_person_detail_shows_contact_to_local(world, as_api):
    body = as_api(world.local).get(f"/people/{world.person_cebu.uuid}").json()
    assert body["email"] == "maria@example.org"
    assert body["phone"] == "+63 32 555 0101"
    assert body["contact_visible"] is True


def test_person_list_hides_contact_per_row(world, as_api):
    viewer_rows = as_api(world.viewer).get("/people").json()["items"]
    assert [(p["full_name"], p["email"]) for p in viewer_rows] == [("Maria Santos", None)]
    local_rows = as_api(world.local).get("/people").json()["items"]
    assert [(p["full_name"], p["email"]) for p in local_rows] == [("Maria Santos", "maria@example.org")]


def test_person_list_scope_and_filters(world, as_api):
    api = as_api(world.national)
    assert names(api.get("/people"), "full_name") == ["Jose Reyes", "Maria Santos"]
    assert names(api.get("/people", q="jose"), "full_name") == ["Jose Reyes"]
    assert names(api.get("/people", within=str(world.visayas.uuid)), "full_name") == ["Maria Santos"]


def test_person_detail_foreign_is_identical_to_missing(world, as_api):
    api = as_api(world.outsider)
    assert_not_found(api.get(f"/people/{world.person_cebu.uuid}"), api.get(f"/people/{uuid.uuid4()}"))


def test_person_create_update_archive(world, as_api):
    api = as_api(world.local)
    created = api.post(
        "/people", {"full_name": "Ana Cruz", "jurisdiction": str(world.cebu_city.uuid), "email": "ana@example.org"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["email"] == "ana@example.org"
    person_uuid = created.json()["uuid"]
    updated = api.patch(f"/people/{person_uuid}", {"version": 1, "phone": "+63 1"})
    assert updated.status_code == 200 and updated.json()["phone"] == "+63 1"
    stale = api.patch(f"/people/{person_uuid}", {"version": 1, "phone": "+63 2"})
    assert stale.status_code == 409
    assert stale.json()["changed_fields"] == ["phone"]
    assert Person.objects.get(uuid=person_uuid).phone == "+63 1"
    archived = api.post(f"/people/{person_uuid}/archive")
    assert archived.status_code == 200 and archived.json()["archived_at"]
    assert "Ana Cruz" not in names(api.get("/people"), "full_name")


def test_person_stale_after_archive_reports_it(world, as_api):
    services.person_archive(actor=world.admin, person=world.person_cebu)
    response = as_api(world.local).patch(f"/people/{world.person_cebu.uuid}", {"version": 1, "notes": "x"})
    assert response.status_code == 409
    assert response.json()["changed"] == {"archived": {"at_your_version": False, "now": True}}


def test_person_writes_refuse_lower_role_and_hide_foreign(world, as_api):
    viewer = as_api(world.viewer)
    assert viewer.post("/people", {"full_name": "X", "jurisdiction": str(world.cebu_city.uuid)}).status_code == 403
    assert viewer.patch(f"/people/{world.person_cebu.uuid}", {"version": 1, "notes": "x"}).status_code == 403
    assert viewer.post(f"/people/{world.person_cebu.uuid}/archive").status_code == 403
    outsider = as_api(world.outsider)
    assert_not_found(
        outsider.patch(f"/people/{world.person_cebu.uuid}", {"version": 1, "notes": "x"}),
        outsider.patch(f"/people/{uuid.uuid4()}", {"version": 1, "notes": "x"}),
    )
    assert_not_found(
        outsider.post(f"/people/{world.person_cebu.uuid}/archive"), outsider.post(f"/people/{uuid.uuid4()}/archive")
    )
    person = Person.objects.get(pk=world.person_cebu.pk)
    assert (person.notes, person.archived_at, person.version) == ("", None, 1)


def test_person_create_unknown_field_is_422(world, as_api):
    response = as_api(world.local).post(
        "/people", {"full_name": "X", "jurisdiction": str(world.cebu_city.uuid), "is_admin": True}
    )
    assert response.status_code == 422
    assert "is_admin" in response.json()["errors"]


def test_affiliations_list_and_create(world, as_api):
    api = as_api(world.local)
    listed = api.get(f"/people/{world.person_cebu.uuid}/affiliations").json()
    assert listed["count"] == 1
    assert listed["items"][0]["organisation"]["name"] == "Visayas Youth Forum"
    assert listed["items"][0]["title"] == "Programme lead"
    created = api.post(
        f"/people/{world.person_cebu.uuid}/affiliations",
        {"organisation": str(world.city_hall.uuid), "title": "Adviser", "start_date": "2024-01-15"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["organisation"]["uuid"] == str(world.city_hall.uuid)
    assert api.get(f"/people/{world.person_cebu.uuid}/affiliations").json()["count"] == 2


def test_affiliation_create_validation_and_access(world, as_api):
    api = as_api(world.local)
    url = f"/people/{world.person_cebu.uuid}/affiliations"
    bad_range = api.post(
        url, {"organisation": str(world.city_hall.uuid), "start_date": "2024-02-01", "end_date": "2023-01-01"}
    )
    assert bad_range.status_code == 422
    assert bad_range.json()["errors"] == {"end_date": ["The end date cannot be before the start date."]}
    foreign_org = api.post(url, {"organisation": str(world.nairobi_org.uuid)})
    assert foreign_org.status_code == 422 and foreign_org.json()["errors"] == {"organisation": ["Not found."]}
    assert api.post(url, {"organisation": str(world.city_hall.uuid), "start_date": "soon"}).status_code == 422
    assert as_api(world.viewer).post(url, {"organisation": str(world.city_hall.uuid)}).status_code == 403
    outsider = as_api(world.outsider)
    assert_not_found(outsider.get(url), outsider.get(f"/people/{uuid.uuid4()}/affiliations"))
    assert_not_found(
        outsider.post(url, {"organisation": str(world.nairobi_org.uuid)}),
        outsider.post(f"/people/{uuid.uuid4()}/affiliations", {"organisation": str(world.nairobi_org.uuid)}),
    )
    assert world.person_cebu.affiliations.count() == 1


# --- Role assignments ----------------------------------------------------------------------------


def test_role_assignment_list_is_scoped(world, as_api):
    local_rows = as_api(world.local).get("/role-assignments").json()["items"]
    assert sorted(r["user"]["username"] for r in local_rows) == ["company", "cso", "local", "member", "viewer"]
    viewer_rows = as_api(world.viewer).get("/role-assignments").json()["items"]
    assert [(r["user"]["username"], r["role"]) for r in viewer_rows] == [("viewer", "viewer")]
    outsider_rows = as_api(world.outsider).get("/role-assignments").json()["items"]
    assert [r["user"]["username"] for r in outsider_rows] == ["outsider"]


def test_role_grant_and_revoke(world, as_api):
    User.objects.create_user(username="newcomer", password="correct-horse-battery-staple")
    api = as_api(world.local)
    granted = api.post(
        "/role-assignments", {"username": "newcomer", "role": "viewer", "jurisdiction": str(world.cebu_city.uuid)}
    )
    assert granted.status_code == 201, granted.content
    body = granted.json()
    assert body["user"]["username"] == "newcomer"
    assert body["granted_by"]["username"] == "local"
    revoked = api.post(f"/role-assignments/{body['uuid']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert not RoleAssignment.objects.filter(user__username="newcomer", revoked_at__isnull=True).exists()
    assert [r["uuid"] for r in api.get("/role-assignments", status="revoked").json()["items"]] == [body["uuid"]]


def test_role_grant_refuses_equal_or_higher_role(world, as_api):
    User.objects.create_user(username="newcomer", password="correct-horse-battery-staple")
    body = {"username": "newcomer", "role": "local_coordinator", "jurisdiction": str(world.cebu_city.uuid)}
    assert as_api(world.local).post("/role-assignments", body).status_code == 403
    assert as_api(world.viewer).post("/role-assignments", {**body, "role": "viewer"}).status_code == 403
    assert not RoleAssignment.objects.filter(user__username="newcomer").exists()


def test_role_grant_does_not_reveal_accounts_without_permission(world, as_api):
    body = {"username": "nobody-here", "role": "viewer", "jurisdiction": str(world.cebu_city.uuid)}
    assert as_api(world.viewer).post("/role-assignments", body).status_code == 403
    unknown = as_api(world.local).post("/role-assignments", body)
    assert unknown.status_code == 422 and "username" in unknown.json()["errors"]


def test_role_grant_validation(world, as_api):
    api = as_api(world.local)
    bad_role = api.post(
        "/role-assignments", {"username": "viewer", "role": "emperor", "jurisdiction": str(world.cebu_city.uuid)}
    )
    assert bad_role.status_code == 422 and "role" in bad_role.json()["errors"]
    duplicate = api.post(
        "/role-assignments", {"username": "viewer", "role": "viewer", "jurisdiction": str(world.cebu_city.uuid)}
    )
    assert duplicate.status_code == 422
    foreign = as_api(world.outsider).post(
        "/role-assignments", {"username": "viewer", "role": "viewer", "jurisdiction": str(world.cebu_city.uuid)}
    )
    assert foreign.status_code == 422 and foreign.json()["errors"] == {"jurisdiction": ["Not found."]}


def test_role_revoke_refuses_lower_role_and_hides_foreign(world, as_api):
    member_grant = world.member.role_assignments.get()
    # The member sees their own grant but may not revoke it; the viewer does not see it at all.
    assert as_api(world.member).post(f"/role-assignments/{member_grant.uuid}/revoke").status_code == 403
    viewer = as_api(world.viewer)
    assert_not_found(
        viewer.post(f"/role-assignments/{member_grant.uuid}/revoke"),
        viewer.post(f"/role-assignments/{uuid.uuid4()}/revoke"),
    )
    outsider = as_api(world.outsider)
    assert_not_found(
        outsider.post(f"/role-assignments/{member_grant.uuid}/revoke"),
        outsider.post(f"/role-assignments/{uuid.uuid4()}/revoke"),
    )
    # A local coordinator cannot revoke a grant of their own rank.
    local_grant = world.local.role_assignments.get()
    assert as_api(world.local).post(f"/role-assignments/{local_grant.uuid}/revoke").status_code == 403
    assert RoleAssignment.objects.filter(revoked_at__isnull=False).count() == 0


# --- Query counts: constant in the number of rows --------------------------------------------


def _grow(world, n=30):
    """Add ``n`` rows of every listed kind in Cebu City."""
    for i in range(n):
        services.jurisdiction_create(
            actor=None, name=f"Barangay {i}", kind="district", parent=world.cebu_city, audit=False
        )
        org = services.organisation_create(
            actor=world.admin, jurisdiction=world.cebu_city, name=f"Org {i}", sector=Sector.COMMUNITY, audit=False
        )
        services.person_create(actor=world.admin, jurisdiction=world.cebu_city, full_name=f"Person {i}", audit=False)
        services.affiliation_create(actor=world.admin, person=world.person_cebu, organisation=org, audit=False)
        user = User.objects.create_user(username=f"user{i}", password="correct-horse-battery-staple")
        services.role_grant(actor=None, user=user, role=Role.VIEWER, jurisdiction=world.cebu_city)


LISTS = {
    # path -> most queries allowed: token, grants, count, page (+ 1 for a 'within' lookup where used)
    "/jurisdictions": 4,
    "/organisations": 4,
    "/people": 6,  # + the count of contact details it carries and the one audit row recording that read
    "/people/{person}/affiliations": 5,
    "/role-assignments": 4,
}


@pytest.mark.parametrize("path", list(LISTS))
def test_list_query_count_does_not_grow(world, as_api, django_assert_max_num_queries, path):
    api = as_api(world.local)
    url = path.format(person=world.person_cebu.uuid)
    api.get("/me")  # records the token's first use (one UPDATE), so both counts below are steady-state

    def count():
        with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(LISTS[path]):
            response = api.get(url, limit=200)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    before, rows_before = count()
    _grow(world)
    after, rows_after = count()
    assert rows_after >= rows_before + 30
    assert after == before


def test_list_query_count_with_filters(world, as_api, django_assert_max_num_queries):
    api = as_api(world.regional)
    api.get("/me")
    _grow(world, 5)
    with django_assert_max_num_queries(5):
        response = api.get("/organisations", within=str(world.cebu.uuid), q="org", sector="community")
    assert response.json()["count"] == 5


# --- The contract -------------------------------------------------------------------------------


def test_openapi_document_is_committed_and_current():
    from tandem.core.management.commands.export_openapi import openapi_document

    committed = Path(settings.BASE_DIR) / "docs" / "openapi.json"
    assert committed.exists(), "docs/openapi.json is missing: run `python manage.py export_openapi`"
    assert committed.read_text(encoding="utf-8") == openapi_document(), (
        "docs/openapi.json differs from the API: run `python manage.py export_openapi`"
    )


def test_openapi_document_shape():
    from tandem.tests.openapi import openapi_schema

    schema = openapi_schema()
    assert schema["info"]["title"] == "Tandem API"
    assert schema["components"]["securitySchemes"] == {"ApiTokenAuth": {"type": "http", "scheme": "bearer"}}
    for path, operations in schema["paths"].items():
        assert "{id}" not in path and "{pk}" not in path
        for operation in operations.values():
            assert operation.get("security") == [{"ApiTokenAuth": []}], f"{path} is not behind the token"
            assert "401" in {str(code) for code in operation["responses"]}
    for name, component in schema["components"]["schemas"].items():
        if name.endswith(("In", "Patch")):
            assert component.get("additionalProperties") is False, f"{name} accepts unknown fields"


def test_schema_and_docs_are_behind_the_site_sign_in(world, client):
    secret = services.api_token_create(actor=world.local, name="t").secret
    for url in (f"{BASE}/openapi.json", f"{BASE}/docs"):
        assert client.get(url).status_code == 302
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 302
    client.force_login(world.viewer)
    schema = client.get(f"{BASE}/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Tandem API"
    docs = client.get(f"{BASE}/docs")
    assert docs.status_code == 200
    assert b"<script>" not in docs.content  # no inline script: the CSP forbids it


@pytest.mark.parametrize("kind", ["organisations", "people"])
def test_restore_refuses_lower_role_and_hides_foreign(world, as_api, kind):
    record = world.cso_org if kind == "organisations" else world.person_cebu
    if kind == "organisations":
        services.organisation_archive(actor=world.admin, organisation=record)
    else:
        services.person_archive(actor=world.admin, person=record)
    assert as_api(world.viewer).post(f"/{kind}/{record.uuid}/restore").status_code == 403
    outsider = as_api(world.outsider)
    assert_not_found(outsider.post(f"/{kind}/{record.uuid}/restore"), outsider.post(f"/{kind}/{uuid.uuid4()}/restore"))
    restored = as_api(world.local).post(f"/{kind}/{record.uuid}/restore")
    assert restored.status_code == 200
    assert restored.json()["archived_at"] is None
