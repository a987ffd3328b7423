from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tandem.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry. This app comes
        # last in TANDEM_APPS, so every search source is registered when it connects its signals.
        from tandem.core import registry

        from . import index, scale

        registry.register(
            "nav_item", "search", registry.NavItem("search", _("Search"), "search.use", ("search",)), order=1
        )
        registry.register("scale_builder", "search", scale.build, order=90)  # after every indexed record
        registry.register("bulk_finish", "search", index.after_bulk)  # the index, after the demo's saves
        index.connect_signals()
