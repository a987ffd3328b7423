"""Training needs: raised by a coordinator, answered by the level that can."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import versioning
from tandem.core.access import COORDINATOR_RANK, get_access
from tandem.core.models import AuditAction, Jurisdiction, Sector, User
from tandem.core.services import audit_record

from .. import access
from ..models import Competency, TrainingNeed, Urgency


@transaction.atomic
def need_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    competency: str,
    people_count: int,
    urgency: str,
    sector: str = "",
    description: str = "",
) -> TrainingNeed:
    if get_access(actor).rank_at(jurisdiction) < COORDINATOR_RANK:
        raise PermissionDenied
    if competency not in Competency.values or urgency not in Urgency.values or (sector and sector not in Sector.values):
        raise ValidationError(_("Choose a competency, an urgency and a sector from the lists."))
    if people_count < 1:
        raise ValidationError({"people_count": _("At least one person.")})
    need = TrainingNeed(
        jurisdiction=jurisdiction,
        competency=competency,
        sector=sector,
        people_count=people_count,
        urgency=urgency,
        description=description.strip(),
        raised_by=actor,
    )
    need.full_clean()
    need.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=need, changes={"competency": competency})
    return need


@transaction.atomic
def need_answer(*, actor: User, need: TrainingNeed, answer: str, expected_version: int) -> TrainingNeed:
    if not access.can_answer_need(actor, need):
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    locked = versioning.lock(need, expected_version=expected_version, actor=actor, fields=["answer"])
    return versioning.save(
        locked,
        {"answer": answer.strip(), "answered_by": actor, "answered_at": timezone.now()},
        actor=actor,
        changes={"answer": answer.strip()[:200]},
    )
