"""Signing in with a second factor in a real browser (Debian's Chromium through Playwright).

The code is computed from the device key the way an authenticator app does (RFC 6238).
"""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("real_mfa")]
PASSWORD = "correct-horse-battery-staple"


def totp_code(key_hex: str) -> str:
    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def sign_in_with_password(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_coordinator_enrols_then_signs_in_with_a_totp_code(transactional_db, world, live_server, page):
    TOTPDevice.objects.create(user=world.national, name="Authenticator app", confirmed=True)
    key = TOTPDevice.objects.get(user=world.national).key

    sign_in_with_password(page, live_server, "national")
    assert page.url.startswith(f"{live_server.url}/account/security/verify/")
    assert page.get_by_role("heading", level=1).inner_text() == "Two-step sign-in"
    page.get_by_label("Code").fill(totp_code(key))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_administrator_enrols_with_the_qr_page(transactional_db, world, live_server, page):
    sign_in_with_password(page, live_server, "admin")
    assert page.url.startswith(f"{live_server.url}/account/security/setup/")
    qr = page.get_by_role("img", name="QR code to scan with the authenticator app")
    assert qr.is_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: URI is allowed by the CSP and renders
    secret = page.locator("code.secret").first.inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.get_by_label("Code from the app").fill(totp_code(key))
    page.get_by_role("button", name="Confirm and turn on").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="I have saved them: continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
