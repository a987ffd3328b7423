"""Every write of the assessment toolkit: atomic, permission re-checked, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import events, versioning
from tandem.core.models import AuditAction, Jurisdiction, Organisation, Person, Sector, User
from tandem.core.services import audit_record

from . import access
from .models import (
    Answer,
    Assessment,
    Competency,
    EvidenceKind,
    EvidenceLink,
    Finding,
    Framework,
    Item,
    Level,
    MappingEntry,
    MappingExercise,
    Outcome,
    Recommendation,
    Respondent,
    ScaleLevel,
    Status,
)

# Allowed steps: (from, to) -> audit label. Reopening a final assessment is its own, audited step.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.COLLECTING): "open for answers",
    (Status.COLLECTING, Status.VALIDATION): "close answers, start validation",
    (Status.VALIDATION, Status.COLLECTING): "back to collecting",
    (Status.VALIDATION, Status.FINAL): "finalise",
    (Status.FINAL, Status.VALIDATION): "reopen",
}


@transaction.atomic
def assessment_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    round_label: str,
    framework: Framework,
    body: Any = None,
) -> Assessment:
    if not access.may_open_at(actor, jurisdiction):
        raise PermissionDenied
    round_label = round_label.strip()
    if not round_label:
        raise ValidationError({"round_label": _("Name the round, for example 2026.")})
    if body is not None and not body.jurisdiction.path.startswith(jurisdiction.path):
        raise ValidationError({"body": _("This body is not in the assessed jurisdiction.")})
    assessment = Assessment(
        framework=framework, jurisdiction=jurisdiction, body=body, round_label=round_label, lead=actor
    )
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assessment,
        changes={"round": round_label, "framework": str(framework), "status": assessment.status},
    )
    return assessment


@transaction.atomic
def assessment_transition(*, actor: User, assessment: Assessment, to: str, expected_version: int) -> Assessment:
    access.require_manage(actor, assessment)
    locked = versioning.lock(assessment, expected_version=expected_version, actor=actor)
    step = TRANSITIONS.get((locked.status, to))
    if step is None:
        raise ValidationError({"status": _("An assessment cannot move from this step to that one.")})
    values: dict[str, Any] = {"status": to}
    if to == Status.FINAL:
        if locked.validation_meeting_id is None:
            raise ValidationError({"status": _("Record the validation meeting before finalising.")})
        if Finding.objects.filter(assessment=locked, outcome=Outcome.PENDING).exists():
            raise ValidationError({"status": _("Record the outcome of every finding before finalising.")})
        values["finalised_at"] = timezone.now()
    if locked.status == Status.FINAL:
        values["finalised_at"] = None
    saved = versioning.save(locked, values, actor=actor, changes={"status": [locked.status, to], "step": step})
    if to == Status.VALIDATION:  # the respondents are asked to validate the findings
        answered = Respondent.objects.filter(assessment=saved, person__user__isnull=False)
        _announce("assessment.validation_request", saved, list(answered.values_list("person__user", flat=True)), actor)
    return saved


def _announce(kind: str, assessment: Assessment, recipient_ids: list[int], actor: User) -> None:
    """Tell the notifications app (through tandem.core.events, after commit)."""
    events.emit_change(
        kind,
        assessment,
        recipient_ids=recipient_ids,
        title=str(assessment),
        url=reverse("assessment_detail", args=[assessment.uuid]),
        actor=actor,
    )


@transaction.atomic
def respondent_invite(*, actor: User, assessment: Assessment, person: Person, sector: str, level: str) -> Respondent:
    access.require_manage(actor, assessment)
    if assessment.status not in (Status.DRAFT, Status.COLLECTING):
        raise ValidationError({"person": _("Respondents are invited before answers close.")})
    if sector not in Sector.values:
        raise ValidationError({"sector": _("Choose a sector.")})
    if level not in Level.values:
        raise ValidationError({"level": _("Choose national or local.")})
    if Respondent.objects.filter(assessment=assessment, person=person).exists():
        raise ValidationError({"person": _("This person is already invited.")})
    respondent = Respondent.objects.create(assessment=assessment, person=person, sector=sector, level=level)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=respondent,
        jurisdiction=assessment.jurisdiction,
        changes={"assessment": str(assessment), "sector": sector, "level": level},
    )
    if person.user_id:
        _announce("assessment.invitation", assessment, [person.user_id], actor)
    return respondent


@transaction.atomic
def respondent_remove(*, actor: User, respondent: Respondent, expected_version: int) -> None:
    """Withdraw an invitation before answers close; the respondent's answers and evidence links go with it.

    Refused once the assessment is in validation or final (its results rest on those answers)."""
    assessment = Assessment.objects.get(pk=respondent.assessment_id)
    access.require_manage(actor, assessment)
    locked = versioning.lock(respondent, expected_version=expected_version, actor=actor)
    if assessment.status not in (Status.DRAFT, Status.COLLECTING):
        raise ValidationError({"__all__": [_("Respondents are removed only before answers close.")]})
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=locked,
        jurisdiction=assessment.jurisdiction,
        changes={
            "assessment": str(assessment),
            "sector": locked.sector,
            "level": locked.level,
            "answered": locked.submitted_at is not None,
            "evidence_links": EvidenceLink.objects.filter(respondent=locked).count(),
        },
    )
    locked.delete()


def _require_own(actor: User, respondent: Respondent) -> None:
    if respondent.person.user_id is None or respondent.person.user_id != actor.pk:
        raise PermissionDenied


def _require_collecting(assessment: Assessment) -> None:
    if assessment.status != Status.COLLECTING:
        raise ValidationError({"__all__": [_("Answers are accepted only while the assessment collects them.")]})


@transaction.atomic
def answers_submit(
    *,
    actor: User,
    respondent: Respondent,
    expected_version: int,
    scores: dict[int, int | None],
    evidence: dict[int, str] | None = None,
    strengths: str = "",
    obstacles: str = "",
    from_paper: bool = False,
) -> Respondent:
    """Score every item (a level of the scale, or ``None`` for "don't know"): all or nothing.

    ``from_paper``: the lead enters the answers of a respondent without an account (a paper
    questionnaire from a workshop); recorded as such in the audit log.
    """
    if from_paper:
        if respondent.person.user_id is not None or not access.is_lead(actor, respondent.assessment):
            raise PermissionDenied
    else:
        _require_own(actor, respondent)
    locked = versioning.lock(respondent, expected_version=expected_version, actor=actor)
    assessment = Assessment.objects.get(pk=locked.assessment_id)
    _require_collecting(assessment)
    items = list(Item.objects.filter(competency__framework_id=assessment.framework_id).values_list("id", "code"))
    allowed = set(ScaleLevel.objects.filter(framework_id=assessment.framework_id).values_list("value", flat=True))
    errors: dict[str, list[str]] = {}
    known = {item_id for item_id, _code in items}
    for item_id, code in items:
        if item_id not in scores:
            errors.setdefault(code, []).append(_("Score this statement, or choose “don't know”."))
        elif scores[item_id] is not None and scores[item_id] not in allowed:
            errors.setdefault(code, []).append(_("This score is not a level of the scale."))
    if set(scores) - known:
        errors.setdefault("__all__", []).append(_("An answer names a statement that is not in this framework."))
    if errors:
        raise ValidationError(errors)
    evidence = evidence or {}
    Answer.objects.filter(respondent=locked).delete()
    Answer.objects.bulk_create(
        [
            Answer(
                respondent=locked,
                item_id=item_id,
                score=scores[item_id],
                dont_know=scores[item_id] is None,
                evidence=(evidence.get(item_id) or "").strip()[:2000],
            )
            for item_id, _code in items
        ]
    )
    return versioning.save(
        locked,
        {"strengths": strengths.strip()[:5000], "obstacles": obstacles.strip()[:5000], "submitted_at": timezone.now()},
        actor=actor,
        jurisdiction=assessment.jurisdiction,
        changes={"answered": len(items), "from_paper": from_paper},
    )


def evidence_target(actor: User, kind: str, target_uuid: UUID | str) -> Any:
    """The record ``kind``/``target_uuid`` if the actor may see it, else ``None``."""
    from tandem.bodies import access as bodies_access
    from tandem.exchange import access as exchange_access
    from tandem.plans import access as plans_access

    querysets: dict[str, Callable[[], QuerySet[Any]]] = {
        EvidenceKind.MEETING: lambda: bodies_access.visible_meetings(actor),
        EvidenceKind.DECISION: lambda: bodies_access.visible_decisions(actor),
        EvidenceKind.EXCHANGE_ITEM: lambda: exchange_access.visible_sent_items(actor),
        EvidenceKind.ACTIVITY: lambda: plans_access.visible_activities(actor),
        EvidenceKind.AGREEMENT: lambda: exchange_access.visible_agreements(actor),
    }
    if kind not in querysets:
        return None
    try:
        return querysets[kind]().filter(uuid=target_uuid).first()
    except (ValueError, ValidationError):
        return None


@transaction.atomic
def evidence_link_add(
    *, actor: User, respondent: Respondent, kind: str, target_uuid: UUID | str, competency: Competency | None = None
) -> EvidenceLink:
    _require_own(actor, respondent)
    assessment = Assessment.objects.get(pk=respondent.assessment_id)
    _require_collecting(assessment)
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Choose what kind of record this is.")})
    target = evidence_target(actor, kind, target_uuid)
    if target is None:
        raise ValidationError({"target": _("No record of this kind that you can see has this identifier.")})
    if competency is not None and competency.framework_id != assessment.framework_id:
        raise ValidationError({"competency": _("This competency is not in the assessment's framework.")})
    if EvidenceLink.objects.filter(respondent=respondent, kind=kind, target_uuid=target.uuid).exists():
        raise ValidationError({"target": _("You already linked this record.")})
    link = EvidenceLink.objects.create(respondent=respondent, kind=kind, target_uuid=target.uuid, competency=competency)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=link, jurisdiction=assessment.jurisdiction)
    return link


@transaction.atomic
def evidence_link_remove(*, actor: User, link: EvidenceLink) -> None:
    """The respondent removes one of their own evidence links while the assessment collects answers."""
    respondent = Respondent.objects.select_related("person").get(pk=link.respondent_id)
    _require_own(actor, respondent)
    assessment = Assessment.objects.get(pk=respondent.assessment_id)
    _require_collecting(assessment)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=link,
        jurisdiction=assessment.jurisdiction,
        changes={"kind": link.kind, "record": str(link.target_uuid)},
    )
    EvidenceLink.objects.filter(pk=link.pk).delete()


@transaction.atomic
def validation_meeting_set(*, actor: User, assessment: Assessment, meeting: Any, expected_version: int) -> Assessment:
    """Link the meeting where the findings were validated (the caller resolves it in the actor's scope)."""
    access.require_manage(actor, assessment)
    from tandem.bodies import access as bodies_access

    if not bodies_access.visible_meetings(actor).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": _("Choose a meeting you can see.")})
    locked = versioning.lock(assessment, expected_version=expected_version, actor=actor)
    if locked.status != Status.VALIDATION:
        raise ValidationError({"meeting": _("The validation meeting is recorded during validation.")})
    return versioning.save(locked, {"validation_meeting": meeting}, actor=actor)


@transaction.atomic
def finding_add(*, actor: User, assessment: Assessment, text: str, competency: Competency | None = None) -> Finding:
    access.require_manage(actor, assessment)
    if assessment.status == Status.FINAL:
        raise ValidationError({"text": _("A final assessment is frozen: reopen it first.")})
    if competency is not None and competency.framework_id != assessment.framework_id:
        raise ValidationError({"competency": _("This competency is not in the assessment's framework.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the finding.")})
    finding = Finding.objects.create(assessment=assessment, competency=competency, text=text)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=finding, changes={"text": text})
    return finding


