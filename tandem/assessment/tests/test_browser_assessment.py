"""A real browser journey through an assessment (Debian's Chromium through Playwright).

The facilitator granted on Central Visayas opens an assessment of Cebu City and invites two
respondents, one national (the provincial police command) and one local (the youth forum). Both
answer in the browser and link a meeting of the city's peace council as evidence; they disagree on
communication. The facilitator, the lead, sees the disagreement flagged and the radar with last
round's outline, records the validation meeting, the outcome of a finding, finalises and downloads
the PDF.

Real permissions throughout: the facilitator sees the council's meetings because their network sits
on the council (members see a body's internals; a facilitator as such sees none), and turns the
recommendation into an action item of the council because their network holds its Secretariat seat
(the holder keeps a body's action log; a facilitator as such adds nothing to a body). A coordinator
of Manila gets 404 and finds the assessment in no list, count or global search, where the lead does.
"""

from __future__ import annotations

import pytest

from tandem.tests.lookup_helpers import choose
from tandem.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # slow: scheduled first among the browser tests


def _answer(page, live_server, a, items, score_of):
    page.goto(f"{live_server.url}/assessment/{a.uuid}/answer/")
    for item in items:
        page.locator(f"input[name='score_{item.pk}'][value='{score_of(item)}']").check()
    page.locator("#id_strengths").fill("The council meets.")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_load_state()
    assert "You have answered." in page.content()
    page.goto(f"{live_server.url}/assessment/{a.uuid}/evidence/")
    page.locator("li", has_text="Quarterly meeting").get_by_role("button", name="Link").click()
    page.wait_for_load_state()
    assert "Quarterly meeting" in page.locator("#evidence-heading + ul").inner_text()


