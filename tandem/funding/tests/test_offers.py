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


def test_a_green_request_for_support_is_a_need_the_partner_sees_with_its_title(world, client):
    from django.urls import reverse

    item = f.exchange_request(world, tlp="GREEN")
    offer = f.offer(world)
    match = offers.match_propose(actor=world.local, offer=offer, jurisdiction=world.cebu_city, request=item)
    assert match.request == item and match.need == ""
    assert access.visible_matches(world.company).filter(pk=match.pk).exists()
    client.force_login(world.company)
    page = client.get(reverse("funding_offer_detail", args=[offer.uuid])).content.decode()
    assert "Support for the youth centre" in page


def test_a_request_the_partner_may_not_read_is_refused_and_nothing_is_written(world):
    from tandem.funding.models import Match

    item = f.exchange_request(world, tlp="AMBER", title="Confidential need", organisations=[world.national_org])
    before = Match.objects.count()
    with pytest.raises(ValidationError) as exc:
        offers.match_propose(actor=world.local, offer=f.offer(world), jurisdiction=world.cebu_city, request=item)
    assert "request" in exc.value.message_dict
    assert Match.objects.count() == before


def test_a_coordinator_proposes_only_requests_they_read(world):
    item = f.exchange_request(world, tlp="AMBER", organisations=[world.company_org])
    with pytest.raises(ValidationError) as exc:  # the regional coordinator was not addressed
        offers.match_propose(actor=world.regional, offer=f.offer(world), jurisdiction=world.cebu_city, request=item)
    assert exc.value.message_dict["request"] == ["Not found."]


def test_a_match_on_an_amber_request_shows_only_to_its_readers_not_even_its_title(world, client):
    from django.urls import reverse

    match = f.request_match(world)
    assert access.visible_matches(world.company).filter(pk=match.pk).exists()
    assert access.visible_matches(world.local).filter(pk=match.pk).exists()
    # The regional coordinator covers Cebu City but was not addressed: no match, no title.
    assert not access.visible_matches(world.regional).filter(pk=match.pk).exists()
    client.force_login(world.regional)
    for url in (reverse("funding_offers"), reverse("funding_offer_detail", args=[match.offer.uuid])):
        assert "Apprentices wanted" not in client.get(url).content.decode()


def test_the_proposal_form_offers_only_the_requests_the_coordinator_reads(world, client):
    from django.urls import reverse

    f.exchange_request(world, tlp="AMBER", title="For the company", organisations=[world.company_org])
    f.exchange_request(world, tlp="GREEN", title="For the country")
    url = reverse("funding_offer_detail", args=[f.offer(world).uuid])
    client.force_login(world.regional)
    page = client.get(url).content.decode()
    assert "For the country" in page and "For the company" not in page


def test_the_offers_list_shows_a_page_at_a_time(world, client, settings):
    from django.urls import reverse

    settings.TANDEM_PAGE_SIZE = 2
    for n in range(3):
        offers.offer_create(actor=world.company, organisation=world.company_org, kind="jobs", title=f"Offer {n}")
    client.force_login(world.regional)
    first = client.get(reverse("funding_offers")).content.decode()
    second = client.get(reverse("funding_offers"), {"page": 2}).content.decode()
    assert "Offer 0" in first and "Offer 1" in first and "Offer 2" not in first
    assert "Offer 2" in second and "Offer 0" not in second
    assert "3 results" in first


# The page's queries (the session, the user and their grants included): the offers of the page
# and their count, the matches followed. Measured with more offers and matches than a page holds.
OFFERS_PAGE_QUERIES = 6


def test_the_offers_list_query_count_does_not_grow_with_offers_or_matches(
    world, client, settings, django_assert_max_num_queries
):
    from django.urls import reverse

    settings.TANDEM_PAGE_SIZE = 2

    def more(start, n):
        for i in range(start, start + n):
            offer = offers.offer_create(
                actor=world.company, organisation=world.company_org, kind="jobs", title=f"Offer {i}"
            )
            offers.match_propose(actor=world.local, offer=offer, jurisdiction=world.cebu_city, need=f"Need {i}")

    more(0, 3)
    client.force_login(world.local)
    client.get(reverse("funding_offers"))  # warm
    with django_assert_max_num_queries(OFFERS_PAGE_QUERIES):
        page = client.get(reverse("funding_offers")).content.decode()
    assert "3 results" in page and "Need 2" in page
    more(3, 5)
    with django_assert_max_num_queries(OFFERS_PAGE_QUERIES):
        page = client.get(reverse("funding_offers")).content.decode()
    assert "8 results" in page and "Need 7" in page and page.count('<th scope="row">') == 2


# The offer page's queries for a coordinator who may propose a match (session, user, grants, the offer,
# whether they act for its company, its matches, and the first page of each of the match form's three
# lookups: places, activities without a budget, open requests for support).
OFFER_PAGE_QUERIES = 9


def test_the_offer_page_reads_a_page_of_each_choice_whatever_their_number(world, client, django_assert_num_queries):
    from django.urls import reverse

    from tandem.plans import services as plan_services
    from tandem.plans.tests.factories import build_plans

    w = build_plans(world)
    url = reverse("funding_offer_detail", args=[f.offer(w).uuid])

    def more(start, n):
        for i in range(start, start + n):
            plan_services.activity_create(actor=w.local, plan=w.cebu_plan, title=f"Activity {i:02d}", status="planned")
            f.exchange_request(w, tlp="GREEN", title=f"Need {i:02d}")

    more(0, 2)
    client.force_login(w.local)
    client.get(url)  # warm
    with django_assert_num_queries(OFFER_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "Activity 01" in page and "Need 01" in page
    more(2, 25)
    with django_assert_num_queries(OFFER_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert page.count("Activity ") <= 20 and page.count("Need ") <= 20  # one page of each, not all 27
