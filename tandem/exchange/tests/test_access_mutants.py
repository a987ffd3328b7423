"""Cases that kill mutants of tandem.exchange.access (``make mutate``, issue 10, defect 7).

Each test states what a user would notice: an item they read or not, who a preview names,
which organisations and people a form offers, who reads the read log.
"""

from __future__ import annotations

from tandem.exchange import access
from tandem.exchange.tests.conftest import send_item


def test_a_deactivated_sender_reads_nothing_not_even_their_own_items(world):
    item = send_item(world, sender=world.national, tlp="CLEAR", organisations=[world.cso_org])
    assert access.can_see(world.national, item)
    world.national.is_active = False
    world.national.save(update_fields=["is_active"])
    assert not access.can_see(world.national, item)
    assert not access.visible_items(world.national).exists()
    assert not access.can_see(None, item)


PERSONA_LABELS = ["RED", "AMBER_STRICT", "AMBER", "GREEN", "CLEAR"]


def test_the_dashboards_count_reads_the_same_items_as_the_lists(world):
    """``many=True`` (the open-requests figure) and the lists agree, persona by persona and label by label."""
    items = {
        tlp: send_item(world, tlp=tlp, title=tlp, organisations=[world.cso_org], jurisdictions=[world.cebu_city])
        for tlp in PERSONA_LABELS
    }
    for name, user in world.personas.items():
        listed = set(access.visible_sent_items(user).values_list("title", flat=True))
        counted = set(access.visible_sent_items(user, many=True).values_list("title", flat=True))
        assert counted == listed, name
    # The forum's users read AMBER through their organisation, the Cebu City coordinator through its unit.
    for reader in (world.cso, world.local):
        assert items["AMBER"] in access.visible_sent_items(reader, many=True), reader.username
        assert items["AMBER_STRICT"] in access.visible_sent_items(reader, many=True), reader.username
    assert items["AMBER"] not in access.visible_sent_items(world.viewer, many=True)
    assert items["RED"] not in access.visible_sent_items(world.cso, many=True)


def test_a_draft_is_never_counted_even_for_its_sender(world):
    from tandem.exchange.tests.test_access import national_draft

    draft = national_draft(world, "CLEAR")
    assert draft in access.visible_items(world.national)
    assert draft not in access.visible_sent_items(world.national)
    assert draft not in access.visible_sent_items(world.national, many=True)


def test_members_may_send_viewers_and_administrators_may_not(world):
    assert access.can_send(world.member) and access.can_send(world.national)
    assert [g.jurisdiction_id for g in access.sending_grants(world.member)] == [world.cebu_city.pk]
    for user in (world.viewer, world.admin):
        assert not access.can_send(user), user.username
        assert access.sending_grants(user) == []


def test_the_preview_names_the_audience_by_last_name_then_first_name_then_username(world):
    """The audience the preview and the notifications list, in the order people read a list of names."""
    from tandem.core import services as core_services
    from tandem.core.models import Person, User

    User.objects.filter(pk=world.national.pk).update(last_name="Mendoza", first_name="Ana")
    User.objects.filter(pk=world.cso.pk).update(last_name="Cruz", first_name="Zed")
    User.objects.filter(pk=world.member.pk).update(last_name="Cruz", first_name="Bea")
    # Created after ``cso`` with the same names: the username decides.
    late = User.objects.create_user(
        username="aaron", password="correct-horse-battery-staple", first_name="Zed", last_name="Cruz"
    )
    person = Person.objects.create(full_name="Aaron Cruz", jurisdiction=world.cebu_city, user=late)
    core_services.affiliation_create(actor=world.admin, person=person, organisation=world.cso_org, title="Volunteer")
    item = send_item(world, tlp="AMBER", organisations=[world.cso_org])
    assert list(access.item_audience(item).values_list("username", flat=True)) == [
        "member",
        "aaron",
        "cso",
        "national",
    ]


