"""The kinds of notification, and for each record type the access rule that says who may open it.

Apps announce changes through ``tandem.core.events.emit(kind, record, ...)``; a kind not listed
here is ignored. Every notification is checked against the record's own access rule when it is
created and again whenever it is shown or e-mailed: someone who cannot open the record never
hears of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    group: Any


EXCHANGE = _("Information exchange")
BODIES = _("Coordination bodies")
PLANS = _("Action plans")
ASSESSMENT = _("Assessments")
CAPACITY = _("Training")
FUNDING = _("Funding")
LIBRARY = _("Library")
MEMBERSHIP = _("Network membership")

KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("exchange.item_received", _("An exchange item was sent to me"), EXCHANGE),
        Kind("exchange.request_due_soon", _("A request is due in 3 days"), EXCHANGE),
        Kind("exchange.request_overdue", _("A request is overdue"), EXCHANGE),
        Kind("exchange.request_answered", _("My request was answered"), EXCHANGE),
        Kind("bodies.action_assigned", _("An action item was assigned to me"), BODIES),
        Kind("bodies.action_due_soon", _("My action item is due in 3 days"), BODIES),
        Kind("bodies.action_overdue", _("My action item is overdue"), BODIES),
        Kind("bodies.meeting_invitation", _("I was invited to a meeting"), BODIES),
        Kind("plans.progress_submitted", _("Progress was submitted for my review"), PLANS),
        Kind("plans.progress_accepted", _("My progress report was accepted"), PLANS),
        Kind("plans.progress_sent_back", _("My progress report was sent back"), PLANS),
        Kind("assessment.invitation", _("I was invited to answer an assessment"), ASSESSMENT),
        Kind("assessment.validation_request", _("An assessment I answered asks for my validation"), ASSESSMENT),
        Kind("capacity.nominated", _("Someone was nominated for a training session (me, or in mine)"), CAPACITY),
        Kind("capacity.place_requested", _("Someone asked for a place in a session I organise"), CAPACITY),
        Kind("capacity.place_decided", _("My place in a training session was decided"), CAPACITY),
        Kind("capacity.promoted", _("I moved from the waiting list to a place"), CAPACITY),
        Kind("capacity.session_cancelled", _("A training session I hold a place in was cancelled"), CAPACITY),
        Kind("funding.review_assigned", _("I was asked to review a funding application"), FUNDING),
        Kind("funding.decision", _("My funding application was decided"), FUNDING),
        Kind("library.review_requested", _("A library item waits for my review"), LIBRARY),
        Kind("library.decision", _("My library item was published or sent back"), LIBRARY),
        Kind("membership.decision", _("Our network membership application was decided"), MEMBERSHIP),
    )
}
KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]


def _visible(module: str, function: str) -> Callable[[Any], QuerySet]:
    def rule(user: Any) -> QuerySet:
        import importlib

        return getattr(importlib.import_module(module), function)(user)

    return rule


# object type (model name) -> fn(user) -> the queryset of those records the user may open.
RECORD_RULES: dict[str, Callable[[Any], QuerySet]] = {
    "exchangeitem": _visible("tandem.exchange.access", "visible_items"),
    "actionitem": _visible("tandem.bodies.access", "visible_action_items"),
    "meeting": _visible("tandem.bodies.access", "visible_meetings"),
    "reportingperiod": _visible("tandem.plans.access", "visible_periods"),
    "assessment": _visible("tandem.assessment.access", "visible_assessments"),
    "trainingsession": _visible("tandem.capacity.access", "visible_sessions"),
    "reviewassignment": _visible("tandem.funding.access", "visible_assignments"),
    "application": _visible("tandem.funding.access", "visible_applications"),
    "libraryitem": _visible("tandem.library.access", "visible_items"),
    "networkmembership": _visible("tandem.membership.access", "visible_memberships"),
}


def visible_uuids(user: Any, object_type: str, uuids: list[str]) -> set[str]:
    """Which of ``uuids`` (of ``object_type``) ``user`` may open now; unknown types: none."""
    rule = RECORD_RULES.get(object_type)
    if rule is None or not uuids:
        return set()
    return {str(u) for u in rule(user).order_by().filter(uuid__in_array=uuids).values_list("uuid", flat=True)}
