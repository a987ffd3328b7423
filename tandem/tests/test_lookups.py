"""Record lookups (tandem/core/lookups.py): scoped endpoints, forged ids, bounded form pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.assessment.tests.factories import visayas_mapping
from tandem.bodies.tests.factories import cebu_body
from tandem.core.models import Organisation, Person
from tandem.funding.tests.factories import call as funding_call
from tandem.library.tests.factories import make_item
from tandem.plans.tests.factories import build_plans


def _user_person(w, persona):
    return Person.objects.filter(user=w.personas[persona]).first()


# (url name, url kwargs, persona, a record inside the endpoint's scope, a record outside it).
# Outside records are of the same country wherever the endpoint's rule stops inside it;
# the exchange addresses a whole country and a body seats its whole country, so there the
# record outside is of the other country.
ENDPOINTS = [
    ("lookup_organisations", None, "local", lambda w: w.city_hall, lambda w: w.manila_org),
    ("lookup_people", None, "local", lambda w: w.person_cebu, lambda w: w.person_manila),
    ("lookup_jurisdictions", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    ("lookup_managed_jurisdictions", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    (
        "lookup_affiliation_organisations",
        lambda w: {"uuid": w.person_cebu.uuid},
        "local",
        lambda w: w.city_hall,
        lambda w: w.manila_org,
    ),
    (
        "body_lookup_organisations",
        lambda w: {"uuid": cebu_body(w).uuid},
        "local",
        lambda w: w.city_hall,
        lambda w: w.nairobi_org,
    ),
    (
        "plan_lookup_organisations",
        lambda w: {"uuid": build_plans(w).cebu_plan.uuid},
        "local",
        lambda w: w.city_hall,
        lambda w: w.manila_org,
    ),
    ("exchange_lookup_organisations", None, "local", lambda w: w.manila_org, lambda w: w.nairobi_org),
    ("exchange_lookup_people", None, "local", lambda w: _user_person(w, "regional"), lambda w: w.person_manila),
    ("exchange_lookup_bodies", None, "local", lambda w: cebu_body(w), lambda w: _kenyan_body(w)),
    ("exchange_lookup_jurisdictions", None, "local", lambda w: w.manila, lambda w: w.westlands),
    ("exchange_lookup_forward_organisations", None, "local", lambda w: w.city_hall, lambda w: w.manila_org),
    ("exchange_lookup_forward_people", None, "local", lambda w: None, lambda w: w.person_manila),
    ("capacity_lookup_nominees", None, "local", lambda w: w.person_cebu, lambda w: w.person_manila),
    # Jurisdiction lookups of the forms that listed every jurisdiction (issue 11).
    ("plan_lookup_jurisdictions", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    ("capacity_lookup_hosts", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    ("event_lookup_jurisdictions", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    ("event_lookup_places", None, "local", lambda w: w.cebu_city, lambda w: w.westlands),
    (
        "funding_lookup_call_places",
        lambda w: {"uuid": funding_call(w).uuid},
        "cso",
        lambda w: w.cebu_city,
        lambda w: w.manila,
    ),
    ("membership_lookup_jurisdictions", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    ("library_lookup_jurisdictions", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    ("assessment_lookup_jurisdictions", None, "local", lambda w: w.cebu_city, lambda w: w.manila),
    # Plan create's national plans, regional plans and owning bodies (issue 17).
    ("plan_lookup_national_plans", None, "local", lambda w: build_plans(w).national_plan, lambda w: _kenyan_plan(w)),
    ("plan_lookup_regional_plans", None, "local", lambda w: _regional_plan(w), lambda w: _ncr_plan(w)),
    ("plan_lookup_bodies", None, "local", lambda w: cebu_body(w), lambda w: _kenyan_body(w)),
    (
        "mapping_lookup_places",
        lambda w: {"uuid": visayas_mapping(w).uuid},
        "national",
        lambda w: w.cebu_city,
        lambda w: w.manila,
    ),
    # Selects that listed every record of their kind (issue 11).
    ("funding_lookup_objectives", None, "local", lambda w: build_plans(w).l1, lambda w: _manila_objective(w)),
    ("assessment_lookup_bodies", None, "local", lambda w: cebu_body(w), lambda w: _kenyan_body(w)),
    ("library_lookup_items", None, "local", lambda w: make_item(w), lambda w: _manila_item(w)),
    ("library_lookup_countries", None, "local", lambda w: w.ph, lambda w: w.cebu_city),  # countries only
    # The last selects of every record (issue 11): a guest's country, a recommendation's body, an
    # application's plan activities (those under the call's objectives only).
    ("event_lookup_countries", None, "local", lambda w: w.ph, lambda w: w.cebu_city),
    (
        "recommendation_lookup_bodies",
        lambda w: {"uuid": _recommendation(w).uuid},
        "local",
        lambda w: w.council,
        lambda w: _manila_body(w),
    ),
    (
        "funding_lookup_call_activities",
        lambda w: {"uuid": funding_call(w).uuid},
        "cso",
        lambda w: build_plans(w).activity,
        lambda w: _other_activity(w),
    ),
    # The partner match form's activities without a budget and open requests for support (issue 11).
    ("funding_lookup_unfunded_activities", None, "local", lambda w: _other_activity(w), lambda w: _manila_activity(w)),
    ("funding_lookup_exchange_needs", None, "regional", lambda w: _green_need(w), lambda w: _amber_need(w)),
]


def _manila_activity(w):
    """An activity without a budget in Manila's local plan: outside Cebu City's coordinator's view."""
    from tandem.plans import services

    objective = _manila_objective(w)
    return services.activity_create(
        actor=w.national, plan=objective.plan, title="Harbour night market", objective=objective, status="ongoing"
    )


