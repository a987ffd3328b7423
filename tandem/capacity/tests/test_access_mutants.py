"""Cases that kill mutants of tandem.capacity.access (``make mutate``, issue 10).

Each test states what a user would notice: a course, session, place or need they see or not, a
permission granted or refused.
"""

from __future__ import annotations

from tandem.capacity import access, services
from tandem.capacity.models import CourseVisibility
from tandem.capacity.tests.factories import cebu_need, cebu_training
from tandem.core.models import GovernmentLevel
from tandem.tests.access_cases import manila_coordinator


def _course(w, where, visibility, title):
    return services.course_create(
        actor=w.admin,
        jurisdiction=where,
        title=title,
        level=GovernmentLevel.LOCAL,
        delivery="in_person",
        visibility=visibility,
    )


def _titles(user) -> set[str]:
    return set(access.visible_courses(user).values_list("title", flat=True))


def test_who_sees_a_course_follows_its_visibility_and_the_owners_place(world):
    w = world
    _course(w, w.network, CourseVisibility.SUBTREE, "Network induction")
    _course(w, w.visayas, CourseVisibility.SUBTREE, "Visayas facilitation")
    _course(w, w.manila, CourseVisibility.SUBTREE, "Manila induction")
    _course(w, w.cebu_city, CourseVisibility.COUNTRY, "Philippine safeguarding")
    _course(w, w.nairobi, CourseVisibility.NETWORK, "Nairobi open course")
    _course(w, w.nairobi, CourseVisibility.COUNTRY, "Kenyan safeguarding")
    everything = {
        "Network induction",
        "Visayas facilitation",
        "Manila induction",
        "Philippine safeguarding",
        "Nairobi open course",
        "Kenyan safeguarding",
    }
    # A viewer of Cebu City: the units above theirs, their country, the network.
    city = {"Network induction", "Visayas facilitation", "Philippine safeguarding", "Nairobi open course"}
    assert _titles(w.viewer) == city
    assert _titles(w.local) == city
    assert _titles(w.regional) == city
    assert _titles(w.national) == everything - {"Kenyan safeguarding"}
    assert _titles(manila_coordinator(w)) == {
        "Network induction",
        "Manila induction",
        "Philippine safeguarding",
        "Nairobi open course",
    }
    assert _titles(w.outsider) == {"Network induction", "Nairobi open course", "Kenyan safeguarding"}
    assert _titles(w.admin) == everything
    assert _titles(None) == set()
    w.viewer.is_active = False
    w.viewer.save(update_fields=["is_active"])
    assert _titles(w.viewer) == set()


def test_facilitators_and_coordinators_organise_members_and_viewers_do_not(world):
    w = cebu_training(world)
    for user in (w.local, w.regional, w.national, w.facilitator, w.admin):
        assert access.can_organise(user, w.session), user.username
        assert access.organised_sessions(user).filter(pk=w.session.pk).exists(), user.username
        assert access.publishable_jurisdictions(user).filter(pk=w.cebu_city.pk).exists(), user.username
    for user in (w.member, w.cso, w.viewer, w.outsider, manila_coordinator(w)):
        assert not access.can_organise(user, w.session), user.username
        assert not access.organised_sessions(user).filter(pk=w.session.pk).exists(), user.username
        assert not access.publishable_jurisdictions(user).filter(pk=w.cebu_city.pk).exists(), user.username
    # Cebu City's coordinator publishes in the city and below, never in the province above it.
    assert list(access.publishable_jurisdictions(w.local)) == [w.cebu_city]
    assert access.organiser_paths(w.local) == [w.cebu_city.path]
    assert access.organiser_paths(w.facilitator) == [w.visayas.path]
    assert access.organiser_paths(w.admin) is None
    assert access.organiser_paths(w.viewer) == []
    w.local.is_active = False
    w.local.save(update_fields=["is_active"])
    assert not access.can_organise(w.local, w.session)
    assert access.organiser_paths(w.local) == []


