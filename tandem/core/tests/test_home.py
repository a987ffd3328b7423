"""The home page: the user's roles and the latest activity in their jurisdictions."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from tandem.core import registry, services
from tandem.core.models import Role


def test_home_lists_roles_with_their_names(world, as_user):
    body = as_user(world.regional).get(reverse("home")).content.decode()
    assert "Central Visayas</a> — Regional coordinator" in body


def test_home_shows_activity_in_scope_only(world, as_user):
    services.organisation_update(actor=world.local, organisation=world.city_hall, expected_version=1, name="Cebu Hall")
    services.organisation_update(
        actor=world.admin, organisation=world.nairobi_org, expected_version=1, name="Nairobi CG"
    )
    body = as_user(world.regional).get(reverse("home")).content.decode()
    assert f'<a href="/organisations/{world.city_hall.uuid}/">Cebu Hall</a>' in body  # linked to its page
    assert "Nairobi CG" not in body
    # What others did: the local coordinator's own change is not news to them.
    assert "Cebu Hall" not in as_user(world.local).get(reverse("home")).content.decode()


def test_home_without_role_says_so(world, as_user):
    from tandem.core.models import User

    body = as_user(User.objects.create_user("newcomer")).get(reverse("home")).content.decode()
    assert "You do not hold a role in any jurisdiction yet" in body


def test_switching_jurisdiction_filters_lists(world, as_user):
    from tandem.core.models import Role

    services.role_grant(actor=None, user=world.local, role=Role.VIEWER, jurisdiction=world.manila)
    client = as_user(world.local)
    client.post(reverse("jurisdiction_switch"), {"jurisdiction": str(world.manila.uuid), "next": "/organisations/"})
    body = client.get(reverse("organisation_list")).content.decode()
    assert "Manila Interfaith Council" in body and "Cebu City Hall" not in body
    # A jurisdiction the user holds no role at is ignored.
    client.post(reverse("jurisdiction_switch"), {"jurisdiction": str(world.nairobi.uuid)})
    assert "Nairobi County Government" not in client.get(reverse("organisation_list")).content.decode()


def test_switch_refuses_offsite_next(world, as_user):
    response = as_user(world.local).post(
        reverse("jurisdiction_switch"), {"jurisdiction": str(world.cebu_city.uuid), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_every_record_url_is_a_page_taking_the_records_uuid():
    import uuid

    from tandem.core import registry

    hooks = registry.hooks("record_url")
    assert {"organisation", "exchangeitem", "actionitem", "actionplan"} <= {h.key for h in hooks}
    for hook in hooks:
        assert reverse(hook.fn, args=[uuid.uuid4()])  # raises NoReverseMatch if it is not such a page


def test_a_new_coordinator_gets_a_first_run_guide_that_disappears_once_done(world, as_user):
    from tandem.bodies.tests.factories import cebu_body
    from tandem.plans.tests.factories import build_plans

    client = as_user(world.local)
    guide = client.get(reverse("home")).context["first_steps"]
    labels = {str(step.label): step for step in guide}
    assert set(labels) == {
        "Describe your organisation (what it does, its website)",
        "Add the people you work with to the directory",
        "Set up your coordination body",
        "Start your jurisdiction's action plan",
    }
    assert not labels["Set up your coordination body"].done
    for step in guide:  # every step links to a page the coordinator may open
        assert client.get(step.url).status_code == 200
    assert as_user(world.member).get(reverse("home")).context["first_steps"] == []  # not a coordinator's guide

    cebu_body(world)
    build_plans(world)
    hall = world.city_hall.__class__.objects.get(pk=world.city_hall.pk)
    services.organisation_update(
        actor=world.local, organisation=hall, expected_version=hall.version, description="The city's government."
    )
    client = as_user(world.local)
    page = client.get(reverse("home"))
    assert page.context["first_steps"] == [] and "Getting started" not in page.content.decode()

    # Done: the session remembers it for these roles, and the next visits check no step's record.
    def steps_checked() -> bool:
        with mock.patch.object(registry, "first_steps", wraps=registry.first_steps) as checking:
            assert client.get(reverse("home")).context["first_steps"] == []
        return checking.called

    assert not steps_checked()
    # A new role: its steps are checked again.
    services.role_grant(actor=None, user=world.local, role=Role.LOCAL_COORDINATOR, jurisdiction=world.manila)
    assert steps_checked()
    assert not steps_checked()


def test_the_feed_reads_older_windows_when_the_recent_events_are_hidden(world):
    """The feed reads a window of recent candidate events; when the user may open none of them, it
    reads the next, older ones, so a visible change is not pushed out by hidden ones."""
    from tandem.core import audit_scope
    from tandem.core.models import AuditAction, AuditEvent

    visible = services.audit_record(
        actor=world.local, action=AuditAction.UPDATE, obj=world.city_hall, jurisdiction=world.cebu_city
    )
    hidden_about = AuditEvent.objects.exclude(pk=visible.pk).first()  # a type no rule covers: hidden
    for _ in range(audit_scope.FEED_WINDOW + 5):
        services.audit_record(
            actor=world.local, action=AuditAction.UPDATE, obj=hidden_about, jurisdiction=world.cebu_city
        )
    feed = audit_scope.activity_feed(world.national)
    assert visible.pk in [e.pk for e in feed]
    assert all(e.object_type != "auditevent" for e in feed)


def test_the_directory_counts_are_counted_once_per_reader_and_a_new_organisation_shows_at_once(world, client, settings):
    """With the dashboard's cache on (production): the second visit counts nothing again, an
    organisation added since is counted at the next visit, and another reader has their own counts."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.core.models import Organisation, Sector
    from tandem.dashboards import cache

    def organisations(page: str) -> int:
        return int(re.search(r"Organisations</a><p><strong>(\d+)</strong>", page).group(1))

    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    in_ph = Organisation.objects.filter(jurisdiction__path__startswith=world.ph.path, archived_at__isnull=True)
    client.force_login(world.national)
    assert organisations(client.get(reverse("home")).content.decode()) == in_ph.count()
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("home"))
    assert not [q for q in again.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    services.organisation_create(actor=world.local, jurisdiction=world.cebu_city, name="New CSO", sector=Sector.HEALTH)
    assert organisations(client.get(reverse("home")).content.decode()) == in_ph.count()
    client.force_login(world.outsider)  # Kenya's coordinator: Kenya's organisations, not the Philippines'
    in_ke = Organisation.objects.filter(jurisdiction__path__startswith=world.nairobi.path, archived_at__isnull=True)
    assert organisations(client.get(reverse("home")).content.decode()) == in_ke.count()
    cache.forget_all()
