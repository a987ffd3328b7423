from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = ("quarterlyreport",)


def audit_scope(user: Any) -> Any:
    """Events about a quarterly report to those who may open it (its requester, while their roles and
    the place are as when they asked)."""
    from tandem.core.audit_scope import records_by_type

    from . import access

    return records_by_type({"quarterlyreport": lambda: access.visible_reports(user)})


class DashboardsConfig(AppConfig):
    name = "tandem.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import (
            cache,
            permissions,  # noqa: F401  (declares dashboards.view)
            selectors,
        )

        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        cache.connect()  # a write drops the cached numbers (tandem.dashboards.cache)
        registry.register("bulk_finish", "dashboards", cache.after_bulk)
        registry.register("reader_numbers", "dashboards", cache.reader_numbers)  # the home page's counts
        registry.register("place_numbers", "dashboards", cache.directory_numbers)  # a place's page's counts

        registry.register(
            "nav_item",
            "dashboards",
            registry.NavItem("dashboard", _("Dashboard"), "dashboards.view", ("dashboard",)),
            order=5,
        )
        for figure in selectors.OWN_FIGURES:
            registry.register("dashboard_figure", figure.key, figure, order=figure.order)
