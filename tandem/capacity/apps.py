from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = (
    "course",
    "trainingsession",
    "participation",
    "feedback",
    "certificate",
    "trainingneed",
    "sharingrequirement",
    "sharingexemption",
    "coursematerial",
)


def audit_scope(user: Any) -> Any:
    """Events about courses and sessions to those who see them; about a participation, its feedback and
    certificate to those who see the participation (the person, their coordinators, the organisers)."""
    from tandem.core.audit_scope import records_by_type

    from . import access

    return records_by_type(
        {
            "course": lambda: access.visible_courses(user),
            "trainingsession": lambda: access.visible_sessions(user),
            "participation": lambda: access.visible_participations(user),
            "feedback": lambda: access.visible_feedback(user),
            "certificate": lambda: access.visible_certificates(user),
            "trainingneed": lambda: access.visible_needs(user),
            "sharingrequirement": lambda: access.visible_requirements(user),
            "sharingexemption": lambda: access.visible_exemptions(user),
            "coursematerial": lambda: access.visible_materials(user),
        }
    )


class CapacityConfig(AppConfig):
    name = "tandem.capacity"
    label = "capacity"
    verbose_name = _("Capacity building")

    def ready(self) -> None:
        from tandem.core import registry

        from . import demo, readiness, scale

        registry.register(
            "nav_item",
            "capacity",
            registry.NavItem("course_list", _("Training"), "capacity.view", ("capacity",)),
            order=40,
        )
        registry.register("demo_builder", "capacity", demo.build, order=40)
        registry.register("scale_builder", "capacity", scale.build, order=40)
        registry.register("send_gate", "capacity", readiness.send_gate)  # the exchange asks before AMBER+ sending
        for object_type, url_name in (
            ("course", "course_detail"),
            ("trainingsession", "session_detail"),
            ("trainingneed", "need_detail"),
        ):
            registry.register("record_url", object_type, url_name)
        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        from . import figures

        for figure in figures.FIGURES:  # on the dashboards
            registry.register("dashboard_figure", figure.key, figure, order=figure.order)

        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
