"""The current holder of a body's Secretariat seat keeps its action log, and nothing more.

The Cebu City body's Secretariat seat is held by Cebu Shipping Co (the ``company`` persona acts
for it, and it is no member of the body); the youth forum (``member``) is a member and holds the
Chair seat (see ``factories.cebu_secretariat``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.bodies import access, services
from tandem.bodies.models import ActionStatus, MeetingStatus, SeatKind
from tandem.core import access as core_access
from tandem.core import services as core_services
from tandem.core.models import AuditEvent
from tandem.notifications.models import Notification

from .factories import cebu_secretariat


def _add(world, actor, **values):
    return services.action_item_create(actor=actor, body=world.body, title="Circulate the attendance list", **values)


def test_the_secretariat_holder_adds_and_updates_action_items_with_audit_and_notice(
    world, django_capture_on_commit_callbacks
):
    cebu_secretariat(world)
    owner = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Ana Cruz", user=world.member
    )
    with django_capture_on_commit_callbacks(execute=True):
        item = _add(world, world.company, owner_person=owner, due_date=timezone.localdate() + dt.timedelta(days=5))
    assert AuditEvent.objects.filter(object_uuid=str(item.uuid), action="create").exists()
    assert Notification.objects.filter(recipient=world.member, kind="bodies.action_assigned").count() == 1

    due = timezone.localdate() + dt.timedelta(days=9)
    updated = services.action_item_update(
        actor=world.company,
        item=item,
        expected_version=item.version,
        owner_organisation=world.city_hall,
        due_date=due,
        status=ActionStatus.IN_PROGRESS,
    )
    assert (updated.owner_organisation, updated.due_date, updated.status) == (world.city_hall, due, "in_progress")
    assert AuditEvent.objects.filter(object_uuid=str(item.uuid), action="update").exists()
    with pytest.raises(PermissionDenied):  # the title is the body's: only those who run it change it
        services.action_item_update(actor=world.company, item=updated, expected_version=updated.version, title="X")


def test_the_keeper_does_nothing_else_inside_the_body(world):
    cebu_secretariat(world)
    assert access.can_keep_action_log(world.company, world.body)
    assert not access.can_manage_body(world.company, world.body)
    assert not access.can_see_internals(world.company, world.body)
    now = timezone.now()
    refused = [
        lambda: services.meeting_create(
            actor=world.company, body=world.body, title="M", starts_at=now, time_zone="UTC", status=MeetingStatus.HELD
        ),
        lambda: services.seat_create(actor=world.company, body=world.body, title="S", kind=SeatKind.OTHER),
        lambda: services.seat_assign(actor=world.company, seat=world.secretariat, organisation=world.company_org),
        lambda: services.minutes_approve(actor=world.company, minutes=world.minutes, expected_version=1),
        lambda: services.membership_add(
            actor=world.company, body=world.body, organisation=world.company_org, start_date=timezone.localdate()
        ),
        lambda: services.decision_create(actor=world.company, meeting=world.meeting, text="D"),
        lambda: _add(world, world.company, meeting=world.meeting),  # a meeting it cannot see
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()


def test_the_keeper_reads_the_items_but_not_the_meetings_behind_them(world, client):
    cebu_secretariat(world)
    assert world.item.meeting_id is not None
    client.force_login(world.company)
    page = client.get(reverse("action_item_detail", args=[world.item.uuid]))
    assert page.status_code == 200
    assert world.item.title in page.content.decode() and "Quarterly meeting" not in page.content.decode()
    listed = client.get(reverse("action_item_list"), {"body": world.body.uuid, "within": ""}).content.decode()
    assert world.item.title in listed and "Quarterly meeting" not in listed
    response = client.get(reverse("action_item_export", args=["csv"]))
    exported = b"".join(response.streaming_content).decode()
    assert world.item.title in exported and "Quarterly meeting" not in exported
    secret = core_services.api_token_create(actor=world.company, name="t").secret
    api = client.get("/api/v1/bodies/action-items", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert [(i["title"], i["meeting"], i["decision"]) for i in api["items"]] == [(world.item.title, None, None)]
    assert client.get(reverse("meeting_detail", args=[world.meeting.uuid])).status_code == 404
    body_page = client.get(reverse("body_detail", args=[world.body.uuid])).content.decode()
    assert reverse("action_item_create", args=[world.body.uuid]) in body_page
    assert reverse("meeting_create", args=[world.body.uuid]) not in body_page


@pytest.mark.parametrize(
    "case",
    ["chair", "member", "ended", "not_started", "archived_organisation", "deactivated", "archived_body"],
)
def test_no_one_else_keeps_the_log(world, case):
    cebu_secretariat(world, handed_over=case == "ended")
    actor = world.company
    if case in ("chair", "member"):  # the youth forum: a member, and the Chair seat's holder
        actor = world.member
    elif case == "not_started":
        world.secretariat.holdings.update(start_date=timezone.localdate() + dt.timedelta(days=1), end_date=None)
    elif case == "archived_organisation":
        core_services.organisation_archive(actor=world.admin, organisation=world.company_org)
    elif case == "deactivated":
        actor.is_active = False
        actor.save(update_fields=["is_active"])
        core_access.forget_grants(actor)
    elif case == "archived_body":
        services.body_archive(actor=world.admin, body=world.body, archived=True)
        world.body.refresh_from_db()
    assert not access.can_keep_action_log(actor, world.body)
    with pytest.raises(PermissionDenied):
        _add(world, actor)


def test_a_person_holding_the_seat_keeps_the_log_while_the_holding_lasts(world):
    cebu_secretariat(world)
    person = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Grace Lim", user=world.facilitator
    )
    assert not access.can_keep_action_log(world.facilitator, world.body)
    services.seat_assign(actor=world.admin, seat=world.secretariat, person=person, start_date=timezone.localdate())
    assert access.can_keep_action_log(world.facilitator, world.body)
    assert not access.can_keep_action_log(world.company, world.body)  # the company's holding ended yesterday
    item = _add(world, world.facilitator)
    assert item.body == world.body
    core_services.person_archive(actor=world.admin, person=person)
    assert not access.can_keep_action_log(world.facilitator, world.body)


def test_choices_of_other_apps_offer_kept_bodies_only(world):
    cebu_secretariat(world)
    writer = access.visible_bodies(world.company).filter(access.action_item_writer_q(world.company))
    assert list(writer) == [world.body]
    assert not access.visible_bodies(world.member).filter(access.action_item_writer_q(world.member)).exists()
    assert list(access.owner_candidates(world.member, world.body)) == []
    assert world.city_hall in access.owner_candidates(world.company, world.body)


@pytest.mark.parametrize(
    "name", ["local", "outsider", "member", "cso", "company", "facilitator", "viewer", "regional", "national", "admin"]
)
def test_visible_action_items_are_those_of_internal_and_kept_bodies_whatever_the_query_shape(world, name):
    """A local coordinator (and a member) reads through a UNION of body ids, the others through ORed
    tests: the same rows as the rule says. The Cebu City coordinator also keeps the log of a Manila body
    (outside their unit) by holding its Secretariat seat in person."""
    cebu_secretariat(world)
    manila = services.body_create(
        actor=world.admin, name="Manila Peace Council", kind=world.body.kind, jurisdiction=world.manila
    )
    seat = services.seat_create(actor=world.admin, body=manila, title="Secretariat", kind=SeatKind.SECRETARIAT)
    holder = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Lito Reyes", user=world.local
    )
    services.seat_assign(actor=world.admin, seat=seat, person=holder, start_date=timezone.localdate())
    kept = services.action_item_create(actor=world.admin, body=manila, title="Book the hall")
    actor = getattr(world, name)
    core_access.forget_grants(actor)
    rule = access.internal_bodies(actor).values("id")
    expected = set(
        world.item.__class__.objects.filter(Q(body__in=rule) | access.action_log_q(actor, "body__")).values_list(
            "pk", flat=True
        )
    )
    assert set(access.visible_action_items(actor).values_list("pk", flat=True)) == expected
    assert set(access.visible_action_items(actor, for_display=False).values_list("pk", flat=True)) == expected
    assert (kept.pk in expected) == (name in ("local", "national", "admin"))
    assert (world.item.pk in expected) == (name not in ("outsider", "viewer", "facilitator"))
