"""Private-sector partners: offers, matches proposed, answered and delivered; the company sees only its own."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.versioning import VersionConflict
from tandem.funding import access
from tandem.funding.models import MatchStatus
from tandem.funding.services import offers

from . import factories as f


def test_only_the_organisations_people_make_its_offer(world):
    with pytest.raises(PermissionDenied):
        offers.offer_create(actor=world.cso, organisation=world.company_org, kind="jobs", title="Not ours")
    with pytest.raises(ValidationError):
        offers.offer_create(
            actor=world.company, organisation=world.company_org, kind="jobs", title="x", served_places=[world.nairobi]
        )


def test_propose_accept_deliver(world):
    match = f.match(world)
    assert match.status == MatchStatus.PROPOSED
    with pytest.raises(PermissionDenied):  # only the company answers
        offers.match_respond(actor=world.local, match=match, expected_version=match.version, accept=True)
    accepted = offers.match_respond(actor=world.company, match=match, expected_version=match.version, accept=True)
    with pytest.raises(VersionConflict):
        offers.match_respond(actor=world.company, match=match, expected_version=match.version, accept=False)
    with pytest.raises(PermissionDenied):  # only a coordinator of the place records delivery
        offers.match_deliver(actor=world.company, match=accepted, expected_version=accepted.version)
    delivered = offers.match_deliver(actor=world.local, match=accepted, expected_version=accepted.version)
    assert delivered.status == MatchStatus.DELIVERED


def test_an_offer_serves_only_its_places_and_coordinators_propose(world):
    offer = f.offer(world)  # no place given: Cebu City (the company's) and below
    with pytest.raises(ValidationError):
        offers.match_propose(actor=world.national, offer=offer, jurisdiction=world.manila, need="Elsewhere")
    with pytest.raises(PermissionDenied):
        offers.match_propose(actor=world.cso, offer=offer, jurisdiction=world.cebu_city, need="Not a coordinator")


def test_the_company_sees_only_what_concerns_it(world):
    match = f.match(world)
    assert access.visible_matches(world.company).filter(pk=match.pk).exists()
    for other in (world.cso, world.member, world.viewer, world.facilitator, world.outsider):
        assert not access.visible_matches(other).filter(pk=match.pk).exists(), other
    assert not access.visible_offers(world.outsider).exists()
