from typing import Any

from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = ("notification", "preference")


def audit_scope(user: Any) -> Any:
    """Changes of someone's notification settings: to that person (and administrators)."""
    return Q(object_type__in=AUDITED_TYPES, actor_id=getattr(user, "pk", None))


class NotificationsConfig(AppConfig):
    name = "tandem.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import scale, tasks

        registry.register("event_listener", "notifications", tasks.enqueue_event)
        registry.register("scale_builder", "notifications", scale.build, order=60)  # after bodies and exchange
        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
