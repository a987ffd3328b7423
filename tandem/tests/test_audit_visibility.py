"""Audit events are shown only to users who may see the record they are about (issue 10, defects 1 and 6).

Every list of audit events — the home feed, the audit page (and its count), its
CSV/XLSX exports, the API's conflict details — keeps an event only when the
user may open its record by that record's own rule.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from tandem.core import access, registry, selectors, services
from tandem.core.audit_scope import activity_feed, visible_audit_events
from tandem.core.models import AuditAction, AuditEvent
from tandem.exchange.tests.conftest import named_person, send_item


def _home(client) -> str:
    return client.get(reverse("home")).content.decode()


def _audit_csv(client) -> str:
    response = client.get(reverse("audit_export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def _in_feed(user, event_or_uuid) -> bool:
    return any(e.pk == event_or_uuid or e.object_uuid == str(event_or_uuid) for e in activity_feed(user))


def _audit_count(client) -> int:
    return client.get(reverse("audit_list")).context["page_obj"].paginator.count


@pytest.fixture
def red_item(world):
    """A RED report from the local coordinator to the regional coordinator alone."""
    return send_item(world, sender=world.local, tlp="RED", title="Secret", people=[named_person(world, world.regional)])


# --- Exchange items: TLP and audience -------------------------------------------------------


def test_partner_does_not_see_a_red_item_in_the_home_feed(world, as_user, red_item):
    label = str(red_item)
    assert label.startswith("TLP:RED")
    assert label not in _home(as_user(world.company))
    assert label not in _home(as_user(world.viewer))
    assert label not in _home(as_user(world.facilitator))
    # The person it names sees it; its sender does not (the feed shows what others did).
    assert label in _home(as_user(world.regional))
    assert label not in _home(as_user(world.local))


def test_coordinator_outside_the_audience_does_not_see_a_red_item_on_the_audit_page(world, as_user, red_item):
    client = as_user(world.national)
    label = str(red_item)
    assert label not in client.get(reverse("audit_list")).content.decode()
    assert label not in client.get(reverse("audit_list"), {"q": str(red_item.uuid)}).content.decode()
    csv = _audit_csv(client)
    assert label not in csv and str(red_item.uuid) not in csv
    xlsx = client.get(reverse("audit_export", kwargs={"fmt": "xlsx"}))
    content = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    assert xlsx.status_code == 200 and str(red_item.uuid).encode() not in content
    # The regional coordinator it names sees it, in the page and the export.
    regional = as_user(world.regional)
    assert label in regional.get(reverse("audit_list")).content.decode()
    assert str(red_item.uuid) in _audit_csv(regional)


def test_not_even_the_count_of_hidden_events_leaks(world, as_user):
    client = as_user(world.national)
    regional = named_person(world, world.regional)
    before = _audit_count(client)
    send_item(world, sender=world.local, tlp="RED", title="Secret", people=[regional])
    assert _audit_count(client) == before
    assert _audit_count(as_user(world.regional)) > 0
    assert visible_audit_events(world.national).count() == before


def test_amber_item_follows_the_exchange_rule(world, as_user):
    """Whatever ``exchange.access`` decides for AMBER, the audit log follows it exactly."""
    from tandem.exchange import access as exchange_access

    item = send_item(world, sender=world.local, tlp="AMBER", title="Amber", organisations=[world.cso_org])
    for name in ("national", "regional", "cso", "member", "company", "viewer", "facilitator"):
        user = world.personas[name]
        sees_item = exchange_access.can_see(user, item)
        in_feed = _in_feed(user, item.uuid)
        assert in_feed == sees_item, name


# --- Bodies: internals to members ----------------------------------------------------------


def test_body_meetings_are_shown_to_members_only(world, as_user):
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    meeting = str(world.meeting)
    assert meeting in _home(as_user(world.member))  # acts for the youth forum, a member
    assert meeting in _home(as_user(world.local))  # coordinator of the body's unit
    for outsider in (world.company, world.viewer, world.facilitator):
        assert meeting not in _home(as_user(outsider)), outsider.username
    # The body itself is public to the country: its creation shows in the feed of a non-member.
    assert str(world.body) in _home(as_user(world.company))


# --- Directory records -----------------------------------------------------------------------


def test_local_coordinator_export_lists_no_affiliation_outside_their_subtree(world, as_user):
    """Maria (Cebu City) joins the national Anti-Terrorism Council: the affiliation lies outside
    the local coordinator's subtree (they cannot open it), though the event is filed in Cebu City."""
    aff = services.affiliation_create(actor=world.admin, person=world.person_cebu, organisation=world.national_org)
    assert not access.visible_affiliations(world.local).filter(pk=aff.pk).exists()
    client = as_user(world.local)
    assert str(aff.uuid) not in _audit_csv(client)
    assert str(aff.uuid) not in client.get(reverse("audit_list")).content.decode()
    assert str(aff.uuid) in _audit_csv(as_user(world.national))


def test_unregistered_object_type_is_shown_to_administrators_only(world, as_user):
    other = AuditEvent.objects.filter(object_type="organisation").first()
    event = services.audit_record(actor=world.admin, action=AuditAction.UPDATE, obj=other, jurisdiction=world.cebu_city)
    assert event.object_type == "auditevent"
    assert not visible_audit_events(world.local).filter(pk=event.pk).exists()
    assert not _in_feed(world.local, event.pk)
    assert visible_audit_events(world.admin).filter(pk=event.pk).exists()


