from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = ("networkmembership",)


def audit_scope(user: Any) -> Any:
    """Events about a membership to those who may see the membership (``membership.access``)."""
    from tandem.core.audit_scope import records_q

    from . import access

    return records_q("networkmembership", access.visible_memberships(user))


class MembershipConfig(AppConfig):
    name = "tandem.membership"
    label = "membership"
    verbose_name = _("Network membership")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import demo, scale

        registry.register(
            "nav_item",
            "membership",
            registry.NavItem("membership_list", _("Membership"), "membership.read", ("membership",)),
            order=45,
        )
        registry.register("demo_builder", "membership", demo.build, order=45)
        registry.register("scale_builder", "membership", scale.build, order=45)
        registry.register("record_url", "networkmembership", "membership_detail")
        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
