"""Cases that kill mutants of tandem.bodies.access (``make mutate``, issue 10, defect 7).

Each test states what a user would notice: a body, meeting or action item they see or not,
the organisations a form offers, a permission granted or refused.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.bodies import access, services
from tandem.bodies.models import Body, BodyKind, SeatKind
from tandem.bodies.tests.factories import cebu_body, cebu_secretariat
from tandem.core import services as core_services
from tandem.core.models import Person


def test_a_member_sees_the_internals_the_viewer_of_the_same_city_does_not(world):
    body = cebu_body(world)
    assert access.can_see_internals(world.member, body)
    assert not access.can_see_internals(world.viewer, body)
    assert access.can_see_internals(world.regional, body)
    assert not access.can_see_internals(world.outsider, body)


def test_an_organisation_that_left_the_body_is_no_longer_a_current_member(world):
    import datetime as dt

    from django.utils import timezone

    from tandem.bodies import services

    body = cebu_body(world)
    hall = world.body_hall
    services.membership_end(
        actor=world.admin,
        membership=hall,
        end_date=timezone.localdate() - dt.timedelta(days=1),
        expected_version=hall.version,
    )
    current = set(access.current_member_organisation_ids(body).values_list("organisation_id", flat=True))
    assert current == {world.cso_org.pk}


def test_a_deactivated_coordinator_adds_action_items_to_no_body(world):
    from tandem.bodies.models import Body

    body = cebu_body(world)
    assert Body.objects.filter(access.action_item_writer_q(world.local)).filter(pk=body.pk).exists()
    world.local.is_active = False
    world.local.save(update_fields=["is_active"])
    assert not Body.objects.filter(access.action_item_writer_q(world.local)).exists()


def _manila_body_kept_by_city_hall(w):
    """A Manila body whose Secretariat seat Cebu City Hall holds (the ``local`` persona acts for it)."""
    import datetime as dt

    from django.utils import timezone

    from tandem.bodies import services
    from tandem.bodies.models import BodyKind, SeatKind

    body = services.body_create(
        actor=w.admin, name="Manila Peace Forum", kind=BodyKind.LOCAL_PREVENTION_NETWORK, jurisdiction=w.manila
    )
    seat = services.seat_create(actor=w.admin, body=body, title="Secretariat", kind=SeatKind.SECRETARIAT)
    services.seat_assign(
        actor=w.admin, seat=seat, organisation=w.city_hall, start_date=timezone.localdate() - dt.timedelta(days=5)
    )
    return body


def test_a_coordinator_who_keeps_another_bodys_log_adds_items_to_both(world):
    from tandem.bodies import services
    from tandem.bodies.models import ActionItem, Body

    cebu = cebu_body(world)
    manila = _manila_body_kept_by_city_hall(world)
    writable = set(Body.objects.filter(access.action_item_writer_q(world.local)))
    assert writable == {cebu, manila}
    assert access.can_keep_action_log(world.local, manila) and not access.can_keep_action_log(world.local, cebu)
    # The keeper adds two items to the Manila body's log (two: an item's id never stands for its body's).
    kept = [services.action_item_create(actor=world.local, body=manila, title=f"Task {n}") for n in (1, 2)]
    # The same rule read from the items (``prefix``): the items of both bodies.
    items = ActionItem.objects.filter(access.action_item_writer_q(world.local, "body__"))
    assert set(items) == {world.item, *kept}
    keeper_items = ActionItem.objects.filter(access.action_item_writer_q(world.company, "body__"))
    assert not keeper_items.exists()  # the company keeps no log of these bodies
    assert set(Body.objects.filter(access.action_item_writer_q(world.regional))) == {cebu}


def test_a_forum_seats_organisations_of_its_country_never_of_another(world):
    body = cebu_body(world)
    offered = set(access.member_candidates(world.local, body).values_list("name", flat=True))
    assert {
        "Anti-Terrorism Council",
        "Cebu Provincial Police",
        "Manila Interfaith Council",
        "Cebu City Hall",
    } <= offered
    assert "Nairobi County Government" not in offered
    assert not access.member_candidates(world.member, body).exists()  # a member does not manage the body


def test_an_archived_organisation_is_never_offered_as_a_member(world):
    from django.utils import timezone

    from tandem.core.models import Organisation

    body = cebu_body(world)
    Organisation.objects.filter(pk=world.police.pk).update(archived_at=timezone.now())
    offered = set(access.member_candidates(world.local, body).values_list("name", flat=True))
    assert "Cebu Provincial Police" not in offered and "Cebu City Hall" in offered


def test_an_archived_bodys_page_still_opens_by_its_address(world):
    from django.http import Http404

    from tandem.bodies import services

    body = services.body_archive(actor=world.admin, body=cebu_body(world), archived=True)
    assert access.get_body_or_404(world.member, body.uuid) == body
    with pytest.raises(Http404):  # the pages that change a body ask for live ones only
        access.get_body_or_404(world.member, body.uuid, include_archived=False)
    with pytest.raises(Http404):
        access.get_body_or_404(world.outsider, body.uuid)


def test_the_administrator_reads_every_bodys_internals(world):
    body = cebu_body(world)
    found = access.get_body_or_404(world.admin, body.uuid)
    assert found.internals_visible and access.can_see_internals(world.admin, found)
    assert access.get_body_or_404(world.member, body.uuid).internals_visible
    assert not access.get_body_or_404(world.viewer, body.uuid).internals_visible
    # A member of the Cebu body sees "Meetings and minutes" on its own body only, not on Manila's.
    manila = _manila_body_kept_by_city_hall(world)
    assert not access.get_body_or_404(world.member, manila.uuid).internals_visible


def _person_names(user) -> set[str]:
    return set(Person.objects.filter(access.fellow_member_contacts_q(user)).values_list("full_name", flat=True))


def test_fellow_members_contacts_are_those_of_current_members_of_a_live_body(world):
    """The member reads the contacts of the people representing current members of their body:
    not of a member that left, not once the body is archived; a signed-out visitor reads none."""
    body = cebu_body(world)
    police = services.membership_add(
        actor=world.admin,
        body=body,
        organisation=world.police,
        person=world.person_manila,
        start_date=timezone.localdate() - dt.timedelta(days=30),
    )
    assert _person_names(world.member) == {"Maria Santos", "Jose Reyes"}
    assert _person_names(world.viewer) == set()  # same city, member of no body
    assert _person_names(None) == set()
    services.membership_end(
        actor=world.admin,
        membership=police,
        end_date=timezone.localdate() - dt.timedelta(days=1),
        expected_version=police.version,
    )
    assert _person_names(world.member) == {"Maria Santos"}
    services.body_archive(actor=world.admin, body=body, archived=True)
    assert _person_names(world.member) == set()


def test_the_organisations_a_manager_may_seat_are_read_with_their_places_in_one_query(world, django_assert_num_queries):
    """The member and owner forms label each organisation with its place: one query for the list."""
    body = cebu_body(world)
    for candidates in (access.member_candidates(world.local, body), access.owner_candidates(world.local, body)):
        with django_assert_num_queries(1):
            places = {o.name: o.jurisdiction.name for o in candidates}
        assert places["Cebu Provincial Police"] == "Cebu" and places["Cebu City Hall"] == "Cebu City"


def test_an_archived_bodys_seats_stay_readable_across_its_country(world):
    """The archived body's page still opens by its address, with its seats (and their history):
    for everyone in the body's country, never for a user of another country."""
    body = cebu_body(world)
    services.body_archive(actor=world.admin, body=body, archived=True)
    for user in (world.viewer, world.member, world.local):
        assert set(access.visible_seats(user)) == {world.seat}, user.username
        assert set(access.visible_seat_holdings(user)) == set(world.seat.holdings.all()), user.username
    assert not access.visible_seats(world.outsider).exists()


