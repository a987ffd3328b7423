"""Defect 5 of issue 10: AMBER reaches exactly the recipients the sender chose (TLP 2.0).

No supervising level reads an AMBER item because its area covers a recipient: a
level above reads it only when the sender addresses it. CLEAR is read across the
network; GREEN stays in the sender's country.
"""

from __future__ import annotations

from django.urls import reverse

from tandem.core.models import User
from tandem.exchange import access, services
from tandem.exchange.models import ExchangeItem
from tandem.exchange.tests.conftest import named_person, send_item


def _readers(world, item) -> set[str]:
    seen = {n for n, u in world.personas.items() if access.can_see(u, item)}
    audience = set(access.item_audience(item).values_list("username", flat=True))
    assert seen == audience, "item_q and audience_users disagree"
    # The rule as the dashboard counts with it (the reader's organisations read first, as a list;
    # a fresh user each time, as a new request would have).
    counted = {
        n
        for n, u in world.personas.items()
        if ExchangeItem.objects.filter(access.item_q(User.objects.get(pk=u.pk), many=True), pk=item.pk).exists()
    }
    assert counted == seen, "item_q(many=True) and item_q disagree"
    return seen


def test_national_and_regional_do_not_read_amber_between_two_cities(world, client):
    item = send_item(
        world,
        sender=world.local,
        tlp="AMBER",
        title="Lateral amber",
        direction="lateral",
        organisations=[world.manila_org],
    )
    assert _readers(world, item) == {"local"}
    for coordinator in (world.national, world.regional):
        client.force_login(coordinator)
        assert client.get(reverse("exchange_detail", args=[item.uuid])).status_code == 404
        assert "Lateral amber" not in client.get(reverse("exchange_inbox")).content.decode()


def test_regional_coordinator_does_not_read_amber_sent_to_an_ngo_in_its_city(world, client):
    item = send_item(world, tlp="AMBER", title="To the forum", organisations=[world.cso_org])
    readers = _readers(world, item)
    assert "regional" not in readers and "local" not in readers
    assert readers == {"national", "cso", "member"}
    client.force_login(world.regional)
    assert client.get(reverse("exchange_detail", args=[item.uuid])).status_code == 404


def test_a_level_above_reads_amber_only_when_the_sender_adds_it(world, client):
    item = send_item(
        world,
        sender=world.local,
        tlp="AMBER",
        title="Up too",
        direction="lateral",
        organisations=[world.manila_org, world.national_org],
    )
    assert _readers(world, item) == {"local", "national"}
    client.force_login(world.national)
    assert client.get(reverse("exchange_detail", args=[item.uuid])).status_code == 200


def test_coordinators_at_a_recipient_jurisdiction_read_amber_but_not_those_above(world):
    item = send_item(world, tlp="AMBER", title="To the city", jurisdictions=[world.cebu_city])
    assert _readers(world, item) == {"national", "local"}  # national: the sender
    regional_unit = send_item(world, tlp="AMBER", title="To the region", jurisdictions=[world.visayas])
    assert _readers(world, regional_unit) == {"national", "regional"}


def test_the_preview_shows_exactly_the_chosen_recipients(world, client):
    draft = services.draft_save(
        actor=world.local,
        jurisdiction=world.cebu_city,
        sender_organisation=world.city_hall,
        kind="alert",
        direction="lateral",
        tlp="AMBER",
        title="Alert",
        body="Nothing personal.",
        addressees=services.Addressees(organisations=[world.cso_org], people=[named_person(world, world.viewer)]),
    )
    client.force_login(world.local)
    response = client.get(reverse("exchange_preview", args=[draft.uuid]))
    assert sorted(u.username for u in response.context["preview"].audience) == ["cso", "local", "member", "viewer"]


def test_clear_is_read_across_the_network_and_green_stays_in_the_country(world, client):
    clear = send_item(world, tlp="CLEAR", title="Toolkit for all", organisations=[world.cso_org])
    green = send_item(world, tlp="GREEN", title="Country only", organisations=[world.cso_org])
    assert "outsider" in _readers(world, clear) and "admin" in _readers(world, clear)
    assert "outsider" not in _readers(world, green) and "admin" not in _readers(world, green)
    client.force_login(world.outsider)
    assert client.get(reverse("exchange_detail", args=[clear.uuid])).status_code == 200
    assert client.get(reverse("exchange_detail", args=[green.uuid])).status_code == 404
    inbox = client.get(reverse("exchange_inbox")).content.decode()
    assert "Toolkit for all" in inbox and "Country only" not in inbox


def _affiliated_reader(world):
    """A volunteer of the youth forum who reads through their person record's affiliation alone (no role)."""
    from tandem.core import services as core_services
    from tandem.core.models import Person, User

    user = User.objects.create_user(username="volunteer", password="correct-horse-battery-staple")
    person = Person.objects.create(full_name="Youth volunteer", jurisdiction=world.cebu_city, user=user)
    affiliation = core_services.affiliation_create(
        actor=world.admin, person=person, organisation=world.cso_org, title="Volunteer"
    )
    return user, person, affiliation


def _reads(user, item) -> bool:
    """Whether ``user`` reads ``item``, asked of both sides of the rule (they must agree)."""
    seen = access.can_see(user, item)
    in_audience = access.item_audience(item).filter(pk=user.pk).exists()
    assert seen == in_audience, "item_q and audience_users disagree"
    return seen


def test_an_ended_affiliation_stops_amber_on_both_sides(world):
    import datetime as dt

    from django.utils import timezone

    from tandem.core import services as core_services

    user, _person, affiliation = _affiliated_reader(world)
    item = send_item(world, tlp="AMBER", title="To the forum", organisations=[world.cso_org])
    assert _reads(user, item)
    core_services.affiliation_end(
        actor=world.admin, affiliation=affiliation, end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert not _reads(user, item)


def test_an_archived_person_stops_amber_on_both_sides(world):
    from tandem.core import services as core_services

    user, person, _affiliation = _affiliated_reader(world)
    item = send_item(world, tlp="AMBER", title="To the forum", organisations=[world.cso_org])
    assert _reads(user, item)
    core_services.person_archive(actor=world.admin, person=person)
    assert not _reads(user, item)


def test_a_revoked_role_on_behalf_stops_amber_on_both_sides(world):
    from tandem.core import access as core_access
    from tandem.core import services as core_services

    item = send_item(world, tlp="AMBER", title="To the forum", organisations=[world.cso_org])
    assert _reads(world.member, item)  # the member acts for the youth forum through a role on its behalf
    core_services.role_revoke(actor=world.admin, assignment=world.member.role_assignments.get())
    core_access.forget_grants(world.member)
    assert not _reads(world.member, item)


def test_a_deactivated_account_stops_amber_on_both_sides(world):
    from tandem.core import access as core_access

    user, _person, _affiliation = _affiliated_reader(world)
    item = send_item(world, tlp="AMBER", title="To the forum", organisations=[world.cso_org])
    assert _reads(user, item)
    user.is_active = False
    user.save(update_fields=["is_active"])
    core_access.forget_grants(user)
    assert not _reads(user, item)  # neither shown the item nor listed in its audience (nor notified)
