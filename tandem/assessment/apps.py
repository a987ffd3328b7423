from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = (
    "framework",
    "assessment",
    "mappingexercise",
    "mappingentry",
    "respondent",
    "evidencelink",
    "finding",
    "recommendation",
)


def audit_scope(user: Any) -> Any:
    """Events about an assessment and its parts to those who may open the assessment; events about a
    respondent's answers and evidence to the respondent and the lead only."""
    from tandem.core.audit_scope import records_by_type

    from . import access

    return records_by_type(
        {
            "framework": lambda: access.visible_frameworks(user),
            "assessment": lambda: access.visible_assessments(user),
            "respondent": lambda: access.visible_answer_sheets(user),
            "evidencelink": lambda: access.visible_evidence_links(user),
            "finding": lambda: access.visible_findings(user),
            "recommendation": lambda: access.visible_recommendations(user),
            "mappingexercise": lambda: access.visible_mappings(user),
            "mappingentry": lambda: access.visible_mapping_entries(user),
        }
    )


class AssessmentConfig(AppConfig):
    name = "tandem.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from tandem.core import registry

        from . import dashboard, demo, scale

        registry.register(
            "nav_item",
            "assessment",
            registry.NavItem("assessment_list", _("Assessment"), "assessment.view", ("assessment",)),
            order=40,
        )
        registry.register("home_panel", "assessment", dashboard.panel, order=40)
        registry.register("demo_builder", "assessment", demo.build, order=40)
        registry.register("scale_builder", "assessment", scale.build, order=40)
        registry.register("record_url", "assessment", "assessment_detail")
        registry.register("record_url", "mappingexercise", "mapping_detail")
        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        from . import figures

        for figure in figures.FIGURES:  # on the dashboards
            registry.register("dashboard_figure", figure.key, figure, order=figure.order)

        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