@transaction.atomic
def finding_record(*, actor: User, finding: Finding, outcome: str, note: str, expected_version: int) -> Finding:
    """What the validation meeting said about a finding: confirmed, amended or rejected."""
    access.require_manage(actor, finding.assessment)
    if finding.assessment.status != Status.VALIDATION:
        raise ValidationError({"outcome": _("Outcomes are recorded during validation.")})
    if outcome not in (Outcome.CONFIRMED, Outcome.AMENDED, Outcome.REJECTED):
        raise ValidationError({"outcome": _("Choose confirmed, amended or rejected.")})
    if outcome == Outcome.AMENDED and not note.strip():
        raise ValidationError({"note": _("Say how the meeting amended the finding.")})
    return versioning.update(
        actor=actor, obj=finding, expected_version=expected_version, values={"outcome": outcome, "note": note.strip()}
    )


@transaction.atomic
def recommendation_add(*, actor: User, assessment: Assessment, competency: Competency, text: str) -> Recommendation:
    access.require_manage(actor, assessment)
    if assessment.status == Status.FINAL:
        raise ValidationError({"text": _("A final assessment is frozen: reopen it first.")})
    if competency.framework_id != assessment.framework_id:
        raise ValidationError({"competency": _("This competency is not in the assessment's framework.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the recommendation.")})
    rec = Recommendation.objects.create(assessment=assessment, competency=competency, text=text)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=rec, changes={"text": text})
    return rec


