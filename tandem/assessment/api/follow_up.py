"""Validation and follow-up: the validation meeting, findings and their outcomes, recommendations
turned into action items or plan activities (through the bodies' and plans' own services)."""

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from tandem.assessment.permissions import requires
from tandem.bodies import access as bodies_access
from tandem.core import access as core_access
from tandem.core.api import InSchema, _actor, _reference, errors

from .. import access, services
from ..models import Outcome
from ._common import assessment_of, competency_by_code, follow_up_readable, managed
from .assessments import AssessmentOut

router = Router(tags=["assessment"])


class ValidationMeetingIn(InSchema):
    meeting: UUID = Field(description="A meeting of a coordination body that you can see.")
    version: int = Field(ge=1, description="The assessment's version.")


class FindingOut(Schema):
    uuid: UUID
    competency: str | None
    text: str
    outcome: str
    note: str
    version: int

    @staticmethod
    def resolve_competency(obj) -> str | None:
        return obj.competency.code if obj.competency_id else None


class FindingIn(InSchema):
    text: str = Field(min_length=1, max_length=4000)
    competency: str | None = Field(None, max_length=30, description="A competency code of the framework.")


class OutcomeIn(InSchema):
    outcome: Outcome
    note: str = Field("", max_length=4000, description="Required when the meeting amended the finding.")
    version: int = Field(ge=1)


class RecommendationOut(Schema):
    uuid: UUID
    competency: str
    text: str
    action_item: UUID | None
    activity: UUID | None

    @staticmethod
    def resolve_competency(obj) -> str:
        return obj.competency.code

    @staticmethod
    def resolve_action_item(obj) -> UUID | None:
        return obj.action_item.uuid if obj.action_item_id else None

    @staticmethod
    def resolve_activity(obj) -> UUID | None:
        return obj.activity.uuid if obj.activity_id else None


class RecommendationIn(InSchema):
    competency: str = Field(max_length=30, description="A competency code of the framework.")
    text: str = Field(min_length=1, max_length=4000)


class RecommendationActionItemIn(InSchema):
    body: UUID = Field(description="A coordination body you run, in the assessed jurisdiction.")
    owner_organisation: UUID | None = None
    due_date: dt.date | None = None


class RecommendationActivityIn(InSchema):
    plan: UUID = Field(description="A plan of the assessed jurisdiction that you may edit.")


class FollowUpCreatedOut(Schema):
    uuid: UUID


@router.put("/assessments/{uuid}/validation-meeting", response={200: AssessmentOut, **errors(403, 404, 409, 422)})
@requires("assessment.run")
def validation_meeting_set(request: HttpRequest, uuid: UUID, payload: ValidationMeetingIn):
    """Link the meeting where the findings were validated (during validation)."""
    actor = _actor(request)
    assessment = managed(actor, uuid)
    meeting = _reference(bodies_access.visible_meetings(actor), payload.meeting, "meeting")
    return services.validation_meeting_set(
        actor=actor, assessment=assessment, meeting=meeting, expected_version=payload.version
    )


@router.get("/assessments/{uuid}/findings", response={200: list[FindingOut], **errors(403, 404)})
@requires("assessment.view")
def finding_list(request: HttpRequest, uuid: UUID):
    """Findings and what the validation meeting said of each (respondents: once final)."""
    actor = _actor(request)
    assessment = assessment_of(actor, uuid)
    follow_up_readable(actor, assessment)
    return access.visible_findings(actor).filter(assessment=assessment).order_by("id")


@router.post("/assessments/{uuid}/findings", response={201: FindingOut, **errors(403, 404, 422)})
@requires("assessment.run")
def finding_create(request: HttpRequest, uuid: UUID, payload: FindingIn):
    actor = _actor(request)
    assessment = managed(actor, uuid)
    competency = competency_by_code(assessment, payload.competency, "competency")
    return Reply(
        201, services.finding_add(actor=actor, assessment=assessment, text=payload.text, competency=competency)
    )


@router.patch("/findings/{uuid}", response={200: FindingOut, **errors(403, 404, 409, 422)})
@requires("assessment.run")
def finding_record(request: HttpRequest, uuid: UUID, payload: OutcomeIn):
    """What the validation meeting said: confirmed, amended (say how) or rejected (during validation)."""
    actor = _actor(request)
    finding = core_access.get_visible_or_404(access.visible_findings(actor), uuid=uuid)
    access.require_manage(actor, finding.assessment)
    return services.finding_record(
        actor=actor, finding=finding, outcome=payload.outcome, note=payload.note, expected_version=payload.version
    )


@router.get("/assessments/{uuid}/recommendations", response={200: list[RecommendationOut], **errors(403, 404)})
@requires("assessment.view")
def recommendation_list(request: HttpRequest, uuid: UUID):
    """Recommendations by competency, with the action item or plan activity each became (respondents: once final)."""
    actor = _actor(request)
    assessment = assessment_of(actor, uuid)
    follow_up_readable(actor, assessment)
    return access.visible_recommendations(actor).filter(assessment=assessment).order_by("id")


@router.post("/assessments/{uuid}/recommendations", response={201: RecommendationOut, **errors(403, 404, 422)})
@requires("assessment.run")
def recommendation_create(request: HttpRequest, uuid: UUID, payload: RecommendationIn):
    actor = _actor(request)
    assessment = managed(actor, uuid)
    competency = competency_by_code(assessment, payload.competency, "competency")
    if competency is None:
        raise ValidationError({"competency": [_("Choose a competency.")]})
    return Reply(
        201, services.recommendation_add(actor=actor, assessment=assessment, competency=competency, text=payload.text)
    )


def _recommendation(actor, uuid: UUID):
    recommendation = core_access.get_visible_or_404(access.visible_recommendations(actor), uuid=uuid)
    access.require_manage(actor, recommendation.assessment)
    return recommendation


@router.post("/recommendations/{uuid}/action-item", response={201: FollowUpCreatedOut, **errors(403, 404, 422)})
@requires("assessment.run")
def recommendation_action_item(request: HttpRequest, uuid: UUID, payload: RecommendationActionItemIn):
    """Turn the recommendation into an action item of a body you run (the bodies' service decides: 403)."""
    actor = _actor(request)
    recommendation = _recommendation(actor, uuid)
    path = recommendation.assessment.jurisdiction.path
    body = _reference(
        bodies_access.visible_bodies(actor).filter(jurisdiction__path__startswith=path), payload.body, "body"
    )
    owner = _reference(core_access.visible_organisations(actor), payload.owner_organisation, "owner_organisation")
    item = services.recommendation_to_action_item(
        actor=actor, recommendation=recommendation, body=body, owner_organisation=owner, due_date=payload.due_date
    )
    return Reply(201, item)


@router.post("/recommendations/{uuid}/activity", response={201: FollowUpCreatedOut, **errors(403, 404, 422)})
@requires("assessment.run")
def recommendation_activity(request: HttpRequest, uuid: UUID, payload: RecommendationActivityIn):
    """Turn the recommendation into an activity of the jurisdiction's plan (the plans' service decides: 403)."""
    from tandem.plans import access as plans_access

    actor = _actor(request)
    recommendation = _recommendation(actor, uuid)
    plans = plans_access.visible_plans(actor).filter(jurisdiction_id=recommendation.assessment.jurisdiction_id)
    plan = _reference(plans, payload.plan, "plan")
    return Reply(201, services.recommendation_to_activity(actor=actor, recommendation=recommendation, plan=plan))
