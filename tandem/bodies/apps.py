from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDITED_TYPES = ("body", "membership", "seat", "seatholding", "meeting", "minutesversion", "decision", "actionitem")


def audit_scope(user: Any) -> Any:
    """Events about a body's records, by the record's rule: the body, its members and seats to
    every role of its country; meetings, minutes, decisions and action items to those who see
    its internals (members and coordinators)."""
    from tandem.core.audit_scope import records_by_type

    from . import access

    return records_by_type(
        {
            "body": lambda: access.visible_bodies(user, include_archived=True),
            "membership": lambda: access.visible_memberships(user),
            "seat": lambda: access.visible_seats(user),
            "seatholding": lambda: access.visible_seat_holdings(user),
            "meeting": lambda: access.visible_meetings(user),
            "minutesversion": lambda: access.visible_minutes(user),
            "decision": lambda: access.visible_decisions(user),
            # Without the display's flag and joins: the feed reads only the uuids (the same SQL).
            "actionitem": lambda: access.visible_action_items(user, for_display=False),
        }
    )


class BodiesConfig(AppConfig):
    name = "tandem.bodies"
    label = "bodies"
    verbose_name = _("Coordination bodies")

    def ready(self) -> None:
        # Plug into core (core never imports this app): see tandem.core.registry.
        from tandem.core import registry

        from . import access, dashboard, demo, scale

        registry.register("home_panel", "bodies", dashboard.panel, order=10)
        registry.register("first_steps", "bodies", dashboard.first_steps, order=10)
        registry.register(
            "nav_item",
            "bodies",
            registry.NavItem("body_list", _("Bodies"), "bodies.view", ("bodies", "body", "meeting", "action_item")),
            order=10,
        )
        registry.register("demo_builder", "bodies", demo.build, order=10)  # before plans and exchange: they use bodies
        registry.register("scale_builder", "bodies", scale.build, order=10)
        for object_type, url_name in (
            ("body", "body_detail"),
            ("meeting", "meeting_detail"),
            ("actionitem", "action_item_detail"),
        ):
            registry.register("record_url", object_type, url_name)
        registry.register("contact_scope", "bodies", access.fellow_member_contacts_q)

        registry.register_audit_scope(AUDITED_TYPES, audit_scope)
        # Its records in the global search (tandem.search indexes them; core.registry.SearchSource).
        from . import searchable

        for source in searchable.SOURCES:
            registry.register("search_source", source.kind, source)