def test_the_lists_read_their_related_records_with_the_rows(world, django_assert_num_queries):
    """A body's members, seats, meetings, minutes, decisions and action items are each listed in
    one query, with the body, its place and the people and organisations each row names."""
    body = cebu_body(world)
    services.minutes_approve(actor=world.local, minutes=world.minutes, expected_version=world.minutes.version)
    services.action_item_create(
        actor=world.local, body=body, title="Book the hall", owner_person=world.person_cebu, meeting=world.meeting
    )
    user = world.member
    access.get_access(user).grants  # resolved once per request, before the lists
    lists = (
        access.visible_memberships(user),
        access.visible_seats(user),
        access.visible_meetings(user),
        access.visible_minutes(user),
        access.visible_decisions(user),
        access.visible_action_items(user),
    )
    memberships, seats, meetings, minutes, decisions, items = lists
    with django_assert_num_queries(1):
        rows = {(m.body.name, m.organisation.name, m.person and m.person.full_name) for m in memberships}
    assert rows == {
        ("Cebu City Peace Council", "Visayas Youth Forum", "Maria Santos"),
        ("Cebu City Peace Council", "Cebu City Hall", None),
    }
    with django_assert_num_queries(1):
        rows = {(s.title, s.body.name, s.body.jurisdiction.name) for s in seats}
    assert rows == {("Co-chair (mayor)", "Cebu City Peace Council", "Cebu City")}
    with django_assert_num_queries(1):
        rows = {(m.title, m.body.name, m.body.jurisdiction.name) for m in meetings}
    assert rows == {
        ("Quarterly meeting", "Cebu City Peace Council", "Cebu City"),
        ("Next meeting", "Cebu City Peace Council", "Cebu City"),
    }
    with django_assert_num_queries(1):
        rows = {(v.meeting.title, v.meeting.body.jurisdiction.name, v.approved_by.username) for v in minutes}
    assert rows == {("Quarterly meeting", "Cebu City", "local")}
    with django_assert_num_queries(1):
        rows = {(d.text, d.meeting.title, d.meeting.body.name) for d in decisions}
    assert rows == {("Hold a youth dialogue.", "Quarterly meeting", "Cebu City Peace Council")}
    with django_assert_num_queries(1):
        rows = {
            (
                i.title,
                i.body.jurisdiction.name,
                i.meeting.title,
                i.decision and i.decision.text,
                i.owner_organisation and i.owner_organisation.name,
                i.owner_person and i.owner_person.full_name,
            )
            for i in items
        }
    assert rows == {
        (
            "Organise the youth dialogue",
            "Cebu City",
            "Quarterly meeting",
            "Hold a youth dialogue.",
            "Visayas Youth Forum",
            None,
        ),
        ("Book the hall", "Cebu City", "Quarterly meeting", None, None, "Maria Santos"),
    }


