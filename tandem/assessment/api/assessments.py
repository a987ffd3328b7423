"""Frameworks, assessments, their results and one's own answer sheet."""

import datetime as dt
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tandem.assessment.permissions import requires
from tandem.core.api import InSchema, JurisdictionRef, Pagination, _actor, errors

from .. import access, selectors, services
from ..models import Status
from ._common import assessment_of as _assessment
from ._common import own_sheet

router = Router(tags=["assessment"])


class FrameworkOut(Schema):
    uuid: UUID
    name: str
    version: str
    languages: str
    source: str
    licence: str
    is_official: bool
    author_statement: str


class AssessmentOut(Schema):
    uuid: UUID
    jurisdiction: JurisdictionRef
    round_label: str
    status: str
    framework: FrameworkOut
    lead: str
    version: int
    finalised_at: dt.datetime | None

    @staticmethod
    def resolve_lead(obj) -> str:
        return str(obj.lead)


class StatOut(Schema):
    median: float | None
    iqr: float | None
    n: int
    dont_know_share: float | None
    disagreement: bool


class ItemResultOut(Schema):
    code: str
    statement: str
    stat: StatOut
    groups: dict[str, StatOut]


class CompetencyResultOut(Schema):
    code: str
    name: str
    stat: StatOut
    groups: dict[str, StatOut] = Field(description="Only groups of at least 3 respondents (else only merged).")
    items: list[ItemResultOut]


class ResultsOut(Schema):
    answered: int
    competencies: list[CompetencyResultOut]


class AnswerIn(InSchema):
    item: str = Field(description="The statement's code, e.g. T1.")
    score: int | None = Field(None, description="A level of the scale; null for “don't know”.")
    evidence: str = Field("", max_length=2000)


class AnswersIn(InSchema):
    version: int = Field(ge=1, description="The version of your answer sheet (see GET).")
    answers: list[AnswerIn] = Field(max_length=500)
    strengths: str = Field("", max_length=5000)
    obstacles: str = Field("", max_length=5000)


class AnswerOut(Schema):
    item: str
    score: int | None
    dont_know: bool
    evidence: str


class AnswerSheetOut(Schema):
    version: int
    submitted_at: dt.datetime | None
    strengths: str
    obstacles: str
    answers: list[AnswerOut]


class AssessmentFilters(Schema):
    status: Status | None = None
    round: str | None = Field(None, max_length=40)


def _stat(stat) -> dict:
    return {
        "median": stat.median,
        "iqr": stat.iqr,
        "n": stat.n,
        "dont_know_share": stat.dont_know_share,
        "disagreement": stat.disagreement,
    }


def _sheet(actor, respondent) -> dict:
    items = {i.pk: i.code for i in selectors.items(respondent.assessment.framework)}
    answers = selectors.answers_of(actor, respondent)
    return {
        "version": respondent.version,
        "submitted_at": respondent.submitted_at,
        "strengths": respondent.strengths,
        "obstacles": respondent.obstacles,
        "answers": [
            {"item": items[a.item_id], "score": a.score, "dont_know": a.dont_know, "evidence": a.evidence}
            for a in sorted(answers.values(), key=lambda a: a.item_id)
        ],
    }


@router.get("/frameworks", response={200: list[FrameworkOut], **errors(422)})
@paginate(Pagination)
@requires("assessment.view")
def framework_list(request: HttpRequest):
    """Frameworks (reference data). Tandem's own is written by the Tandem team, not an official text."""
    return access.visible_frameworks(_actor(request)).order_by("name", "-created_at")


@router.get("/assessments", response={200: list[AssessmentOut], **errors(422)})
@paginate(Pagination)
@requires("assessment.view")
def assessment_list(request: HttpRequest, filters: Query[AssessmentFilters]):
    """Assessments you run, lead or were invited to answer."""
    return selectors.assessments(_actor(request), status=filters.status or "", round_label=filters.round or "")


@router.get("/assessments/{uuid}", response={200: AssessmentOut, **errors(404)})
@requires("assessment.view")
def assessment_detail(request: HttpRequest, uuid: UUID):
    return _assessment(_actor(request), uuid)


@router.get("/assessments/{uuid}/results", response={200: ResultsOut, **errors(403, 404)})
@requires("assessment.view")
def assessment_results(request: HttpRequest, uuid: UUID):
    """Aggregates: to those who run the assessment; to respondents once it is final."""
    actor = _actor(request)
    assessment = _assessment(actor, uuid)
    if not access.can_see_results(actor, assessment):
        raise PermissionDenied
    result = selectors.results(assessment)
    return {
        "answered": result.answered,
        "competencies": [
            {
                "code": c.competency.code,
                "name": c.competency.name,
                "stat": _stat(c.stat),
                "groups": {k: _stat(v) for k, v in c.groups.items()},
                "items": [
                    {
                        "code": ir.item.code,
                        "statement": ir.item.statement,
                        "stat": _stat(ir.stat),
                        "groups": {k: _stat(v) for k, v in ir.groups.items()},
                    }
                    for ir in c.items
                ],
            }
            for c in result.competencies
        ],
    }


@router.get("/assessments/{uuid}/answers", response={200: AnswerSheetOut, **errors(404)})
@requires("assessment.answer")
def answers_get(request: HttpRequest, uuid: UUID):
    """Your own answer sheet (404 if you were not invited)."""
    actor = _actor(request)
    _assessment_obj, respondent = own_sheet(actor, uuid)
    return _sheet(actor, respondent)


@router.put("/assessments/{uuid}/answers", response={200: AnswerSheetOut, **errors(404, 409, 422)})
@requires("assessment.answer")
def answers_put(request: HttpRequest, uuid: UUID, payload: AnswersIn):
    """Score every statement at once (all or nothing), while the assessment collects answers."""
    actor = _actor(request)
    assessment, respondent = own_sheet(actor, uuid)
    by_code = {i.code: i.pk for i in selectors.items(assessment.framework)}
    unknown = [a.item for a in payload.answers if a.item not in by_code]
    if unknown:
        raise ValidationError({"answers": [f"Unknown statement: {', '.join(unknown[:10])}"]})
    respondent = services.answers_submit(
        actor=actor,
        respondent=respondent,
        expected_version=payload.version,
        scores={by_code[a.item]: a.score for a in payload.answers},
        evidence={by_code[a.item]: a.evidence for a in payload.answers},
        strengths=payload.strengths,
        obstacles=payload.obstacles,
    )
    return _sheet(actor, respondent)
