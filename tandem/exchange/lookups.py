"""Lookup endpoints of the exchange: recipients matched as the sender types.

Each answers over the same access function the compose, forward and agreement forms
validate their choices against (``access.addressable_*``, ``access.forward_*``).
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import lookups

from . import access
from .permissions import requires


@requires("exchange.send")
@require_GET
def exchange_lookup_organisations(request):
    return lookups.respond(request, access.addressable_organisations(request.user), "organisation", to_field="pk")


@requires("exchange.send")
@require_GET
def exchange_lookup_people(request):
    return lookups.respond(request, access.addressable_people(request.user), "person", to_field="pk")


@requires("exchange.send")
@require_GET
def exchange_lookup_jurisdictions(request):
    return lookups.respond(request, access.addressable_jurisdictions(request.user), "jurisdiction", to_field="pk")


@requires("exchange.send")
@require_GET
def exchange_lookup_bodies(request):
    return lookups.respond(request, access.addressable_bodies(request.user), "body", to_field="pk")


@requires("exchange.read")
@require_GET
def exchange_lookup_forward_organisations(request):
    return lookups.respond(request, access.forward_organisations(request.user), "organisation", to_field="pk")


@requires("exchange.read")
@require_GET
def exchange_lookup_forward_people(request):
    return lookups.respond(request, access.forward_people(request.user), "person", to_field="pk")
