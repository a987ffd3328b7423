"""Core's first steps for a new coordinator (registry ``first_steps``): their organisation's
profile and the people they work with. Each step is done when the record says so."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .registry import FirstStep


def first_steps(user: Any) -> list[FirstStep]:
    mine = access.get_access(user)
    if not mine.has_any_rank(access.COORDINATOR_RANK):
        return []
    steps = []
    org_ids = [g.organisation_id for g in mine.grants if g.organisation_id]
    organisation = access.visible_organisations(mine).filter(pk__in=org_ids).first() if org_ids else None
    if organisation is not None:
        steps.append(
            FirstStep(
                _("Describe your organisation (what it does, its website)"),
                reverse("organisation_edit", args=[organisation.uuid]),
                bool(organisation.description),
            )
        )
    others = access.visible_people(mine).exclude(user_id=getattr(user, "pk", None))
    steps.append(
        FirstStep(_("Add the people you work with to the directory"), reverse("person_create"), others.exists())
    )
    return steps
