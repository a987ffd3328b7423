"""Access rules of the assessment toolkit (built on :mod:`tandem.core.access`).

* Frameworks are reference data: every user holding a role reads them.
* An assessment is seen by those who may run one over its jurisdiction (coordinators of the
  jurisdiction or above, network facilitators granted on it), by its lead and by the people invited
  to answer it (``visible_assessments``). Everyone else gets 404, in lists and counts too.
* Running it (invite, move through its steps, validation, recommendations): its lead and those who
  may open one over its jurisdiction (``manage_q``).
* Individual answers, evidence links, strengths and obstacles: only the respondent and the lead
  (``visible_answer_sheets``). Others see aggregates: managers at any step, respondents once final.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from tandem.core.access import COORDINATOR_RANK, ROLE_RANK, Access, Actor, get_access, path_q
from tandem.core.models import Jurisdiction, Role

from .models import (
    Assessment,
    EvidenceLink,
    Finding,
    Framework,
    MappingEntry,
    MappingExercise,
    Recommendation,
    Respondent,
    Status,
)

COMPARE_RANK = ROLE_RANK[Role.REGIONAL_COORDINATOR]
MAP_RANK = ROLE_RANK[Role.NATIONAL_COORDINATOR]
RUN_RANK = ROLE_RANK[Role.FACILITATOR]


def _opener_paths(access: Access) -> list[str] | None:
    """Paths where the actor may open an assessment (``None``: everywhere, administrator)."""
    coordinator = access.scope_paths(COORDINATOR_RANK)
    if coordinator is None:
        return None
    facilitator = [g.path for g in access.grants if g.role == Role.FACILITATOR]
    return sorted(set(coordinator) | set(facilitator))


def may_open_at(actor: Actor, jurisdiction: Jurisdiction) -> bool:
    paths = _opener_paths(get_access(actor))
    return paths is None or any(jurisdiction.path.startswith(p) for p in paths)


def openable_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    access = get_access(actor)
    if not access.is_active:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path_q(_opener_paths(access), "path")).order_by("path")


def manage_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` on assessments (``prefix`` leads to one): the actor leads it or may open one over its jurisdiction."""
    access = get_access(actor)
    if not access.is_active:
        return Q(pk__in=[])
    paths = _opener_paths(access)
    if paths is None:
        return Q()
    condition = Q(**{f"{prefix}lead_id": access.pk})
    if paths:
        condition |= path_q(paths, f"{prefix}jurisdiction__path")
    return condition


def _invited(access: Access) -> Q:
    return Q(
        Exists(
            Respondent.objects.filter(
                assessment_id=OuterRef("pk"), person__user_id=access._user_pk(), person__archived_at__isnull=True
            )
        )
    )


def visible_assessments(actor: Actor) -> QuerySet[Assessment]:
    access = get_access(actor)
    if not access.is_active:
        return Assessment.objects.none()
    condition = manage_q(access)
    if condition:
        condition |= _invited(access)
    return Assessment.objects.filter(condition).select_related("jurisdiction", "framework", "lead", "body")


def managed_assessments(actor: Actor) -> QuerySet[Assessment]:
    return visible_assessments(actor).filter(manage_q(actor))


def can_manage(actor: Actor, assessment: Assessment) -> bool:
    access = get_access(actor)
    return access.is_active and (assessment.lead_id == access.pk or may_open_at(access, assessment.jurisdiction))


def require_manage(actor: Actor, assessment: Assessment) -> None:
    if not can_manage(actor, assessment):
        raise PermissionDenied


def is_lead(actor: Actor, assessment: Assessment) -> bool:
    access = get_access(actor)
    return access.is_active and assessment.lead_id == access.pk


def own_respondent(actor: Actor, assessment: Assessment) -> Respondent | None:
    """The actor's own invitation to answer ``assessment`` (``None`` if not invited)."""
    access = get_access(actor)
    if not access.is_active:
        return None
    return Respondent.objects.filter(
        assessment=assessment, person__user_id=access._user_pk(), person__archived_at__isnull=True
    ).first()


def own_respondent_among(actor: Actor, rows: list[Respondent]) -> Respondent | None:
    """:func:`own_respondent` read off one assessment's rows of :func:`visible_respondents` (with their
    ``person``) already fetched: that list always holds the actor's own row, so no second query."""
    access = get_access(actor)
    if not access.is_active:
        return None
    user_pk = access._user_pk()
    return next((r for r in rows if r.person.user_id == user_pk and r.person.archived_at is None), None)


def can_see_results(actor: Actor, assessment: Assessment) -> bool:
    """Aggregates: those who run it at any step; respondents once it is final."""
    if can_manage(actor, assessment):
        return True
    return assessment.status == Status.FINAL and own_respondent(actor, assessment) is not None


def visible_respondents(actor: Actor) -> QuerySet[Respondent]:
    """Who was invited and whether they answered: to those who run the assessment, and one's own row."""
    access = get_access(actor)
    if not access.is_active:
        return Respondent.objects.none()
    condition = manage_q(access, "assessment__")
    if condition:
        condition |= Q(person__user_id=access.pk)
    return Respondent.objects.filter(condition).select_related("person", "assessment")