def test_an_archived_bodys_members_stay_listed_across_its_country(world):
    """The archived body's page lists its member organisations, as before, to every role of its country."""
    body = cebu_body(world)
    services.body_archive(actor=world.admin, body=body, archived=True)
    for user in (world.viewer, world.member, world.local):
        assert set(access.visible_memberships(user)) == {world.body_youth, world.body_hall}, user.username
    assert not access.visible_memberships(world.outsider).exists()


def test_a_membership_is_current_from_its_first_day_to_its_last(world):
    """A member joining today counts today, one leaving today counts until the day is over; one
    joining tomorrow does not count yet."""
    body = cebu_body(world)
    today = timezone.localdate()
    services.membership_end(
        actor=world.admin, membership=world.body_hall, end_date=today, expected_version=world.body_hall.version
    )
    services.membership_add(actor=world.admin, body=body, organisation=world.police, start_date=today)
    services.membership_add(
        actor=world.admin, body=body, organisation=world.manila_org, start_date=today + dt.timedelta(days=1)
    )
    current = set(access.current_member_organisation_ids(body).values_list("organisation_id", flat=True))
    assert current == {world.cso_org.pk, world.city_hall.pk, world.police.pk}


def test_the_secretariat_keeps_the_log_until_the_last_day_of_its_holding(world):
    """Handed over from tomorrow: the company keeps the action log today, city hall from tomorrow."""
    body = cebu_secretariat(world)
    services.seat_assign(
        actor=world.admin,
        seat=world.secretariat,
        organisation=world.city_hall,
        start_date=timezone.localdate() + dt.timedelta(days=1),
    )
    assert access.can_keep_action_log(world.company, body)
    assert set(Body.objects.filter(access.action_log_q(world.company))) == {body}
    assert not Body.objects.filter(access.action_log_q(world.local)).exists()
    assert not access.can_keep_action_log(world.local, body)


def _titles(items) -> set[str]:
    return set(items.values_list("title", flat=True))


