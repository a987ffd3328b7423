from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = ("event", "agendasession", "participant", "breakout", "commitment", "eventreport")


def audit_scope(user: Any) -> Any:
    """Events about an event, its sessions, groups and commitments to those who read the event;
    about a participant to those who see the participant (``events.access``); about the report
    to those who read the report."""
    from tandem.core.audit_scope import records_q

    from . import access
    from .models import AgendaSession

    events = access.visible_events(user)
    return (
        records_q("event", events)
        | records_q(
            "agendasession",
            AgendaSession.objects.filter(event__in=events.values("id")),  # access-ok: part of a visible event
        )
        | records_q("participant", access.visible_participants(user))
        | records_q("breakout", access.visible_breakouts(user))
        | records_q("commitment", access.visible_commitments(user))
        | records_q("eventreport", access.visible_reports(user))
    )


class EventsConfig(AppConfig):
    name = "tandem.events"
    label = "events"
    verbose_name = _("Workshops and events")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import demo, scale

        registry.register(
            "nav_item",
            "events",
            registry.NavItem(
                "event_list", _("Events"), "events.view", ("event", "participant", "breakout", "commitment")
            ),
            order=42,
        )
        registry.register("demo_builder", "events", demo.build, order=50)
        registry.register("scale_builder", "events", scale.build, order=50)
        registry.register("record_url", "event", "event_detail")
        registry.register("record_url", "breakout", "breakout_detail")
        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        # Its events in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
