"""Who reads an item's read log, who counts as a direct recipient, and whom a recipient may forward to.

Each rule is checked from both sides: the persona who gets it and the closest persona who must not.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tandem.core import services as core_services
from tandem.exchange import access, services
from tandem.exchange.models import ReadAction
from tandem.exchange.tests.conftest import named_person, send_item


@pytest.fixture
def amber(world):
    """The national coordinator sends AMBER to the Visayas Youth Forum (cso, member) in Cebu City."""
    return send_item(world, tlp="AMBER", title="Forum briefing", organisations=[world.cso_org])


# --- Read log ---------------------------------------------------------------------------


def _from_the_forum(world, tlp: str):
    """An item the youth forum (``cso``) sends up from Cebu City to city hall."""
    return send_item(
        world,
        sender=world.cso,
        jurisdiction=world.cebu_city,
        sender_organisation=world.cso_org,
        direction="up",
        tlp=tlp,
        organisations=[world.city_hall],
    )


def test_the_sender_reads_the_read_log_even_without_a_coordinator_role(world):
    item = _from_the_forum(world, "AMBER")
    assert access.can_see_read_log(world.cso, item)
    assert not access.can_see_read_log(world.member, item)  # same organisation, not the sender


def test_coordinators_over_the_unit_read_the_log_of_what_they_may_read(world):
    item = send_item(world, sender=world.local, tlp="GREEN", organisations=[world.cso_org])
    for auditor in (world.local, world.regional, world.national):
        assert access.can_see_read_log(auditor, item), auditor.username
    # Recipients and readers below coordinator rank, and coordinators elsewhere, do not.
    for reader in (world.cso, world.member, world.viewer, world.facilitator, world.outsider):
        assert not access.can_see_read_log(reader, item), reader.username
    assert not access.can_see_read_log(AnonymousUser(), item)
    assert not access.can_see_read_log(object(), item)  # not a user at all: refused, no error


def test_the_local_coordinator_reads_the_log_of_an_item_a_partner_of_their_city_sent(world):
    """The local coordinator's rank is the coordinator rank itself: enough to audit who read an item
    sent from their city by someone else (here the youth forum, to city hall)."""
    item = _from_the_forum(world, "GREEN")
    assert item.sender_id != world.local.pk and access.can_see(world.local, item)
    assert access.can_see_read_log(world.local, item)
    assert not access.can_see_read_log(world.viewer, item)


def test_a_coordinator_over_the_unit_does_not_read_the_log_of_an_item_it_may_not_read(world):
    item = send_item(world, sender=world.local, tlp="AMBER", organisations=[world.cso_org])
    assert not access.can_see(world.regional, item)
    assert not access.can_see_read_log(world.regional, item)
    assert list(access.item_read_log(world.regional, item)) == []


def test_the_read_log_lists_the_reads_of_that_item_only(world, amber):
    other = send_item(world, tlp="AMBER", title="Other", organisations=[world.cso_org])
    services.log_read(user=world.cso, item=amber, action=ReadAction.DETAIL)
    services.log_read(user=world.member, item=other, action=ReadAction.DETAIL)
    assert [r.user.username for r in access.item_read_log(world.national, amber)] == ["cso"]
    assert [r.user.username for r in access.item_read_log(world.national, other)] == ["member"]
    assert list(access.item_read_log(world.cso, amber)) == []


# --- Direct recipients ------------------------------------------------------------------


def test_direct_recipients_are_the_named_the_organisations_users_and_the_units_coordinators(world):
    viewer = named_person(world, world.viewer)
    item = send_item(
        world, tlp="AMBER", organisations=[world.cso_org], people=[viewer], jurisdictions=[world.cebu_city]
    )
    for recipient in (world.viewer, world.cso, world.member, world.local):
        assert access.is_direct_recipient(recipient, item), recipient.username
    # The regional coordinator coordinates above the unit, not at it; the company is in the same city only.
    for other in (world.regional, world.company, world.facilitator, world.outsider, world.national):
        assert not access.is_direct_recipient(other, item), other.username
    assert not access.is_direct_recipient(AnonymousUser(), item)


def test_a_reader_through_a_forward_is_not_a_direct_recipient(world, amber):
    services.item_forward(actor=world.cso, item=amber, organisations=[world.company_org], people=[])
    assert access.can_see(world.company, amber)
    assert not access.is_direct_recipient(world.company, amber)
    assert access.is_direct_recipient(world.cso, amber)


def test_nobody_is_a_direct_recipient_of_a_draft(world):
    from tandem.exchange.services import Addressees, draft_save

    draft = draft_save(
        actor=world.national,
        jurisdiction=world.ph,
        sender_organisation=world.national_org,
        kind="report",
        subkind="situation",
        direction="down",
        tlp="AMBER",
        title="Draft",
        body="Not sent",
        due_date=None,
        addressees=Addressees(organisations=[world.cso_org], people=[], jurisdictions=[], bodies=[]),
        uploads=[],
    )
    assert not access.is_direct_recipient(world.cso, draft)


# --- Whom a recipient may forward to ----------------------------------------------------


def _names(queryset) -> list[str]:
    return [o.name for o in queryset]


def test_a_partner_forwards_to_live_organisations_of_its_organisations_unit_in_name_order(world):
    assert _names(access.forward_organisations(world.cso)) == [
        "Cebu City Hall",
        "Cebu Shipping Co",
        "Visayas Youth Forum",
    ]
    core_services.organisation_archive(actor=world.admin, organisation=world.company_org)
    assert _names(access.forward_organisations(world.cso)) == ["Cebu City Hall", "Visayas Youth Forum"]


def test_a_coordinator_forwards_inside_the_unit_it_coordinates(world):
    regional = _names(access.forward_organisations(world.regional))
    assert "Cebu Provincial Police" in regional and "Cebu Shipping Co" in regional
    assert "Manila Interfaith Council" not in regional and "Anti-Terrorism Council" not in regional
    assert "Cebu Provincial Police" not in _names(access.forward_organisations(world.local))


def test_someone_with_no_organisation_and_no_coordinator_role_forwards_to_nobody(world):
    assert list(access.forward_organisations(world.viewer)) == []
    assert list(access.forward_people(world.viewer)) == []
    assert list(access.forward_organisations(AnonymousUser())) == []


def test_a_partner_forwards_to_people_with_an_account_in_its_unit_but_not_itself(world):
    viewer = named_person(world, world.viewer)
    company = named_person(world, world.company)
    own = named_person(world, world.cso)
    manila = named_person(world, world.outsider, world.manila)
    offered = list(access.forward_people(world.cso))
    assert offered == sorted([viewer, company], key=lambda p: p.full_name)
    assert own not in offered and manila not in offered
    assert world.person_cebu not in offered  # no account: could never read the item
    core_services.person_archive(actor=world.admin, person=viewer)
    assert list(access.forward_people(world.cso)) == [company]
