from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tandem.core.permissions import requires

from .. import access, registry, selectors
from ..context_processors import SESSION_KEY
from ..models import AuditAction


def dashboard_panels(user) -> list[dict]:
    """The panels the apps register (``home_panel`` hooks), in their order; a hook may return None."""
    panels = (panel(user) for panel in registry.functions("home_panel"))
    return [p for p in panels if p]


@requires("signed_in")
@require_GET
def home(request):
    user = request.user
    mine = access.request_access(request)
    context = {
        "grants": mine.grants,
        "activity": _linked(selectors.latest_activity(user)),
        "counts": _counts(mine),
        "panels": dashboard_panels(user),
        "first_steps": _first_steps(request, mine),
    }
    return render(request, "core/home.html", context)


def _counts(mine: access.Access) -> dict[str, int]:
    """The directory's counts in the user's scope; cached like the dashboard's numbers where an app
    offers that cache (``reader_numbers`` hook: per user and roles, until a counted record changes)."""

    def count() -> dict[str, int]:
        return {
            "organisations": access.visible_organisations(mine).count(),
            "people": access.visible_people(mine, contacts=False).count(),
            "jurisdictions": access.visible_jurisdictions(mine).count(),
        }

    cached = registry.functions("reader_numbers")
    return cached[0](mine, "home-counts", count) if cached else count()


# Session key: the grants (roles and places) for which every first step was found done.
FIRST_STEPS_DONE = "first_steps_done"


def _first_steps(request, mine: access.Access) -> list:
    """The guide for a new user of a role, shown until every step is done.

    Once every step is done (or the roles have none) the session remembers it for these grants, so
    the home page stops checking the steps' records on each visit (six queries for a coordinator).
    A new role brings the guide back; a step undone later shows again at the next sign-in.
    """
    held = "|".join(sorted(f"{g.role}@{g.jurisdiction_id}" for g in mine.grants))
    if request.session.get(FIRST_STEPS_DONE) == held:
        return []
    steps = registry.first_steps(request.user)
    if any(not step.done for step in steps):
        return steps
    request.session[FIRST_STEPS_DONE] = held
    return []


def _linked(events) -> list:
    """Each event with ``url``: its record's page where the record has one and still exists."""
    rows = list(events)
    for event in rows:
        url_name = registry.record_url_name(event.object_type)
        event.url = (
            reverse(url_name, args=[event.object_uuid]) if url_name and event.action != AuditAction.DELETE else ""
        )
    return rows


@requires("signed_in")
@require_POST
def jurisdiction_switch(request):
    """Remember which of the user's jurisdictions they work in (lists filter to it)."""
    chosen = request.POST.get("jurisdiction", "")
    if any(str(g.jurisdiction_uuid) == chosen for g in access.request_access(request).grants):
        request.session[SESSION_KEY] = chosen
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)
