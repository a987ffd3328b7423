"""What the write modules of plans share: the editable fields and a helper."""

from __future__ import annotations

from typing import Any

PLAN_FIELDS = (
    "title",
    "legal_instrument",
    "summary",
    "period_start",
    "period_end",
    "owner_body",
    "visible_to_partners",
    "regional_plan",
)
OBJECTIVE_FIELDS = ("code", "text", "pillar")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "frequency", "additive", "objective")
ACTIVITY_FIELDS = (
    "title",
    "description",
    "objective",
    "responsible_org",
    "budget",
    "currency",
    "budget_source",
    "start_date",
    "end_date",
    "status",
)


def _filled(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in ("", None)}
