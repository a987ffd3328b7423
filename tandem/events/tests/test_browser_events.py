"""A facilitator creates a regional workshop, registers participants from three countries, records
two breakouts' outcomes with a commitment that they turn into an action item of Cebu City's council
(the facilitator holds its Secretariat seat, so keeps its action log), writes and publishes the
report; a local coordinator finds it in the library by a French word.
In a real browser (Chromium via Playwright)."""

from __future__ import annotations

import pytest

from tandem.tests.lookup_helpers import choose
from tandem.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # slow: scheduled first among the browser tests


def _countries(world):
    from tandem.core import services
    from tandem.core.models import JurisdictionKind

    make = services.jurisdiction_create
    indonesia = make(actor=None, name="Indonesia", kind=JurisdictionKind.COUNTRY, parent=world.network, iso_code="ID")
    malaysia = make(actor=None, name="Malaysia", kind=JurisdictionKind.COUNTRY, parent=world.network, iso_code="MY")
    return indonesia, malaysia


def _breakout(page, name, country, challenge, collaboration):
    page.get_by_role("link", name="Add a breakout group").click()
    page.get_by_label("Name of the group").fill(name)
    choose(page, "Country", country.name)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    for kind, text in (("challenge", challenge), ("collaboration", collaboration)):
        form = page.locator("#outcome-form")
        form.get_by_label("Kind").select_option(kind)
        form.get_by_label("Text").fill(text)
        form.get_by_role("button", name="Record the outcome").click()
        page.wait_for_load_state()
    assert challenge in page.locator("main").inner_text()


def test_regional_workshop_journey(transactional_db, world, live_server, page):
    from tandem.bodies import services as bodies_services
    from tandem.bodies.models import SeatKind
    from tandem.bodies.tests.factories import cebu_body
    from tandem.core import services as core_services

    indonesia, malaysia = _countries(world)
    body = cebu_body(world)
    # The facilitator holds the council's Secretariat seat in person: they keep its action log.
    facilitator_person = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Fe Facilitator", user=world.facilitator
    )
    secretariat = bodies_services.seat_create(
        actor=world.admin, body=body, title="Secretariat", kind=SeatKind.SECRETARIAT
    )
    bodies_services.seat_assign(
        actor=world.admin, seat=secretariat, person=facilitator_person, start_date=world.meeting.starts_at.date()
    )

    sign_in(page, live_server, "facilitator")
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Create an event").click()
    choose(page, "Owning jurisdiction", "Central Visayas", "Central Visayas (Region")
    page.get_by_label("Title").fill("Atelier régional de Cebu")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Starts").fill("2024-07-18T08:30")
    page.get_by_label("Ends").fill("2024-07-19T17:00")
    page.get_by_label("Time zone").fill("Asia/Manila")
    choose(page, "City", "Cebu City")
    page.get_by_label("Language of the report").select_option("fr")
    page.get_by_label("Objectives").fill("Comparer les pratiques\nTrouver des domaines de coopération")
    page.get_by_label("Who may read it").select_option("country")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Atelier régional de Cebu"
    event_url = page.url

    page.get_by_role("link", name="Participants").click()
    guests = [
        ("Maria Dela Cruz", "Mayor", world.ph, "local"),
        ("Sri Wahyuni", "Governor", indonesia, "regional"),
        ("Ahmad Razak", "National official", malaysia, "national"),
    ]
    for name, role, country, level in guests:
        form = page.locator("#guest-form")
        form.get_by_label("Name").fill(name)
        form.get_by_label("Role").fill(role)
        choose(form, "Country", country.name)
        form.get_by_label("Level").select_option(level)
        form.get_by_role("button", name="Register").click()
        page.wait_for_load_state()
    # The same guest twice: refused with a clear message.
    form = page.locator("#guest-form")
    form.get_by_label("Name").fill("Maria Dela Cruz")
    choose(form, "Country", world.ph.name)
    form.get_by_label("Level").select_option("local")
    form.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert "already registered" in page.locator(".error-summary").inner_text()
    counts = page.locator("#participant-counts").inner_text()
    assert "3 participants" in counts
    for country in ("Philippines", "Indonesia", "Malaysia"):
        assert country in counts

    page.goto(event_url)
    _breakout(
        page,
        "Groupe Philippines",
        world.ph,
        "Les conseils se réunissent rarement sur la prévention.",
        "Jumeler des villes de Mindanao et des Visayas.",
    )
    form = page.locator("#commitment-form")
    form.get_by_label("Commitment").fill("Tenir un forum des jeunes chaque trimestre")
    page.locator("#id_commitment-owner").fill("Conseil de la ville de Cebu")
    form.get_by_label("Due date").fill("2024-12-31")
    form.get_by_role("button", name="Record the commitment").click()
    page.wait_for_load_state()
    breakout_url = page.url
    page.goto(event_url)
    _breakout(
        page,
        "Groupe Indonésie",
        indonesia,
        "Les budgets locaux dépendent de programmes d'un an.",
        "Relier les forums interreligieux aux équipes provinciales.",
    )

    # The facilitator, who keeps the council's action log, turns the commitment into an action item
    # of it: the council is the only body offered.
    page.goto(breakout_url)
    page.get_by_role("link", name="Make it an action item").click()
    body_choice = page.get_by_label("Coordination body")
    assert body_choice.locator("option:not([value=''])").all_inner_texts() == [body.name]
    body_choice.select_option(str(body.uuid))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Action item of a coordination body: Open" in page.locator("td.follow-up").inner_text()

    page.goto(event_url)
    page.get_by_role("link", name="Report").click()
    page.get_by_role("link", name="Modifier le résumé").click()  # the report speaks the event's language
    page.get_by_label("Summary").fill(
        "Des maires, gouverneurs et responsables nationaux de trois pays ont comparé leurs pratiques "
        "et pris des engagements communs."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Tenir un forum des jeunes chaque trimestre" in main
    assert "Jumeler des villes de Mindanao" in main
    page.get_by_role("button", name="Publier dans la bibliothèque").click()
    page.wait_for_load_state()
    assert "Dans la bibliothèque" in page.locator("#report-status").inner_text()

    sign_in(page, live_server, "local")
    page.goto(f"{live_server.url}/library/")
    page.get_by_label("Search").fill("engagement")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "Atelier régional de Cebu" in page.locator("ol.library-results").inner_text()