def test_an_affiliation_with_another_organisation_does_not_open_amber(world):
    """Someone affiliated (no role) with the company reads nothing sent to the youth forum, on either side."""
    from tandem.core import services as core_services
    from tandem.core.models import Person, User

    user = User.objects.create_user(username="clerk", password="correct-horse-battery-staple")
    person = Person.objects.create(full_name="Shipping clerk", jurisdiction=world.cebu_city, user=user)
    core_services.affiliation_create(actor=world.admin, person=person, organisation=world.company_org, title="Clerk")
    to_forum = send_item(world, tlp="AMBER", organisations=[world.cso_org])
    to_company = send_item(world, tlp="AMBER", title="To the company", organisations=[world.company_org])
    assert not access.can_see(user, to_forum)
    assert "clerk" not in set(access.item_audience(to_forum).values_list("username", flat=True))
    assert access.can_see(user, to_company)
    assert "clerk" in set(access.item_audience(to_company).values_list("username", flat=True))


def test_green_and_clear_audiences_leave_out_revoked_roles_and_expired_units(world):
    import datetime as dt

    from django.utils import timezone

    from tandem.core import access as core_access
    from tandem.core import services as core_services
    from tandem.core.models import Jurisdiction

    green = send_item(world, tlp="GREEN", organisations=[world.cso_org])
    clear = send_item(world, tlp="CLEAR", title="Clear", organisations=[world.cso_org])
    core_services.role_revoke(actor=world.admin, assignment=world.viewer.role_assignments.get())
    core_access.forget_grants(world.viewer)
    # A unit that ended yesterday takes its coordinators' roles with it; one ending today still counts.
    Jurisdiction.objects.filter(pk=world.nairobi.pk).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    Jurisdiction.objects.filter(pk=world.visayas.pk).update(valid_to=timezone.localdate())
    green_audience = set(access.item_audience(green).values_list("username", flat=True))
    clear_audience = set(access.item_audience(clear).values_list("username", flat=True))
    assert "viewer" not in green_audience and "viewer" not in clear_audience
    assert "outsider" not in clear_audience
    assert {"regional", "facilitator"} <= green_audience
    assert {"regional", "facilitator", "admin", "national"} <= clear_audience


def test_the_compose_form_offers_live_records_of_the_senders_country_in_name_order(world):
    from tandem.bodies.tests.factories import cebu_body
    from tandem.core import services as core_services
    from tandem.exchange.tests.conftest import named_person

    body = cebu_body(world)
    maria = named_person(world, world.member)
    named_person(world, world.outsider, world.nairobi)
    core_services.organisation_archive(actor=world.admin, organisation=world.manila_org)
    assert [o.name for o in access.addressable_organisations(world.national)] == [
        "Anti-Terrorism Council",
        "Cebu City Hall",
        "Cebu Provincial Police",
        "Cebu Shipping Co",
        "Visayas Youth Forum",
    ]
    assert [o.name for o in access.addressable_organisations(world.outsider)] == ["Nairobi County Government"]
    # People: only those with an account (they alone can read), never an archived one.
    assert list(access.addressable_people(world.local)) == [maria]
    core_services.person_archive(actor=world.admin, person=maria)
    assert list(access.addressable_people(world.local)) == []
    assert list(access.addressable_bodies(world.member)) == [body]
    assert list(access.addressable_bodies(world.outsider)) == []
    from tandem.bodies import services as body_services

    body_services.body_archive(actor=world.admin, body=body, archived=True)
    assert list(access.addressable_bodies(world.member)) == []
    assert [j.name for j in access.addressable_jurisdictions(world.outsider)] == ["Kenya", "Nairobi", "Westlands"]
    # The network administrator holds no country role: nothing to address.
    for addressable in (
        access.addressable_jurisdictions,
        access.addressable_organisations,
        access.addressable_people,
        access.addressable_bodies,
    ):
        assert list(addressable(world.admin)) == [], addressable.__name__


