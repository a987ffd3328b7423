"""Lookup endpoints of funding: where an applied-for project takes place, the plan activities it
contributes to, and the plan objectives a call serves, matched as one types.

Each answers over the queryset its form validates against (the visible units within the
call's, ``core.lookups.places_within``; the visible objectives). The funding source, call, offer and match forms use core's jurisdiction lookups
(visible or managed jurisdictions, as their views' querysets); the match form also searches the
activities without a budget and the open requests for support (``selectors.unfunded_activities``,
``selectors.exchange_needs``), which a select listed in full.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tandem.core import access as core_access
from tandem.core import lookups
from tandem.plans import access as plans_access

from . import access, selectors
from .permissions import requires


def _objective_label(objective) -> str:
    """ "L2 Safer schools (Local plan of Cebu City)": the code repeats in every local plan."""
    return f"{objective.code} {objective.text[:80]} ({objective.plan.title})"


def _activity_label(activity) -> str:
    """ "Youth dialogue series (Local plan of Cebu City)": activities of two plans may share a title."""
    return f"{activity.title[:100]} ({activity.plan.title})"


def _request_label(item) -> str:
    """ "Venue for the youth forum (TLP:GREEN)": the label says how far the request may travel."""
    return f"{item.title[:100]} ({item.get_tlp_display()})"


def register_kinds() -> None:
    lookups.register_kind(
        "plan_activity",
        lookups.Kind(("title", "plan__title"), _activity_label, ("plan",), _("plan activities"), "plans.Activity"),
    )
    lookups.register_kind(
        "exchange_request",
        lookups.Kind(("title",), _request_label, (), _("requests"), "exchange.ExchangeItem"),
    )
    lookups.register_kind(
        "objective",
        lookups.Kind(
            ("code", "text", "plan__title"), _objective_label, ("plan",), _("plan objectives"), "plans.Objective"
        ),
    )


def call_objectives(user):
    """The plan objectives a call may serve: those the user sees (the call form's choices)."""
    return plans_access.visible_objectives(user)


@requires("funding.manage")
@require_GET
def funding_lookup_objectives(request):
    return lookups.respond(request, call_objectives(request.user), "objective")


@requires("funding.manage")
@require_GET
def funding_lookup_unfunded_activities(request):
    """Plan activities without a budget that a match may name (``selectors.unfunded_activities``);
    ``funding.manage`` asks a coordinator's rank, as the offer page does to show the form."""
    return lookups.respond(request, selectors.unfunded_activities(request.user), "plan_activity")


@requires("funding.manage")
@require_GET
def funding_lookup_exchange_needs(request):
    """Open requests for support that a match may name (``selectors.exchange_needs``)."""
    return lookups.respond(request, selectors.exchange_needs(request.user), "exchange_request")


@requires("funding.apply")
@require_GET
def funding_lookup_call_places(request, uuid):
    call = core_access.get_visible_or_404(access.visible_calls(request.user), uuid=uuid)
    return lookups.respond(request, lookups.places_within(request.user, call.jurisdiction), "jurisdiction")


@requires("funding.apply")
@require_GET
def funding_lookup_call_activities(request, uuid):
    """The plan activities an application to the call may name (``selectors.call_activities``)."""
    call = core_access.get_visible_or_404(access.visible_calls(request.user), uuid=uuid)
    return lookups.respond(request, selectors.call_activities(request.user, call), "plan_activity")