def test_each_reader_sees_the_action_items_of_the_bodies_they_are_inside_or_keep(world):
    """Members and coordinators read a body's items; the keeper of a log reads its items without
    their meetings; the regional coordinator keeps a Manila log in person. The same rows whether
    the reader sees a few bodies (members, local coordinators) or whole regions."""
    cebu = cebu_body(world)
    manila = _manila_body_kept_by_city_hall(world)  # the local coordinator acts for city hall
    services.action_item_create(actor=world.admin, body=manila, title="Manila task")
    desk = services.body_create(
        actor=world.admin, name="Manila Youth Desk", kind=BodyKind.LOCAL_PREVENTION_NETWORK, jurisdiction=world.manila
    )
    seat = services.seat_create(actor=world.admin, body=desk, title="Secretariat", kind=SeatKind.SECRETARIAT)
    keeper = core_services.person_create(
        actor=world.admin, jurisdiction=world.visayas, full_name="Rita Regional", user=world.regional
    )
    services.seat_assign(actor=world.admin, seat=seat, person=keeper, start_date=timezone.localdate())
    for title in ("Desk task", "Desk follow-up"):  # two: an item's id never stands for its body's
        services.action_item_create(actor=world.admin, body=desk, title=title)
    cebu_items = {"Organise the youth dialogue"}
    desk_items = {"Desk task", "Desk follow-up"}
    expected = {
        world.member: cebu_items,
        world.cso: cebu_items,
        world.local: cebu_items | {"Manila task"},
        world.regional: cebu_items | desk_items,
        world.national: cebu_items | {"Manila task"} | desk_items,
        world.admin: cebu_items | {"Manila task"} | desk_items,
    }
    for user in (world.viewer, world.company, world.facilitator, world.outsider, None):
        expected[user] = set()
    for user, titles in expected.items():
        name = getattr(user, "username", "anonymous")
        assert _titles(access.visible_action_items(user)) == titles, name
        assert _titles(access.visible_action_items(user, for_display=False)) == titles, name
        bodies = {item.body for item in access.visible_action_items(user)}
        assert set(access.visible_action_item_bodies(user)) == bodies, name
    shown = {i.title: i.meeting_visible for i in access.visible_action_items(world.local)}
    assert shown == {"Organise the youth dialogue": True, "Manila task": False}
    shown = {i.title: i.meeting_visible for i in access.visible_action_items(world.regional)}
    assert shown == {"Organise the youth dialogue": True, "Desk task": False, "Desk follow-up": False}
    assert {b.name for b in access.internal_bodies(world.regional)} == {cebu.name}
    # A body's page reads its items through ``body_action_items``: the same rows and meeting flags as
    # the rule, for every reader and body, an archived body and a deactivated coordinator included.
    services.body_archive(actor=world.admin, body=desk, archived=True)
    world.local.is_active = False
    world.local.save(update_fields=["is_active"])
    for user in expected:
        name = getattr(user, "username", "anonymous")
        for body in Body.objects.filter(pk__in=[cebu.pk, manila.pk, desk.pk]):
            by_rule = {(i.title, i.meeting_visible) for i in access.visible_action_items(user).filter(body=body)}
            assert {(i.title, i.meeting_visible) for i in access.body_action_items(user, body)} == by_rule, name


def test_a_keeper_reads_no_log_once_archived_deactivated_or_the_body_archived(world):
    """The keeper in person loses the log when their person record is archived; the organisation's
    keeper when the body is archived or their account is deactivated."""
    manila = _manila_body_kept_by_city_hall(world)
    services.action_item_create(actor=world.admin, body=manila, title="Manila task")
    seat = services.seat_create(actor=world.admin, body=manila, title="Second secretariat", kind=SeatKind.SECRETARIAT)
    keeper = core_services.person_create(
        actor=world.admin, jurisdiction=world.visayas, full_name="Rita Regional", user=world.regional
    )
    services.seat_assign(actor=world.admin, seat=seat, person=keeper, start_date=timezone.localdate())
    assert _titles(access.visible_action_items(world.regional)) == {"Manila task"}
    core_services.person_archive(actor=world.admin, person=keeper)
    assert _titles(access.visible_action_items(world.regional)) == set()
    assert not access.can_keep_action_log(world.regional, manila)
    assert _titles(access.visible_action_items(world.local)) == {"Manila task"}
    services.body_archive(actor=world.admin, body=manila, archived=True)
    assert _titles(access.visible_action_items(world.local)) == set()
    services.body_archive(actor=world.admin, body=manila, archived=False)
    world.local.is_active = False
    world.local.save(update_fields=["is_active"])
    assert _titles(access.visible_action_items(world.local)) == set()
    assert not Body.objects.filter(access.action_log_q(world.local)).exists()


