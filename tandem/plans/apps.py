from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = (
    "actionplan",
    "pillar",
    "objective",
    "indicator",
    "activity",
    "alignment",
    "reportingperiod",
    "roadmapstagechange",
)


def audit_scope(user: Any) -> Any:
    """Events about a plan's records to those who may read the plan; the roadmap to every role of
    the country. A deleted activity has no record left: its deletion is shown to the coordinators
    of the plan's unit (who could edit it)."""
    from django.db.models import Q

    from tandem.core.access import COORDINATOR_RANK, path_q, scope_paths
    from tandem.core.audit_scope import records_by_type

    from . import access

    deleted = Q(object_type="activity", action="delete") & path_q(
        scope_paths(user, COORDINATOR_RANK), "jurisdiction_path"
    )
    rules = records_by_type(
        {
            "actionplan": lambda: access.visible_plans(user),
            "pillar": lambda: access.visible_pillars(user),
            "objective": lambda: access.visible_objectives(user),
            "indicator": lambda: access.visible_indicators(user),
            "activity": lambda: access.visible_activities(user),
            "alignment": lambda: access.visible_alignments(user),
            "reportingperiod": lambda: access.visible_periods(user),
            "roadmapstagechange": lambda: access.visible_roadmap_changes(user),
        }
    )
    return rules | deleted


class PlansConfig(AppConfig):
    name = "tandem.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import demo, onboarding, scale

        registry.register("first_steps", "plans", onboarding.first_steps, order=20)

        registry.register("demo_builder", "plans", demo.build, order=20)
        registry.register("scale_builder", "plans", scale.build, order=20)
        registry.register("record_url", "actionplan", "plan_detail")
        registry.register(
            "nav_item", "plans", registry.NavItem("plan_list", _("Plans"), "plans.view", ("plan",)), order=20
        )

        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
