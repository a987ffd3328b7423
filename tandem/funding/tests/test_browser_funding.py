"""The funding journey of the issue's "Done when", in a real browser (Chromium via Playwright),
played in the Cebu test world.

The national coordinator of the Philippines opens a call for Cebu City tied to a national plan
objective; an NGO of Cebu City (the Visayas Youth Forum, the ``cso`` persona) applies with a
document; the national coordinator, who manages the call, assigns two reviewers on the page; one
declares a conflict and cannot score, the other reads the document and scores; the manager awards
with two tranches and pays the first; the grantee files a spend report with a receipt, which the
manager downloads; the totals show the award under Cebu City and the objective; the 360Giving
export holds it; a partner of another city (Manila) sees none of it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tandem.core import services as core_services
from tandem.core.models import Role, User
from tandem.exchange.tests.conftest import PDF
from tandem.funding import services
from tandem.funding.models import Application, Award, Receipt, ReviewAssignment
from tandem.plans.tests.factories import build_plans
from tandem.tests.lookup_helpers import choose
from tandem.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # slow: scheduled first among the browser tests


def click(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_call_application_review_award_spend_totals_and_open_data(transactional_db, world, live_server, page):
    build_plans(world)
    manila_partner = User.objects.create_user(username="manila_partner", password="correct-horse-battery-staple")
    core_services.role_grant(
        actor=None, user=manila_partner, role=Role.PARTNER, jurisdiction=world.manila, organisation=world.manila_org
    )
    fund = services.source_create(
        actor=world.national,
        name="National Prevention Fund",
        kind="national_budget",
        jurisdiction=world.ph,
        amount="5000000",
        currency_code="PHP",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )
    base = live_server.url
    page.set_default_timeout(60000)  # a long journey: room for a busy machine

    # 1. The national coordinator opens a call tied to a plan objective.
    sign_in(page, live_server, "national")
    page.goto(f"{base}/funding/calls/new/")
    page.get_by_label("Title").fill("Cebu City youth dialogues")
    page.get_by_label("Purpose").fill("Dialogue between young people and the city.")
    choose(page, "Eligible jurisdictions (and below)", "Cebu City")
    page.get_by_label("Funding sources").select_option(str(fund.uuid))
    choose(page, "Plan objectives served", "Youth resil", "1.1 Youth resilience")
    page.get_by_label("Budget").fill("500000")
    page.get_by_label("Minimum grant").fill("10000")
    page.get_by_label("Maximum grant").fill("100000")
    page.get_by_label("Currency").fill("PHP")
    now = timezone.localtime()
    page.get_by_label("Opens").fill((now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes").fill((now + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Criteria").fill("Relevance; 3; 5\nFeasibility; 2; 5")
    page.get_by_label("Publish the awards").check()
    click(page, "Save")
    assert page.get_by_role("heading", level=1).inner_text() == "Cebu City youth dialogues"

    # 2. The youth forum applies and submits.
    sign_in(page, live_server, "cso")
    page.goto(f"{base}/funding/")
    page.get_by_role("link", name="Cebu City youth dialogues").click()
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Applicant organisation").select_option(str(world.cso_org.uuid))
    page.get_by_label("Project title").fill("Barangay youth dialogues")
    page.get_by_label("Project summary").fill("Monthly dialogues in five barangays.")
    choose(page, "Where the project takes place", "Cebu City")
    page.get_by_label("Plan objectives it contributes to").select_option(str(world.n1.uuid))
    page.get_by_label("Amount requested").fill("50000")
    page.get_by_label("Budget lines").fill("Venue; 20000\nFacilitators; 30000")
    click(page, "Save draft")
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Document").set_input_files(
        {"name": "work-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click(page, "Save")
    click(page, "Submit")
    assert "Submitted" in page.locator("main").inner_text()
    application = Application.objects.get(title="Barangay youth dialogues")

    # 3. The manager assigns two reviewers; the first declares a conflict and cannot score; the second scores.
    other = world.viewer
    sign_in(page, live_server, "national")
    page.goto(f"{base}/funding/applications/{application.uuid}/")
    for reviewer in (world.facilitator, other):
        page.get_by_label("Reviewer").select_option(str(reviewer.uuid))
        click(page, "Assign")
    assert ReviewAssignment.objects.filter(application=application).count() == 2
    sign_in(page, live_server, "facilitator")
    page.goto(f"{base}/funding/")
    page.get_by_role("link", name="Visayas Youth Forum").click()
    page.get_by_label("Yes, I have a conflict of interest").check()
    click(page, "Declare")
    assert "cannot score" in page.content()  # 403 page
    sign_in(page, live_server, "viewer")
    page.goto(f"{base}/funding/")
    page.get_by_role("link", name="Visayas Youth Forum").click()
    page.get_by_label("No conflict of interest").check()
    click(page, "Declare")
    assert "Monthly dialogues in five barangays." in page.content()
    document = page.request.get(f"{base}/funding/documents/{application.documents.get().uuid}/")
    assert document.ok and document.body() == PDF
    page.get_by_label("Relevance").fill("4")
    page.get_by_label("Feasibility").fill("5")
    click(page, "Save scores")
    assert ReviewAssignment.objects.get(reviewer=other).completed_at is not None

    # 4. The call's manager (the national coordinator) awards with two tranches and pays the first.
    sign_in(page, live_server, "national")
    page.goto(f"{base}/funding/applications/{application.uuid}/")
    page.get_by_label("Decision").select_option("awarded")
    page.get_by_label("Amount awarded").fill("40000")
    page.get_by_label("Charged to source").select_option(str(fund.uuid))
    click(page, "Record the decision")
    award = Award.objects.get(application=application)
    page.goto(f"{base}/funding/awards/{award.uuid}/")
    for amount, days in (("20000", 0), ("20000", 90)):
        form = page.locator(f"form[action$='/funding/awards/{award.uuid}/tranches/']")
        form.get_by_label("Amount").fill(amount)
        form.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=days)).isoformat())
        form.get_by_role("button", name="Add").click()
        page.wait_for_load_state()
    form = page.locator(f"form[action$='/funding/awards/{award.uuid}/payments/']")
    form.get_by_label("Amount").fill("20000")
    form.get_by_label("Paid on").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    form = page.locator(f"form[action$='/funding/awards/{award.uuid}/reports/']")
    form.get_by_label("Report due").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    form.get_by_role("button", name="Schedule").click()
    page.wait_for_load_state()
    assert "paid 20000.00 PHP" in page.locator("main").inner_text()

    # 5. The grantee files a spend report.
    sign_in(page, live_server, "cso")
    page.goto(f"{base}/funding/awards/{award.uuid}/")
    page.get_by_role("link", name="file the report").click()
    page.get_by_label("Narrative progress").fill("Two dialogues held with 60 young people.")
    page.get_by_label("Spent on Venue").fill("8000")
    page.get_by_label("Spent on Facilitators").fill("6000")
    page.get_by_label("Receipt").set_input_files(
        {"name": "venue-receipt.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click(page, "Save")
    assert "8000.00 / 20000.00" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="venue-receipt.pdf").is_visible()

    # 6. The manager downloads the receipt; the totals show the award under Cebu City and the
    # objective; the open data holds it.
    sign_in(page, live_server, "national")
    receipt = page.request.get(f"{base}/funding/receipts/{Receipt.objects.get().uuid}/")
    assert receipt.ok and receipt.body() == PDF
    assert receipt.headers["content-disposition"] == 'attachment; filename="venue-receipt.pdf"'
    page.goto(f"{base}/funding/totals/")
    totals = page.locator("main").inner_text()
    assert "Cebu City\tPHP\t40000.00\t20000.00\t14000.00" in totals
    assert "Youth resilience\tPHP\t40000.00" in totals
    response = page.request.get(f"{base}/funding/360giving.json")
    grants = json.loads(response.body())["grants"]
    assert [g["title"] for g in grants] == ["Barangay youth dialogues"]

    # 7. A partner of another city (Manila) sees none of it: no call, no application, no award,
    # no totals, no document or receipt, nothing in the open data.
    sign_in(page, live_server, "manila_partner")
    page.goto(f"{base}/funding/")
    assert "Cebu City youth dialogues" not in page.content()
    assert "Barangay youth dialogues" not in page.content()
    for url in (
        f"/funding/calls/{application.call.uuid}/",
        f"/funding/applications/{application.uuid}/",
        f"/funding/awards/{award.uuid}/",
        f"/funding/documents/{application.documents.get().uuid}/",
        f"/funding/receipts/{Receipt.objects.get().uuid}/",
    ):
        assert page.goto(f"{base}{url}").status == 404, url
    assert page.goto(f"{base}/funding/totals/").status == 403
    assert json.loads(page.request.get(f"{base}/funding/360giving.json").body())["grants"] == []