def test_the_sender_picks_among_the_organisations_it_acts_for_in_name_order(world):
    from tandem.core import services as core_services
    from tandem.exchange.tests.conftest import named_person

    person = named_person(world, world.member)
    core_services.affiliation_create(actor=world.admin, person=person, organisation=world.city_hall, title="Clerk")
    assert [o.name for o in access.acting_organisations(world.member)] == ["Cebu City Hall", "Visayas Youth Forum"]
    assert list(access.acting_organisations(world.viewer)) == []


def test_people_and_bodies_are_offered_in_name_order_not_in_the_order_they_were_recorded(world):
    from tandem.bodies import services as body_services
    from tandem.bodies.models import BodyKind
    from tandem.exchange.tests.conftest import named_person

    member = named_person(world, world.member)  # "Member Person", recorded first
    company = named_person(world, world.company)  # "Company Person", recorded second
    assert list(access.addressable_people(world.local)) == [company, member]
    zeta, alpha = (
        body_services.body_create(
            actor=world.admin,
            name=name,
            kind=BodyKind.LOCAL_PREVENTION_NETWORK,
            jurisdiction=world.cebu_city,
            mandate="Coordinate prevention work.",
        )
        for name in ("Zeta Council", "Alpha Council")
    )
    assert list(access.addressable_bodies(world.member)) == [alpha, zeta]


def test_an_item_is_opened_by_its_own_address_only(world):
    """A reader with items to read gets the one asked for, and a 404 for an address that is none of them."""
    import uuid

    import pytest
    from django.http import Http404

    first = send_item(world, tlp="AMBER", title="First", organisations=[world.cso_org])
    assert access.get_item_or_404(world.cso, first.uuid) == first
    assert access.get_sent_item_or_404(world.cso, first.uuid) == first
    with pytest.raises(Http404):  # one readable item: still not what an unknown address opens
        access.get_item_or_404(world.cso, uuid.uuid4())
    with pytest.raises(Http404):
        access.get_sent_item_or_404(world.cso, uuid.uuid4())
    second = send_item(world, tlp="AMBER", title="Second", organisations=[world.cso_org])
    assert access.get_item_or_404(world.cso, second.uuid) == second
    assert access.get_sent_item_or_404(world.cso, second.uuid) == second


def test_each_list_reads_its_rows_with_what_a_page_shows_of_them_in_one_query(world, django_assert_num_queries):
    """An item's sender, organisation and unit, a reader's name, a record's place: read with the rows,
    not one query more per row (the lists, the read log, the compose and forward forms, the agreements)."""
    from tandem.bodies.tests.factories import cebu_body
    from tandem.exchange import services
    from tandem.exchange.models import ReadAction
    from tandem.exchange.tests.conftest import named_person
    from tandem.exchange.tests.test_agreements import _agreement

    for title in ("First", "Second"):
        item = send_item(world, tlp="AMBER", title=title, organisations=[world.cso_org])
        services.log_read(user=world.cso, item=item, action=ReadAction.DETAIL)
        services.log_read(user=world.member, item=item, action=ReadAction.DETAIL)
    named_person(world, world.member)
    named_person(world, world.company)
    cebu_body(world)
    _agreement(world)

    def item_line(i):
        return (i.sender.username, i.sender_organisation.name, i.jurisdiction.name)

    def place(record):
        return record.jurisdiction.name

    cases = {  # each queryset is built first: the user's grants are read once, before the count starts
        "visible_items": (access.visible_items(world.cso), item_line),
        "visible_sent_items": (access.visible_sent_items(world.cso), item_line),
        "visible_sent_items many": (access.visible_sent_items(world.cso, many=True), item_line),
        "item_read_log": (access.item_read_log(world.national, item), lambda r: r.user.username),
        "addressable_organisations": (access.addressable_organisations(world.national), place),
        "addressable_people": (access.addressable_people(world.national), place),
        "addressable_bodies": (access.addressable_bodies(world.national), place),
        "forward_organisations": (access.forward_organisations(world.cso), place),
        "forward_people": (access.forward_people(world.cso), place),
        "visible_agreements": (access.visible_agreements(world.national), place),
    }
    for name, (queryset, show) in cases.items():
        with django_assert_num_queries(1):
            shown = [show(row) for row in queryset]
        assert shown, name


