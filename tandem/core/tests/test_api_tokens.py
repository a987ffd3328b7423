"""Personal API tokens: what the API accepts, what is stored, and the account pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.core import services
from tandem.core.models import ApiToken, AuditEvent

ME = "/api/v1/me"


def call_me(client, secret):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}")


# --- What the API accepts --------------------------------------------------------------------


def test_valid_token_is_accepted_and_use_is_recorded(world, client):
    issued = services.api_token_create(actor=world.local, name="t")
    assert issued.token.last_used_at is None
    response = call_me(client, issued.secret)
    assert response.status_code == 200
    assert response.json()["username"] == "local"
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_no_token_is_401(world, client):
    assert client.get(ME).status_code == 401


def test_revoked_token_is_401(world, client):
    issued = services.api_token_create(actor=world.local, name="t")
    assert call_me(client, issued.secret).status_code == 200
    services.api_token_revoke(actor=world.local, token=issued.token)
    response = call_me(client, issued.secret)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_expired_token_is_401(world, client):
    issued = services.api_token_create(actor=world.local, name="t", expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call_me(client, issued.secret).status_code == 401


def test_token_of_deactivated_account_is_401(world, client):
    issued = services.api_token_create(actor=world.local, name="t")
    world.local.is_active = False
    world.local.save(update_fields=["is_active"])
    assert call_me(client, issued.secret).status_code == 401


def test_session_cookie_alone_is_401(world, client):
    client.force_login(world.local)
    assert client.get(ME).status_code == 401
    assert client.get("/api/v1/organisations").status_code == 401


def test_tampered_token_is_401(world, client):
    issued = services.api_token_create(actor=world.local, name="t")
    tampered = issued.secret[:-1] + ("A" if issued.secret[-1] != "A" else "B")
    assert call_me(client, tampered).status_code == 401


def test_token_is_stored_only_as_a_hash(world, client):
    issued = services.api_token_create(actor=world.local, name="stored?")
    call_me(client, issued.secret)
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret.startswith(row.prefix) and len(row.prefix) < 12
    everything = json.dumps(list(ApiToken.objects.values()), default=str) + json.dumps(
        list(AuditEvent.objects.values()), default=str
    )
    assert issued.secret not in everything
    assert issued.secret[len(row.prefix) :] not in everything


# --- The account pages --------------------------------------------------------------------------


def test_token_list_shows_own_tokens_only(world, as_user):
    services.api_token_create(actor=world.local, name="reporting script")
    services.api_token_create(actor=world.viewer, name="someone else's")
    response = as_user(world.local).get(reverse("token_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "reporting script" in content
    assert "someone else&#x27;s" not in content and "someone else's" not in content
    assert "<h1>" in content and "<title>" in content


def test_token_list_shows_status(world, as_user):
    services.api_token_create(actor=world.local, name="old", expires_at=timezone.now() - dt.timedelta(days=1))
    revoked = services.api_token_create(actor=world.local, name="gone")
    services.api_token_revoke(actor=world.local, token=revoked.token)
    services.api_token_create(actor=world.local, name="fine")
    content = as_user(world.local).get(reverse("token_list")).content.decode()
    assert "Expired" in content and "Revoked" in content and "Active" in content


def test_creating_a_token_shows_the_secret_once(world, as_user):
    client = as_user(world.local)
    response = client.post(reverse("token_list"), {"name": "nightly export", "expires_in_days": 30})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.local, name="nightly export")
    content = response.content.decode()
    match = [w for w in content.split('"') if w.startswith("tdm_") and len(w) > 20]
    assert len(match) == 1
    secret = match[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.token_hash
    assert "will not be shown again" in content
    assert token.expires_at is not None
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    # The secret works against the API, and the page never shows it again.
    assert call_me(client, secret).status_code == 200
    again = client.get(reverse("token_list")).content.decode()
    assert secret not in again
    assert "nightly export" in again


def test_creating_a_token_without_expiry(world, as_user):
    as_user(world.local).post(reverse("token_list"), {"name": "no end", "expires_in_days": ""})
    assert ApiToken.objects.get(name="no end").expires_at is None


@pytest.mark.parametrize("data", [{"name": ""}, {"name": "x", "expires_in_days": 0}, {"name": "x" * 101}])
def test_invalid_token_form_creates_nothing(world, as_user, data):
    response = as_user(world.local).post(reverse("token_list"), data)
    assert response.status_code == 200
    assert "tdm_" not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_pages_need_sign_in(world, client):
    assert client.get(reverse("token_list")).status_code == 302
    issued = services.api_token_create(actor=world.local, name="t")
    assert client.post(reverse("token_revoke", kwargs={"uuid": issued.token.uuid})).status_code == 302
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_revoke_confirmation_then_revoke(world, as_user, client):
    issued = services.api_token_create(actor=world.local, name="to revoke")
    url = reverse("token_revoke", kwargs={"uuid": issued.token.uuid})
    browser = as_user(world.local)
    confirm = browser.get(url)
    assert confirm.status_code == 200
    assert "to revoke" in confirm.content.decode()
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None  # GET changes nothing
    response = browser.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("token_list")
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    assert call_me(client, issued.secret).status_code == 401
    assert AuditEvent.objects.filter(object_uuid=str(issued.token.uuid), action="token").count() == 2


def test_revoking_another_users_token_is_404(world, as_user):
    issued = services.api_token_create(actor=world.viewer, name="not yours")
    url = reverse("token_revoke", kwargs={"uuid": issued.token.uuid})
    browser = as_user(world.admin)  # not even an administrator may revoke someone's personal token
    foreign_get = browser.get(url)
    missing_get = browser.get(reverse("token_revoke", kwargs={"uuid": "00000000-0000-4000-8000-000000000000"}))
    assert foreign_get.status_code == missing_get.status_code == 404
    assert browser.post(url).status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_token_pages_have_no_inline_script_or_style(world, as_user):
    issued = services.api_token_create(actor=world.local, name="t")
    client = as_user(world.local)
    for response in (
        client.post(reverse("token_list"), {"name": "fresh"}),
        client.get(reverse("token_revoke", kwargs={"uuid": issued.token.uuid})),
    ):
        content = response.content.decode()
        assert "<script>" not in content and "<style" not in content and " style=" not in content
        assert " onclick=" not in content
