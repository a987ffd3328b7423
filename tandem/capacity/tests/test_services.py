"""The rules of places, attendance, feedback and certificates, as a user meets them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.capacity import access, selectors, services
from tandem.capacity.models import AttendanceDay, Certificate, Feedback, Participation, PlaceStatus, TrainingSession
from tandem.core import services as core_services

from .factories import cebu_course, cebu_session, cebu_training, member_person


def _person(w, name, where=None):
    return core_services.person_create(actor=w.admin, jurisdiction=where or w.cebu_city, full_name=name)


def test_nomination_snapshot_keeps_sector_organisation_and_place(world):
    w = cebu_training(world)
    assert (w.maria.sector, w.maria.organisation_name, w.maria.jurisdiction, w.maria.level) == (
        "youth",
        "Visayas Youth Forum",
        w.cebu_city,
        "local",
    )
    # Maria moves to Manila later: her place still counts for Cebu City.
    w.person_cebu.jurisdiction = w.manila
    w.person_cebu.save()
    w.maria.refresh_from_db()
    assert w.maria.jurisdiction == w.cebu_city


def test_full_session_refuses_acceptance_and_promotes_the_wait_list(world):
    course = cebu_course(world)
    session = cebu_session(world, course, places=1)
    first = services.participation_nominate(actor=world.local, session=session, person=_person(world, "One"))
    second = services.participation_nominate(actor=world.local, session=session, person=_person(world, "Two"))
    services.participation_decide(actor=world.local, participation=first, status=PlaceStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="full"):
        services.participation_decide(actor=world.local, participation=second, status=PlaceStatus.ACCEPTED)
    second.refresh_from_db()
    assert second.status == PlaceStatus.NOMINATED  # nothing written
    services.participation_decide(actor=world.local, participation=second, status=PlaceStatus.WAITLISTED)
    first.refresh_from_db()
    services.participation_withdraw(actor=world.local, participation=first)
    second.refresh_from_db()
    assert second.status == PlaceStatus.ACCEPTED


def test_declining_an_accepted_participant_promotes_the_next(world):
    course = cebu_course(world)
    session = cebu_session(world, course, places=1)
    a = services.participation_nominate(actor=world.local, session=session, person=_person(world, "A"))
    b = services.participation_nominate(actor=world.local, session=session, person=_person(world, "B"))
    services.participation_decide(actor=world.local, participation=a, status=PlaceStatus.ACCEPTED)
    services.participation_decide(actor=world.local, participation=b, status=PlaceStatus.WAITLISTED)
    a.refresh_from_db()
    services.participation_decide(actor=world.local, participation=a, status=PlaceStatus.DECLINED)
    assert Participation.objects.get(pk=b.pk).status == PlaceStatus.ACCEPTED


def test_registration_after_the_deadline_is_refused(world):
    course = cebu_course(world)
    session = cebu_session(world, course, deadline=timezone.now() - dt.timedelta(minutes=1))
    member_person(world)
    with pytest.raises(ValidationError, match="closed"):
        services.participation_request(actor=world.member, session=session)
    with pytest.raises(ValidationError, match="closed"):
        services.participation_nominate(actor=world.local, session=session, person=world.person_cebu)
    assert not Participation.objects.filter(session=session).exists()


def test_a_session_ending_before_it_starts_is_refused(world):
    course = cebu_course(world)
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        services.session_create(
            actor=world.local,
            course=course,
            host=world.cebu_city,
            starts_at=start,
            ends_at=start - dt.timedelta(hours=2),
            places=5,
            venue="Hall",
            registration_deadline=start - dt.timedelta(days=1),
        )
    assert "ends_at" in caught.value.error_dict
    assert not TrainingSession.objects.exists()


def test_attendance_for_a_day_outside_the_session_is_refused(world):
    w = cebu_training(world)
    before = AttendanceDay.objects.count()
    with pytest.raises(ValidationError, match="not a day of this session"):
        services.attendance_record(
            actor=w.local, session=w.session, day=w.session.starts_at.date() - dt.timedelta(days=1), present=[w.maria]
        )
    assert AttendanceDay.objects.count() == before


def test_a_rating_outside_the_scale_is_refused_and_nothing_written(world):
    w = cebu_training(world)
    objectives = list(w.course.learning_objectives.all())
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.feedback_submit(
            actor=w.member, participation=w.ana, ratings={objectives[0].pk: (6, 2, 4)}, comment="Great"
        )
    assert not Feedback.objects.exists()
    services.feedback_submit(actor=w.member, participation=w.ana, ratings={objectives[0].pk: (5, 2, 4)})
    assert Feedback.objects.count() == 1


def test_feedback_figures_need_three_answers(world):
    w = cebu_training(world)
    objective = w.course.learning_objectives.first()
    from tandem.core.models import User

    people = []
    for i in range(3):
        user = User.objects.create_user(username=f"p{i}", password="x-correct-horse")
        person = _person(w, f"Participant {i}")
        person.user = user
        person.save()
        p = services.participation_nominate(actor=w.local, session=w.session, person=person)
        services.participation_decide(actor=w.local, participation=p, status=PlaceStatus.ACCEPTED)
        people.append((user, p))
    for n, (user, p) in enumerate(people):
        services.feedback_submit(actor=user, participation=p, ratings={objective.pk: (4, 1 + n, 4)}, comment=f"c{n}")
        summary = selectors.feedback_summary(w.local, w.session)
        if n < 2:
            assert summary["objectives"][0].rating is None and summary["comments"] == []
    assert summary["objectives"][0].rating == 4.0
    assert summary["objectives"][0].change == 2.0  # from 2.0 to 4.0
    assert sorted(summary["comments"]) == ["c0", "c1", "c2"]
    with pytest.raises(PermissionDenied):
        selectors.feedback_summary(w.member, w.session)


def test_certificates_only_for_the_required_share_of_days(world):
    w = cebu_training(world)
    partial = services.participation_nominate(actor=w.local, session=w.session, person=_person(w, "Partial"))
    services.participation_decide(actor=w.local, participation=partial, status=PlaceStatus.ACCEPTED)
    first_day = services.session_days(w.session)[0]
    services.attendance_record(actor=w.local, session=w.session, day=first_day, present=[w.maria, partial])
    assert services.certificates_issue(actor=w.local, session=w.session) == []  # 1 of 3 days < 80 %
    assert Certificate.objects.filter(participation=partial).count() == 0
    assert selectors.certificate_by_code(w.certificate.code) == {
        "full_name": "Maria Santos",
        "course_title": w.course.title,
        "completed_on": w.certificate.completed_on,
    }
    assert selectors.certificate_by_code("NOPE-NOPE-NOPE") is None


def test_nominating_someone_outside_the_subtree_is_refused(world):
    course = cebu_course(world)
    session = cebu_session(world, course)
    with pytest.raises(ValidationError):
        services.participation_nominate(actor=world.local, session=session, person=world.person_manila)
    assert world.person_manila not in access.nominable_people(world.local)
    assert world.person_cebu in access.nominable_people(world.local)


def test_only_organisers_decide_and_a_foreign_coordinator_sees_nothing(world):
    w = cebu_training(world)
    with pytest.raises(PermissionDenied):
        services.participation_decide(actor=w.member, participation=w.ana, status=PlaceStatus.DECLINED)
    for user in (w.outsider,):
        assert not access.visible_courses(user).exists()
        assert not access.visible_sessions(user).exists()
        assert not access.visible_participations(user).exists()
        assert not access.visible_certificates(user).exists()
        assert selectors.reach_rows(user, "sector") == []