def test_assessment_journey(transactional_db, world, live_server, page):
    from tandem.assessment import selectors, services
    from tandem.assessment.models import Assessment, Level, Recommendation, Status
    from tandem.bodies import services as bodies_services
    from tandem.bodies.models import SeatKind
    from tandem.bodies.tests.factories import cebu_body
    from tandem.core import services as core_services
    from tandem.core.models import Role, Sector, User
    from tandem.tests.access_cases import manila_coordinator

    body = cebu_body(world)
    bodies_services.membership_add(
        actor=world.admin, body=body, organisation=world.police, start_date=world.meeting.starts_at.date()
    )
    police_user = User.objects.create_user(username="police", password="correct-horse-battery-staple")
    core_services.role_grant(
        actor=None, user=police_user, role=Role.PARTNER, jurisdiction=world.cebu, organisation=world.police
    )
    police_person = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu, full_name="Inspector Dela Cruz", user=police_user
    )
    member_person = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Mario Member", user=world.member
    )
    # The facilitator's network sits on the council: that is how they see its meetings.
    network = core_services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="Peace Cities Network", sector=Sector.INTERNATIONAL
    )
    facilitator_person = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Fe Facilitator", user=world.facilitator
    )
    core_services.affiliation_create(
        actor=world.admin, person=facilitator_person, organisation=network, title="Programme officer"
    )
    bodies_services.membership_add(
        actor=world.admin, body=body, organisation=network, start_date=world.meeting.starts_at.date()
    )
    # ... and holds its Secretariat seat: it keeps the council's action log.
    secretariat = bodies_services.seat_create(
        actor=world.admin, body=body, title="Secretariat", kind=SeatKind.SECRETARIAT
    )
    bodies_services.seat_assign(
        actor=world.admin, seat=secretariat, organisation=network, start_date=world.meeting.starts_at.date()
    )
    # Last round, from paper questionnaires.
    framework = services.tandem_framework()
    old = services.assessment_create(
        actor=world.facilitator, jurisdiction=world.cebu_city, round_label="2025", framework=framework
    )
    old = services.assessment_transition(
        actor=world.facilitator, assessment=old, to=Status.COLLECTING, expected_version=old.version
    )
    paper = core_services.person_create(actor=world.admin, jurisdiction=world.cebu_city, full_name="Paper Respondent")
    r = services.respondent_invite(
        actor=world.facilitator, assessment=old, person=paper, sector=Sector.WOMEN, level=Level.LOCAL
    )
    items = selectors.items(framework)
    services.answers_submit(
        actor=world.facilitator, respondent=r, expected_version=1, scores={i.pk: 1 for i in items}, from_paper=True
    )
    manila = manila_coordinator(world)

    # The facilitator opens the assessment and invites the two respondents.
    sign_in(page, live_server, "facilitator")
    page.goto(f"{live_server.url}/assessment/new/")
    choose(page, "Jurisdiction assessed", "Cebu City")
    page.locator("#id_round_label").fill("2026")
    page.locator("#id_framework").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    a = Assessment.objects.get(round_label="2026")
    assert page.locator("#assessment-status").inner_text() == "Draft"
    for person, sector, level in ((police_person, "police_security", "national"), (member_person, "youth", "local")):
        page.get_by_role("link", name="Invite a respondent").click()
        choose(page, "Person", person.full_name)
        page.locator("#id_sector").select_option(sector)
        page.locator("#id_level").select_option(level)
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
    page.get_by_role("button", name="Open for answers").click()
    page.wait_for_load_state()
    assert page.locator("#assessment-status").inner_text() == "Collecting answers"

    # Both answer, with an evidence link; national 4 and local 0 on communication.
    sign_in(page, live_server, "police")
    _answer(page, live_server, a, items, lambda i: 4 if i.competency.code == "communication" else 3)
    sign_in(page, live_server, "member")
    _answer(page, live_server, a, items, lambda i: 0 if i.competency.code == "communication" else 2)

    # The facilitator sees the disagreement and last round's outline, adds a finding and a recommendation.
    sign_in(page, live_server, "facilitator")
    page.goto(f"{live_server.url}/assessment/{a.uuid}/")
    row = page.locator("#competency-table tr", has_text="Communication")
    assert "disagreement" in row.inner_text()
    assert page.locator("polygon.radar-previous").count() == 1 and page.locator("polygon.radar-current").count() == 1
    assert "round 2025" in page.content()
    page.get_by_role("button", name="Close answers and start validation").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add a finding").click()
    page.locator("#id_text").fill("Guidance rarely reaches the city.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add a recommendation").click()
    page.locator("#id_competency").select_option(label="Communication")
    page.locator("#id_text").fill("Send a monthly brief from the province to the council.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    # The facilitator, the lead, records the validation meeting and the outcome, finalises.
    page.goto(f"{live_server.url}/assessment/{a.uuid}/")
    page.get_by_role("link", name="Record the validation meeting").click()
    page.locator("#id_meeting").select_option(label="Quarterly meeting")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Record the outcome").click()
    page.locator("#id_outcome").select_option("confirmed")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Finalise").click()
    page.wait_for_load_state()
    assert page.locator("#assessment-status").inner_text() == "Final"

    # The facilitator, whose network keeps the council's action log, turns the recommendation into
    # an action item of the council; the council is the only body offered.
    page.get_by_role("link", name="Turn into an action item").click()
    # (A lookup: its select starts with the first choices, each named with its place.)
    assert page.locator("#id_body option:not([value=''])").all_inner_texts() == [
        f"{body.name} ({body.jurisdiction.name})"
    ]
    choose(page, "Body", body.name[:12], body.name)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    rec = Recommendation.objects.get(assessment=a)
    assert rec.action_item is not None and rec.action_item.body_id == body.pk
    assert "action item" in page.locator("#rec-heading + ul").inner_text()
    # The council's action log shows it to the facilitator, who may update it.
    page.goto(f"{live_server.url}/bodies/action-items/?body={body.uuid}&within=")
    assert rec.action_item.title[:40] in page.content()

    # The lead downloads the report, and finds the assessment in the global search.
    page.goto(f"{live_server.url}/assessment/{a.uuid}/")
    with page.expect_download() as download:
        page.locator("#report-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"{live_server.url}/search/?q=Cebu")
    assert page.get_by_role("link", name="Assessments (2)").count() == 1  # this round and last
    assert page.locator(f"a[href='/assessment/{a.uuid}/']").count() == 1

    # A coordinator of Manila: 404, and nothing in the list or its count.
    sign_in(page, live_server, manila.username)
    response = page.goto(f"{live_server.url}/assessment/{a.uuid}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/assessment/")
    assert "Cebu City" not in page.content()
    assert page.locator("#assessment-count").inner_text().startswith("0 ")
    page.locator("#a-q").fill("Cebu")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert page.locator("#assessment-count").inner_text().startswith("0 ") and "2026" not in page.content()
    # Nor in the global search: the same word finds the council (bodies are known country-wide), but
    # no assessment, in the hits or in the counts per kind.
    page.goto(f"{live_server.url}/search/?q=Cebu")
    assert page.get_by_role("link", name="Bodies (").count() == 1
    assert page.get_by_role("link", name="Assessments (").count() == 0
    assert page.locator(f"a[href='/assessment/{a.uuid}/']").count() == 0
    assert "self-assessment" not in page.locator("main").inner_text().lower()