def test_a_coordinator_is_a_direct_recipient_when_named_or_through_its_organisation_and_of_that_item_only(world):
    """Who may forward: the Visayas coordinator named on one item, Cebu City's coordinator through city
    hall (its unit not addressed); neither for an item sent to the shipping company."""
    from tandem.exchange.tests.conftest import named_person

    regional = named_person(world, world.regional, world.visayas)
    named = send_item(world, tlp="AMBER", title="Named", people=[regional])
    to_hall = send_item(world, tlp="AMBER", title="To the hall", organisations=[world.city_hall])
    other = send_item(world, tlp="AMBER", title="Other", organisations=[world.company_org])
    assert access.is_direct_recipient(world.regional, named)
    assert access.is_direct_recipient(world.local, to_hall)
    for user, item in ((world.regional, other), (world.local, other), (world.regional, to_hall)):
        assert not access.is_direct_recipient(user, item), (user.username, item.title)
    # The same rule for reading: the city's coordinator reads what city hall receives, on every list.
    assert access.can_see(world.local, to_hall)
    assert to_hall in access.visible_sent_items(world.local, many=True)
    assert not access.can_see(world.local, other)


def test_records_of_the_same_name_are_offered_in_the_order_they_were_recorded(world):
    """Two "Relief Desk" organisations (two "Ana Cruz", two "Youth Council"): the one recorded first
    comes first, also after the other was edited (PostgreSQL returns rows of equal name in no set order;
    an edit moves a row to the end of its table)."""
    from tandem.bodies import services as body_services
    from tandem.bodies.models import Body, BodyKind
    from tandem.core import services as core_services
    from tandem.core.models import Organisation, Person, Sector, User

    # An active name is unique in its unit: the city's desk, then the province's.
    orgs = [
        core_services.organisation_create(actor=world.admin, jurisdiction=unit, name="Relief Desk", sector=Sector.YOUTH)
        for unit in (world.cebu_city, world.cebu)
    ]
    people = []
    for username in ("ana1", "ana2"):
        user = User.objects.create_user(username=username, password="correct-horse-battery-staple")
        people.append(Person.objects.create(full_name="Ana Cruz", jurisdiction=world.cebu_city, user=user))
    bodies = [
        body_services.body_create(
            actor=world.admin,
            name="Youth Council",
            kind=BodyKind.LOCAL_PREVENTION_NETWORK,
            jurisdiction=unit,
            mandate="Coordinate prevention work.",
        )
        for unit in (world.cebu_city, world.cebu)
    ]
    Organisation.objects.filter(pk=orgs[0].pk).update(description="Edited")
    # A person's name is indexed: renamed and named back, the row gets new index entries too.
    Person.objects.filter(pk=people[0].pk).update(full_name="Ana Cruz-Reyes")
    Person.objects.filter(pk=people[0].pk).update(full_name="Ana Cruz")
    Body.objects.filter(pk=bodies[0].pk).update(mandate="Edited")

    def named(queryset, name, attribute="name"):
        return [r.pk for r in queryset if getattr(r, attribute) == name]

    assert named(access.addressable_organisations(world.national), "Relief Desk") == [o.pk for o in orgs]
    assert named(access.forward_organisations(world.regional), "Relief Desk") == [o.pk for o in orgs]
    assert named(access.addressable_people(world.national), "Ana Cruz", "full_name") == [p.pk for p in people]
    assert named(access.forward_people(world.cso), "Ana Cruz", "full_name") == [p.pk for p in people]
    assert named(access.addressable_bodies(world.national), "Youth Council") == [b.pk for b in bodies]


