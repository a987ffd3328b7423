"""Review: conflicts of interest (declared and detected), scores, ranking, isolation, decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.core import services as core_services
from tandem.core.models import Role, User
from tandem.core.versioning import VersionConflict
from tandem.funding import access, selectors, services
from tandem.funding.models import ApplicationStatus, Award, Score

from . import factories as f


def _reviewer(w, name):
    user = User.objects.create_user(username=name, password="correct-horse-battery-staple")
    core_services.role_grant(actor=None, user=user, role=Role.VIEWER, jurisdiction=w.visayas)
    return user


def _scores(call, values):
    return {c.pk: (v, f"comment {v}") for c, v in zip(call.criteria.order_by("position"), values, strict=True)}


def test_a_reviewer_sees_nothing_of_the_application_before_declaring(fw):
    assignment = f.assignment(fw)
    assert not access.visible_applications(fw.facilitator).filter(pk=assignment.application_id).exists()
    with pytest.raises(ValidationError, match="Declare"):
        services.scores_save(actor=fw.facilitator, assignment=assignment, scores=_scores(fw.funding_call, [3, 3]))
    services.conflict_declare(actor=fw.facilitator, assignment=assignment, has_conflict=False)
    assert access.visible_applications(fw.facilitator).filter(pk=assignment.application_id).exists()


def test_a_declared_conflict_blocks_scoring_and_reading(fw, as_user):
    assignment = f.assignment(fw)
    services.conflict_declare(actor=fw.facilitator, assignment=assignment, has_conflict=True, note="My cousin")
    assert not access.visible_applications(fw.facilitator).filter(pk=assignment.application_id).exists()
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=fw.facilitator, assignment=assignment, scores=_scores(fw.funding_call, [3, 3]))
    assert Score.objects.count() == 0
    response = as_user(fw.facilitator).get(reverse("funding_score", args=[assignment.uuid]))
    assert response.status_code == 403
    with pytest.raises(ValidationError):  # declared once
        services.conflict_declare(actor=fw.facilitator, assignment=assignment, has_conflict=False)


def test_an_undeclared_link_in_the_directory_is_detected_and_blocked(fw):
    """Maria Santos's user is affiliated with the applicant (the youth forum) in the directory."""
    reviewer = _reviewer(fw, "maria")
    fw.person_cebu.user = reviewer
    fw.person_cebu.save(update_fields=["user"])
    assignment = services.reviewer_assign(actor=fw.local, application=f.submitted(fw), reviewer=reviewer)
    declaration = services.conflict_declare(actor=reviewer, assignment=assignment, has_conflict=False)
    assert declaration.has_conflict and declaration.detected
    # She reads it as one of the applicant's people, never as a reviewer.
    assert not access.clear_assignments(reviewer).exists()
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=reviewer, assignment=assignment, scores=_scores(fw.funding_call, [5, 5]))


def test_a_link_made_after_the_declaration_still_blocks(fw):
    assignment = f.assignment(fw, declared=True)
    core_services.role_grant(
        actor=None, user=fw.facilitator, role=Role.PARTNER, jurisdiction=fw.cebu_city, organisation=fw.cso_org
    )
    assert not access.clear_assignments(fw.facilitator).exists()
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=fw.facilitator, assignment=assignment, scores=_scores(fw.funding_call, [5, 5]))


def test_scores_are_checked_and_reviewers_do_not_see_each_other(fw):
    a1 = f.assignment(fw, declared=True)
    other = _reviewer(fw, "second")
    a2 = services.reviewer_assign(actor=fw.local, application=a1.application, reviewer=other)
    services.conflict_declare(actor=other, assignment=a2, has_conflict=False)
    with pytest.raises(ValidationError):
        services.scores_save(actor=fw.facilitator, assignment=a1, scores=_scores(fw.funding_call, [6, 1]))
    with pytest.raises(PermissionDenied):  # not their assignment
        services.scores_save(actor=other, assignment=a1, scores=_scores(fw.funding_call, [1, 1]))
    services.scores_save(actor=fw.facilitator, assignment=a1, scores=_scores(fw.funding_call, [5, 4]))
    services.scores_save(actor=other, assignment=a2, scores=_scores(fw.funding_call, [2, 1]))
    assert set(access.visible_scores(fw.facilitator).values_list("assignment_id", flat=True)) == {a1.pk}
    assert set(access.visible_scores(other).values_list("assignment_id", flat=True)) == {a2.pk}
    assert not access.visible_assignments(other).filter(pk=a1.pk).exists()
    assert access.visible_scores(fw.local).count() == 4
    # Ranking: reviewer totals 5*3+4*2 = 23 and 2*3+1*2 = 8: mean 15.5, spread 15.
    row = selectors.ranking(fw.local, fw.funding_call).get(pk=a1.application_id)
    assert row.reviewers == 2
    assert float(row.average) == pytest.approx(15.5)
    assert Decimal(row.spread) == Decimal("15")
    assert selectors.max_points(fw.funding_call) == Decimal("25")