def _green_need(w):
    from tandem.funding.tests.factories import exchange_request

    return exchange_request(w, tlp="GREEN", title="Venue for the youth forum")


def _amber_need(w):
    """Addressed to the company alone: the regional coordinator above Cebu City does not read it."""
    from tandem.funding.tests.factories import exchange_request

    return exchange_request(w, tlp="AMBER", title="Confidential venue", organisations=[w.company_org])


def _recommendation(w):
    from tandem.assessment import selectors, services
    from tandem.assessment.tests.factories import cebu_assessment

    if not hasattr(w, "recommendation"):
        w.council = cebu_body(w)  # a body the local coordinator runs: the page's (and its lookup's) choice
        a = cebu_assessment(w)
        comp = selectors.competencies(a.framework)[3]
        w.recommendation = services.recommendation_add(
            actor=w.local, assessment=a, competency=comp, text="Send a monthly brief down."
        )
    return w.recommendation


def _manila_body(w):
    from tandem.bodies import services
    from tandem.bodies.models import BodyKind

    return services.body_create(
        actor=w.admin, name="Manila Peace Council", kind=BodyKind.LOCAL_PREVENTION_NETWORK, jurisdiction=w.manila
    )


def _other_activity(w):
    """An activity of Cebu City's plan (the applicant reads it) under an objective the call does not serve."""
    from tandem.plans import services

    build_plans(w)
    objective = services.objective_create(actor=w.local, plan=w.cebu_plan, code="C2", text="Safer harbour")
    return services.activity_create(
        actor=w.local, plan=w.cebu_plan, title="Harbour patrol rota", objective=objective, status="ongoing"
    )