def test_opening_an_item_asks_once_and_the_dashboard_count_reads_the_organisations_first(
    world, django_assert_num_queries
):
    """Opening an item or listing the inbox is one question (the reader's organisations a subquery of it); the dashboard's
    count over many items reads them once as a list, then counts (see ``item_q(many=True)``)."""
    from tandem.core import access as core_access
    from tandem.core.models import User

    item = send_item(world, tlp="AMBER", organisations=[world.cso_org])
    reader = User.objects.get(pk=world.cso.pk)  # nothing read yet for this request
    core_access.grants(reader)  # every page reads the reader's roles first, once
    with django_assert_num_queries(1):
        assert access.can_see(reader, item)
    with django_assert_num_queries(1):  # the inbox list, the same way
        assert list(access.visible_sent_items(reader)) == [item]
    with django_assert_num_queries(2):
        assert access.visible_sent_items(reader, many=True).count() == 1
    with django_assert_num_queries(1):  # the list is read once per request
        assert access.visible_sent_items(reader, many=True).count() == 1


def test_an_archived_recipient_organisation_stops_amber_on_both_sides(world):
    """Sent to the youth forum and the shipping company; the forum is archived: its people no longer
    read the item nor appear in its audience, the company's still do."""
    from tandem.core import services as core_services

    item = send_item(world, tlp="AMBER", organisations=[world.cso_org, world.company_org])
    core_services.organisation_archive(actor=world.admin, organisation=world.cso_org)
    assert set(access.item_audience(item).values_list("username", flat=True)) == {"national", "company"}
    assert {name for name, user in world.personas.items() if access.can_see(user, item)} == {"national", "company"}


def test_a_named_person_without_any_role_reads_green_and_clear_and_is_in_their_audience(world):
    """Named people read items of every label: someone with an account and no role anywhere, named on a
    GREEN and a CLEAR item, reads both and the preview lists them (the community alone would not)."""
    from tandem.core.models import Person, User

    guest = User.objects.create_user(username="guest", password="correct-horse-battery-staple")
    person = Person.objects.create(full_name="Guest Speaker", jurisdiction=world.cebu_city, user=guest)
    for tlp in ("GREEN", "CLEAR"):
        item = send_item(world, tlp=tlp, title=tlp, people=[person])
        assert access.can_see(guest, item), tlp
        assert "guest" in set(access.item_audience(item).values_list("username", flat=True)), tlp


def test_named_people_of_the_same_name_are_listed_by_username(world):
    """Two people called Ana Cruz named on an item: the preview lists them by username, whoever was
    registered first."""
    from tandem.core.models import Person, User

    people = []
    for username in ("zara", "abby"):  # registered in this order
        user = User.objects.create_user(
            username=username, password="correct-horse-battery-staple", first_name="Ana", last_name="Cruz"
        )
        people.append(Person.objects.create(full_name="Ana Cruz", jurisdiction=world.cebu_city, user=user))
    item = send_item(world, tlp="RED", people=people)
    assert list(access.item_audience(item).values_list("username", flat=True)) == ["national", "abby", "zara"]


# Mutants of tandem/exchange/access.py recorded as equivalent (no behaviour a user can notice changes):
# - item_q 26, 27, 35 (the AMBER labels always, or never, inside the recipients' EXISTS): the label is
#   tested on the item beside it (tlp__in) either way; only the SQL's shape (PostgreSQL's plan) changes.
# - acting_users_condition 19 (no person__user__isnull=False): a person without an account adds a NULL
#   to ``pk IN (...)``, which matches no user (the condition is only ever ORed, never negated).
# - _in_countries 4 (path_q even without a country): path_q([]) is Q(pk__in=[]) like the guard, and
#   _country_prefixes returns a list, never None (the guard keeps it fail-closed should that change).
# - _authenticated 7, 13 (getattr's default None or True): every caller passes None, a User or an
#   AnonymousUser, all of which have is_authenticated.
# Survive under SQLite only, which returns equal names in rowid order through the name index; killed on
# PostgreSQL by test_records_of_the_same_name_are_offered_in_the_order_they_were_recorded:
# - addressable_organisations 4, addressable_people 4, addressable_bodies 4, forward_organisations 6,
#   forward_people 6 (the "id" tie-break of the name order dropped).
