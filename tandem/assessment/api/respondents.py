"""Running an assessment: who is invited and who answered, invitations, removal, steps."""

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core.api import InSchema, _actor, _reference, errors
from tandem.core.models import Sector

from .. import access, selectors, services
from ..models import Level, Status
from ._common import managed
from .assessments import AssessmentOut

router = Router(tags=["assessment"])


class RespondentOut(Schema):
    uuid: UUID
    person: str
    sector: str
    level: str
    answered: bool
    submitted_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_person(obj) -> str:
        return str(obj.person)

    @staticmethod
    def resolve_answered(obj) -> bool:
        return obj.submitted_at is not None


class ProgressOut(Schema):
    status: str
    version: int
    next_steps: list[str] = Field(description="The steps the assessment may move to from here.")
    invited: int
    answered: int
    respondents: list[RespondentOut]


class InviteIn(InSchema):
    person: UUID = Field(description="A person of the directory you can see.")
    sector: Sector
    level: Level


class RespondentVersionIn(InSchema):
    version: int = Field(ge=1)


class AssessmentStepIn(InSchema):
    to: Status
    version: int = Field(ge=1, description="The assessment's version (see GET).")


@router.get("/assessments/{uuid}/progress", response={200: ProgressOut, **errors(403, 404)})
@requires("assessment.run")
def assessment_progress(request: HttpRequest, uuid: UUID):
    """Its step, the steps it may move to, who is invited and who answered (those who run it)."""
    actor = _actor(request)
    assessment = managed(actor, uuid)
    rows = list(selectors.respondents(actor, assessment))
    return {
        "status": assessment.status,
        "version": assessment.version,
        "next_steps": [to for (frm, to) in services.TRANSITIONS if frm == assessment.status],
        "invited": len(rows),
        "answered": sum(1 for r in rows if r.submitted_at is not None),
        "respondents": rows,
    }


@router.post("/assessments/{uuid}/respondents", response={201: RespondentOut, **errors(403, 404, 422)})
@requires("assessment.run")
def respondent_invite(request: HttpRequest, uuid: UUID, payload: InviteIn):
    """Invite a person of the directory to answer (before answers close)."""
    actor = _actor(request)
    assessment = managed(actor, uuid)
    person = _reference(core_access.visible_people(actor), payload.person, "person")
    respondent = services.respondent_invite(
        actor=actor, assessment=assessment, person=person, sector=payload.sector, level=payload.level
    )
    return Reply(201, respondent)


@router.post("/respondents/{uuid}/remove", response={204: None, **errors(403, 404, 409, 422)})
@requires("assessment.run")
def respondent_remove(request: HttpRequest, uuid: UUID, payload: RespondentVersionIn):
    """Withdraw an invitation before answers close; the respondent's answers and evidence links go too."""
    actor = _actor(request)
    respondent = core_access.get_visible_or_404(access.visible_respondents(actor), uuid=uuid)
    access.require_manage(actor, respondent.assessment)
    services.respondent_remove(actor=actor, respondent=respondent, expected_version=payload.version)
    return Reply(204, None)


@router.post("/assessments/{uuid}/steps", response={200: AssessmentOut, **errors(403, 404, 409, 422)})
@requires("assessment.run")
def assessment_step(request: HttpRequest, uuid: UUID, payload: AssessmentStepIn):
    """Move the assessment on: draft → collecting → validation → final (reopening a final one is audited)."""
    actor = _actor(request)
    assessment = managed(actor, uuid)
    return services.assessment_transition(
        actor=actor, assessment=assessment, to=payload.to, expected_version=payload.version
    )
