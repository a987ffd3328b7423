"""The training journey in a real browser (Chromium via Playwright): publish, nominate, wait-list,
promote, attend, certify, verify in public, count in the reach; another country sees none of it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tandem.tests.lookup_helpers import choose
from tandem.tests.test_browser import sign_in

from .factories import member_person

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # slow: scheduled first among the browser tests


def sign_in_again(page, live_server, username):
    """Sign in once more within the same 30 seconds: the authenticator's code would be refused as a
    replay, so let the device forget the last code it accepted (as if the next window had come)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
    sign_in(page, live_server, username)


def submit(page, name):
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_publish_nominate_promote_attend_certify_verify_and_count(transactional_db, world, live_server, page):
    member_person(world)  # Ana Cruz, of the youth forum in Cebu City: the member persona's own record
    today = timezone.now().astimezone(dt.UTC).date()

    # The national coordinator publishes a course and a two-day session that started this morning.
    sign_in(page, live_server, "national")
    page.goto(f"{live_server.url}/training/")
    page.get_by_role("link", name="Publish a course").click()
    page.get_by_label("Title").fill("Community dialogue facilitation")
    page.get_by_label("Learning objectives").fill("Prepare a dialogue\nKeep it safe")
    choose(page, "Owner jurisdiction", "Philippines", "Philippines (Country")
    page.get_by_label("Visible to").select_option("country")
    page.get_by_label("Level").select_option("local")
    page.get_by_label("Delivery").select_option("in_person")
    page.get_by_label("Trust").check()
    submit(page, "Save")
    assert page.get_by_role("heading", level=1).inner_text() == "Community dialogue facilitation"
    page.get_by_role("link", name="Add a session").click()
    choose(page, "Host jurisdiction", "Cebu City")
    page.get_by_label("Starts").fill(f"{today.isoformat()}T00:00")
    page.get_by_label("Ends").fill(f"{(today + dt.timedelta(days=1)).isoformat()}T17:00")
    page.get_by_label("Time zone").fill("UTC")
    page.get_by_label("Registration deadline").fill(f"{(today + dt.timedelta(days=1)).isoformat()}T08:00")
    page.get_by_label("Places").fill("1")
    page.get_by_label("Venue").fill("Cebu City Hall")
    submit(page, "Save")
    assert "0 of 1 taken" in page.locator("#places").inner_text()
    session_url = page.url

    # The city coordinator nominates two people of Cebu City.
    sign_in(page, live_server, "local")
    page.goto(session_url)
    for name in ("Maria Santos", "Ana Cruz"):
        page.get_by_role("link", name="Nominate someone").click()
        choose(page, "Person", name)
        submit(page, "Save")
        assert page.get_by_role("row", name=re.compile(name)).is_visible()

    # The organiser accepts Maria and wait-lists Ana; Maria withdraws and Ana moves up.
    sign_in_again(page, live_server, "national")
    page.goto(session_url)
    page.get_by_role("row", name=re.compile("Maria Santos")).get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    page.get_by_role("row", name=re.compile("Ana Cruz")).get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    assert "The session is full" in page.content()
    page.get_by_role("row", name=re.compile("Ana Cruz")).get_by_role("button", name="Wait-list").click()
    page.wait_for_load_state()
    assert "Wait-listed" in page.get_by_role("row", name=re.compile("Ana Cruz")).inner_text()
    page.get_by_role("row", name=re.compile("Maria Santos")).get_by_role("link", name="Withdraw").click()
    submit(page, "Withdraw")
    assert "Accepted" in page.get_by_role("row", name=re.compile("Ana Cruz")).inner_text()

    # Attendance on both days, then the certificates.
    for day in (today, today + dt.timedelta(days=1)):
        page.get_by_role("link", name="Record attendance").click()
        page.get_by_role("textbox", name="Day").fill(day.isoformat())
        page.get_by_label("Ana Cruz").check()
        submit(page, "Save attendance")
    assert "2 / 2" in page.get_by_role("row", name=re.compile("Ana Cruz")).inner_text()
    page.get_by_role("button", name="Issue certificates").click()
    page.wait_for_load_state()
    assert "1 certificates issued" in page.content()

    # Ana finds her certificate; its code checks out on the public page.
    sign_in(page, live_server, "member")
    page.goto(f"{live_server.url}/training/mine/")
    code = page.locator("code").first.inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/training/verify/")
    page.get_by_label("Verification code").fill(code)
    submit(page, "Verify")
    verified = page.locator("#verified").inner_text()
    assert "Ana Cruz" in verified and "Community dialogue facilitation" in verified
    page.get_by_label("Verification code").fill("AAAAA-AAAAA-AAAAA")
    submit(page, "Verify")
    assert page.locator("#not-found").is_visible()

    # The reach counts her under her sector and her city.
    sign_in_again(page, live_server, "national")
    page.goto(f"{live_server.url}/training/reach/?dimension=sector")
    assert page.get_by_role("row", name=re.compile("Youth")).inner_text().split("\t")[1:] == ["1", "1"]
    page.goto(f"{live_server.url}/training/reach/?dimension=jurisdiction&within={world.cebu.uuid}")
    assert "1" in page.get_by_role("row", name=re.compile("Cebu City")).inner_text()

    # A coordinator of another country sees none of it.
    sign_in(page, live_server, "outsider")
    page.goto(f"{live_server.url}/training/")
    assert "Community dialogue facilitation" not in page.content()
    assert page.goto(session_url).status == 404
    page.goto(f"{live_server.url}/training/reach/?dimension=sector")
    assert "Youth" not in page.locator("main").inner_text()