def test_a_place_is_seen_by_its_person_the_coordinators_over_them_and_the_organisers(world):
    w = cebu_training(world)
    maria = w.maria  # Maria Santos, nominated by Cebu City's coordinator
    for user in (w.local, w.regional, w.national, w.facilitator, w.admin):
        assert access.visible_participations(user).filter(pk=maria.pk).exists(), user.username
        assert access.visible_certificates(user).filter(participation=maria).exists(), user.username
    for user in (w.member, w.cso, w.viewer, w.outsider, manila_coordinator(w), None):
        assert not access.visible_participations(user).filter(pk=maria.pk).exists(), user
        assert not access.visible_certificates(user).filter(participation=maria).exists(), user
    # Ana Cruz is the member persona's own record: they see their own place and no one else's.
    assert set(access.visible_participations(w.member)) == {w.ana}
    assert access.is_participant(w.member, w.ana) and not access.is_participant(w.cso, w.ana)
    assert not access.is_participant(w.member, maria)
    assert access.can_see_person_details(w.member, w.ana) and not access.can_see_person_details(w.member, maria)
    assert access.can_see_person_details(w.facilitator, maria)


def test_reach_and_nominations_cover_the_coordinators_subtree_only(world):
    w = cebu_training(world)
    assert set(access.reach_participations(w.regional)) == {w.maria, w.ana}
    assert set(access.reach_participations(w.local)) == {w.maria, w.ana}
    for user in (w.viewer, w.member, w.facilitator, manila_coordinator(w), w.outsider):
        assert not access.reach_participations(user).exists(), user.username
    people = set(access.nominable_people(w.local))
    assert w.person_cebu in people and w.person_manila not in people and w.person_nairobi not in people
    assert not access.nominable_people(w.viewer).exists()
    assert w.person_manila in set(access.nominable_people(w.national))


def test_the_level_above_answers_a_need_and_reads_it(world):
    w = world
    need = cebu_need(w)  # raised by Cebu City's coordinator
    assert access.can_answer_need(w.regional, need) and access.can_answer_need(w.national, need)
    assert not access.can_answer_need(w.local, need)  # the city itself does not answer its own need
    assert not access.can_answer_need(w.facilitator, need)
    assert access.visible_needs(w.local).filter(pk=need.pk).exists()
    assert not access.visible_needs(w.facilitator).filter(pk=need.pk).exists()
    country_need = services.need_create(
        actor=w.national, jurisdiction=w.ph, competency=need.competency, people_count=3, urgency="low"
    )
    assert not access.can_answer_need(w.national, country_need)  # the network level answers the country's
    assert access.can_answer_need(w.admin, country_need)


def test_an_exemption_is_read_by_the_exempted_user_and_the_countrys_national_coordinators(world):
    from tandem.capacity import readiness

    w = cebu_training(world)
    requirement = readiness.requirement_set(actor=w.national, country=w.ph, course=w.course, valid_days=365)
    exemption = readiness.exemption_grant(actor=w.national, requirement=requirement, user=w.member, reason="Trainer")
    for user in (w.member, w.national, w.admin):
        assert list(access.visible_exemptions(user)) == [exemption], user.username
    for user in (w.regional, w.local, w.cso, w.outsider, None):
        assert not access.visible_exemptions(user).exists(), user
    w.member.is_active = False
    w.member.save(update_fields=["is_active"])
    assert not access.visible_exemptions(w.member).exists()


