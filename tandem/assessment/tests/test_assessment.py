"""What users of the assessment toolkit notice: who may open and see what, answers, results, steps."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.assessment import access, selectors, services
from tandem.assessment.models import Answer, Respondent, Status
from tandem.core.models import AuditEvent, Sector
from tandem.tests.access_cases import manila_coordinator

from .factories import answer_all
from .helpers import answered


def test_tandems_framework_has_six_competencies_in_english_and_french(world, client):
    framework = services.tandem_framework()
    comps = selectors.competencies(framework)
    assert [c.code for c in comps] == [
        "trust",
        "inclusivity",
        "coordination",
        "communication",
        "capacity",
        "sustainability",
    ]
    items = selectors.items(framework)
    for comp in comps:
        mine = [i for i in items if i.competency_id == comp.pk]
        assert 5 <= len(mine) <= 7
        assert all(i.statement_en and i.statement_fr for i in mine)
        assert comp.name_fr and comp.guidance_fr
    assert [level.value for level in selectors.levels(framework)] == [0, 1, 2, 3, 4]
    assert framework.is_official is False
    client.force_login(world.viewer)
    page = client.get(reverse("framework_detail", kwargs={"slug": framework.slug, "version": framework.version}))
    text = page.content.decode()
    assert "Written by the Tandem team" in text
    assert "not the official text of the GCTF good practices" in text


def test_facilitator_granted_on_the_region_opens_one_member_and_outsider_cannot(world):
    framework = services.tandem_framework()
    a = services.assessment_create(
        actor=world.facilitator, jurisdiction=world.cebu_city, round_label="2026", framework=framework
    )
    assert a.lead == world.facilitator
    assert AuditEvent.objects.filter(object_uuid=str(a.uuid), action="create").exists()
    for user in (world.member, world.viewer, world.outsider):
        with pytest.raises(PermissionDenied):
            services.assessment_create(
                actor=user, jurisdiction=world.cebu_city, round_label="2026", framework=framework
            )


def test_a_coordinator_of_another_place_gets_404_and_sees_nothing(world, client, a):
    """The Kenyan outsider and a Manila coordinator: 404 on the page and the API, absent from lists and counts."""
    from tandem.core import services as core_services

    manila = manila_coordinator(world)
    for user in (world.outsider, manila):
        client.force_login(user)
        assert client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid})).status_code == 404
        listing = client.get(reverse("assessment_list")).content.decode()
        assert "Cebu City" not in listing
        assert "0 assessments" in listing
        secret = core_services.api_token_create(actor=user, name="t").secret
        api = client.get("/api/v1/assessment/assessments", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
        assert api["count"] == 0 and api["items"] == []
        detail = client.get(f"/api/v1/assessment/assessments/{a.uuid}", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert detail.status_code == 404
        assert not access.visible_assessments(user).exists()
        assert not access.visible_respondents(user).exists()


def test_scores_outside_the_scale_or_missing_are_refused_and_nothing_is_written(world, a):
    items = selectors.items(a.framework)
    respondent = world.respondent
    bad = {i.pk: 2 for i in items}
    bad[items[0].pk] = 7
    with pytest.raises(ValidationError) as exc:
        services.answers_submit(actor=world.member, respondent=respondent, expected_version=1, scores=bad)
    assert items[0].code in exc.value.message_dict
    half = {i.pk: 2 for i in items[:10]}
    with pytest.raises(ValidationError):
        services.answers_submit(actor=world.member, respondent=respondent, expected_version=1, scores=half)
    assert not Answer.objects.filter(respondent=respondent).exists()
    respondent.refresh_from_db()
    assert respondent.submitted_at is None and respondent.version == 1


def test_answers_only_while_collecting_and_only_ones_own(world, a):
    items = selectors.items(a.framework)
    scores = {i.pk: 3 for i in items}
    with pytest.raises(PermissionDenied):
        services.answers_submit(actor=world.local, respondent=world.respondent, expected_version=1, scores=scores)
    a = services.assessment_transition(
        actor=world.local, assessment=a, to=Status.VALIDATION, expected_version=a.version
    )
    with pytest.raises(ValidationError):
        services.answers_submit(actor=world.member, respondent=world.respondent, expected_version=1, scores=scores)
    assert not Answer.objects.filter(respondent=world.respondent).exists()


def test_answer_page_saves_every_statement_with_dont_know(world, client, a):
    items = selectors.items(a.framework)
    data = {"version": 1, "strengths": "We meet monthly.", "obstacles": ""}
    for i in items:
        data[f"score_{i.pk}"] = "dk" if i.code == "T1" else "3"
    client.force_login(world.member)
    response = client.post(reverse("assessment_answer", kwargs={"uuid": a.uuid}), data)
    assert response.status_code == 302
    answers = Answer.objects.filter(respondent=world.respondent)
    assert answers.count() == len(items)
    assert answers.get(item__code="T1").dont_know is True
    # A stale version is refused with what changed, nothing written.
    data["score_" + str(items[1].pk)] = "0"
    stale = client.post(reverse("assessment_answer", kwargs={"uuid": a.uuid}), data)
    assert stale.status_code == 200
    assert answers.get(item__code=items[1].code).score == 3


def test_results_median_spread_disagreement_and_groups(world, a):
    """National respondents score communication 4, local ones 1: the spread is flagged; groups of 3+ shown."""

    def score(level):
        return lambda item: (4 if level == "national" else 1) if item.competency.code == "communication" else 2

    for _ in range(3):
        answered(world, a, score("national"), sector=Sector.NATIONAL_GOVERNMENT, level="national")
    for _ in range(3):
        answered(world, a, score("local"), sector=Sector.POLICE_SECURITY, level="local")
    result = selectors.results(a)
    assert result.answered == 6
    comm = result.by_code()["communication"]
    assert comm.stat.n == 6 * 5
    assert comm.stat.disagreement is True
    assert comm.groups["national"].median == 4 and comm.groups["local"].median == 1
    trust = result.by_code()["trust"]
    assert trust.stat.median == 2 and trust.stat.iqr == 0 and not trust.stat.disagreement
    level_split, sector_split = result.splits
    assert level_split.shown and sector_split.shown


def test_a_group_of_fewer_than_three_is_shown_only_merged(world, client, a):
    answered(world, a, lambda i: 1, sector=Sector.POLICE_SECURITY, level="national")
    for _ in range(3):
        answered(world, a, lambda i: 3, sector=Sector.YOUTH, level="local")
    answered(world, a, lambda i: None if i.code == "T1" else 3, sector=Sector.YOUTH, level="local")
    result = selectors.results(a)
    assert not result.splits[0].shown and not result.splits[1].shown
    assert result.competencies[0].groups == {}
    assert result.by_code()["trust"].items[0].stat.dont_know == 1
    client.force_login(world.local)
    page = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid})).content.decode()
    assert "shown only merged" in page


def test_individual_answers_only_to_the_respondent_and_the_lead(world, client, a):
    answer_all(world.respondent, world.member, lambda i: 2)
    url = reverse("respondent_answers", kwargs={"uuid": world.respondent.uuid})
    for user, status in ((world.member, 200), (world.local, 200), (world.regional, 404), (world.admin, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_respondents_see_the_aggregate_only_once_final(world, a):
    from tandem.bodies.tests.factories import cebu_body

    answer_all(world.respondent, world.member, lambda i: 2)
    assert not access.can_see_results(world.member, a)
    cebu_body(world)
    a = services.assessment_transition(
        actor=world.local, assessment=a, to=Status.VALIDATION, expected_version=a.version
    )
    with pytest.raises(ValidationError):  # no validation meeting yet
        services.assessment_transition(actor=world.local, assessment=a, to=Status.FINAL, expected_version=a.version)
    a = services.validation_meeting_set(
        actor=world.local, assessment=a, meeting=world.meeting, expected_version=a.version
    )
    finding = services.finding_add(actor=world.local, assessment=a, text="Communication is one-way.")
    with pytest.raises(ValidationError):  # a finding without outcome
        services.assessment_transition(actor=world.local, assessment=a, to=Status.FINAL, expected_version=a.version)
    services.finding_record(actor=world.local, finding=finding, outcome="confirmed", note="", expected_version=1)
    a = services.assessment_transition(actor=world.local, assessment=a, to=Status.FINAL, expected_version=a.version)
    assert access.can_see_results(world.member, a)
    with pytest.raises(ValidationError):
        services.finding_add(actor=world.local, assessment=a, text="Late")
    reopened = services.assessment_transition(
        actor=world.local, assessment=a, to=Status.VALIDATION, expected_version=a.version
    )
    assert reopened.finalised_at is None
    steps = [e.changes.get("step") for e in AuditEvent.objects.filter(object_uuid=str(a.uuid)).order_by("id")]
    assert steps[-1] == "reopen" and "finalise" in steps


def test_evidence_links_only_to_records_the_respondent_can_see(world, a):
    from tandem.assessment.models import EvidenceLink
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    link = services.evidence_link_add(
        actor=world.member, respondent=world.respondent, kind="meeting", target_uuid=world.meeting.uuid
    )
    assert link.target_uuid == world.meeting.uuid
    # A Manila meeting the member cannot see.
    from tandem.bodies import services as bodies_services
    from tandem.bodies.models import BodyKind

    manila_body = bodies_services.body_create(
        actor=world.admin, name="Manila council", kind=BodyKind.LOCAL_PREVENTION_NETWORK, jurisdiction=world.manila
    )
    import datetime as dt

    import django.utils.timezone as tz

    hidden = bodies_services.meeting_create(
        actor=world.admin,
        body=manila_body,
        title="Closed",
        starts_at=tz.now() + dt.timedelta(days=3),
        time_zone="Asia/Manila",
    )
    with pytest.raises(ValidationError):
        services.evidence_link_add(
            actor=world.member, respondent=world.respondent, kind="meeting", target_uuid=hidden.uuid
        )
    assert EvidenceLink.objects.count() == 1


def test_recommendation_becomes_an_action_item_of_the_body(world, client, a):
    from tandem.bodies import access as bodies_access
    from tandem.bodies.tests.factories import cebu_body

    body = cebu_body(world)
    comp = selectors.competencies(a.framework)[3]
    rec = services.recommendation_add(
        actor=world.local, assessment=a, competency=comp, text="Send a monthly brief down."
    )
    with pytest.raises(PermissionDenied):  # the facilitator runs the assessment but not the body
        services.recommendation_to_action_item(actor=world.facilitator, recommendation=rec, body=body)
    client.force_login(world.local)
    response = client.post(reverse("recommendation_action", kwargs={"uuid": rec.uuid}), {"body": body.pk})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.action_item is not None and rec.action_item.body == body
    assert bodies_access.visible_action_items(world.local).filter(title="Send a monthly brief down.").exists()


def test_radar_draws_the_previous_round_as_a_second_outline(world, client, a):
    framework = a.framework
    old = services.assessment_create(
        actor=world.local, jurisdiction=world.cebu_city, round_label="2025", framework=framework
    )
    old = services.assessment_transition(
        actor=world.local, assessment=old, to=Status.COLLECTING, expected_version=old.version
    )
    answered(world, old, lambda i: 1, sector=Sector.YOUTH, level="local")
    answered(world, a, lambda i: 3, sector=Sector.YOUTH, level="local")
    client.force_login(world.local)
    page = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid})).content.decode()
    assert 'class="radar-previous"' in page and 'class="radar-current"' in page
    assert "round 2025" in page
    assert "not measured" in page  # capacity has no source in Tandem yet


def test_responses_export_has_no_names(world, client, a):
    import io

    from openpyxl import load_workbook

    answer_all(world.respondent, world.member, lambda i: 2)
    client.force_login(world.local)
    response = client.get(reverse("assessment_export", kwargs={"uuid": a.uuid}))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(selectors.items(a.framework))
    flat = " ".join(str(v) for row in rows for v in row)
    assert "Mario Member" not in flat and "member" not in flat.lower().split()


def _assessed_county(world, name, n_respondents):
    from tandem.core import services as core_services
    from tandem.core.models import JurisdictionKind

    place = core_services.jurisdiction_create(
        actor=world.admin, name=name, kind=JurisdictionKind.CITY, parent=world.cebu
    )
    a = services.assessment_create(
        actor=world.admin, jurisdiction=place, round_label="2026", framework=services.tandem_framework()
    )
    a = services.assessment_transition(
        actor=world.admin, assessment=a, to=Status.COLLECTING, expected_version=a.version
    )
    for _ in range(n_respondents):
        r, user = answered_by_admin(world, a, place)
    return a


def answered_by_admin(world, a, place):
    from tandem.core import services as core_services
    from tandem.core.models import User

    user = User.objects.create_user(username=f"u{User.objects.count()}", password="correct-horse-battery-staple")
    person = core_services.person_create(actor=world.admin, jurisdiction=place, full_name=f"P{user.pk}", user=user)
    r = services.respondent_invite(actor=world.admin, assessment=a, person=person, sector=Sector.HEALTH, level="local")
    answer_all(r, user, lambda i: 2)
    return r, user


def test_comparison_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _assessed_county(world, "Lapu-Lapu", 2)
    client.force_login(world.regional)
    url = reverse("assessment_comparison")
    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    assert "Lapu-Lapu" in first.content.decode()
    for i in range(4):
        _assessed_county(world, f"Town {i}", 4)
    with CaptureQueriesContext(connection) as large:
        second = client.get(url)
    assert "Town 3" in second.content.decode()
    assert len(large) == len(small)
    # Pinned: session, user, grants, rounds, assessments, answers (one GROUP BY), framework, competencies.
    assert len(large) == 8
    from tandem.assessment import selectors

    with CaptureQueriesContext(connection) as selector:
        rows = selectors.comparison(world.regional, "2026")
    assert len(rows) == 5 and len(selector) == 3  # the grants, the assessments, one GROUP BY over their answers
    with CaptureQueriesContext(connection) as export:
        client.get(reverse("assessment_comparison_export", kwargs={"fmt": "csv"}))
    assert len(export) == len(large)
    # A local coordinator may not compare; the Kenyan outsider sees no Philippine row.
    client.force_login(world.local)
    assert client.get(url).status_code == 403


def test_comparison_csv_lists_only_jurisdictions_below(world, client):
    _assessed_county(world, "Lapu-Lapu", 1)
    client.force_login(world.national)
    body = b"".join(
        client.get(reverse("assessment_comparison_export", kwargs={"fmt": "csv"})).streaming_content
    ).decode()
    assert "Lapu-Lapu" in body and "Trust" in body


def test_the_lead_enters_a_paper_questionnaire_only_for_someone_without_an_account(world, a):
    from tandem.core import services as core_services

    items = selectors.items(a.framework)
    scores = {i.pk: 1 for i in items}
    with pytest.raises(PermissionDenied):  # the member has an account: they answer themselves
        services.answers_submit(
            actor=world.local, respondent=world.respondent, expected_version=1, scores=scores, from_paper=True
        )
    person = core_services.person_create(actor=world.local, jurisdiction=world.cebu_city, full_name="Paper Person")
    r = services.respondent_invite(actor=world.local, assessment=a, person=person, sector=Sector.WOMEN, level="local")
    with pytest.raises(PermissionDenied):  # only the lead
        services.answers_submit(actor=world.regional, respondent=r, expected_version=1, scores=scores, from_paper=True)
    services.answers_submit(actor=world.local, respondent=r, expected_version=1, scores=scores, from_paper=True)
    assert Respondent.objects.get(pk=r.pk).submitted_at is not None


def test_pdf_report_has_the_radar_and_no_names(world, client, a):
    answer_all(world.respondent, world.member, lambda i: 2)
    comp = selectors.competencies(a.framework)[3]
    services.recommendation_add(actor=world.local, assessment=a, competency=comp, text="Brief the council monthly.")
    client.force_login(world.regional)
    response = client.get(reverse("assessment_pdf", kwargs={"uuid": a.uuid}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "TLP:AMBER" in text and "Communication" in text and "Respondents by sector and level" in text
    assert "Brief the council monthly." in text
    assert "Mario Member" not in text
    client.force_login(world.member)  # not final yet: the respondent sees no aggregate
    assert client.get(reverse("assessment_pdf", kwargs={"uuid": a.uuid})).status_code == 403


def test_a_sharing_agreement_of_the_country_is_evidence(world, a):
    from .factories import agreement as make_agreement

    agreement = make_agreement(world.admin, world.ph, "Cebu protocol", organisations=[world.city_hall])
    link = services.evidence_link_add(
        actor=world.member, respondent=world.respondent, kind="agreement", target_uuid=agreement.uuid
    )
    assert services.evidence_target(world.local, "agreement", link.target_uuid) == agreement
    assert services.evidence_target(world.outsider, "agreement", link.target_uuid) is None


def test_framework_export_has_every_statement_in_both_languages(world, client):
    import json

    from tandem.assessment import framework_data

    services.tandem_framework()
    client.force_login(world.viewer)
    data = json.loads(client.get(reverse("framework_export", kwargs={"slug": "tandem-nlc", "version": "1.0"})).content)
    assert data["is_official"] is False and "Tandem team" in data["author_statement"]
    assert len(data["competencies"]) == 6 and len(data["levels"]) == 5
    assert sum(len(c["items"]) for c in data["competencies"]) == sum(len(c[5]) for c in framework_data.COMPETENCIES)


def test_pages_in_french_show_the_french_framework(world, client, a):
    client.force_login(world.local)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid}))
    assert "Évaluation de Cebu City, cycle 2026" in page.content.decode()
    framework = client.get(
        reverse("framework_detail", kwargs={"slug": "tandem-nlc", "version": "1.0"})
    ).content.decode()
    assert "Rédigé par l'équipe de Tandem" in framework or "Rédigé par l&#x27;équipe de Tandem" in framework
    assert "Confiance" in framework


def test_perception_and_evidence_diverge_when_a_high_score_has_no_records(world, client, a):
    from tandem.assessment import indicators

    answered(world, a, lambda i: 4, sector=Sector.YOUTH, level="local")
    found = indicators.indicators(world.local, a)
    assert [i.measured for i in found["capacity"]] == [False]  # no source in Tandem yet
    assert indicators.divergence(4, found["coordination"])  # no meeting on record in 2026
    assert indicators.divergence(2, found["coordination"]) is None
    client.force_login(world.local)
    page = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid})).content.decode()
    assert "Respondents rate this high, but the records show little of it." in page


def test_the_lead_tags_a_respondents_obstacle_as_a_finding_of_a_competency(world, client, a):
    answer_all(world.respondent, world.member, lambda i: 2)
    client.force_login(world.local)
    page = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid})).content.decode()
    assert "Reports go up but little comes back." in page and "Tag as a finding" in page
    form = client.get(reverse("finding_create", kwargs={"uuid": a.uuid}) + "?text=Reports+go+up").content.decode()
    assert "Reports go up" in form
    comp = selectors.competencies(a.framework)[3]
    client.post(reverse("finding_create", kwargs={"uuid": a.uuid}), {"text": "Reports go up", "competency": comp.pk})
    finding = access.visible_findings(world.local).get(assessment=a)
    assert finding.competency == comp


def test_respondents_read_findings_only_once_final(world, client, a):
    services.finding_add(actor=world.local, assessment=a, text="Guidance arrives late.")
    client.force_login(world.member)
    assert (
        "Guidance arrives late."
        not in client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid})).content.decode()
    )
    client.force_login(world.local)
    assert (
        "Guidance arrives late." in client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid})).content.decode()
    )


def test_home_page_lists_the_assessments_waiting_for_ones_answers(world, client, a):
    client.force_login(world.member)
    home = client.get(reverse("home")).content.decode()
    assert (
        "Assessments waiting for your answers" in home and reverse("assessment_answer", kwargs={"uuid": a.uuid}) in home
    )
    answer_all(world.respondent, world.member, lambda i: 2)
    assert "Assessments waiting for your answers" not in client.get(reverse("home")).content.decode()
    client.force_login(world.viewer)
    assert "Assessments waiting for your answers" not in client.get(reverse("home")).content.decode()


def test_recommendation_becomes_an_activity_of_the_jurisdictions_plan(world, client, a):
    from tandem.plans import access as plans_access
    from tandem.plans.tests.factories import build_plans

    build_plans(world)
    comp = selectors.competencies(a.framework)[5]
    rec = services.recommendation_add(actor=world.local, assessment=a, competency=comp, text="Budget the secretariat.")
    with pytest.raises(PermissionDenied):  # the facilitator runs the assessment but does not edit the plan
        services.recommendation_to_activity(actor=world.facilitator, recommendation=rec, plan=world.cebu_plan)
    client.force_login(world.local)
    response = client.post(reverse("recommendation_activity", kwargs={"uuid": rec.uuid}), {"plan": world.cebu_plan.pk})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.activity.plan == world.cebu_plan
    assert plans_access.visible_activities(world.viewer).filter(title="Budget the secretariat.").exists()


def test_weak_competencies_list_the_trainings_and_library_items_that_help(world, client, a):
    from tandem.capacity.tests.factories import cebu_course
    from tandem.library.tests.factories import make_item

    course = cebu_course(world)  # builds coordination and trust
    item = make_item(world)  # about trust
    elsewhere = make_item(
        world, title="Manila only", jurisdiction=world.manila, visibility="subtree", actor=world.admin
    )
    answered(
        world,
        a,
        lambda i: 1 if i.competency.code in ("trust", "coordination") else 3,
        sector=Sector.YOUTH,
        level="local",
    )
    client.force_login(world.local)
    response = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid}))
    rows = {row["result"].competency.code: row["support"] for row in response.context["rows"]}
    assert rows["communication"] is None  # not weak: nothing suggested
    assert [c["title"] for c in rows["trust"]["courses"]] == [course.title]
    assert [i["title"] for i in rows["trust"]["items"]] == [item.title]
    assert rows["coordination"]["items"] == []
    page = response.content.decode()
    assert reverse("course_detail", args=[course.uuid]) in page and elsewhere.title not in page


def test_indicator_links_go_to_the_records_behind_them_only_for_readers_who_see_them(world, a):
    from tandem.assessment import indicators
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    local = indicators.indicators(world.local, a)["coordination"][0]
    assert local.value != "none recorded"
    assert local.url.startswith(reverse("meeting_list")) and f"within={world.cebu_city.uuid}" in local.url
    # The facilitator runs the assessment but is not shown the council's meetings: no count, no link.
    facilitator = indicators.indicators(world.facilitator, a)
    assert facilitator["coordination"][0].value == "none recorded" and facilitator["coordination"][0].url is None
    assert all(i.url is None for i in facilitator["inclusivity"] if i.value == "none recorded")


def test_a_weak_statement_suggests_the_trainings_that_address_it(world, client, a):
    from tandem.capacity.tests.factories import cebu_course

    communication = [i for i in selectors.items(a.framework) if i.competency.code == "communication"]
    course = cebu_course(world, title="Reporting upward", competencies=[], framework_items=communication[:1])
    weak = communication[0].code
    answered(world, a, lambda i: 1 if i.code == weak else 3, sector=Sector.YOUTH, level="local")
    client.force_login(world.local)
    response = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid}))
    rows = {row["result"].competency.code: row for row in response.context["rows"]}
    assert rows["communication"]["support"] is None  # the competency as a whole is not weak
    assert [s["item"].code for s in rows["communication"]["item_support"]] == [weak]
    assert reverse("course_detail", args=[course.uuid]) in response.content.decode()
    assert all(not row["item_support"] for code, row in rows.items() if code != "communication")


def test_the_list_shows_a_page_at_a_time_with_its_counts_in_pinned_queries(
    world, client, monkeypatch, django_assert_num_queries
):
    from tandem.assessment.views import assessments as views

    framework = services.tandem_framework()
    for label in ("2024", "2025", "2026"):
        services.assessment_create(
            actor=world.local, jurisdiction=world.cebu_city, round_label=label, framework=framework
        )
    monkeypatch.setattr(views, "PAGE", 2)
    client.force_login(world.local)
    client.get(reverse("assessment_list"))
    # session, user, grants, the capped count, the page (respondents counted per row), may open
    with django_assert_num_queries(6):
        first = client.get(reverse("assessment_list")).content.decode()
    assert "3 assessments" in first and "Page 1 of 2" in first
    assert "2026" in first and "2025" in first and "2024" not in first
    second = client.get(reverse("assessment_list") + "?page=2").content.decode()
    assert "2024" in second and "2026" not in second and "0 / 0" in second


def test_the_on_time_indicator_counts_the_items_due_in_the_round_that_the_reader_sees_at_the_place(world, a):
    """Action items due in 2026 of Cebu City's bodies: one done on time, one late, one outside the
    round; an item of a Manila body never counts; the facilitator, who does not see the council's
    items, is shown nothing recorded."""
    import datetime as dt

    from tandem.assessment import indicators
    from tandem.bodies import access as bodies_access
    from tandem.bodies import services as bodies_services
    from tandem.bodies.models import ActionItem, BodyKind
    from tandem.bodies.tests.factories import cebu_body

    council = cebu_body(world)
    manila = bodies_services.body_create(
        actor=world.admin,
        name="Manila Peace Council",
        kind=BodyKind.LOCAL_PREVENTION_NETWORK,
        jurisdiction=world.manila,
    )
    for body, title, due, done in (
        (council, "On time", dt.date(2026, 3, 31), dt.date(2026, 3, 1)),
        (council, "Late", dt.date(2026, 3, 31), dt.date(2026, 5, 1)),
        (council, "Last year", dt.date(2025, 6, 30), dt.date(2025, 6, 1)),
        (manila, "In Manila", dt.date(2026, 3, 31), dt.date(2026, 3, 1)),
    ):
        bodies_services.action_item_create(
            actor=world.admin, body=body, title=title, due_date=due, status="done", completed_on=done
        )
    # The council's own open item is due in 20 days: moved out of the round, whatever today is.
    ActionItem.objects.filter(pk=world.item.pk).update(due_date=dt.date(2027, 1, 15))
    assert {"On time", "Late", "Last year"} <= {i.title for i in bodies_access.visible_action_items(world.local)}

    def on_time(user) -> str:
        return str(indicators.indicators(user, a)["coordination"][1].value)

    assert on_time(world.local) == "50% (1/2)"
    assert on_time(world.national) == "50% (1/2)"  # sees Manila too, but the place is Cebu City
    assert on_time(world.facilitator) == "none recorded"
