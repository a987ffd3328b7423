"""The newer apps announce their changes: assessment invitations and validation, training places,
funding reviews and decisions, library reviews, membership decisions; each to whom it concerns,
once, and never to someone who cannot open the record."""

from __future__ import annotations

import pytest

from tandem.notifications.kinds import KINDS
from tandem.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEWER = [
    "assessment.invitation",
    "assessment.validation_request",
    "capacity.nominated",
    "capacity.place_requested",
    "capacity.place_decided",
    "capacity.promoted",
    "funding.review_assigned",
    "funding.decision",
    "library.review_requested",
    "library.decision",
    "membership.decision",
]


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_every_newer_kind_is_listed_with_a_preference():
    assert set(NEWER) <= set(KINDS)


def test_assessment_invitation_and_validation(cast, django_capture_on_commit_callbacks):
    from tandem.assessment import services
    from tandem.assessment.models import Status
    from tandem.assessment.tests.factories import cebu_assessment

    with django_capture_on_commit_callbacks(execute=True):
        a = cebu_assessment(cast)
        services.assessment_transition(actor=cast.local, assessment=a, to=Status.VALIDATION, expected_version=a.version)
    assert _kinds(cast.member) == ["assessment.invitation", "assessment.validation_request"]
    assert _kinds(cast.cso) == [] and _kinds(cast.local) == []  # not invited; the lead acted


def test_training_places(cast, django_capture_on_commit_callbacks):
    from tandem.capacity import services
    from tandem.capacity.models import PlaceStatus
    from tandem.capacity.tests.factories import cebu_course, cebu_session, member_person

    member_person(cast)
    with django_capture_on_commit_callbacks(execute=True):
        session = cebu_session(cast, cebu_course(cast), places=1)
        first = services.participation_add(actor=cast.local, session=session, person=cast.person_cebu)
        ana = services.participation_request(actor=cast.member, session=session)
        services.participation_decide(actor=cast.local, participation=ana, status=PlaceStatus.WAITLISTED)
        services.participation_withdraw(actor=cast.local, participation=first)  # Ana moves up
    assert _kinds(cast.member) == ["capacity.place_decided", "capacity.promoted"]
    assert _kinds(cast.local) == ["capacity.place_requested"]  # not of their own steps
    with django_capture_on_commit_callbacks(execute=True):
        other = cebu_session(cast, cebu_course(cast, title="Second course"), places=5)
        services.participation_nominate(actor=cast.local, session=other, person=cast.member_person)
    assert _kinds(cast.member).count("capacity.nominated") == 1


def test_a_request_for_a_place_reaches_the_organiser(cast, django_capture_on_commit_callbacks):
    from tandem.capacity import services
    from tandem.capacity.tests.factories import cebu_course, cebu_session, member_person

    member_person(cast)
    session = cebu_session(cast, cebu_course(cast))
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_request(actor=cast.member, session=session)
    assert _kinds(cast.local) == ["capacity.place_requested"]


def test_funding_review_and_decision(cast, django_capture_on_commit_callbacks):
    from tandem.funding.tests import factories

    factories.call(cast)
    with django_capture_on_commit_callbacks(execute=True):
        factories.assignment(cast)
        factories.award(cast)
    assert _kinds(cast.facilitator) == ["funding.review_assigned"]
    note = Notification.objects.get(recipient=cast.facilitator)
    assert note.title == cast.funding_app.call.title  # the call, not the application, before the declaration
    assert _kinds(cast.cso) == ["funding.decision"]


def test_library_review_and_decision(cast, django_capture_on_commit_callbacks):
    from tandem.library import services
    from tandem.library.tests.factories import make_item

    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(cast, actor=cast.local, publish=False)
        item = services.item_submit(actor=cast.local, item=item, expected_version=item.version)
        services.item_publish(actor=cast.national, item=item, expected_version=item.version)
    assert "library.review_requested" in _kinds(cast.national)
    assert _kinds(cast.local) == ["library.decision"]
    assert _kinds(cast.outsider) == [] and _kinds(cast.cso) == []


def test_membership_decision(cast, django_capture_on_commit_callbacks):
    from tandem.membership import services

    with django_capture_on_commit_callbacks(execute=True):
        m = services.membership_apply(
            actor=cast.local,
            jurisdiction=cast.cebu_city,
            organisation=cast.city_hall,
            focal_point=cast.person_cebu,
            commitments="Hold a quarterly coordination meeting.",
        )
        services.membership_decide(actor=cast.facilitator, membership=m, decision="accept", expected_version=m.version)
    assert _kinds(cast.local) == ["membership.decision"]
    assert "Cebu City Hall" in Notification.objects.get(recipient=cast.local).title