def test_own_records_are_the_signed_in_users_own_and_nobody_elses(world):
    from tandem.capacity.services.calendars import calendar_feed_rotate

    w = cebu_training(world)
    assert access.own_person(w.member) == w.member_person
    assert access.own_person(w.cso) is None and access.own_person(None) is None
    feed = calendar_feed_rotate(actor=w.member)
    assert list(access.own_feed(w.member)) == [feed]
    assert not access.own_feed(w.cso).exists() and not access.own_feed(None).exists()
    objective = w.course.learning_objectives.first()
    feedback = services.feedback_submit(
        actor=w.member, participation=w.ana, ratings={objective.pk: (4, 2, 4)}, comment="Useful"
    )
    assert list(access.visible_feedback(w.member)) == [feedback]
    assert list(access.visible_feedback(w.admin)) == [feedback]
    assert not access.visible_feedback(w.local).exists() and not access.visible_feedback(None).exists()
    w.member.is_active = False
    w.member.save(update_fields=["is_active"])
    assert access.own_person(w.member) is None
    assert not access.own_feed(w.member).exists()
    assert not access.visible_feedback(w.member).exists()
    assert not access.is_participant(w.member, w.ana)


def _next_week_session(w, owner, host, title):
    """A session next week of a course of ``owner`` (seen in the whole country), held at ``host``."""
    import datetime as dt

    from django.utils import timezone

    course = _course(w, owner, CourseVisibility.COUNTRY, title)
    start = timezone.now() + dt.timedelta(days=7)
    return services.session_create(
        actor=w.admin,
        course=course,
        host=host,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        time_zone="UTC",
        venue="Town hall",
        places=5,
        registration_deadline=start - dt.timedelta(days=1),
    )


def _manila_course_session(w, host):
    """A session next week of a Manila course (seen in the whole country), held at ``host``."""
    return _next_week_session(w, w.manila, host, "Manila dialogue course")


def test_the_host_place_and_the_course_place_each_make_an_organiser(world):
    """A session of a Manila course held in Cebu City: the coordinators of either place organise it
    (the host's and the course's), nobody else does."""
    w = world
    session = _manila_course_session(w, w.cebu_city)
    for user in (w.local, manila_coordinator(w)):  # the host's place, the course's place
        assert access.can_organise(user, session), user.username
        assert access.organised_sessions(user).filter(pk=session.pk).exists(), user.username
    for user in (w.viewer, w.member, w.outsider):
        assert not access.can_organise(user, session), user.username
        assert not access.organised_sessions(user).filter(pk=session.pk).exists(), user.username


def test_an_archived_person_is_neither_nominated_nor_anyones_own_record(world):
    from django.utils import timezone

    from tandem.core.models import Person

    w = cebu_training(world)
    assert w.person_cebu in set(access.nominable_people(w.local))
    Person.objects.filter(pk__in=[w.person_cebu.pk, w.member_person.pk]).update(archived_at=timezone.now())
    assert w.person_cebu not in set(access.nominable_people(w.local))
    assert access.own_person(w.member) is None


def test_a_local_coordinator_of_the_place_above_answers_a_need(world):
    """The coordinator rank itself is enough: a local coordinator at the province answers the city's need."""
    from tandem.core import services as core_services
    from tandem.core.models import Role, User

    w = world
    need = cebu_need(w)
    core_services.role_grant(actor=w.admin, user=w.viewer, role=Role.LOCAL_COORDINATOR, jurisdiction=w.cebu)
    assert access.can_answer_need(User.objects.get(pk=w.viewer.pk), need)


def test_a_place_in_a_session_elsewhere_is_seen_by_its_person_and_the_coordinators_over_them(world):
    """Ana (Cebu City) takes a place in a Manila session: she sees it, so does Cebu City's coordinator
    (over her, not an organiser), not a coordinator elsewhere nor a viewer of her city."""
    from tandem.capacity.tests.factories import member_person

    w = world
    member_person(w)
    session = _manila_course_session(w, w.manila)
    place = services.participation_request(actor=w.member, session=session)
    assert not access.can_organise(w.local, session)
    for user in (w.member, w.local, w.regional, manila_coordinator(w)):
        assert access.visible_participations(user).filter(pk=place.pk).exists(), user.username
    for user in (w.viewer, w.cso, w.outsider):
        assert not access.visible_participations(user).filter(pk=place.pk).exists(), user.username


