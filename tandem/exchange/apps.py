from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = ("exchangeitem", "reply", "attachment", "sharingagreement")


def audit_scope(user: Any) -> Any:
    """Events about exchange items (their replies and attachments) to those who may read the item,
    by ``exchange.access`` (TLP and audience); agreements to every role of their country."""
    from tandem.core.audit_scope import records_by_type

    from . import access

    return records_by_type(
        {
            "exchangeitem": lambda: access.visible_items(user),
            "reply": lambda: access.visible_replies(user),
            "attachment": lambda: access.visible_attachments(user),
            "sharingagreement": lambda: access.visible_agreements(user),
        }
    )


class ExchangeConfig(AppConfig):
    name = "tandem.exchange"
    label = "exchange"
    verbose_name = _("Information exchange")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import dashboard, demo, scale

        registry.register("home_panel", "exchange", dashboard.panel, order=30)
        registry.register(
            "nav_item",
            "exchange",
            registry.NavItem("exchange_inbox", _("Exchange"), "exchange.read", ("exchange",)),
            order=30,
        )
        registry.register("demo_builder", "exchange", demo.build, order=30)
        registry.register("scale_builder", "exchange", scale.build, order=30)
        registry.register("record_url", "exchangeitem", "exchange_detail")
        registry.register("record_url", "sharingagreement", "agreement_detail")

        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
