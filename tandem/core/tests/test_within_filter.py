"""The lists' "Within jurisdiction" filter lists whole levels from the top when a user's area has
more units than the select can hold (a national coordinator's country of 5,000 units)."""

import re

import pytest
from django.urls import reverse

from tandem.core import selectors

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[str]:
    select = re.search(r'<select id="person-within" name="within"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the within select is on the page"
    return [label.replace("\u2003", "").strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[1])]


def test_a_small_area_lists_every_unit_and_no_hint(world, as_user):
    html = as_user(world.national).get(reverse("person_list")).content.decode()
    assert _options(html)[1:] == [
        "Philippines",
        "Central Visayas",
        "Cebu",
        "Cebu City",
        "National Capital Region",
        "Manila",
    ]
    assert "Only the upper levels are listed" not in html


def test_a_level_that_does_not_fit_whole_is_left_out_not_cut(world, as_user, monkeypatch):
    # Four places: the country and its two regions fit; the third level (Cebu, Manila, then Cebu City)
    # does not fit whole, so none of it is listed, rather than Cebu and not Manila.
    monkeypatch.setattr(selectors, "WITHIN_OPTIONS_LIMIT", 4)
    html = as_user(world.national).get(reverse("person_list")).content.decode()
    assert _options(html)[1:] == ["Philippines", "Central Visayas", "National Capital Region"]
    assert "Only the upper levels are listed" in html
    assert 'aria-describedby="person-within-help"' in html


def test_the_chosen_unit_is_offered_even_below_the_listed_levels(world, as_user, monkeypatch):
    monkeypatch.setattr(selectors, "WITHIN_OPTIONS_LIMIT", 4)
    html = as_user(world.national).get(reverse("person_list"), {"within": str(world.manila.uuid)}).content.decode()
    assert "Manila" in _options(html)
    assert f'<option value="{world.manila.uuid}" selected>' in html


def test_the_country_alone_when_its_regions_do_not_fit(world, monkeypatch):
    monkeypatch.setattr(selectors, "WITHIN_OPTIONS_LIMIT", 2)
    options, partial = selectors.within_options(world.national)
    assert [j.name for j in options] == ["Philippines"] and partial


def test_a_first_level_larger_than_the_limit_is_cut_not_emptied(world):
    from tandem.core import services
    from tandem.core.models import Role

    services.role_grant(actor=None, user=world.regional, role=Role.REGIONAL_COORDINATOR, jurisdiction=world.ncr)
    options, partial = selectors.within_options(world.regional, limit=1)
    assert len(options) == 1 and options[0].name in {"Central Visayas", "National Capital Region"} and partial
    options, partial = selectors.within_options(world.regional, limit=2)
    assert sorted(j.name for j in options) == ["Central Visayas", "National Capital Region"] and partial


def test_no_unit_outside_the_users_area_is_offered(world, as_user):
    html = as_user(world.local).get(reverse("person_list")).content.decode()
    assert _options(html)[1:] == ["Cebu City"]
    assert "Manila" not in html and "Nairobi" not in html


def test_unit_names_are_escaped_in_the_options(world, as_user):
    from tandem.core import services

    services.jurisdiction_update(
        actor=world.admin, jurisdiction=world.manila, expected_version=world.manila.version, name='Manila <b>"&'
    )
    html = as_user(world.national).get(reverse("person_list")).content.decode()
    assert "Manila &lt;b&gt;&quot;&amp;</option>" in html
    assert "<b>" not in html
