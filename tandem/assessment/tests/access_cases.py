"""Direct cases of tandem.assessment.access (see tandem/tests/test_access_functions.py).

The rightful user gets the Cebu City record; the outsider is of the same country (a coordinator of
Manila, or a Cebu City role that the rule leaves out) wherever the rule is narrower than the country.
"""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, manila_coordinator, q_rows

COVERED = [
    "manage_q",
    "visible_assessments",
    "visible_respondents",
    "visible_answer_sheets",
    "visible_evidence_links",
    "visible_findings",
    "visible_recommendations",
    "visible_frameworks",
    "mapping_q",
    "visible_mappings",
    "visible_mapping_entries",
]


def build(w, name):
    from tandem.assessment import access as a
    from tandem.assessment import services
    from tandem.assessment.models import Assessment

    from .factories import cebu_assessment

    assessment = cebu_assessment(w)
    manila = manila_coordinator(w)
    if name == "manage_q":
        return Case(q_rows(Assessment, a.manage_q), assessment, w.facilitator, manila)
    if name == "visible_assessments":
        # The invited member sees it; the viewer of the same city (not invited) does not.
        return Case(lambda u: ids(a.visible_assessments(u)), assessment, w.member, w.viewer)
    if name == "visible_respondents":
        return Case(lambda u: ids(a.visible_respondents(u)), w.respondent, w.facilitator, manila)
    if name == "visible_answer_sheets":
        # Only the respondent and the lead: not even the regional coordinator above it.
        return Case(lambda u: ids(a.visible_answer_sheets(u)), w.respondent, w.member, w.regional)
    if name == "visible_evidence_links":
        from tandem.bodies.tests.factories import cebu_body

        cebu_body(w)
        link = services.evidence_link_add(
            actor=w.member, respondent=w.respondent, kind="meeting", target_uuid=w.meeting.uuid
        )
        return Case(lambda u: ids(a.visible_evidence_links(u)), link, w.local, w.regional)
    if name == "visible_findings":
        finding = services.finding_add(actor=w.local, assessment=assessment, text="A finding")
        return Case(lambda u: ids(a.visible_findings(u)), finding, w.member, manila)
    if name == "visible_recommendations":
        from tandem.assessment import selectors

        comp = selectors.competencies(assessment.framework)[0]
        rec = services.recommendation_add(actor=w.local, assessment=assessment, competency=comp, text="Do it")
        return Case(lambda u: ids(a.visible_recommendations(u)), rec, w.facilitator, manila)
    if name == "visible_frameworks":
        # Reference data for every role; nobody without a role.
        from tandem.core.models import User

        nobody = User.objects.create_user(username="norole", password="correct-horse-battery-staple")
        return Case(lambda u: ids(a.visible_frameworks(u)), assessment.framework, w.viewer, nobody)
    if name in ("mapping_q", "visible_mappings", "visible_mapping_entries"):
        from tandem.assessment.models import MappingExercise

        from .factories import visayas_mapping

        mapping = visayas_mapping(w)
        if name == "mapping_q":
            return Case(q_rows(MappingExercise, a.mapping_q), mapping, w.regional, w.local)
        if name == "visible_mappings":
            return Case(lambda u: ids(a.visible_mappings(u)), mapping, w.facilitator, manila)
        return Case(lambda u: ids(a.visible_mapping_entries(u)), w.mapping_entry, w.national, w.local)
    raise LookupError(name)