@transaction.atomic
def recommendation_to_action_item(
    *,
    actor: User,
    recommendation: Recommendation,
    body: Any,
    owner_organisation: Organisation | None = None,
    due_date: dt.date | None = None,
) -> Any:
    """Turn a recommendation into an action item of ``body`` through the bodies' own service
    (which checks that the actor runs that body)."""
    from tandem.bodies import services as bodies_services

    access.require_manage(actor, recommendation.assessment)
    if recommendation.action_item_id is not None:
        raise ValidationError({"body": _("This recommendation is already an action item.")})
    item = bodies_services.action_item_create(
        actor=actor,
        body=body,
        title=recommendation.text[:300],
        owner_organisation=owner_organisation,
        due_date=due_date,
    )
    Recommendation.objects.filter(pk=recommendation.pk).update(action_item=item)
    recommendation.action_item = item
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=recommendation, changes={"action_item": str(item.uuid)})
    return item


def tandem_framework() -> Framework:
    """Tandem's own framework (loaded by migration 0002; loaded again here if a test flushed it)."""
    from . import framework_data
    from .models import Competency as CompetencyModel

    return framework_data.load(Framework, CompetencyModel, Item, ScaleLevel)


# --- Mapping exercises ----------------------------------------------------------------------


@transaction.atomic
def mapping_create(*, actor: User, jurisdiction: Jurisdiction, title: str) -> MappingExercise:
    if not access.may_map_at(actor, jurisdiction):
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the mapping a title.")})
    exercise = MappingExercise.objects.create(jurisdiction=jurisdiction, title=title, lead=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=exercise, changes={"title": title})
    return exercise


