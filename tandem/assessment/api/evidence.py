"""A respondent's evidence links: records of Tandem they can see, linked to their answers."""

from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core.api import InSchema, _actor, errors

from .. import access, services
from ..models import EvidenceKind
from ._common import competency_by_code, own_sheet

router = Router(tags=["assessment"])


class EvidenceOut(Schema):
    uuid: UUID
    kind: str
    record: UUID
    title: str | None = Field(description="The record's title, or null if you can no longer see it.")
    competency: str | None


class EvidenceIn(InSchema):
    kind: EvidenceKind
    record: UUID = Field(description="The identifier of a record of that kind that you can see.")
    competency: str | None = Field(None, max_length=30)


def _out(actor, link) -> dict:
    target = services.evidence_target(actor, link.kind, link.target_uuid)
    return {
        "uuid": link.uuid,
        "kind": link.kind,
        "record": link.target_uuid,
        "title": str(target) if target is not None else None,
        "competency": link.competency.code if link.competency_id else None,
    }


@router.get("/assessments/{uuid}/evidence", response={200: list[EvidenceOut], **errors(404)})
@requires("assessment.answer")
def evidence_list(request: HttpRequest, uuid: UUID):
    """Your own evidence links (404 if you were not invited)."""
    actor = _actor(request)
    _assessment, respondent = own_sheet(actor, uuid)
    links = access.visible_evidence_links(actor).filter(respondent=respondent).order_by("id")
    return [_out(actor, link) for link in links]


@router.post("/assessments/{uuid}/evidence", response={201: EvidenceOut, **errors(404, 422)})
@requires("assessment.answer")
def evidence_add(request: HttpRequest, uuid: UUID, payload: EvidenceIn):
    """Link a record you can see (a meeting, decision, exchange item, plan activity or sharing agreement)."""
    actor = _actor(request)
    assessment, respondent = own_sheet(actor, uuid)
    competency = competency_by_code(assessment, payload.competency, "competency")
    link = services.evidence_link_add(
        actor=actor, respondent=respondent, kind=payload.kind, target_uuid=payload.record, competency=competency
    )
    return Reply(201, _out(actor, link))


@router.post("/evidence/{uuid}/remove", response={204: None, **errors(404, 422)})
@requires("assessment.answer")
def evidence_remove(request: HttpRequest, uuid: UUID):
    """Remove one of your evidence links while the assessment collects answers."""
    actor = _actor(request)
    link = core_access.get_visible_or_404(access.own_evidence_links(actor), uuid=uuid)
    services.evidence_link_remove(actor=actor, link=link)
    return Reply(204, None)