def test_internals_read_from_another_record_follow_its_body(world):
    """``internals_q`` from a meeting (``prefix``): the meetings of the bodies whose internals the
    user sees; the keeper of a log (the local coordinator, for Manila) reads none of its meetings."""
    from tandem.bodies.models import Meeting
    from tandem.tests.access_cases import manila_coordinator

    cebu_body(world)
    manila = _manila_body_kept_by_city_hall(world)
    soon = timezone.now() + dt.timedelta(days=3)
    services.meeting_create(actor=world.admin, body=manila, title="Manila meeting", starts_at=soon, time_zone="UTC")
    cebu_meetings = {"Quarterly meeting", "Next meeting"}

    def titles(user):
        return set(Meeting.objects.filter(access.internals_q(user, "body__")).values_list("title", flat=True))

    assert titles(world.member) == titles(world.local) == titles(world.regional) == cebu_meetings
    assert titles(world.national) == titles(world.admin) == cebu_meetings | {"Manila meeting"}
    assert titles(manila_coordinator(world)) == {"Manila meeting"}
    for user in (world.viewer, world.company, world.facilitator, world.outsider, None):
        assert titles(user) == set(), getattr(user, "username", "anonymous")


def test_an_archived_body_is_hidden_from_lists_and_its_internals_from_its_members(world):
    """Archived: no longer listed (still found with ``include_archived``); its members no longer
    read its internals, its coordinators still do."""
    body = cebu_body(world)
    services.body_archive(actor=world.admin, body=body, archived=True)
    for user in (world.viewer, world.member, world.local):
        assert not access.visible_bodies(user).exists()
        assert set(access.visible_bodies(user, include_archived=True)) == {body}
    assert set(access.internal_bodies(world.local)) == {body}
    assert set(access.internal_bodies(world.member)) == set()
    assert not access.member_body_ids(world.member).exists()
    assert not access.member_body_ids(None).exists()
    assert not access.can_see_internals(world.member, body)
    assert access.can_see_internals(world.local, body)
    assert not access.visible_bodies(None, include_archived=True).exists()
    assert not access.internal_bodies(None).exists()


def test_the_coordinators_still_read_an_archived_bodys_action_items_its_members_do_not(world):
    """Archived: the city's and the region's coordinators still read its action log (its page opens
    by its address), its members no longer do."""
    body = cebu_body(world)
    services.body_archive(actor=world.admin, body=body, archived=True)
    for user in (world.local, world.regional, world.admin):
        assert _titles(access.visible_action_items(user)) == {"Organise the youth dialogue"}, user.username
        assert set(access.visible_action_item_bodies(user)) == {body}, user.username
    assert _titles(access.visible_action_items(world.member)) == set()


def test_a_body_page_decides_on_its_internals_without_asking_again(world, django_assert_num_queries):
    """The body found for a page carries the answer (``internals_visible``): no query to ask again."""
    body = cebu_body(world)
    for user, expected in ((world.member, True), (world.viewer, False), (world.local, True)):
        found = access.get_body_or_404(user, body.uuid)
        with django_assert_num_queries(0):
            assert access.can_see_internals(user, found) is expected, user.username


def test_the_internals_of_a_body_are_open_to_its_own_members_and_coordinators_only(world):
    """Asked of a body read without the flag: a member of the Cebu body does not see inside the
    Manila body; Manila's coordinator, whose organisation is no member of it, does."""
    from tandem.tests.access_cases import manila_coordinator

    cebu_body(world)
    manila = Body.objects.get(pk=_manila_body_kept_by_city_hall(world).pk)
    assert not access.can_see_internals(world.member, manila)
    assert not access.can_see_internals(world.local, manila)  # keeps its log, does not see inside
    assert access.can_see_internals(manila_coordinator(world), manila)
    assert access.can_see_internals(world.member, Body.objects.get(pk=world.body.pk))


def test_a_coordinator_whose_organisation_joins_a_body_elsewhere_sees_inside_it(world):
    """City hall joins the Manila forum: Cebu City's coordinator, acting for it, sees inside that
    forum as a member, beside the bodies of their own city."""
    cebu = cebu_body(world)
    manila = _manila_body_kept_by_city_hall(world)
    services.membership_add(
        actor=world.admin, body=manila, organisation=world.city_hall, start_date=timezone.localdate()
    )
    assert set(Body.objects.filter(access.internals_q(world.local))) == {cebu, manila}
    assert set(access.internal_bodies(world.local)) == {cebu, manila}
    assert access.can_see_internals(world.local, Body.objects.get(pk=manila.pk))
    assert set(Body.objects.filter(access.internals_q(world.regional))) == {cebu}


