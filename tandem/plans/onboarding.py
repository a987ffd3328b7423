"""The plans' first step for a coordinator: their jurisdiction's action plan."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.core.registry import FirstStep

from . import access


def first_steps(user: Any) -> list[FirstStep]:
    if not access.can_create_plans(user):
        return []
    managed = access.editable_jurisdictions(user).values("id")
    has_plan = access.visible_plans(user).filter(jurisdiction__in=managed).exists()
    return [FirstStep(_("Start your jurisdiction's action plan"), reverse("plan_create"), has_plan)]
