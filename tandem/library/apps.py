from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = ("libraryitem", "itemattachment", "checklistrun")


def audit_scope(user: Any) -> Any:
    """Events about library items (and their files) to those who may read the item; checklist
    records to those who cover their jurisdiction (``library.access``)."""
    from tandem.core.audit_scope import records_by_type

    from . import access

    return records_by_type(
        {
            "libraryitem": lambda: access.visible_items(user),
            "itemattachment": lambda: access.visible_attachments(user),
            "checklistrun": lambda: access.visible_checklist_runs(user),
        }
    )


class LibraryConfig(AppConfig):
    name = "tandem.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import demo, lookups, scale

        registry.register(
            "nav_item",
            "library",
            registry.NavItem("library_search", _("Library"), "library.read", ("library",)),
            order=40,
        )
        registry.register("demo_builder", "library", demo.build, order=40)
        registry.register("scale_builder", "library", scale.build, order=40)
        lookups.register_kinds()
        registry.register("record_url", "libraryitem", "library_item_detail")
        registry.register("record_url", "checklistrun", "checklist_run")
        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