@transaction.atomic
def mapping_update(
    *, actor: User, exercise: MappingExercise, expected_version: int, values: dict[str, Any]
) -> MappingExercise:
    """Title, the desk review and its expert, the validation meeting, the report."""
    access.require_run_mapping(actor, exercise)
    allowed = {"title", "expert", "desk_review", "validation_meeting", "report"}
    if set(values) - allowed:
        raise ValidationError({"__all__": [_("These fields cannot be changed here.")]})
    meeting = values.get("validation_meeting")
    if meeting is not None:
        from tandem.bodies import access as bodies_access

        if not bodies_access.visible_meetings(actor).filter(pk=meeting.pk).exists():
            raise ValidationError({"validation_meeting": _("Choose a meeting you can see.")})
    return versioning.update(actor=actor, obj=exercise, expected_version=expected_version, values=values)


@transaction.atomic
def mapping_entry_add(
    *,
    actor: User,
    exercise: MappingExercise,
    kind: str,
    competency: Competency,
    text: str,
    evidence: str = "",
    places: list[Jurisdiction] | None = None,
) -> MappingEntry:
    access.require_run_mapping(actor, exercise)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the strength or obstacle.")})
    places = places or []
    if any(not p.path.startswith(exercise.jurisdiction.path) for p in places):
        raise ValidationError({"places": _("Choose places inside the mapped country or region.")})
    entry = MappingEntry.objects.create(
        exercise=exercise, kind=kind, competency=competency, text=text, evidence=evidence.strip()
    )
    entry.full_clean()
    entry.places.set(places)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=entry, changes={"kind": kind, "text": text})
    return entry