# Mutants of tandem/bodies/access.py recorded as equivalent (no behaviour a user can notice changes):
# - with_internals_flag 6, 8 (Value(True) without BooleanField()): Django gives a bool Value a BooleanField itself.
# - _for_display 18 (ExpressionWrapper(..., output_field=None)): it takes the condition's own BooleanField.
# - visible_seats 3, visible_meetings 3, visible_minutes 5, 6, visible_decisions 3, _for_display 10 (one
#   select_related name dropped, e.g. "body" beside "body__jurisdiction"): the longer path joins it anyway.
# - my_action_items 12 (the person subquery limited to 2 rows, not 1): Person.user is one-to-one, one row at most.
# - my_action_items 40, visible_action_items 13 (for_display ignored, always True): the same rows with the
#   meeting_visible flag and the display's joins added; counts and filters over them are the same.
# - _action_item_body_rule 1, 4 (paths None, so _reads_few_bodies is false for everyone): the other shape of
#   the same rule (internal bodies OR kept logs); _reads_few_bodies chooses the query's shape, never its rows.
# - _action_item_body_rule 21 (the part "below" kept without coordinator paths): path_q([]) matches nothing.
# - action_log_q 28, internals_q 11 (prefix test forced true): f"{prefix}id__in" with no prefix is "id__in".
# - _internal_body_ids 3, 7, 8, internal_bodies 3, 7, 8 (memo key None, "XX...XX" or upper case): still a key of
#   its own (the module's two memo keys are the only ones).
# - _reads_few_bodies 1, 4 (administrators and everyone, or local coordinators, take the other branch): only the
#   query's shape depends on it (see _action_item_body_rule 1, 4); each_reader test checks both shapes' rows.


def test_a_keeper_abroad_reads_the_items_of_a_body_it_is_a_member_of_but_not_its_meetings(world):
    """Internals are those of bodies in the reader's own countries: the Kenyan coordinator, affiliated
    to Cebu Shipping Co (which keeps the Cebu body's log and sits on it as a member), reads the body's
    action items as its keeper, never the meetings behind them (``meeting_visible``, tested per row)."""
    from tandem.core.models import Affiliation

    w = world
    cebu_secretariat(w)
    services.membership_add(
        actor=w.admin, body=w.body, organisation=w.company_org, start_date=timezone.localdate() - dt.timedelta(days=10)
    )
    person = Person.objects.create(full_name="Otieno Ouma", jurisdiction=w.nairobi, user=w.outsider)
    Affiliation.objects.create(
        person=person,
        organisation=w.company_org,
        jurisdiction=w.cebu_city,
        title="Liaison",
        start_date=dt.date(2025, 1, 1),
    )
    assert access.can_keep_action_log(w.outsider, w.body)
    assert not access.internal_bodies(w.outsider).filter(pk=w.body.pk).exists()
    items = list(access.visible_action_items(w.outsider).filter(body=w.body))
    assert [i.title for i in items] == [w.item.title]
    assert not items[0].meeting_visible
    mine = access.visible_action_items(w.member).get(pk=w.item.pk)  # a member of the body, in its country
    assert mine.meeting_visible


def _body_with_an_item(w, name, place, organisation=None, tie=None):
    """A body at ``place`` with an upcoming meeting ("<name> meeting") and an action item of that meeting
    ("<name> item"); ``tie``: ``organisation`` sits on it ("member") or holds its Secretariat seat ("keeper")."""
    body = services.body_create(actor=w.admin, name=name, kind=BodyKind.LOCAL_PREVENTION_NETWORK, jurisdiction=place)
    since = timezone.localdate() - dt.timedelta(days=30)
    if tie == "member":
        services.membership_add(actor=w.admin, body=body, organisation=organisation, start_date=since)
    elif tie == "keeper":
        seat = services.seat_create(actor=w.admin, body=body, title="Secretariat", kind=SeatKind.SECRETARIAT)
        services.seat_assign(actor=w.admin, seat=seat, organisation=organisation, start_date=since)
    meeting = services.meeting_create(
        actor=w.admin,
        body=body,
        title=f"{name} meeting",
        starts_at=timezone.now() + dt.timedelta(days=3),
        time_zone="Asia/Manila",
    )
    services.action_item_create(actor=w.admin, body=body, title=f"{name} item", meeting=meeting)
    return body


