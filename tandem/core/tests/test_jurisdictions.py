"""The jurisdiction tree pages: browse, search, add a local unit, edit with conflict detection."""

from __future__ import annotations

from django.urls import reverse

from tandem.core import services
from tandem.core.models import Jurisdiction


def test_tree_shows_the_users_top_units(world, as_user):
    body = as_user(world.regional).get(reverse("jurisdiction_list")).content.decode()
    assert "Central Visayas" in body
    assert "Kenya" not in body and "National Capital Region" not in body


def test_search_finds_by_name_and_iso_code_within_scope(world, as_user):
    client = as_user(world.national)
    assert "Cebu City" in client.get(reverse("jurisdiction_list"), {"q": "cebu"}).content.decode()
    assert "Central Visayas" in client.get(reverse("jurisdiction_list"), {"q": "PH-07"}).content.decode()
    body = client.get(reverse("jurisdiction_list"), {"q": "Nairobi"}).content.decode()
    assert "No jurisdiction matches" in body


def test_detail_shows_breadcrumb_of_the_path(world, as_user):
    body = (
        as_user(world.local).get(reverse("jurisdiction_detail", kwargs={"uuid": world.cebu_city.uuid})).content.decode()
    )
    # The path is named even above the user's scope, but only units in scope are links.
    for name in ("Tandem network", "Philippines", "Central Visayas", "Cebu"):
        assert name in body
    assert f'href="/jurisdictions/{world.ph.uuid}/"' not in body


def test_local_coordinator_adds_a_district(world, as_user):
    client = as_user(world.local)
    url = reverse("jurisdiction_add_child", kwargs={"uuid": world.cebu_city.uuid})
    response = client.post(url, {"name": "Lahug", "kind": "district", "level_name": "Barangay"})
    assert response.status_code == 302
    node = Jurisdiction.objects.get(name="Lahug")
    assert node.parent == world.cebu_city
    assert node.depth == world.cebu_city.depth + 1
    assert node.path.startswith(world.cebu_city.path)


def test_duplicate_and_blank_names_are_refused(world, as_user):
    client = as_user(world.local)
    url = reverse("jurisdiction_add_child", kwargs={"uuid": world.cebu.uuid})
    response = as_user(world.regional).post(url, {"name": "Cebu City", "kind": "city"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    response = client.post(
        reverse("jurisdiction_add_child", kwargs={"uuid": world.cebu_city.uuid}), {"name": "  ", "kind": "city"}
    )
    assert response.status_code == 200
    assert Jurisdiction.objects.filter(parent=world.cebu_city).count() == 0


def test_stale_edit_is_refused_and_shows_what_changed(world, as_user):
    client = as_user(world.local)
    url = reverse("jurisdiction_edit", kwargs={"uuid": world.cebu_city.uuid})
    services.jurisdiction_update(
        actor=world.regional, jurisdiction=world.cebu_city, expected_version=1, name="Cebu City (HUC)"
    )
    response = client.post(url, {"name": "City of Cebu", "level_name": "City", "version": 1})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this record" in body
    # The "what changed" table shows the name as it was when the editor started and as saved now.
    assert "<td>Cebu City</td><td>Cebu City (HUC)</td>" in body
    world.cebu_city.refresh_from_db()
    assert world.cebu_city.name == "Cebu City (HUC)"


def test_end_date_before_start_is_refused(world, as_user):
    response = as_user(world.local).post(
        reverse("jurisdiction_edit", kwargs={"uuid": world.cebu_city.uuid}),
        {"name": "Cebu City", "valid_from": "2024-01-01", "valid_to": "2023-01-01", "version": 1},
    )
    assert "The end date cannot be before the start date." in response.content.decode()
    world.cebu_city.refresh_from_db()
    assert world.cebu_city.valid_to is None


def test_jurisdiction_detail_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user(world.national)
    url = reverse("jurisdiction_detail", kwargs={"uuid": world.cebu_city.uuid})
    with django_assert_max_num_queries(14):
        client.get(url)
    for i in range(40):
        services.jurisdiction_create(actor=world.local, name=f"Barangay {i}", kind="district", parent=world.cebu_city)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert "Barangay 1" in response.content.decode()
