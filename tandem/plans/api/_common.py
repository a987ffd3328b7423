"""Helpers shared by the modules of the plans API."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core.api import (
    InSchema,
)

from .. import access, selectors


def _plan(actor: Any, uuid: UUID) -> Any:
    return core_access.get_visible_or_404(access.with_plans_above(actor, access.visible_plans(actor)), uuid=uuid)


def _editable(actor: Any, uuid: UUID) -> Any:
    plan = _plan(actor, uuid)
    access.require_edit(actor, plan)
    return plan


def _activities(actor: Any) -> Any:
    return access.visible_activities(actor).prefetch_related("partner_orgs", selectors.alignment_prefetch(actor))


def _patch_values(payload: InSchema, *, blank: tuple[str, ...] = (), required: tuple[str, ...] = ()) -> dict:
    """The fields a PATCH sent: null clears ``blank`` text fields and is ignored for ``required`` ones."""
    values = payload.model_dump(exclude_unset=True)
    for name in blank:
        if name in values and values[name] is None:
            values[name] = ""
    return {k: v for k, v in values.items() if not (k in required and v is None)}


def _national_objectives(actor: Any, plan: Any, uuids: list[UUID]) -> list[Any]:
    if not uuids:
        return []
    found = list(access.alignment_targets(actor, plan).filter(uuid__in=uuids))
    if len(found) != len(set(uuids)):
        raise ValidationError(
            {
                "national_objectives": _(
                    "Choose objectives of the national plan this plan implements, or of its regional plan."
                )
            }
        )
    return found
