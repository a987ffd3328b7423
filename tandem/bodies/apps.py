from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "tandem.bodies"
    label = "bodies"
    verbose_name = _("Coordination bodies")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import access, dashboard, demo

        registry.register("home_panel", "bodies", dashboard.panel, order=10)
        registry.register("demo_builder", "bodies", demo.build, order=10)  # before plans and exchange: they use bodies
        registry.register("contact_scope", "bodies", access.fellow_member_contacts_q)
