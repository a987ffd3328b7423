"""Role management and the audit log, through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.core import access, services
from tandem.core.models import AuditAction, AuditEvent, Role


def test_local_coordinator_grants_viewer_role_in_own_city(world, as_user):
    client = as_user(world.local)
    response = client.post(
        reverse("role_create"),
        {"username": "outsider", "role": Role.VIEWER, "jurisdiction": str(world.cebu_city.uuid)},
    )
    assert response.status_code == 302
    access.forget_grants(world.outsider)
    assert access.visible_organisations(world.outsider).filter(pk=world.city_hall.pk).exists()
    event = AuditEvent.objects.filter(action=AuditAction.GRANT).latest("id")
    assert event.actor == world.local and event.changes["role"] == "viewer"


def test_cannot_grant_a_role_at_or_above_own_rank(world, as_user):
    client = as_user(world.local)
    response = client.post(
        reverse("role_create"),
        {"username": "viewer", "role": Role.NATIONAL_COORDINATOR, "jurisdiction": str(world.cebu_city.uuid)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not world.viewer.role_assignments.filter(role=Role.NATIONAL_COORDINATOR).exists()


def test_cannot_grant_outside_own_jurisdiction(world, as_user):
    client = as_user(world.local)
    response = client.post(
        reverse("role_create"),
        {"username": "viewer", "role": Role.VIEWER, "jurisdiction": str(world.manila.uuid)},
    )
    assert response.status_code == 200
    assert not world.viewer.role_assignments.filter(jurisdiction=world.manila).exists()


def test_unknown_username_is_a_form_error(world, as_user):
    response = as_user(world.local).post(
        reverse("role_create"), {"username": "nobody", "role": Role.VIEWER, "jurisdiction": str(world.cebu_city.uuid)}
    )
    assert "No active account has this username." in response.content.decode()


def test_revoke_requires_post_and_removes_access(world, as_user):
    client = as_user(world.local)
    assignment = world.viewer.role_assignments.get()
    url = reverse("role_revoke", kwargs={"uuid": assignment.uuid})
    assert client.get(url).status_code == 200
    assignment.refresh_from_db()
    assert assignment.revoked_at is None  # GET only asks for confirmation
    assert client.post(url).status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    access.forget_grants(world.viewer)
    assert access.visible_organisations(world.viewer).count() == 0


def test_role_list_is_scoped(world, as_user):
    body = as_user(world.local).get(reverse("role_list")).content.decode()
    assert "(viewer)" in body and "(outsider)" not in body and "(national)" not in body


def test_role_list_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    from tandem.core.models import User

    client = as_user(world.national)
    with django_assert_max_num_queries(12):
        client.get(reverse("role_list"))
    for i in range(30):
        u = User.objects.create_user(username=f"extra{i}")
        services.role_grant(actor=None, user=u, role=Role.VIEWER, jurisdiction=world.cebu_city)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("role_list"))
    assert "extra29" in response.content.decode() or "extra1" in response.content.decode()


# --- Audit ------------------------------------------------------------------------------


def test_audit_log_is_append_only(world):
    event = AuditEvent.objects.first()
    event.action = AuditAction.DELETE
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(action="delete")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_sign_in_and_failed_sign_in_are_audited(world, client):
    client.post(reverse("login"), {"username": "local", "password": "wrong-password-123"})
    client.post(reverse("login"), {"username": "local", "password": "correct-horse-battery-staple"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label")[::-1][:2])
    assert actions == [("login", "local"), ("login_failed", "local")]


def test_edit_is_audited_with_before_and_after(world):
    services.organisation_update(
        actor=world.local, organisation=world.city_hall, expected_version=1, name="Cebu City Government"
    )
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.changes == {"name": ["Cebu City Hall", "Cebu City Government"]}
    assert event.jurisdiction == world.cebu_city


def test_coordinator_sees_audit_of_own_jurisdiction_only(world, as_user):
    services.organisation_update(
        actor=world.admin, organisation=world.manila_org, expected_version=1, name="Manila Council"
    )
    services.organisation_update(actor=world.admin, organisation=world.city_hall, expected_version=1, name="Cebu Hall")
    body = as_user(world.local).get(reverse("audit_list")).content.decode()
    assert "Cebu Hall" in body and "Manila Council" not in body
    body = as_user(world.national).get(reverse("audit_list")).content.decode()
    assert "Cebu Hall" in body and "Manila Council" in body


def test_audit_export_neutralises_formulas(world, as_user):
    services.organisation_update(
        actor=world.admin, organisation=world.city_hall, expected_version=1, name="=HYPERLINK(1)"
    )
    response = as_user(world.local).get(reverse("audit_export", kwargs={"fmt": "csv"}))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert response["Content-Disposition"].startswith("attachment;")


def test_audit_list_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user(world.national)
    with django_assert_max_num_queries(10):
        client.get(reverse("audit_list"))
    for i in range(60):
        services.audit_record(actor=world.admin, action=AuditAction.UPDATE, obj=world.city_hall, changes={"n": i})
    with django_assert_max_num_queries(10):
        client.get(reverse("audit_list"))


def test_audit_page_counts_what_it_read_and_says_when_it_stopped(world, as_user, monkeypatch):
    """The audit page applies the record rule to windows of the newest events: in full on a short log
    (the same count as the one-query rule), and "more than" once its scan of the log stops."""
    from tandem.core import audit_scope

    client = as_user(world.national)
    paginator = client.get(reverse("audit_list")).context["page_obj"].paginator
    assert (paginator.count, paginator.capped) == (audit_scope.visible_audit_events(world.national).count(), False)
    monkeypatch.setattr(audit_scope, "AUDIT_WINDOW", 2)
    monkeypatch.setattr(audit_scope, "AUDIT_SCAN", 6)
    paginator = client.get(reverse("audit_list")).context["page_obj"].paginator
    assert paginator.capped and paginator.count <= 6
