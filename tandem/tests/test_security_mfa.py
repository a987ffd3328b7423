"""Second factor (TOTP + recovery codes) through the real forms.

Every test here requests ``real_mfa``: ``force_login`` is then a password-only
sign-in, and the tests sign in through the sign-in form and the MFA pages.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

import tandem.urls  # noqa: F401  (build the API schemas before freezegun patches date classes)
from tandem.core import services
from tandem.core.models import AuditAction, AuditEvent

PASSWORD = "correct-horse-battery-staple"
pytestmark = pytest.mark.usefixtures("real_mfa")


@pytest.fixture
def clock():
    with freeze_time(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) as frozen:
        yield frozen


def password_sign_in(client: Client, username: str):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code_for(key_hex: str) -> str:
    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def key_from_setup_page(response) -> str:
    uri = re.search(r"otpauth://totp/[^<\"]+", response.content.decode()).group(0).replace("&amp;", "&")
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


def enrol(client: Client) -> tuple[str, list[str]]:
    """Through the set-up page: returns the TOTP key and the recovery codes shown."""
    page = client.get(reverse("mfa_setup"))
    assert page.status_code == 200
    key = key_from_setup_page(page)
    offer = page.context["form"].initial["offer"]
    done = client.post(reverse("mfa_setup"), {"offer": offer, "code": code_for(key)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    return key, codes


def reaches_home(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def enrolled_user(world, name="admin") -> tuple[object, str, list[str]]:
    client = Client()
    password_sign_in(client, name)
    key, codes = enrol(client)
    return getattr(world, name), key, codes


# --- Who must use it --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "national", "regional"])
def test_required_roles_reach_only_enrolment_until_enrolled(world, client, name):
    password_sign_in(client, name)
    for url in [reverse("home"), reverse("organisation_list"), reverse("account_security"), "/no-such-page/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_setup")), url
    assert client.get(reverse("healthz")).status_code == 200
    static = client.get("/static/css/tandem.css")
    assert static.status_code == 200
    assert b"".join(static.streaming_content)
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302
    # A POST elsewhere is held too (nothing written).
    response = client.post(reverse("organisation_create"), {"name": "Sneaky"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_setup"))
    assert client.post(reverse("logout")).status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("name", ["local", "member", "viewer", "outsider"])
def test_other_roles_are_not_asked_unless_they_opt_in(world, client, name):
    password_sign_in(client, name)
    assert reaches_home(client)


def test_staff_must_use_it_too(world, client):
    world.viewer.is_staff = True
    world.viewer.save()
    password_sign_in(client, "viewer")
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa_setup"))


def test_the_redirect_keeps_the_page_asked_for(world, client):
    password_sign_in(client, "national")
    response = client.get(reverse("organisation_list") + "?q=cebu")
    assert response["Location"] == reverse("mfa_setup") + "?next=/organisations/%3Fq%3Dcebu"


def test_htmx_requests_get_401_with_a_redirect(world, client):
    password_sign_in(client, "admin")
    response = client.get(reverse("organisation_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("mfa_setup")


def test_the_api_uses_tokens_and_is_not_held(world, client):
    password_sign_in(client, "admin")
    issued = services.api_token_create(actor=world.admin, name="script")
    response = client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 200
    # The API's documentation pages for people are held like every page.
    assert client.get("/api/v1/docs").status_code == 302


# --- Enrolment ------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_and_stores_nothing_before_the_code(world, client):
    password_sign_in(client, "admin")
    page = client.get(reverse("mfa_setup"))
    body = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body
    assert "otpauth://totp/Tandem%3Aadmin?secret=" in body
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', body).group(1))
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert not TOTPDevice.objects.filter(user=world.admin).exists()


def test_a_wrong_code_does_not_enrol(world, client):
    password_sign_in(client, "admin")
    page = client.get(reverse("mfa_setup"))
    key = key_from_setup_page(page)
    offer = page.context["form"].initial["offer"]
    wrong = f"{(int(code_for(key)) + 1) % 1000000:06d}"
    response = client.post(reverse("mfa_setup"), {"offer": offer, "code": wrong})
    assert response.status_code == 200
    assert "This code does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.admin).exists()
    assert not reaches_home(client)


def test_a_forged_offer_is_refused(world, client):
    password_sign_in(client, "admin")
    response = client.post(reverse("mfa_setup"), {"offer": "forged:value", "code": "123456"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_setup")
    assert not TOTPDevice.objects.filter(user=world.admin).exists()


def test_enrolment_gives_ten_single_use_recovery_codes_and_opens_the_site(world, client):
    password_sign_in(client, "admin")
    key, codes = enrol(client)
    assert len(codes) == len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=world.admin, confirmed=True).key == key
    assert reaches_home(client)
    event = AuditEvent.objects.filter(action=AuditAction.MFA, actor=world.admin).latest("id")
    assert event.changes["event"] == "enrolled"
    # Shown once: the set-up page now sends to the security page, which never shows them.
    assert client.get(reverse("mfa_setup"))["Location"] == reverse("account_security")
    security = client.get(reverse("account_security")).content.decode()
    assert "10 unused recovery codes" in security
    assert not any(code in security for code in codes)


def test_enrolment_ends_the_users_other_sessions(world):
    other = Client()
    password_sign_in(other, "local")
    assert reaches_home(other)
    client = Client()
    password_sign_in(client, "local")
    enrol(client)
    assert reaches_home(client)
    assert not reaches_home(other)


# --- Signing in with the second factor ------------------------------------------------------------


def test_sign_in_asks_for_the_code_and_refuses_a_reused_one(world, clock):
    user, key, _codes = enrolled_user(world, "national")
    clock.tick(30)
    client = Client()
    password_sign_in(client, "national")
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("mfa_verify") + "?next=/"
    code = code_for(key)
    ok = client.post(reverse("mfa_verify") + "?next=/organisations/", {"code": code, "next": "/organisations/"})
    assert ok.status_code == 302 and ok["Location"] == "/organisations/"
    assert reaches_home(client)
    # The same code, in the same 30 seconds, from another session: refused.
    thief = Client()
    password_sign_in(thief, "national")
    refused = thief.post(reverse("mfa_verify"), {"code": code})
    assert refused.status_code == 200
    assert "already used" in refused.content.decode()
    assert not reaches_home(thief)
    events = AuditEvent.objects.filter(action=AuditAction.MFA, actor=user)
    assert {e.changes["event"] for e in events} >= {"enrolled", "verified", "code_refused"}


def test_verification_rotates_the_session_id(world, clock):
    _user, key, _codes = enrolled_user(world)
    clock.tick(30)
    client = Client()
    password_sign_in(client, "admin")
    before = client.session.session_key
    client.post(reverse("mfa_verify"), {"code": code_for(key)})
    assert client.session.session_key != before
    assert reaches_home(client)


def test_a_recovery_code_works_once(world, clock):
    _user, _key, codes = enrolled_user(world, "regional")
    first = Client()
    password_sign_in(first, "regional")
    response = first.post(reverse("mfa_verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "9 left" in response.content.decode()
    assert reaches_home(first)
    second = Client()
    password_sign_in(second, "regional")
    assert second.post(reverse("mfa_verify"), {"code": codes[0]}).status_code == 200
    assert not reaches_home(second)
    assert StaticToken.objects.filter(token=codes[0]).count() == 0


def test_wrong_codes_slow_down_further_attempts(world, clock):
    _user, key, _codes = enrolled_user(world)
    clock.tick(30)
    client = Client()
    password_sign_in(client, "admin")
    for _ in range(3):
        client.post(reverse("mfa_verify"), {"code": "000000"})
    # Even the right code is refused while throttled ...
    throttled = client.post(reverse("mfa_verify"), {"code": code_for(key)})
    assert "Too many wrong codes" in throttled.content.decode()
    # ... and accepted once the delay has passed.
    clock.tick(60)
    assert client.post(reverse("mfa_verify"), {"code": code_for(key)}).status_code == 302


def test_a_user_who_opted_in_is_asked_next_time(world, clock):
    enrolled_user(world, "local")
    client = Client()
    password_sign_in(client, "local")
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa_verify"))


def test_the_next_parameter_stays_on_the_site(world, clock):
    _user, key, _codes = enrolled_user(world)
    clock.tick(30)
    client = Client()
    password_sign_in(client, "admin")
    response = client.post(reverse("mfa_verify"), {"code": code_for(key), "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- Managing it ------------------------------------------------------------------------------


def test_changing_it_needs_the_password_and_a_code(world, clock):
    _user, key, _codes = enrolled_user(world, "local")
    clock.tick(30)
    client = Client()
    password_sign_in(client, "local")
    client.post(reverse("mfa_verify"), {"code": code_for(key)})
    clock.tick(30)
    url = reverse("account_security")
    wrong_password = client.post(url, {"action": "remove", "password": "nope-nope-nope", "code": code_for(key)})
    assert "This is not your password." in wrong_password.content.decode()
    wrong_code = client.post(url, {"action": "remove", "password": PASSWORD, "code": "000000"})
    assert "not valid" in wrong_code.content.decode()
    assert TOTPDevice.objects.filter(user=world.local).exists()


def test_turning_it_off_ends_other_sessions(world, clock):
    _user, key, codes = enrolled_user(world, "local")
    clock.tick(30)
    other = Client()
    password_sign_in(other, "local")
    other.post(reverse("mfa_verify"), {"code": codes[1]})
    assert reaches_home(other)
    client = Client()
    password_sign_in(client, "local")
    client.post(reverse("mfa_verify"), {"code": code_for(key)})
    clock.tick(30)
    response = client.post(
        reverse("account_security"), {"action": "remove", "password": PASSWORD, "code": code_for(key)}
    )
    assert response["Location"] == reverse("account_security")
    assert not TOTPDevice.objects.filter(user=world.local).exists()
    assert reaches_home(client)
    assert not reaches_home(other)
    assert AuditEvent.objects.filter(action=AuditAction.MFA, changes__event="removed").exists()


def test_a_coordinator_who_replaces_it_must_enrol_again_at_once(world, clock):
    _user, key, codes = enrolled_user(world, "national")
    clock.tick(30)
    client = Client()
    password_sign_in(client, "national")
    client.post(reverse("mfa_verify"), {"code": codes[0]})
    response = client.post(
        reverse("account_security"), {"action": "remove", "password": PASSWORD, "code": code_for(key)}
    )
    assert response["Location"] == reverse("mfa_setup")
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa_setup"))


def test_new_recovery_codes_replace_the_old_ones(world, clock):
    _user, key, codes = enrolled_user(world, "local")
    client = Client()
    password_sign_in(client, "local")
    client.post(reverse("mfa_verify"), {"code": codes[0]})
    response = client.post(reverse("account_security"), {"action": "codes", "password": PASSWORD, "code": codes[1]})
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(codes)
    assert not StaticToken.objects.filter(token__in=codes[2:]).exists()


# --- The admin site ------------------------------------------------------------------------------


def test_the_admin_site_requires_the_second_factor(world, clock):
    world.admin.is_staff = True
    world.admin.is_superuser = True
    world.admin.save()
    _user, key, _codes = enrolled_user(world)
    clock.tick(30)
    client = Client()
    password_sign_in(client, "admin")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_verify"))
    client.post(reverse("mfa_verify"), {"code": code_for(key)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_sign_in_page_is_tandems(world, client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/"
    password_sign_in(client, "local")
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


def test_the_second_factor_check_costs_no_query_once_settled(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    password_sign_in(client, "local")
    assert reaches_home(client)  # the first page learns that "local" has no authenticator
    with CaptureQueriesContext(connection) as queries:
        assert reaches_home(client)
    assert not [q for q in queries.captured_queries if "otp_" in q["sql"]]