def _manila_objective(w):
    import datetime as dt

    from tandem.plans import services
    from tandem.plans.models import PlanLevel

    build_plans(w)
    plan = services.plan_create(
        actor=w.national,
        level=PlanLevel.LOCAL,
        jurisdiction=w.manila,
        national_plan=w.national_plan,
        title="Manila Local Action Plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )
    return services.objective_create(actor=w.national, plan=plan, code="M1", text="Harbour district dialogues")


def _manila_item(w):
    return make_item(
        w, title="Harbour district listening notes", visibility="subtree", jurisdiction=w.manila, actor=w.national
    )


def _kenyan_body(w):
    from tandem.bodies import services
    from tandem.bodies.models import BodyKind

    return services.body_create(
        actor=w.admin, name="Westlands Peace Forum", kind=BodyKind.LOCAL_PREVENTION_NETWORK, jurisdiction=w.westlands
    )


def _kenyan_plan(w):
    import datetime as dt

    from tandem.plans import services
    from tandem.plans.models import PlanLevel

    return services.plan_create(
        actor=w.admin,
        level=PlanLevel.NATIONAL,
        jurisdiction=w.ke,
        title="Kenya National Strategy",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )


def _regional_plan(w):
    from tandem.plans.tests.factories import build_regional

    return build_regional(w).regional_plan


def _ncr_plan(w):
    import datetime as dt

    from tandem.plans import services
    from tandem.plans.models import PlanLevel

    return services.plan_create(
        actor=w.admin,
        level=PlanLevel.REGIONAL,
        jurisdiction=w.ncr,
        national_plan=build_plans(w).national_plan,
        title="Metro Manila Regional Plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )


def _name(record) -> str:
    for attribute in ("full_name", "name", "title", "text"):
        if getattr(record, attribute, None):
            return getattr(record, attribute)
    raise AttributeError(record)


def _ask(client, url, term, key="uuid"):
    response = client.get(url, {"q": term, "format": "json", "key": key})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("name", "kwargs", "persona", "inside", "outside"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_lookup_endpoint_never_answers_outside_its_scope(world, as_user, name, kwargs, persona, inside, outside):
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    client = as_user(world.personas[persona])
    hidden = outside(world)
    data = _ask(client, url, _name(hidden))
    values = {r["value"] for r in data["results"]}
    assert str(hidden.uuid) not in values and str(hidden.pk) not in values
    assert _name(hidden) not in " ".join(r["label"] for r in data["results"])
    shown = inside(world)
    if shown is not None:
        data = _ask(client, url, _name(shown)[:12])
        assert {str(shown.uuid), str(shown.pk)} & {r["value"] for r in data["results"]}


def test_lookup_needs_two_letters_pages_by_twenty_and_offers_html(world, as_user):
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Harbour group {i:03d}", sector="community", jurisdiction=world.cebu_city)
            for i in range(45)
        ]
    )
    client = as_user(world.local)
    url = reverse("lookup_organisations")
    assert _ask(client, url, "H")["results"] == []
    first = _ask(client, url, "harbour GROUP")
    assert len(first["results"]) == 20 and first["more"] is True
    third = client.get(url, {"q": "harbour", "format": "json", "page": "3"}).json()
    assert len(third["results"]) == 5 and third["more"] is False
    assert client.get(url, {"q": "harbour", "page": "x"}).status_code == 200  # bad page: the first
    html = client.get(url, {"q": "Harbour group 007"}).content.decode()
    assert "Harbour group 007 (Cebu City)" in html


def test_forged_organisation_outside_the_scope_is_a_form_error_and_nothing_is_written(world, as_user):
    client = as_user(world.local)
    before = Organisation.objects.count()
    response = client.post(
        reverse("organisation_create"),
        {
            "name": "Cebu Harbour Watch",
            "sector": "community",
            "jurisdiction": str(world.cebu_city.uuid),
            "parent": str(world.manila_org.uuid),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Organisation.objects.count() == before


def test_forged_action_item_owner_from_another_country_is_refused(world, as_user):
    from tandem.bodies.models import ActionItem

    body = cebu_body(world)
    client = as_user(world.local)
    before = ActionItem.objects.count()
    response = client.post(
        reverse("action_item_create", kwargs={"uuid": body.uuid}),
        {"title": "Port dialogue", "status": "open", "owner_organisation": str(world.nairobi_org.uuid)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ActionItem.objects.count() == before


def test_without_javascript_a_search_shows_the_matches_and_never_saves(world, as_user):
    client = as_user(world.local)
    before = Organisation.objects.count()
    data = {"name": "Cebu Harbour Watch", "sector": "community", "jurisdiction": str(world.cebu_city.uuid)}
    response = client.post(reverse("organisation_create"), {**data, "parent__q": "shipping"})
    page = response.content.decode()
    assert "One record matches “shipping”" in page
    assert f'<option value="{world.company_org.uuid}" selected>' in page
    assert Organisation.objects.count() == before
    response = client.post(reverse("organisation_create"), {**data, "parent__q": "Manila Interfaith"})
    assert "Nothing you may choose here matches" in response.content.decode()
    response = client.post(reverse("organisation_create"), {**data, "parent__q": "Cebu"})
    assert "Several records match" in response.content.decode()
    response = client.post(reverse("organisation_create"), {**data, "parent": str(world.company_org.uuid)})
    assert response.status_code == 302
    assert Organisation.objects.get(name="Cebu Harbour Watch").parent == world.company_org


def _many(world, count=300):
    Organisation.objects.bulk_create(
        [Organisation(name=f"Bulk org {i:04d}", sector="community", jurisdiction=world.cebu_city) for i in range(count)]
    )
    Person.objects.bulk_create(
        [Person(full_name=f"Bulk person {i:04d}", jurisdiction=world.cebu_city) for i in range(count)]
    )


FORM_PAGES = [
    ("organisation_create", None),
    ("invitation_create", None),
    ("affiliation_create", lambda w: {"uuid": w.person_cebu.uuid}),
    ("action_item_create", lambda w: {"uuid": cebu_body(w).uuid}),
    ("membership_create", lambda w: {"uuid": cebu_body(w).uuid}),
    ("plan_activity_create", lambda w: {"uuid": build_plans(w).cebu_plan.uuid}),
    ("exchange_compose", None),
    ("membership_apply", None),
    ("need_create", None),
]


@pytest.mark.parametrize(("name", "kwargs"), FORM_PAGES, ids=[p[0] for p in FORM_PAGES])
def test_form_pages_stay_small_with_many_records(world, as_user, name, kwargs):
    _many(world)
    response = as_user(world.local).get(reverse(name, kwargs=kwargs(world) if kwargs else None))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<option") <= 120  # a full select would list over 600 records
    assert "Bulk org 0299" not in page and "Bulk person 0299" not in page


def test_event_invitation_offers_a_page_of_people_and_organisations_and_invites_by_choice(world, as_user):
    from tandem.events.models import Participant
    from tandem.events.tests.factories import make_event

    _many(world)
    event = make_event(world)
    client = as_user(world.local)
    url = reverse("participant_list", kwargs={"uuid": event.uuid})
    page = client.get(url).content.decode()
    assert page.count("<option") <= 120 and "Bulk person 0299" not in page
    response = client.post(url, {"add": "invite", "invite-person__q": "Bulk person 0299", "invite-level": "local"})
    assert "One record matches" in response.content.decode() and not Participant.objects.filter(event=event).exists()
    bulk = Person.objects.get(full_name="Bulk person 0299")
    response = client.post(url, {"add": "invite", "invite-person": str(bulk.uuid), "invite-level": "local"})
    assert response.status_code == 302
    assert Participant.objects.filter(event=event, person=bulk).exists()


def test_the_match_form_searches_activities_and_requests_and_refuses_a_hidden_one(world, as_user):
    """The offer page listed every activity without a budget and every open request of the country
    in two selects: now two lookups, and a request the coordinator may not read is refused."""
    from tandem.funding.models import Match
    from tandem.funding.tests.factories import offer as make_offer
    from tandem.plans import services as plan_services

    w = build_plans(world)
    hidden = _amber_need(w)
    offer = make_offer(w)
    for i in range(30):
        plan_services.activity_create(actor=w.local, plan=w.cebu_plan, title=f"Bulk activity {i:02d}", status="planned")
    client = as_user(w.regional)
    url = reverse("funding_offer_detail", args=[offer.uuid])
    page = client.get(url).content.decode()
    assert 'data-lookup-url="/funding/lookup/unfunded-activities/' in page
    assert 'data-lookup-url="/funding/lookup/needs/' in page
    assert "Bulk activity 00" in page and "Bulk activity 29" not in page  # a page of 20, not all 30
    assert hidden.title not in page
    before = Match.objects.count()
    response = client.post(
        reverse("funding_match_propose", args=[offer.uuid]),
        {"jurisdiction": str(w.cebu_city.uuid), "request": str(hidden.uuid), "need": "Forged"},
    )
    assert response.status_code == 302 and Match.objects.count() == before
    assert "Choose where the need is." in client.get(url).content.decode()


def test_call_objectives_are_a_lookup_and_a_hidden_objective_is_refused(world, as_user):
    w = build_plans(world)
    hidden = _manila_objective(w)
    client = as_user(w.local)
    page = client.get(reverse("funding_call_create")).content.decode()
    assert 'data-lookup-url="/funding/lookup/objectives/' in page and hidden.text not in page
    data = _ask(client, reverse("funding_lookup_objectives"), "barangay")
    assert [r["value"] for r in data["results"]] == [str(w.l1.uuid)]
    assert "(Cebu City" in data["results"][0]["label"]  # the plan it belongs to


def test_guest_country_is_a_lookup_of_countries_and_a_place_posted_as_a_country_is_refused(world, as_user):
    from tandem.events.models import Participant
    from tandem.events.tests.factories import make_event

    event = make_event(world)
    client = as_user(world.local)
    url = reverse("participant_list", kwargs={"uuid": event.uuid})
    page = client.get(url).content.decode()
    assert 'data-lookup-url="/events/lookup/countries/' in page
    guest = {"add": "guest", "guest-name": "Ana Cruz", "guest-level": "local"}
    response = client.post(url, {**guest, "guest-country": str(world.cebu_city.uuid)})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Participant.objects.filter(event=event).exists()
    response = client.post(url, {**guest, "guest-country": str(world.ph.uuid)})
    assert response.status_code == 302
    assert Participant.objects.get(event=event).country == world.ph


def test_recommendation_body_is_a_lookup_and_a_body_the_user_does_not_run_is_refused(world, as_user):
    rec, elsewhere = _recommendation(world), _manila_body(world)
    body = world.council
    client = as_user(world.local)
    url = reverse("recommendation_action", kwargs={"uuid": rec.uuid})
    page = client.get(url).content.decode()
    assert f'data-lookup-url="/assessment/recommendations/{rec.uuid}/lookup/bodies/' in page
    assert elsewhere.name not in page
    response = client.post(url, {"body": elsewhere.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    rec.refresh_from_db()
    assert rec.action_item is None
    assert client.post(url, {"body": body.pk}).status_code == 302


def test_application_activities_are_a_lookup_and_one_outside_the_call_is_refused(world, as_user):
    from tandem.funding.models import Application
    from tandem.funding.tests.factories import LINES

    call = funding_call(world)
    other = _other_activity(world)
    client = as_user(world.cso)
    url = reverse("funding_apply", kwargs={"uuid": call.uuid})
    page = client.get(url).content.decode()
    assert f'data-lookup-url="/funding/calls/{call.uuid}/lookup/activities/' in page and other.title not in page
    data = {
        "organisation": str(world.cso_org.uuid),
        "title": "Harbour youth patrols",
        "summary": "Evening patrols.",
        "jurisdiction": str(world.cebu_city.uuid),
        "amount_requested": "50000",
        "budget_lines": "\n".join(f"{c}; {a}" for c, a in LINES),
    }
    response = client.post(url, {**data, "activities": [str(other.uuid)]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Application.objects.filter(title="Harbour youth patrols").exists()
    response = client.post(url, {**data, "activities": [str(world.activity.uuid)]})
    assert response.status_code == 302
    application = Application.objects.get(title="Harbour youth patrols")
    assert list(application.plan_activities.all()) == [world.activity]
    # The draft's page keeps its activity chosen (saving it again does not drop it).
    page = client.get(reverse("funding_application_edit", kwargs={"uuid": application.uuid})).content.decode()
    assert f'<option value="{world.activity.uuid}" selected>' in page


def test_french_lookup_texts(world, as_user):
    client = as_user(world.local)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("organisation_create"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rechercher" in page
    data = _ask(client, reverse("lookup_organisations"), "Cebu")
    assert data["results"]


def test_national_plan_lists_its_local_plans_a_page_at_a_time_and_keeps_the_filter(world, as_user, settings):
    import datetime as dt

    from tandem.plans import services
    from tandem.plans.models import PlanLevel

    w = build_plans(world)
    for place in (w.manila, w.cebu):
        services.plan_create(
            actor=w.national,
            level=PlanLevel.LOCAL,
            jurisdiction=place,
            national_plan=w.national_plan,
            title=f"{place.name} Local Action Plan",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2027, 12, 31),
        )
    settings.TANDEM_PAGE_SIZE = 1
    client = as_user(w.national)
    url = reverse("plan_detail", kwargs={"uuid": w.national_plan.uuid})
    page = client.get(url).content.decode()
    assert page.count("Local Action Plan</a>") == 1 and "Page 1 of 3" in page
    page = client.get(url, {"q": "Cebu"}).content.decode()
    assert "Page 1 of 2" in page and "page=2&amp;q=Cebu" in page
    page = client.get(url, {"q": "Cebu", "page": "2"}).content.decode()
    assert "Manila Local Action Plan" not in page and "Page 2 of 2" in page


@pytest.mark.browser
def test_choosing_a_parent_organisation_by_keyboard(transactional_db, world, live_server, page):
    from tandem.tests.lookup_helpers import choose
    from tandem.tests.test_browser import sign_in

    sign_in(page, live_server, "local")
    page.goto(f"{live_server.url}{reverse('organisation_create')}")
    page.get_by_label("Name").fill("Cebu Harbour Watch")
    page.get_by_label("Sector").select_option("community")
    choose(page, "Jurisdiction", "Cebu City")
    box = page.get_by_role("combobox", name="Parent organisation", exact=True)
    box.press_sequentially("shipp", delay=30)
    option = page.get_by_role("option", name="Cebu Shipping Co (Cebu City)")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    assert box.input_value() == "Cebu Shipping Co (Cebu City)"
    assert box.get_attribute("aria-expanded") == "false"
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert Organisation.objects.get(name="Cebu Harbour Watch").parent == world.company_org
