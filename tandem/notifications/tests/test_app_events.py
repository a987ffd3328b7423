"""The bodies and plans announce their changes: assignment, invitation, progress review steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from tandem.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def council(cast):
    from tandem.bodies import services
    from tandem.bodies.tests.factories import cebu_body
    from tandem.exchange.tests.conftest import named_person

    cebu_body(cast)
    cast.member_person = named_person(cast, cast.member)
    cast.member_seat = services.membership_add(
        actor=cast.admin, body=cast.body, organisation=cast.company_org, person=cast.member_person
    )
    return cast


def test_an_assigned_action_item_and_its_deadlines_reach_its_owner(council, django_capture_on_commit_callbacks):
    from tandem.bodies import services

    with django_capture_on_commit_callbacks(execute=True):
        item = services.action_item_create(
            actor=council.admin,
            body=council.body,
            title="Map the youth groups",
            owner_person=council.member_person,
            due_date=timezone.localdate() + dt.timedelta(days=10),
        )
        services.action_item_update(
            actor=council.admin, item=item, expected_version=item.version, title="Map every youth group"
        )
    assert _kinds(council.member) == ["bodies.action_assigned"]  # once, though edited after
    with freeze_time(timezone.now() + dt.timedelta(days=7)), django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled")
    with freeze_time(timezone.now() + dt.timedelta(days=12)), django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled")
    assert _kinds(council.member) == ["bodies.action_assigned", "bodies.action_due_soon", "bodies.action_overdue"]


def test_a_meeting_invitation_reaches_the_invited_member_only(council, django_capture_on_commit_callbacks):
    from django.core import mail

    from tandem.bodies import services

    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_set_invitations(
            actor=council.admin, meeting=council.upcoming, invited_membership_ids=[council.member_seat.pk]
        )
        services.meeting_set_invitations(
            actor=council.admin, meeting=council.upcoming, invited_membership_ids=[council.member_seat.pk]
        )
    assert _kinds(council.member) == ["bodies.meeting_invitation"]
    [invitation] = [m for m in mail.outbox if m.to == ["member@example.org"]]
    [(name, data, kind)] = invitation.attachments
    assert name.endswith(".ics") and kind == "text/calendar"
    assert "BEGIN:VEVENT" in (data.decode() if isinstance(data, bytes) else data)
    assert not Notification.objects.filter(kind="bodies.meeting_invitation").exclude(recipient=council.member)


def test_progress_review_steps(cast, django_capture_on_commit_callbacks):
    from tandem.plans import services
    from tandem.plans.tests.factories import build_plans

    build_plans(cast)
    period = cast.period
    with django_capture_on_commit_callbacks(execute=True):
        period = services.period_submit(actor=cast.local, period=period, expected_version=period.version)
    # The coordinators of the level above Cebu City review it: the regional and national ones.
    reviewers = Notification.objects.filter(kind="plans.progress_submitted").values_list("recipient", flat=True)
    assert sorted(reviewers) == sorted([cast.national.pk, cast.regional.pk])
    with django_capture_on_commit_callbacks(execute=True):
        period = services.period_reopen(
            actor=cast.regional, period=period, expected_version=period.version, reason="Numbers missing"
        )
    assert _kinds(cast.local) == ["plans.progress_sent_back"]
    with django_capture_on_commit_callbacks(execute=True):
        period = services.period_submit(actor=cast.local, period=period, expected_version=period.version)
        period = services.period_accept(actor=cast.regional, period=period, expected_version=period.version)
    assert _kinds(cast.local) == ["plans.progress_accepted", "plans.progress_sent_back"]
    # Submitted twice: the reviewers hear of each submission.
    assert Notification.objects.filter(kind="plans.progress_submitted", recipient=cast.national).count() == 2
