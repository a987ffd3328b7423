"""Sign-in throttling and lock-out (django-axes) through the real sign-in form.

Five failures lock the account name (from any address) and the address (for any
account) for 15 minutes. Nothing tells an existing account from an unknown one:
the failure page and the lock-out page are the same for both.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import reverse
from freezegun import freeze_time

import tandem.urls  # noqa: F401  (build the API schemas before freezegun patches date classes)
from tandem.core.models import AuditAction, AuditEvent

PASSWORD = "correct-horse-battery-staple"
LOCKED = "Too many failed sign-in attempts"
LOCKED_FR = "Trop de tentatives de connexion"


@pytest.fixture
def clock():
    with freeze_time(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) as frozen:
        yield frozen


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def page_text(response) -> str:
    """The page without its per-request values (CSRF token, request id)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_settings_lock_account_and_address_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_five_failures_lock_the_account_even_with_the_right_password(world, client, clock):
    for attempt in range(4):
        response = sign_in(client, "local", f"wrong-{attempt}", address=f"10.0.1.{attempt}")
        assert response.status_code == 200
        assert "match. Please try again." in response.content.decode()
    fifth = sign_in(client, "local", "wrong-5", address="10.0.1.5")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    # Another address, the right password: the account itself is locked.
    locked = sign_in(client, "local", PASSWORD, address="10.0.2.1")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert not signed_in(client)
    # After the cool-off the right password works again.
    clock.tick(15 * 60 + 1)
    assert sign_in(client, "local", PASSWORD, address="10.0.2.1").status_code == 302
    assert signed_in(client)


def test_five_failures_lock_the_address_for_every_account(world, client, clock):
    for name in ["viewer", "member", "cso", "company", "facilitator"]:
        sign_in(client, name, "wrong-password", address="192.0.2.7")
    locked = sign_in(client, "local", PASSWORD, address="192.0.2.7")
    assert locked.status_code == 429
    assert not signed_in(client)
    # The same account from another address is not affected.
    assert sign_in(client, "local", PASSWORD, address="192.0.2.8").status_code == 302
    assert signed_in(client)


def test_a_success_clears_earlier_failures(world, client, clock):
    for _ in range(4):
        sign_in(client, "local", "wrong-password")
    assert sign_in(client, "local", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "local", "wrong-password").status_code == 200
    assert sign_in(client, "local", PASSWORD).status_code == 302


def test_unknown_and_existing_accounts_get_the_same_pages(world, clock):
    known, unknown = Client(), Client()
    for attempt in range(5):
        a = sign_in(known, "local", "wrong-password", address=f"10.1.0.{attempt}")
        b = sign_in(unknown, "nobody-here", "wrong-password", address=f"10.2.0.{attempt}")
        assert a.status_code == b.status_code
        assert page_text(a).replace('value="local"', 'value="X"') == page_text(b).replace(
            'value="nobody-here"', 'value="X"'
        )
    a = sign_in(known, "local", PASSWORD, address="10.1.1.1")
    b = sign_in(unknown, "nobody-here", PASSWORD, address="10.2.1.1")
    assert a.status_code == b.status_code == 429
    assert page_text(a).replace('value="local"', 'value="X"') == page_text(b).replace(
        'value="nobody-here"', 'value="X"'
    )


def test_an_inactive_account_fails_like_a_wrong_password(world, client):
    world.viewer.is_active = False
    world.viewer.save()
    inactive = sign_in(client, "viewer", PASSWORD)
    wrong = sign_in(Client(), "member", "wrong-password")
    assert inactive.status_code == wrong.status_code == 200
    assert page_text(inactive).replace('value="viewer"', "X") == page_text(wrong).replace('value="member"', "X")


def test_failures_and_the_lock_out_are_audited(world, client, clock):
    for _ in range(5):
        sign_in(client, "national", "wrong-password", address="198.51.100.4")
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor_label="national")
    assert failures.count() == 5
    assert set(failures.values_list("ip_address", flat=True)) == {"198.51.100.4"}
    lockout = AuditEvent.objects.get(action=AuditAction.LOCKOUT)
    assert lockout.actor_label == "national"
    assert lockout.ip_address == "198.51.100.4"


def test_lock_out_message_in_french(world, client, clock):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    for _ in range(5):
        response = sign_in(client, "local", "wrong-password")
    assert response.status_code == 429
    assert LOCKED_FR in response.content.decode()
    assert 'lang="fr"' in response.content.decode()


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(world, clock):
    # The client forges the first X-Forwarded-For entry; the proxy appends the real address last.
    for attempt in range(5):
        sign_in(
            Client(),
            f"user{attempt}",
            "wrong",
            address="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{attempt}, 203.0.113.9",
        )
    locked = sign_in(Client(), "local", PASSWORD, address="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    other = sign_in(Client(), "local", PASSWORD, address="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 302
