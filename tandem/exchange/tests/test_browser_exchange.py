"""A real browser journey through the exchange (Debian's Chromium through Playwright).

A city coordinator sends an AMBER request to the national centre: sees who will
read it and the covering agreement, is warned about a phone number and removes
it, sends. The national coordinator acknowledges and answers. A coordinator of
another city cannot see it (404, absent from search, counts and exports), and
the sender sees the national coordinator's read in the read log.
A recipient of an AMBER item forwards it to a partner in its own city after seeing exactly who
will read it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.tests.lookup_helpers import choose
from tandem.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_amber_request_journey(transactional_db, world, live_server, page):
    from tandem.core import services as core_services
    from tandem.core.models import Role, User
    from tandem.exchange import services
    from tandem.exchange.models import ExchangeItem, ReadLog

    services.agreement_save(
        actor=world.admin,
        agreement=None,
        values={
            "title": "Cebu – national prevention protocol",
            "jurisdiction": world.ph,
            "legal_basis": "Executive Order 70",
            "categories": "Requests and reports",
            "retention": "2 years",
            "contact": "dpo@example.org",
            "valid_from": dt.date(2024, 1, 1),
            "valid_to": None,
        },
        organisations=[world.city_hall, world.national_org],
        jurisdictions=[],
    )
    manila = User.objects.create_user(username="manila", password="correct-horse-battery-staple")
    core_services.role_grant(actor=None, user=manila, role=Role.LOCAL_COORDINATOR, jurisdiction=world.manila)

    sign_in(page, live_server, "local")
    page.goto(f"{live_server.url}/exchange/new/")
    page.locator("#id_kind").select_option("request")
    page.locator("#id_subkind").select_option("support")
    page.locator("#id_direction").select_option("up")
    page.locator("#id_tlp").select_option("AMBER")
    page.locator("#id_title").fill("Trainers for the youth dialogue")
    page.locator("#id_body").fill("We need two trainers in March. Call our desk on +63 32 555 0199.")
    page.locator("#id_due_date").fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    choose(page, "Organisations", world.national_org.name)
    page.get_by_role("button", name="Preview before sending").click()
    page.wait_for_load_state()

    # The preview: the exact readers, the rule, the covering agreement, the personal-data warning.
    assert page.get_by_role("heading", name="Check before sending").is_visible()
    readers = page.locator("#audience li").all_inner_texts()
    assert any("(local)" in r for r in readers) and any("(national)" in r for r in readers)
    assert not any("(manila)" in r for r in readers)
    assert "people will be able to read it" in page.locator("#audience-count").inner_text()
    assert "Cebu – national prevention protocol" in page.locator("#agreement").inner_text()
    assert "+63 32 555 0199" in page.locator("#personal-data").inner_text()

    # Remove the phone number, preview again: no warning, then send.
    page.get_by_role("link", name="Edit the draft").click()
    page.locator("#id_body").fill("We need two trainers in March for the youth dialogue.")
    page.get_by_role("button", name="Preview before sending").click()
    page.wait_for_load_state()
    assert page.locator("#personal-data").count() == 0
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Trainers for the youth dialogue")
    item = ExchangeItem.objects.get(title="Trainers for the youth dialogue")
    assert item.sent_at is not None and item.personal_data_override == []
    detail_url = f"{live_server.url}/exchange/items/{item.uuid}/"

    # The national coordinator reads, acknowledges and answers.
    sign_in(page, live_server, "national")
    page.goto(f"{live_server.url}/exchange/")
    page.get_by_role("link", name="Trainers for the youth dialogue").click()
    page.get_by_role("button", name="Acknowledge receipt").click()
    page.wait_for_load_state()
    assert "Acknowledged" in page.locator("#request-status").inner_text()
    page.locator("#id_body").fill("Two trainers are confirmed for the week of 10 March.")
    page.get_by_role("button", name="Send the reply").click()
    page.wait_for_load_state()
    assert "Answered" in page.locator("#request-status").inner_text()
    assert ReadLog.objects.filter(item=item, user=world.national).exists()

    # Another city's coordinator: 404, and absent from search, counts and exports.
    sign_in(page, live_server, "manila")
    response = page.goto(detail_url)
    assert response.status == 404
    page.goto(f"{live_server.url}/exchange/?q=Trainers")
    assert "Trainers for the youth dialogue" not in page.locator("main").inner_text()
    assert "No item matches these filters." in page.locator("main").inner_text()
    export = page.request.get(f"{live_server.url}/exchange/export.csv?box=inbox&q=Trainers")
    assert export.status == 200 and "Trainers" not in export.text()

    # The sender sees the national coordinator's read in the read log.
    sign_in(page, live_server, "local")
    page.goto(detail_url)
    log = page.locator("#read-log + table").inner_text()
    assert "National" in log and "Opened" in log


def test_forwarding_journey(transactional_db, world, live_server, page):
    """A recipient forwards an AMBER item to a partner in its own city, after seeing exactly who
    will read it; the partner then reads it, and the sender sees who forwarded it to whom."""
    from tandem.exchange.tests.conftest import send_item

    item = send_item(
        world, tlp="AMBER", title="Forum briefing", body="Tensions at the youth centre.", organisations=[world.cso_org]
    )
    detail_url = f"{live_server.url}/exchange/items/{item.uuid}/"

    sign_in(page, live_server, "company")
    assert page.goto(detail_url).status == 404  # not a recipient yet

    sign_in(page, live_server, "cso")
    page.goto(detail_url)
    page.get_by_role("link", name="Forward", exact=True).click()
    page.wait_for_load_state()
    choose(page, "Organisations", world.company_org.name)
    page.get_by_role("button", name="Preview who will read it").click()
    page.wait_for_load_state()
    assert "1 more person will be able to read it" in page.locator("#forward-count").inner_text()
    assert [r for r in page.locator("#forward-audience li").all_inner_texts() if "(company)" in r]
    page.get_by_role("button", name="Forward it").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Forum briefing")

    sign_in(page, live_server, "company")
    assert page.goto(detail_url).status == 200
    assert "Tensions at the youth centre." in page.content()

    sign_in(page, live_server, "national")
    page.goto(detail_url)
    assert "forwarded by" in page.content() and "Cebu Shipping Co" in page.content()