@transaction.atomic
def framework_import(*, actor: User, raw: bytes, name: str = "") -> Framework:
    """A new framework (or a new version of one) from a workbook or a JSON file: all or nothing, every error
    by row or entry.

    A version that exists is never changed (assessments keep the version they used): import a new
    version, which supersedes the latest one of the same key.
    """
    from tandem.core.access import is_admin

    from . import files

    if not is_admin(actor):
        raise PermissionDenied
    parsed = files.read_framework(raw, name)
    values = parsed.values
    if not parsed.errors and Framework.objects.filter(slug=values["slug"], version=values["version"]).exists():
        parsed.errors.append(
            _("Framework: version %(version)s of “%(slug)s” exists and cannot be changed: import a new version.")
            % {"version": values["version"], "slug": values["slug"]}
        )
    if parsed.errors:
        raise ValidationError({"file": parsed.errors})
    previous = Framework.objects.filter(slug=values["slug"]).order_by("-created_at", "-id").first()
    framework = Framework(
        slug=values["slug"][:60],
        name=values["name"][:200],
        version=values["version"][:20],
        languages=(values.get("languages") or "en")[:40],
        source=values.get("source", "")[:2000],
        licence=values.get("licence", "")[:2000],
        is_official=values["is_official"],
        author_statement=values["author_statement"][:2000],
        supersedes=previous,
    )
    framework.full_clean()
    framework.save()
    ScaleLevel.objects.bulk_create(
        [ScaleLevel(framework=framework, value=v, label_en=en[:100], label_fr=fr[:100]) for v, en, fr in parsed.levels]
    )
    for position, (code, comp) in enumerate(parsed.competencies.items()):
        competency = Competency.objects.create(
            framework=framework,
            code=code[:30],
            position=position,
            name_en=comp["name_en"][:200],
            name_fr=comp["name_fr"][:200],
            guidance_en=comp["guidance_en"][:4000],
            guidance_fr=comp["guidance_fr"][:4000],
        )
        Item.objects.bulk_create(
            [
                Item(
                    competency=competency,
                    position=i,
                    code=item["code"][:30],
                    statement_en=item["statement_en"][:1000],
                    statement_fr=item["statement_fr"][:1000],
                    guidance_en=item["guidance_en"][:4000],
                    guidance_fr=item["guidance_fr"][:4000],
                )
                for i, item in enumerate(comp["items"])
            ]
        )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=framework,
        changes={
            "statements": sum(len(c["items"]) for c in parsed.competencies.values()),
            "supersedes": str(previous or ""),
        },
    )
    return framework


@transaction.atomic
def recommendation_to_activity(*, actor: User, recommendation: Recommendation, plan: Any) -> Any:
    """Turn a recommendation into an activity of the jurisdiction's plan through the plans' own service
    (which checks that the actor may edit that plan)."""
    from tandem.plans import services as plans_services

    access.require_manage(actor, recommendation.assessment)
    if recommendation.activity_id is not None:
        raise ValidationError({"plan": _("This recommendation is already a plan activity.")})
    if plan.jurisdiction_id != recommendation.assessment.jurisdiction_id:
        raise ValidationError({"plan": _("Choose a plan of the assessed jurisdiction.")})
    activity = plans_services.activity_create(actor=actor, plan=plan, title=recommendation.text[:300])
    Recommendation.objects.filter(pk=recommendation.pk).update(activity=activity)
    recommendation.activity = activity
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=recommendation, changes={"activity": str(activity.uuid)})
    return activity
