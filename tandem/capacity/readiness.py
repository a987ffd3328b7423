"""Ready to share: the course a country requires before its people send at AMBER and above.

``send_gate`` is registered with core (``registry`` hook ``send_gate``); the exchange asks it
before sending and on the preview page. It answers ``None`` (go ahead) or what is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.access import ROLE_RANK, Actor, get_access, path_q
from tandem.core.models import AuditAction, Jurisdiction, JurisdictionKind, Role, User
from tandem.core.services import audit_record

from .models import Certificate, Course, SharingExemption, SharingRequirement

GATED_LABELS = ("AMBER", "AMBER_STRICT", "RED")
NATIONAL_RANK = ROLE_RANK[Role.NATIONAL_COORDINATOR]


def _country_of(jurisdiction: Jurisdiction) -> str:
    return jurisdiction.country_path or jurisdiction.path


def requirement_for(jurisdiction: Jurisdiction) -> SharingRequirement | None:
    return SharingRequirement.objects.filter(country__path=_country_of(jurisdiction)).select_related("course").first()


def is_ready(user: User, requirement: SharingRequirement) -> bool:
    since = timezone.localdate() - dt.timedelta(days=requirement.valid_days)
    completed = Certificate.objects.filter(
        participation__person__user_id=user.pk,
        participation__session__course_id=requirement.course_id,
        completed_on__gte=since,
    ).exists()
    return completed or SharingExemption.objects.filter(requirement=requirement, user_id=user.pk).exists()


def send_gate(user: Any, jurisdiction: Jurisdiction, tlp: str) -> str | None:
    """What ``user`` lacks to send at ``tlp`` from ``jurisdiction`` (``None``: nothing)."""
    if tlp not in GATED_LABELS or user is None or not getattr(user, "pk", None):
        return None
    requirement = requirement_for(jurisdiction)
    if requirement is None or is_ready(user, requirement):
        return None
    return _(
        "Before you send at AMBER or above in %(country)s, complete the course “%(course)s” (a completion is "
        "valid for %(days)d days), or ask your national coordinator for an exemption."
    ) % {"country": requirement.country.name, "course": requirement.course.title, "days": requirement.valid_days}


def requirement_countries(actor: Actor) -> QuerySet[Jurisdiction]:
    """Countries where the actor is national coordinator (or above)."""
    access = get_access(actor)
    return Jurisdiction.objects.filter(
        path_q(access.scope_paths(NATIONAL_RANK), "path"), kind=JurisdictionKind.COUNTRY
    ).order_by("name")


@transaction.atomic
def requirement_set(*, actor: User, country: Jurisdiction, course: Course, valid_days: int) -> SharingRequirement:
    if country.kind != JurisdictionKind.COUNTRY or get_access(actor).rank_at(country) < NATIONAL_RANK:
        raise PermissionDenied
    if not 1 <= valid_days <= 3650:
        raise ValidationError({"valid_days": _("Between 1 and 3650 days.")})
    requirement, _created = SharingRequirement.objects.update_or_create(
        country=country, defaults={"course": course, "valid_days": valid_days, "set_by": actor}
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=requirement,
        jurisdiction=country,
        changes={"course": course.title, "valid_days": valid_days},
    )
    return requirement


@transaction.atomic
def exemption_grant(*, actor: User, requirement: SharingRequirement, user: User, reason: str) -> SharingExemption:
    if get_access(actor).rank_at(requirement.country) < NATIONAL_RANK:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("State the reason for the exemption.")})
    exemption, _created = SharingExemption.objects.update_or_create(
        requirement=requirement, user=user, defaults={"reason": reason.strip(), "granted_by": actor}
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=exemption,
        jurisdiction=requirement.country,
        changes={"user": user.get_username(), "reason": reason.strip()},
    )
    return exemption


__all__ = ["exemption_grant", "requirement_countries", "requirement_set", "send_gate"]
