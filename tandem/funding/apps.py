from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = (
    "fundingsource",
    "call",
    "application",
    "applicationdocument",
    "reviewassignment",
    "award",
    "tranche",
    "payment",
    "spendreport",
    "receipt",
    "offer",
    "match",
)


def audit_scope(user: Any) -> Any:
    """Events about funding records, by each record's own rule (tandem.funding.access)."""
    from tandem.core.audit_scope import records_by_type

    from . import access

    return records_by_type(
        {
            "fundingsource": lambda: access.visible_sources(user),
            "call": lambda: access.visible_calls(user),
            "application": lambda: access.visible_applications(user),
            "applicationdocument": lambda: access.visible_documents(user),
            "reviewassignment": lambda: access.visible_assignments(user),
            "award": lambda: access.visible_awards(user),
            "tranche": lambda: access.visible_tranches(user),
            "payment": lambda: access.visible_payments(user),
            "spendreport": lambda: access.visible_reports(user),
            "receipt": lambda: access.visible_receipts(user),
            "offer": lambda: access.visible_offers(user),
            "match": lambda: access.visible_matches(user),
        }
    )


class FundingConfig(AppConfig):
    name = "tandem.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from tandem.core import registry

        from . import demo, lookups, scale

        registry.register(
            "nav_item",
            "funding",
            registry.NavItem("funding_calls", _("Funding"), "funding.view", ("funding",)),
            order=40,
        )
        registry.register("demo_builder", "funding", demo.build, order=40)
        registry.register("scale_builder", "funding", scale.build, order=40)
        lookups.register_kinds()
        registry.register("record_url", "call", "funding_call_detail")
        registry.register("record_url", "application", "funding_application_detail")
        registry.register("record_url", "award", "funding_award_detail")
        registry.register("record_url", "offer", "funding_offer_detail")
        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        from . import figures

        for figure in figures.FIGURES:  # on the dashboards
            registry.register("dashboard_figure", figure.key, figure, order=figure.order)

        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
