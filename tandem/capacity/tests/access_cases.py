"""Direct cases of tandem.capacity.access (collected by tandem/tests/test_access_functions.py).

The records are those of ``factories.cebu_training``: a course owned by Cebu City and visible
to its subtree, its session, Maria Santos's place and certificate, Ana Cruz's place (the
``member`` persona). The outsider is a coordinator of Manila, in the same country.
"""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, manila_coordinator, q_rows

from .factories import cebu_need, cebu_training

COVERED = [
    "course_q",
    "visible_courses",
    "visible_sessions",
    "organiser_q",
    "participation_q",
    "visible_participations",
    "visible_feedback",
    "visible_certificates",
    "need_q",
    "visible_needs",
    "visible_requirements",
    "visible_exemptions",
    "visible_materials",
]


def build(world, name):
    from tandem.capacity import access as a
    from tandem.capacity import services
    from tandem.capacity.models import Course, Participation, TrainingSession

    w = cebu_training(world)
    manila = manila_coordinator(w)
    if name == "course_q":
        return Case(q_rows(Course, a.course_q), w.course, w.viewer, manila)
    if name == "visible_courses":
        return Case(lambda u: ids(a.visible_courses(u)), w.course, w.viewer, manila)
    if name == "visible_sessions":
        return Case(lambda u: ids(a.visible_sessions(u)), w.session, w.viewer, manila)
    if name == "organiser_q":  # the facilitator of Central Visayas organises; a viewer of the city does not
        return Case(q_rows(TrainingSession, a.organiser_q), w.session, w.facilitator, w.viewer)
    if name == "participation_q":
        return Case(q_rows(Participation, a.participation_q), w.maria, w.local, w.viewer)
    if name == "visible_participations":  # Ana's own place; the partner of the same youth forum does not see it
        return Case(lambda u: ids(a.visible_participations(u)), w.ana, w.member, w.cso)
    if name == "visible_feedback":  # named answers: only their author, not even the organiser
        objective = w.course.learning_objectives.first()
        feedback = services.feedback_submit(
            actor=w.member, participation=w.ana, ratings={objective.pk: (4, 2, 4)}, comment="Useful"
        )
        return Case(lambda u: ids(a.visible_feedback(u)), feedback, w.member, w.local)
    if name == "visible_certificates":
        return Case(lambda u: ids(a.visible_certificates(u)), w.certificate, w.local, manila)
    if name == "need_q":  # coordinators over Cebu City; not a viewer of the city itself
        from tandem.capacity.models import TrainingNeed

        return Case(q_rows(TrainingNeed, a.need_q), cebu_need(w), w.regional, w.viewer)
    if name == "visible_needs":
        return Case(lambda u: ids(a.visible_needs(u)), cebu_need(w), w.local, manila)
    if name in ("visible_requirements", "visible_exemptions"):
        from tandem.capacity import readiness

        requirement = readiness.requirement_set(actor=w.national, country=w.ph, course=w.course, valid_days=365)
        if name == "visible_requirements":  # every role of the country reads it; another country does not
            return Case(lambda u: ids(a.visible_requirements(u)), requirement, w.viewer, w.outsider)
        exemption = readiness.exemption_grant(
            actor=w.national, requirement=requirement, user=w.member, reason="Trainer"
        )
        return Case(lambda u: ids(a.visible_exemptions(u)), exemption, w.national, w.local)
    if name == "visible_materials":  # whoever sees the course: a viewer of the city; not Manila's coordinator
        from .matrix_rows import _material

        _material(w)
        return Case(lambda u: ids(a.visible_materials(u)), w.material, w.viewer, manila)
    raise LookupError(name)