def test_events_about_no_record_keep_the_jurisdiction_rule(world):
    event = services.audit_record(actor=world.local, action=AuditAction.IMPORT, jurisdiction=world.cebu_city)
    assert visible_audit_events(world.local).filter(pk=event.pk).exists()
    assert _in_feed(world.viewer, event.pk)
    assert not visible_audit_events(world.outsider).filter(pk=event.pk).exists()


def test_a_deleted_activity_stays_in_the_log_of_its_plans_coordinators(world):
    from tandem.plans import services as plan_services

    national = plan_services.plan_create(
        actor=world.national,
        level="national",
        jurisdiction=world.ph,
        title="National plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2028, 12, 31),
    )
    plan = plan_services.plan_create(
        actor=world.local,
        level="local",
        national_plan=national,
        jurisdiction=world.cebu_city,
        title="Cebu City plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2028, 12, 31),
    )
    activity = plan_services.activity_create(actor=world.local, plan=plan, title="Dialogue", status="planned")
    plan_services.activity_delete(actor=world.local, activity=activity, expected_version=activity.version)
    deleted = AuditEvent.objects.get(object_uuid=str(activity.uuid), action=AuditAction.DELETE)
    assert visible_audit_events(world.local).filter(pk=deleted.pk).exists()
    assert not visible_audit_events(world.outsider).filter(pk=deleted.pk).exists()


# --- Every audited model has a rule -------------------------------------------------------


def test_every_model_with_a_uuid_has_a_registered_audit_scope():
    """An event names its record by uuid; a model an app audits without a rule would be hidden from
    everyone but administrators. Add it to the app's ``register_audit_scope`` call."""
    registered = set(registry.audit_scopes())
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("tandem.") or model is AuditEvent:
            continue
        has_uuid = any(f.name == "uuid" for f in model._meta.concrete_fields)
        if has_uuid and model._meta.model_name not in registered:
            missing.append(model._meta.label)
    assert missing == []


def test_every_object_type_the_cast_writes_is_registered(world):
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    send_item(world, sender=world.local, tlp="GREEN", title="Green", organisations=[world.cso_org])
    written = set(AuditEvent.objects.exclude(object_type="").values_list("object_type", flat=True))
    assert written - set(registry.audit_scopes()) == set()


# --- SQL: two queries, both databases ------------------------------------------------------


def test_the_home_feed_is_two_queries(world, red_item, django_assert_num_queries):
    """The recent candidate events, then those the user may open (each type's rule narrowed to them)."""
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    for name in ("company", "member", "national", "admin"):
        user = world.personas[name]
        access.grants(user)  # resolved once per request, before the feed
        with django_assert_num_queries(2):
            list(selectors.latest_activity(user))


def test_a_rule_built_for_one_window_serves_only_the_same_users_later_windows(world):
    """The feed builds each type's rule once for all its windows (``_rule_key``): the same rule of
    the same user is found again; another user's, or another type's, never."""
    from tandem.core.audit_scope import _rule_key
    from tandem.plans import access as plans_access

    def rule(user):
        return lambda: plans_access.visible_plans(user)

    assert _rule_key("actionplan", rule(world.local)) == _rule_key("actionplan", rule(world.local))
    assert _rule_key("actionplan", rule(world.local)) != _rule_key("actionplan", rule(world.company))
    assert _rule_key("actionplan", rule(world.local)) != _rule_key("pillar", rule(world.local))


def test_uuid_text_matches_str_uuid_on_this_database(world):
    from tandem.core.audit_scope import records_q
    from tandem.core.models import Organisation

    q = records_q("organisation", Organisation.objects.filter(pk=world.city_hall.pk))
    events = AuditEvent.objects.filter(q)
    assert events.exists()
    assert set(events.values_list("object_uuid", flat=True)) == {str(world.city_hall.uuid)}


def test_api_conflict_details_read_only_visible_events(world):
    """The API's 409 names what changed, read from the audit log through the same rule."""
    services.organisation_update(actor=world.local, organisation=world.city_hall, expected_version=1, name="Cebu Hall")
    world.city_hall.refresh_from_db()
    assert selectors.changes_since_version(world.local, world.city_hall, 1) == {"name": ["Cebu City Hall", "Cebu Hall"]}
    assert selectors.changes_since_version(world.company, world.city_hall, 1) == {}


def test_the_audit_api_shows_what_the_audit_page_shows(world, client, red_item):
    """Through the API too: the national coordinator, outside the RED item's audience, gets no
    event about it — not by listing, not by asking for the record's id; its sender does."""
    from tandem.core.tests.test_api import Api

    national = Api(client, world.national)
    events = national.get("/audit-events", limit=200).json()["items"]
    assert events and str(red_item.uuid) not in {e["object_id"] for e in events}
    assert national.get("/audit-events", object_id=str(red_item.uuid)).json()["count"] == 0
    local = Api(client, world.local).get("/audit-events", object_id=str(red_item.uuid)).json()
    assert local["count"] >= 1 and local["items"][0]["object"] == str(red_item)
    assert Api(client, world.company).get("/audit-events").status_code == 403
