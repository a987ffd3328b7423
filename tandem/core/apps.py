from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Connect the sign-in receivers: the audit log, the sign-in time session timeouts count from,
        # and request.access following the user who signs in or out.
        from . import auth_audit, middleware, security  # noqa: F401
        from .audit_scope import register_core_scopes

        register_core_scopes()
