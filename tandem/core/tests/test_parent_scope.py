"""An organisation's parent is shown only to users who may open it (issue 10, defect 6).

Cebu City Hall is made a unit of the national Anti-Terrorism Council: the local
coordinator of Cebu City opens City Hall but gets 404 on the council, so neither
its name nor its id reaches them — page, list, export or API.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.core import services
from tandem.core.tests.test_api import Api


@pytest.fixture
def hall_under_council(world):
    services.organisation_update(
        actor=world.admin, organisation=world.city_hall, expected_version=1, parent=world.national_org
    )
    return world.national_org


def test_api_hides_a_parent_the_user_cannot_open(world, client, hall_under_council):
    council = str(hall_under_council.uuid)
    api = Api(client, world.local)
    assert api.get(f"/organisations/{council}").status_code == 404
    detail = api.get(f"/organisations/{world.city_hall.uuid}")
    assert detail.status_code == 200
    assert detail.json()["parent"] is None
    assert council not in detail.content.decode() and "Anti-Terrorism" not in detail.content.decode()
    listing = api.get("/organisations", q="Cebu City Hall").content.decode()
    assert "Cebu City Hall" in listing and council not in listing and "Anti-Terrorism" not in listing


def test_api_shows_a_parent_the_user_may_open(world, client, hall_under_council):
    detail = Api(client, world.national).get(f"/organisations/{world.city_hall.uuid}").json()
    assert detail["parent"] == {"uuid": str(hall_under_council.uuid), "name": "Anti-Terrorism Council"}


def test_pages_and_export_hide_a_parent_the_user_cannot_open(world, as_user, hall_under_council):
    client = as_user(world.local)
    council = str(hall_under_council.uuid)
    page = client.get(reverse("organisation_detail", kwargs={"uuid": world.city_hall.uuid})).content.decode()
    assert "Cebu City Hall" in page and council not in page and "Anti-Terrorism" not in page
    listing = client.get(reverse("organisation_list")).content.decode()
    assert "Cebu City Hall" in listing and "Anti-Terrorism" not in listing
    export = client.get(reverse("organisation_export", kwargs={"fmt": "csv"}))
    assert "Anti-Terrorism" not in b"".join(export.streaming_content).decode()
    # The national coordinator may open the council: it is named, and linked.
    page = as_user(world.national).get(reverse("organisation_detail", kwargs={"uuid": world.city_hall.uuid}))
    assert council in page.content.decode() and "Anti-Terrorism Council" in page.content.decode()