def test_the_ranking_orders_by_weighted_mean(fw):
    first = f.submitted(fw)
    second_draft = f.draft(fw, title="Second")
    second = services.application_submit(actor=fw.cso, application=second_draft, expected_version=second_draft.version)
    for app, values in ((first, [1, 1]), (second, [5, 5])):
        a = services.reviewer_assign(actor=fw.local, application=app, reviewer=fw.facilitator)
        services.conflict_declare(actor=fw.facilitator, assignment=a, has_conflict=False)
        services.scores_save(actor=fw.facilitator, assignment=a, scores=_scores(fw.funding_call, values))
    assert [a.pk for a in selectors.ranking(fw.local, fw.funding_call)] == [second.pk, first.pk]


def test_two_managers_deciding_at_once_the_second_gets_what_changed(fw, as_user):
    app = f.submitted(fw)
    seen_version = app.version
    services.application_decide(
        actor=fw.local, application=app, expected_version=seen_version, decision="declined", reason="Out of scope"
    )
    with pytest.raises(VersionConflict) as exc:
        services.application_decide(
            actor=fw.national,
            application=app,
            expected_version=seen_version,
            decision="awarded",
            amount="40000",
            source=fw.fund,
        )
    assert "status" in exc.value.changed
    assert not Award.objects.exists()
    # The page shows the conflict table.
    response = as_user(fw.regional).post(
        reverse("funding_decide", args=[app.uuid]),
        {"version": seen_version, "decision": "waitlisted"},
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()


def test_the_api_answers_409_to_a_stale_decision(fw, client):
    app = f.submitted(fw)
    services.application_decide(actor=fw.local, application=app, expected_version=app.version, decision="waitlisted")
    raw = core_services.api_token_create(actor=fw.national, name="t").secret
    response = client.post(
        f"/api/v1/funding/applications/{app.uuid}/decision",
        {"version": app.version, "decision": "declined", "reason": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 409
    assert "status" in response.json()["changed_fields"]


def test_an_award_above_the_call_maximum_is_refused(fw):
    app = f.submitted(fw)
    with pytest.raises(ValidationError) as exc:
        services.application_decide(
            actor=fw.local,
            application=app,
            expected_version=app.version,
            decision="awarded",
            amount="100000.01",
            source=fw.fund,
        )
    assert "amount" in exc.value.message_dict
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and not Award.objects.exists()


def test_declining_needs_a_reason_and_released_comments_are_anonymous(fw):
    a = f.assignment(fw, declared=True)
    services.scores_save(actor=fw.facilitator, assignment=a, scores=_scores(fw.funding_call, [2, 2]))
    app = a.application
    app.refresh_from_db()
    with pytest.raises(ValidationError):
        services.application_decide(actor=fw.local, application=app, expected_version=app.version, decision="declined")
    decided = services.application_decide(
        actor=fw.local, application=app, expected_version=app.version, decision="declined", reason="Weak plan"
    )
    assert selectors.released_comments(decided) == []
    with pytest.raises(PermissionDenied):
        services.call_release_comments(actor=fw.cso, call=fw.funding_call, expected_version=fw.funding_call.version)
    services.call_release_comments(actor=fw.local, call=fw.funding_call, expected_version=fw.funding_call.version)
    decided.refresh_from_db()
    comments = selectors.released_comments(decided)
    assert sorted(comments) == ["comment 2", "comment 2"]
    assert all("facilitator" not in c.lower() for c in comments)