def _affiliate(w, user, organisation, place):
    """``user`` gets a person record and a current affiliation to ``organisation`` (no role there)."""
    from tandem.core.models import Affiliation

    person = Person.objects.create(full_name=f"{user.username} in person", jurisdiction=w.ph, user=user)
    Affiliation.objects.create(
        person=person, organisation=organisation, jurisdiction=place, title="Delegate", start_date=dt.date(2025, 1, 1)
    )


@pytest.mark.parametrize("persona", ["regional", "local"])
def test_a_coordinator_reads_inside_a_body_of_another_region_their_organisation_sits_on(world, client, persona):
    """Central Visayas' coordinator (or Cebu City's), affiliated to the Manila interfaith council, reads the
    meetings and action items of the Manila forum the council sits on, in the sets and on the list page,
    beside those of their own place; a Manila body the council does not sit on stays closed to them."""
    from django.urls import reverse

    w = world
    cebu_body(w)
    reader = getattr(w, persona)
    _affiliate(w, reader, w.manila_org, w.manila)
    forum = _body_with_an_item(w, "Manila Peace Forum", w.manila, w.manila_org, "member")
    _body_with_an_item(w, "Manila Security Board", w.manila)

    expected_items = {w.item.title, "Manila Peace Forum item"}
    assert {m.title for m in access.visible_meetings(reader)} == {
        w.meeting.title,
        w.upcoming.title,
        "Manila Peace Forum meeting",
    }
    assert set(access.visible_action_items(reader).values_list("title", flat=True)) == expected_items
    assert set(access.visible_action_item_bodies(reader)) == {w.body, forum}
    client.force_login(reader)
    page = client.get(reverse("action_item_list")).content.decode()
    assert all(title in page for title in expected_items)
    assert "Manila Security Board item" not in page


def test_a_national_coordinator_reads_inside_the_bodies_abroad_their_organisation_sits_on_or_keeps(world, client):
    """The Philippine national coordinator, also a member in Nairobi for its county government, reads
    every item of their country, the meetings and items of the Nairobi forum the county sits on, the
    items (not the meetings) of the Nairobi board whose log it keeps, and nothing of a third body."""
    from django.urls import reverse

    from tandem.core.models import Role

    w = world
    cebu_body(w)
    core_services.role_grant(
        actor=None, user=w.national, role=Role.MEMBER, jurisdiction=w.nairobi, organisation=w.nairobi_org
    )
    for name, tie in (
        ("Nairobi Peace Forum", "member"),
        ("Nairobi Security Board", "keeper"),
        ("Nairobi Youth Panel", None),
    ):
        _body_with_an_item(w, name, w.nairobi, w.nairobi_org, tie)

    expected = {w.item.title, "Nairobi Peace Forum item", "Nairobi Security Board item"}
    items = {i.title: i for i in access.visible_action_items(w.national)}
    assert set(items) == expected
    assert items["Nairobi Peace Forum item"].meeting_visible
    assert not items["Nairobi Security Board item"].meeting_visible
    assert {b.name for b in access.visible_action_item_bodies(w.national)} == {
        w.body.name,
        "Nairobi Peace Forum",
        "Nairobi Security Board",
    }
    client.force_login(w.national)
    page = client.get(reverse("action_item_list")).content.decode()
    assert all(title in page for title in expected)
    assert "Nairobi Youth Panel item" not in page


@pytest.mark.parametrize("persona", ["national", "regional"])
def test_a_coordinator_affiliated_abroad_reads_nothing_inside_a_body_of_that_country(world, persona):
    """Internals stay inside the reader's own countries: a Philippine coordinator (of the country, of a
    region), affiliated to Nairobi's county government with no role in Kenya, reads nothing of the
    Nairobi forum it sits on."""
    w = world
    cebu_body(w)
    reader = getattr(w, persona)
    _affiliate(w, reader, w.nairobi_org, w.nairobi)
    _body_with_an_item(w, "Nairobi Peace Forum", w.nairobi, w.nairobi_org, "member")
    assert set(access.visible_action_items(reader).values_list("title", flat=True)) == {w.item.title}
    assert set(access.visible_action_item_bodies(reader)) == {w.body}
    assert {m.title for m in access.visible_meetings(reader)} == {w.meeting.title, w.upcoming.title}
