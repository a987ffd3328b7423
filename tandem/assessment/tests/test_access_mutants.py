"""Who sees and runs what in the assessment toolkit (``tandem.assessment.access``), for the rules the mutation
run of defect 7 found untested: an invitation opens one assessment only, a lead keeps their assessment wherever
it is, results open to respondents only once final, a respondent reads their own answers and evidence, the
comparison is for regional coordinators and above, mapping is for national coordinators and facilitators."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tandem.assessment import access, services
from tandem.assessment.models import Assessment, Level, MappingExercise, Status
from tandem.core.models import Person, Sector, User

from .factories import cebu_evidence, cebu_in_validation, person_for, visayas_mapping

pytestmark = pytest.mark.django_db


def _second_cebu_assessment(world):
    return services.assessment_create(
        actor=world.local, jurisdiction=world.cebu_city, round_label="2027", framework=services.tandem_framework()
    )


def test_an_invitation_opens_that_assessment_only(world, a):
    other = _second_cebu_assessment(world)
    assert list(access.visible_assessments(world.member)) == [a]
    assert set(access.visible_assessments(world.local)) == {a, other}
    assert list(access.visible_respondents(world.member)) == [world.respondent]
    assert access.own_respondent(world.member, other) is None


def test_an_archived_respondent_record_opens_nothing(world, a):
    Person.objects.filter(pk=world.member_person.pk).update(archived_at=timezone.now())
    assert not access.visible_assessments(world.member).exists()
    assert access.own_respondent(world.member, a) is None


def test_a_lead_from_elsewhere_keeps_seeing_and_running_their_assessment(world, a):
    """The Kenyan coordinator is made lead of the Cebu City assessment: they see and run it (not others)."""
    other = _second_cebu_assessment(world)
    Assessment.objects.filter(pk=a.pk).update(lead=world.outsider)
    a.refresh_from_db()
    assert list(access.visible_assessments(world.outsider)) == [a]
    assert list(access.managed_assessments(world.outsider)) == [a]
    assert access.can_manage(world.outsider, a) and not access.can_manage(world.outsider, other)
    assert access.is_lead(world.outsider, a) and not access.is_lead(world.local, a)
    access.require_manage(world.outsider, a)
    with pytest.raises(PermissionDenied):
        access.require_manage(world.outsider, other)
    # The lead reads every respondent's answers; the coordinator of the place no longer does.
    assert list(access.visible_answer_sheets(world.outsider)) == [world.respondent]
    assert not access.visible_answer_sheets(world.local).exists()
    assert world.respondent in access.visible_respondents(world.outsider)
    # Deactivated, the lead manages and sees nothing.
    world.outsider.is_active = False
    world.outsider.save(update_fields=["is_active"])
    assert not access.managed_assessments(world.outsider).exists()
    assert not access.visible_assessments(world.outsider).exists()
    assert not access.can_manage(world.outsider, a)


def test_a_respondent_reads_their_own_answers_and_evidence_only(world, a):
    evidence = cebu_evidence(world)
    assert list(access.visible_answer_sheets(world.member)) == [world.respondent]
    assert list(access.own_evidence_links(world.member)) == [evidence]
    assert list(access.visible_evidence_links(world.local)) == [evidence]  # the lead reads it
    assert not access.own_evidence_links(world.local).exists()  # but it is not theirs
    assert not access.visible_answer_sheets(world.viewer).exists()
    assert not access.own_evidence_links(None).exists()


def test_results_open_to_a_respondent_once_final_and_never_to_others(world, a):
    assert not access.can_see_results(world.member, a)
    assert access.can_see_results(world.local, a)
    Assessment.objects.filter(pk=a.pk).update(status=Status.FINAL)
    a.refresh_from_db()
    assert access.can_see_results(world.member, a)
    assert not access.can_see_results(world.viewer, a)
    assert not access.can_see_results(world.cso, a)


def test_frameworks_are_read_by_users_holding_a_role(world):
    services.tandem_framework()
    roleless = User.objects.create_user(username="roleless", password="correct-horse-battery-staple")
    assert access.visible_frameworks(world.viewer).exists()
    assert access.visible_frameworks(world.admin).exists()
    assert not access.visible_frameworks(roleless).exists()
    assert not access.visible_frameworks(None).exists()


def test_the_comparison_is_for_regional_coordinators_and_above(world, a):
    assert list(access.comparable_assessments(world.regional)) == [a]
    assert list(access.comparable_assessments(world.admin)) == [a]
    assert not access.comparable_assessments(world.local).exists()
    assert not access.comparable_assessments(world.outsider).exists()
    assert not access.comparable_assessments(None).exists()


def test_where_one_may_open_an_assessment(world):
    assert list(access.openable_jurisdictions(world.local)) == [world.cebu_city]
    assert list(access.openable_jurisdictions(world.facilitator)) == [world.visayas, world.cebu, world.cebu_city]
    assert not access.openable_jurisdictions(world.viewer).exists()
    assert not access.openable_jurisdictions(None).exists()
    assert access.may_open_at(world.facilitator, world.cebu_city)
    assert not access.may_open_at(world.facilitator, world.manila)
    assert access.may_open_at(world.admin, world.nairobi)


def test_where_one_may_map_and_who_runs_a_mapping(world):
    mapping = visayas_mapping(world)
    assert list(access.mappable_jurisdictions(world.facilitator)) == [world.visayas, world.cebu, world.cebu_city]
    assert world.nairobi not in access.mappable_jurisdictions(world.national)
    assert world.manila in access.mappable_jurisdictions(world.national)
    assert not access.mappable_jurisdictions(world.regional).exists()
    assert not access.mappable_jurisdictions(None).exists()
    assert access.may_map_at(world.facilitator, world.cebu) and access.may_map_at(world.national, world.cebu)
    assert not access.may_map_at(world.regional, world.cebu) and not access.may_map_at(world.local, world.cebu_city)
    assert access.may_map_at(world.admin, world.nairobi)
    # The national coordinator runs the facilitator's mapping; the regional coordinator only sees it.
    assert access.can_run_mapping(world.national, mapping)
    access.require_run_mapping(world.national, mapping)
    assert not access.can_run_mapping(world.regional, mapping)
    with pytest.raises(PermissionDenied):
        access.require_run_mapping(world.regional, mapping)
    assert set(access.visible_mapping_entries(world.regional)) == {world.mapping_entry}


def test_a_mapping_lead_from_elsewhere_keeps_it_and_a_facilitator_of_elsewhere_does_not_see_it(world):
    mapping = visayas_mapping(world)
    assert not access.visible_mappings(world.outsider).exists()
    MappingExercise.objects.filter(pk=mapping.pk).update(lead=world.outsider)
    mapping.refresh_from_db()
    assert list(access.visible_mappings(world.outsider)) == [mapping]
    assert access.can_run_mapping(world.outsider, mapping)
    assert list(access.visible_mapping_entries(world.outsider)) == [world.mapping_entry]
    # Deactivated, the lead sees neither the mapping nor its entries (and the list opens empty).
    world.outsider.is_active = False
    world.outsider.save(update_fields=["is_active"])
    assert not access.visible_mappings(world.outsider).exists()
    assert not access.visible_mapping_entries(world.outsider).exists()
    assert not access.can_run_mapping(world.outsider, mapping)


def test_a_respondent_who_is_also_invited_elsewhere_sees_each_only_through_their_invitation(world, a):
    """The viewer is invited to the second assessment only: they see that one, not the first."""
    other = _second_cebu_assessment(world)
    person = person_for(world, world.viewer, world.cebu_city, "Vic Viewer")
    services.respondent_invite(
        actor=world.local, assessment=other, person=person, sector=Sector.YOUTH, level=Level.LOCAL
    )
    assert list(access.visible_assessments(world.viewer)) == [other]
    assert access.own_respondent(world.viewer, a) is None
    assert access.own_respondent(world.viewer, other) is not None


def test_the_lists_read_their_related_records_with_the_rows(world, a, django_assert_num_queries):
    """A list page of assessments, respondents, answers or mappings is one query, however many rows."""
    evidence = cebu_evidence(world)
    mapping = visayas_mapping(world)
    for user in (world.local, world.member, world.facilitator):
        access.get_access(user).grants  # resolved once per request, before the lists
    with django_assert_num_queries(1):
        rows = [
            (x.jurisdiction.name, x.framework.slug, x.lead.username) for x in access.visible_assessments(world.local)
        ]
    assert rows == [("Cebu City", a.framework.slug, "local")]
    with django_assert_num_queries(1):
        rows = [(r.person.full_name, r.assessment.round_label) for r in access.visible_respondents(world.local)]
    assert rows == [("Mario Member", "2026")]
    with django_assert_num_queries(1):
        rows = [(r.person.full_name, r.assessment.round_label) for r in access.visible_answer_sheets(world.member)]
    assert rows == [("Mario Member", "2026")]
    with django_assert_num_queries(1):
        rows = [(e.respondent.person_id, e.competency_id) for e in access.visible_evidence_links(world.member)]
    assert rows == [(world.member_person.pk, evidence.competency_id)]
    with django_assert_num_queries(1):
        rows = [(m.jurisdiction.name, m.lead.username) for m in access.visible_mappings(world.facilitator)]
    assert rows == [("Central Visayas", "facilitator")] and mapping.pk
    with django_assert_num_queries(1):
        rows = [e.competency.code for e in access.visible_mapping_entries(world.facilitator)]
    assert rows == [world.mapping_entry.competency.code]


# What each list of assessment records shows beside a row (its place, framework, lead, body, competency,
# the action item or activity a recommendation became, a mapping's expert): read with the rows.
RELATED = {
    "visible_assessments": ("jurisdiction", "framework", "lead", "body"),
    "visible_evidence_links": ("respondent", "competency"),
    "visible_findings": ("competency",),
    "visible_recommendations": ("competency", "action_item", "activity"),
    "visible_mappings": ("jurisdiction", "lead", "expert"),
}


@pytest.mark.parametrize("name", sorted(RELATED))
def test_a_list_of_assessment_records_reads_what_each_row_names_in_one_query(world, name, django_assert_num_queries):
    from tandem.assessment import selectors
    from tandem.assessment.models import EvidenceLink, Finding, Recommendation
    from tandem.plans.tests.factories import build_plans

    w = world
    evidence = cebu_evidence(w)
    a = cebu_in_validation(w)
    competency = selectors.competencies(a.framework)[0]
    build_plans(w)
    recommendation = services.recommendation_add(actor=w.local, assessment=a, competency=competency, text="Train")
    Recommendation.objects.filter(pk=recommendation.pk).update(action_item=w.item, activity=w.activity)
    Finding.objects.filter(pk=w.finding.pk).update(competency=competency)
    EvidenceLink.objects.filter(pk=evidence.pk).update(competency=competency)
    Assessment.objects.filter(pk=a.pk).update(body=w.body)
    mapping = visayas_mapping(w)
    MappingExercise.objects.filter(pk=mapping.pk).update(expert=w.person_cebu)
    reader = w.member if name == "visible_evidence_links" else w.admin
    function = getattr(access, name)
    function(reader).exists()  # the reader's grants, read once per request
    with django_assert_num_queries(1):
        rows = list(function(reader))
    assert rows
    named = set()
    with django_assert_num_queries(0):
        for row in rows:
            for field in RELATED[name]:
                if getattr(row, field) is not None:
                    named.add(field)
    assert named == set(RELATED[name]), "the test data names each related record at least once"
