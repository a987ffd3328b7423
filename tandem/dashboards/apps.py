from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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

        cache.connect()  # a write drops the cached numbers (tandem.dashboards.cache)

        registry.register(
            "nav_item",
            "dashboards",
            registry.NavItem("dashboard", _("Dashboard"), "dashboards.view", ("dashboard",)),
            order=5,
        )
        for figure in selectors.OWN_FIGURES:
            registry.register("dashboard_figure", figure.key, figure, order=figure.order)
