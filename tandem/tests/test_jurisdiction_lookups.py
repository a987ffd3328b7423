"""Jurisdiction choices are lookups (issue 11): a country of 5,000 units never lands in a form.

The endpoints' scopes are in ``test_lookups.ENDPOINTS``; here: the pages stay small with many
units, a label tells two units of one name apart, a forged unit is refused with nothing written,
and a search without JavaScript picks the single match.
"""

from __future__ import annotations

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from tandem.assessment.tests.factories import visayas_mapping
from tandem.capacity.tests.factories import cebu_training
from tandem.core import lookups
from tandem.core.models import Jurisdiction, JurisdictionKind


def _many_units(parent, count=300, name="Bulk place"):
    """``count`` municipalities below ``parent`` (bulk, with their materialised paths)."""
    Jurisdiction.objects.bulk_create(
        [
            Jurisdiction(
                name=f"{name} {i:04d}",
                kind=JurisdictionKind.MUNICIPALITY,
                parent=parent,
                path="/pending/",
                depth=parent.depth + 1,
            )
            for i in range(count)
        ]
    )
    Jurisdiction.objects.filter(path="/pending/").update(
        path=Concat(Value(parent.path), Cast("id", CharField()), Value("/"))
    )


# (url name, url kwargs, persona): every form page whose jurisdiction field listed the whole tree.
JURISDICTION_FORMS = [
    ("plan_create", None, "local"),
    ("plan_roadmap_record", None, "local"),
    ("body_create", None, "local"),
    ("course_create", None, "local"),
    ("session_create", lambda w: {"uuid": cebu_training(w).course.uuid}, "local"),
    ("event_create", None, "local"),
    ("library_item_create", None, "local"),
    ("assessment_create", None, "local"),
    ("mapping_entry_add", lambda w: {"uuid": visayas_mapping(w).uuid}, "national"),
    ("funding_source_create", None, "local"),
    ("funding_call_create", None, "local"),
    ("funding_offer_create", None, "local"),
    ("agreement_create", None, "local"),
    ("membership_apply", None, "local"),
]


@pytest.mark.parametrize(("name", "kwargs", "persona"), JURISDICTION_FORMS, ids=[p[0] for p in JURISDICTION_FORMS])
def test_jurisdiction_forms_stay_small_with_many_units(world, as_user, name, kwargs, persona):
    _many_units(world.cebu_city)
    response = as_user(world.personas[persona]).get(reverse(name, kwargs=kwargs(world) if kwargs else None))
    assert response.status_code == 200
    page = response.content.decode()
    # A full select would list all 300; the lookup offers one page (which 20 depends on the tree's
    # order of paths, so no particular name is asserted absent).
    assert page.count("Bulk place") <= 2 * lookups.PAGE_SIZE
    assert 'class="lookup"' in page


def test_two_units_of_one_name_read_apart_in_english_and_french(world, as_user):
    from tandem.core import services

    for province in (world.cebu, world.ncr):
        services.jurisdiction_create(
            actor=None, name="Springfield", kind=JurisdictionKind.MUNICIPALITY, parent=province, audit=False
        )
    client = as_user(world.national)
    url = reverse("plan_lookup_jurisdictions")
    labels = sorted(r["label"] for r in client.get(url, {"q": "springfield", "format": "json"}).json()["results"])
    assert labels == [
        "Springfield (Municipality, Central Visayas › Cebu)",
        "Springfield (Municipality, Philippines › National Capital Region)",
    ]
    # A word of the unit above narrows the matches.
    narrowed = client.get(url, {"q": "springfield cebu", "format": "json"}).json()["results"]
    assert [r["label"] for r in narrowed] == ["Springfield (Municipality, Central Visayas › Cebu)"]
    client.cookies["django_language"] = "fr"
    french = client.get(url, {"q": "springfield", "format": "json"}, HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    assert "Springfield (Municipalité, Central Visayas › Cebu)" in {r["label"] for r in french}


def test_forged_unit_outside_the_scope_is_refused_and_nothing_is_written(world, as_user):
    from tandem.bodies.models import Body

    client = as_user(world.local)
    before = Body.objects.count()
    response = client.post(
        reverse("body_create"),
        {"name": "Harbour forum", "kind": "local_prevention_network", "jurisdiction": str(world.manila.uuid)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Body.objects.count() == before


def test_without_javascript_a_unit_search_picks_the_single_match_and_never_saves(world, as_user):
    from tandem.bodies.models import Body

    _many_units(world.cebu_city, count=30)
    client = as_user(world.local)
    before = Body.objects.count()
    data = {"name": "Harbour forum", "kind": "local_prevention_network"}
    page = client.post(reverse("body_create"), {**data, "jurisdiction__q": "bulk place 0027"}).content.decode()
    unit = Jurisdiction.objects.get(name="Bulk place 0027")
    assert "One record matches" in page
    assert f'<option value="{unit.uuid}" selected>' in page
    assert Body.objects.count() == before
    page = client.post(reverse("body_create"), {**data, "jurisdiction__q": "bulk place"}).content.decode()
    assert "Several records match" in page
    response = client.post(reverse("body_create"), {**data, "jurisdiction": str(unit.uuid)})
    assert response.status_code == 302
    assert Body.objects.get(name="Harbour forum").jurisdiction == unit