def visible_answer_sheets(actor: Actor) -> QuerySet[Respondent]:
    """Respondent rows whose answers the actor may read: their own, and those of the assessments they lead."""
    access = get_access(actor)
    if not access.is_active:
        return Respondent.objects.none()
    return Respondent.objects.filter(Q(person__user_id=access.pk) | Q(assessment__lead_id=access.pk)).select_related(
        "person", "assessment"
    )


def visible_evidence_links(actor: Actor) -> QuerySet[EvidenceLink]:
    return EvidenceLink.objects.filter(respondent__in=visible_answer_sheets(actor).values("id")).select_related(
        "respondent", "competency"
    )


def own_evidence_links(actor: Actor) -> QuerySet[EvidenceLink]:
    """The actor's own evidence links (the lead reads a respondent's links but never removes them)."""
    access = get_access(actor)
    if not access.is_active or access.pk is None:
        return EvidenceLink.objects.none()
    return visible_evidence_links(access).filter(respondent__person__user_id=access.pk)


def visible_findings(actor: Actor) -> QuerySet[Finding]:
    return Finding.objects.filter(assessment__in=visible_assessments(actor).values("id")).select_related("competency")


def visible_recommendations(actor: Actor) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(assessment__in=visible_assessments(actor).values("id")).select_related(
        "competency", "action_item", "activity"
    )


def visible_frameworks(actor: Actor) -> QuerySet[Framework]:
    """Reference data: every user with a role reads every framework."""
    access = get_access(actor)
    if not access.is_active or not access.has_any_rank(ROLE_RANK[Role.VIEWER]):
        return Framework.objects.none()
    return Framework.objects.all()


def comparable_assessments(actor: Actor) -> QuerySet[Assessment]:
    """Assessments below a national or regional coordinator (or an administrator), for the comparison."""
    access = get_access(actor)
    if not access.is_active:
        return Assessment.objects.none()
    return Assessment.objects.filter(path_q(access.scope_paths(COMPARE_RANK), "jurisdiction__path"))


# --- Mapping exercises ----------------------------------------------------------------------
# Run by national coordinators and facilitators granted on the country or region (and the lead);
# seen by them and by every coordinator of that country or region.


def _mapper_paths(access: Access) -> list[str] | None:
    national = access.scope_paths(MAP_RANK)
    if national is None:
        return None
    facilitator = [g.path for g in access.grants if g.role == Role.FACILITATOR]
    return sorted(set(national) | set(facilitator))


def may_map_at(actor: Actor, jurisdiction: Jurisdiction) -> bool:
    paths = _mapper_paths(get_access(actor))
    return paths is None or any(jurisdiction.path.startswith(p) for p in paths)


def mappable_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    access = get_access(actor)
    if not access.is_active:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path_q(_mapper_paths(access), "path")).order_by("path")


def mapping_q(actor: Actor) -> Q:
    """``Q`` on mapping exercises the actor may see: lead, mappers, coordinators of the place and above."""
    access = get_access(actor)
    if not access.is_active:
        return Q(pk__in=[])
    paths = _opener_paths(access)
    mappers = _mapper_paths(access)
    if paths is None or mappers is None:
        return Q()
    condition = Q(lead_id=access.pk)
    both = sorted(set(paths) | set(mappers))
    if both:
        condition |= path_q(both, "jurisdiction__path")
    return condition


def visible_mappings(actor: Actor) -> QuerySet[MappingExercise]:
    return MappingExercise.objects.filter(mapping_q(actor)).select_related("jurisdiction", "lead", "expert")


def visible_mapping_entries(actor: Actor) -> QuerySet[MappingEntry]:
    return MappingEntry.objects.filter(exercise__in=visible_mappings(actor).values("id")).select_related("competency")


def can_run_mapping(actor: Actor, exercise: MappingExercise) -> bool:
    access = get_access(actor)
    return access.is_active and (exercise.lead_id == access.pk or may_map_at(access, exercise.jurisdiction))


def require_run_mapping(actor: Actor, exercise: MappingExercise) -> None:
    if not can_run_mapping(actor, exercise):
        raise PermissionDenied


__all__ = [
    "MAP_RANK",
    "can_run_mapping",
    "mappable_jurisdictions",
    "mapping_q",
    "may_map_at",
    "require_run_mapping",
    "visible_mapping_entries",
    "visible_mappings",
    "COMPARE_RANK",
    "RUN_RANK",
    "can_manage",
    "can_see_results",
    "comparable_assessments",
    "is_lead",
    "manage_q",
    "managed_assessments",
    "may_open_at",
    "openable_jurisdictions",
    "own_evidence_links",
    "own_respondent",
    "own_respondent_among",
    "require_manage",
    "visible_answer_sheets",
    "visible_assessments",
    "visible_evidence_links",
    "visible_findings",
    "visible_frameworks",
    "visible_recommendations",
    "visible_respondents",
]
