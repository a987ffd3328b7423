"""A real browser (Debian's Chromium through Playwright) against the live server."""

from __future__ import annotations

import uuid

import pytest

from tandem.tests.lookup_helpers import choose

pytestmark = pytest.mark.browser

# The ``browser`` (one Chromium per session) and ``page`` fixtures live in tandem/conftest.py.


def _next_code(device) -> int:
    """The code the person's authenticator shows, never one the device already accepted.

    Signing the same person in again within one 30-second step would replay the code (refused, as it
    should be: the replay check is untouched). Rather than wait for the next step, the test moves this
    device's clock on (its ``t0``, a test-only change to the test database) just past the last step it
    accepted, which is what waiting would have done.
    """
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(bytes.fromhex(device.key), device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        device.t0 -= (device.last_t + 1 - totp.t()) * device.step
        device.save(update_fields=["t0"])
        totp = TOTP(bytes.fromhex(device.key), device.step, device.t0, device.digits, device.drift)
    return totp.token()


# The main pages of every app, as a local coordinator opens them: the phone and axe tests walk them all.
MAIN_PAGES = [
    "/",
    "/jurisdictions/",
    "/organisations/",
    "/people/",
    "/bodies/",
    "/bodies/action-items/",
    "/plans/",
    "/exchange/",
    "/exchange/new/",
    "/roles/",
    "/audit/",
    "/plans/matrix/",
    "/plans/rollup/",
    "/events/",
    "/events/new/",
    "/search/?q=cebu",
    "/dashboard/",
    "/training/",
    "/funding/",
    "/library/",
    "/membership/",
    "/assessment/",
]


def sign_in(page, live_server, username, password="correct-horse-battery-staple"):
    """Sign in through the real form; users who need a second factor type a TOTP code.

    Such a user gets an authenticator device first if they have none (the enrolment
    page itself is tested in test_browser_mfa.py); the code is computed from its key
    the way an authenticator app does.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tandem.core import mfa
    from tandem.core.models import User

    user = User.objects.get(username=username)
    page.context.clear_cookies()  # whoever was signed in before is signed out
    device = None
    if mfa.required_by_role(user) or mfa.enrolled(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name=mfa.DEVICE_NAME, confirmed=True
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.wait_for_url(f"{live_server.url}/account/security/verify/**")
        page.get_by_label("Code").fill(f"{_next_code(device):06d}")
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{live_server.url}/")


def test_local_coordinator_journey_in_french(transactional_db, world, live_server, page):
    sign_in(page, live_server, "local")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")

    # Switch the interface to French.
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    nav = page.locator(".main-nav")
    assert nav.get_by_role("link", name="Accueil").is_visible()
    assert nav.get_by_role("link", name="Personnes").is_visible()

    # Create an organisation.
    page.goto(f"{live_server.url}/organisations/new/")
    page.get_by_label("Nom").fill("Cebu Women's Peace Circle")
    page.get_by_label("Secteur").select_option("women")
    choose(page, "Juridiction", "Cebu City")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Cebu Women's Peace Circle"

    # Find it in the list by searching.
    page.goto(f"{live_server.url}/organisations/")
    page.get_by_label("Rechercher").fill("Peace Circle")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Cebu Women's Peace Circle").is_visible()

    # Another country's organisation is a 404, like one that does not exist.
    response = page.goto(f"{live_server.url}/organisations/{world.nairobi_org.uuid}/")
    assert response.status == 404
    foreign_text = page.locator("main").inner_text()
    response = page.goto(f"{live_server.url}/organisations/{uuid.uuid4()}/")
    assert response.status == 404
    assert page.locator("main").inner_text() == foreign_text
