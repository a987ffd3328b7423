from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Connect the sign-in receivers: the audit log, the sign-in time session timeouts count from,
        # and request.access following the user who signs in or out. idsets registers the
        # ``in_array`` lookup on every field.
        from . import auth_audit, idsets, middleware, security  # noqa: F401
        from .audit_scope import register_core_scopes

        register_core_scopes()
        from . import onboarding, registry

        registry.register("first_steps", "core", onboarding.first_steps, order=0)

        for object_type, url_name in (
            ("jurisdiction", "jurisdiction_detail"),
            ("organisation", "organisation_detail"),
            ("person", "person_detail"),
        ):
            registry.register("record_url", object_type, url_name)
        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
