from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tandem.exchange"
    label = "exchange"
    verbose_name = _("Information exchange")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import dashboard, demo

        registry.register("home_panel", "exchange", dashboard.panel, order=30)
        registry.register("demo_builder", "exchange", demo.build, order=30)
