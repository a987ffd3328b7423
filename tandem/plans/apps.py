from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tandem.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import demo

        registry.register("demo_builder", "plans", demo.build, order=20)
