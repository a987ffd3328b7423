"""Password change and reset by e-mail; deactivation ends every session (real forms)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from freezegun import freeze_time

import tandem.urls  # noqa: F401  (build the API schemas before freezegun patches date classes)
from tandem.core.mfa import end_sessions
from tandem.core.models import AuditAction, AuditEvent

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "a brand new passphrase, 2026"


def signed_in_client(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def reaches_home(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def sessions_of(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk))


# --- Password change ----------------------------------------------------------------------------


def test_password_change_keeps_this_session_and_ends_the_others(world):
    other = signed_in_client("local")
    client = signed_in_client("local")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_security")
    assert reaches_home(client)
    assert not reaches_home(other)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD)
    assert event.actor == world.local and event.changes == {"event": "changed"}
    signed_in_client("local", NEW_PASSWORD)


def test_password_change_needs_the_old_password_and_a_strong_new_one(world):
    client = signed_in_client("local")
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "old password was entered incorrectly" in wrong.content.decode()
    weak = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert "at least 12 characters" in weak.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD).exists()


# --- Password reset ------------------------------------------------------------------------------


def _reset_link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.body).group(1)


def test_reset_answers_the_same_whether_the_address_exists_or_not(world, client, mailoutbox):
    world.local.email = "local@example.org"
    world.local.save()
    known = client.post(reverse("password_reset"), {"email": "local@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["local@example.org"]
    assert mailoutbox[0].subject == "Reset your Tandem password"


def test_a_reset_link_works_once_and_ends_every_session(world, client, mailoutbox):
    world.local.email = "local@example.org"
    world.local.save()
    old_session = signed_in_client("local")
    client.post(reverse("password_reset"), {"email": "local@example.org"})
    link = _reset_link(mailoutbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert not reaches_home(old_session)
    assert SESSION_KEY not in client.session  # the reset does not sign anyone in
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD, actor=world.local).exists()
    # The same link again: refused.
    again = Client().get(link, follow=True)
    assert "This link is not valid" in again.content.decode()
    signed_in_client("local", NEW_PASSWORD)


def test_a_reset_link_expires(world, client, mailoutbox):
    world.local.email = "local@example.org"
    world.local.save()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with freeze_time(start) as clock:
        client.post(reverse("password_reset"), {"email": "local@example.org"})
        clock.tick(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        page = Client().get(_reset_link(mailoutbox[0]), follow=True)
    assert "This link is not valid" in page.content.decode()


def test_reset_mail_in_french(world, client, mailoutbox):
    world.local.email = "local@example.org"
    world.local.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("password_reset"))
    assert "Réinitialiser votre mot de passe" in page.content.decode()
    client.post(reverse("password_reset"), {"email": "local@example.org"})
    assert mailoutbox[0].subject == "Réinitialiser votre mot de passe Tandem"
    assert "ouvrez ce lien" in mailoutbox[0].body


def test_the_sign_in_page_links_to_the_reset(db, client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


# --- Deactivation ----------------------------------------------------------------------------------


def test_deactivating_a_user_deletes_all_their_sessions(world, django_capture_on_commit_callbacks):
    first, second = signed_in_client("member"), signed_in_client("member")
    bystander = signed_in_client("viewer")
    assert sessions_of(world.member) == 2
    with django_capture_on_commit_callbacks(execute=True):
        world.member.is_active = False
        world.member.save()
    assert sessions_of(world.member) == 0
    assert not reaches_home(first) and not reaches_home(second)
    assert reaches_home(bystander)


def test_end_sessions_keeps_the_one_asked_for(world):
    keep, drop = signed_in_client("member"), signed_in_client("member")
    assert end_sessions(world.member, keep=keep.session.session_key) == 1
    assert reaches_home(keep)
    assert not reaches_home(drop)


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_end_sessions_also_ends_the_cached_copy_production_reads(world):
    """Production reads sessions from the cache (cached_db): an ended one must not live on there."""
    cache.clear()
    keep, drop = signed_in_client("member"), signed_in_client("member")
    assert reaches_home(keep) and reaches_home(drop)  # both sessions are now in the cache
    assert end_sessions(world.member, keep=keep.session.session_key) == 1
    assert reaches_home(keep)
    assert not reaches_home(drop)


@pytest.mark.parametrize("page", ["password_reset", "password_reset_done", "password_reset_complete"])
def test_reset_pages_are_open_to_anonymous_visitors(db, client, page):
    assert client.get(reverse(page)).status_code == 200


@override_settings(PASSWORD_RESET_RATE_LIMIT="2/hour")
def test_reset_requests_are_limited_per_address_and_per_email(world, mailoutbox):
    cache.clear()
    world.local.email = "local@example.org"
    world.local.save()
    for _ in range(2):
        assert Client().post(reverse("password_reset"), {"email": "local@example.org"}).status_code == 302
    flood = Client().post(reverse("password_reset"), {"email": "local@example.org"}, REMOTE_ADDR="10.7.0.1")
    assert flood.status_code == 429
    assert "Too many reset requests" in flood.content.decode()
    assert int(flood["Retry-After"]) > 0
    assert len(mailoutbox) == 2
    # Another address for another mailbox is not affected; unknown addresses count the same way.
    assert (
        Client().post(reverse("password_reset"), {"email": "x@example.org"}, REMOTE_ADDR="10.7.0.2").status_code == 302
    )
    cache.clear()
