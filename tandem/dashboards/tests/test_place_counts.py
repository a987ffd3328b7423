"""A jurisdiction's page counts the organisations and people at it and below it, cached per reader on
the dashboards' directory tokens (``cache.directory_numbers``): the cached counts are those counted
afresh, a new organisation or person there or below shows on the next request, one elsewhere leaves
the entry as it is, and a change of who sees what (an archived organisation) empties it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.core import services
from tandem.core.models import Sector
from tandem.dashboards import cache
from tandem.dashboards.tests.test_cache import cached  # noqa: F401  (the fixture: the cache on, emptied)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached")]


def _counts(client, place) -> tuple[int, int]:
    response = client.get(reverse("jurisdiction_detail", args=[place.uuid]))
    assert response.status_code == 200
    found = re.findall(r'\?within=[0-9a-f-]+">(\d+)</a>', response.content.decode())
    assert len(found) == 2, "the page shows no organisation and people counts"
    return int(found[0]), int(found[1])


@pytest.mark.parametrize(("persona", "place"), [("national", "ph"), ("regional", "visayas"), ("local", "cebu_city")])
def test_the_cached_counts_are_those_counted_afresh(world, as_user, settings, persona, place):
    client = as_user(world.personas[persona])
    node = getattr(world, place)
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 0
    afresh = _counts(client, node)
    assert afresh[0] > 0
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    assert _counts(client, node) == afresh  # counted and stored
    assert _counts(client, node) == afresh  # from the entry


def test_the_warm_page_does_not_count(world, as_user, django_assert_num_queries):
    client = as_user(world.national)
    first = _counts(client, world.ph)
    # Session, user, grants, the place, its children, its trail, the rank check: no count.
    with django_assert_num_queries(7):
        assert _counts(client, world.ph) == first


def test_a_new_organisation_or_person_below_shows_and_one_elsewhere_keeps_the_entry(
    world, as_user, django_assert_num_queries
):
    client = as_user(world.national)
    orgs, people = _counts(client, world.visayas)
    services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="Cebu Youth Hub", sector=Sector.YOUTH
    )
    assert _counts(client, world.visayas) == (orgs + 1, people)
    services.person_create(actor=world.admin, jurisdiction=world.cebu, full_name="Ana Cruz")
    assert _counts(client, world.visayas) == (orgs + 1, people + 1)
    services.organisation_create(actor=world.admin, jurisdiction=world.manila, name="Manila Hub", sector=Sector.YOUTH)
    with django_assert_num_queries(7):  # another region's organisation: the entry is still valid
        assert _counts(client, world.visayas) == (orgs + 1, people + 1)


def test_an_archived_organisation_leaves_the_counts(world, as_user):
    client = as_user(world.local)
    orgs, _people = _counts(client, world.cebu_city)
    services.organisation_archive(actor=world.admin, organisation=world.company_org)
    assert _counts(client, world.cebu_city)[0] == orgs - 1


def test_readers_of_other_places_never_get_each_others_counts(world, as_user):
    national = _counts(as_user(world.national), world.ph)
    regional = as_user(world.regional).get(reverse("jurisdiction_detail", args=[world.ph.uuid]))
    assert regional.status_code == 404  # the country is not the regional coordinator's to open
    visayas = _counts(as_user(world.regional), world.visayas)
    assert visayas[0] < national[0]
    assert _counts(as_user(world.national), world.ph) == national