def test_an_archived_course_leaves_the_lists_but_its_page_still_opens(world):
    """``visible_courses``: archived courses only when asked for (a course's page, its materials)."""
    from django.utils import timezone

    from tandem.capacity.models import Course

    w = world
    course = _course(w, w.cebu_city, CourseVisibility.SUBTREE, "Retired course")
    Course.objects.filter(pk=course.pk).update(archived_at=timezone.now())
    assert not access.visible_courses(w.local).filter(pk=course.pk).exists()
    assert access.visible_courses(w.local, include_archived=True).filter(pk=course.pk).exists()
    assert not access.visible_courses(w.outsider, include_archived=True).filter(pk=course.pk).exists()


def test_a_signed_in_user_without_a_role_sees_no_course_and_no_error(world):
    """An account not yet given a role (just created, or every role revoked) opens an empty list."""
    from tandem.core.models import User

    w = world
    _course(w, w.cebu_city, CourseVisibility.SUBTREE, "Cebu induction")
    _course(w, w.ph, CourseVisibility.COUNTRY, "Philippine safeguarding")
    newcomer = User.objects.create_user(username="newcomer", password="correct-horse-battery-staple")
    assert _titles(newcomer) == set()
    assert not access.visible_sessions(newcomer).exists()


def test_a_coordinator_of_two_cities_publishes_in_both_and_nowhere_else(world):
    from tandem.core import services as core_services
    from tandem.core.models import Role, User

    w = world
    coordinator = manila_coordinator(w)
    core_services.role_grant(actor=w.admin, user=coordinator, role=Role.LOCAL_COORDINATOR, jurisdiction=w.cebu_city)
    coordinator = User.objects.get(pk=coordinator.pk)
    assert access.organiser_paths(coordinator) == sorted([w.cebu_city.path, w.manila.path])
    places = set(access.publishable_jurisdictions(coordinator))
    assert {w.cebu_city, w.manila} <= places
    assert w.cebu not in places and w.ncr not in places and w.nairobi not in places


def test_a_coordinator_sees_their_own_place_registered_outside_their_subtree(world):
    """Manila's coordinator lives in Cebu City (their directory record is there) and takes a place in a
    Cebu City session they do not organise: they see their own place, as any participant does."""
    from tandem.core import services as core_services

    w = world
    coordinator = manila_coordinator(w)
    person = core_services.person_create(
        actor=w.admin, jurisdiction=w.cebu_city, full_name="Lorna Manalo", email="lorna@example.org"
    )
    person.user = coordinator
    person.save(update_fields=["user"])
    session = _next_week_session(w, w.cebu_city, w.cebu_city, "Cebu dialogue course")
    assert not access.can_organise(coordinator, session)
    place = services.participation_request(actor=coordinator, session=session)
    assert place.jurisdiction_path == w.cebu_city.path
    assert access.visible_participations(coordinator).filter(pk=place.pk).exists()
    assert access.visible_participations(w.local).filter(pk=place.pk).exists()  # over the place registered
    assert not access.visible_participations(w.viewer).filter(pk=place.pk).exists()


def test_a_national_coordinator_sees_their_own_exemption_in_another_country(world):
    """The Philippines' national coordinator, also a viewer in Kenya, exempted from Kenya's course:
    they read that exemption (it is theirs), though they coordinate only the Philippines."""
    from tandem.capacity import readiness
    from tandem.core import services as core_services
    from tandem.core.models import Role, User

    w = cebu_training(world)
    core_services.role_grant(actor=w.admin, user=w.national, role=Role.VIEWER, jurisdiction=w.nairobi)
    national = User.objects.get(pk=w.national.pk)
    kenya_course = _course(w, w.ke, CourseVisibility.COUNTRY, "Kenyan safeguarding")
    requirement = readiness.requirement_set(actor=w.admin, country=w.ke, course=kenya_course, valid_days=365)
    exemption = readiness.exemption_grant(actor=w.admin, requirement=requirement, user=national, reason="Trainer")
    assert list(access.visible_exemptions(national)) == [exemption]
    assert not access.visible_exemptions(w.local).exists()
