from __future__ import annotations

import importlib

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tandem.core.permissions import requires

from .. import access, selectors
from ..context_processors import SESSION_KEY

# Apps that put a panel on the home page: ``tandem.<app>.dashboard.panel(user)`` returns
# a dict with the ``template`` to include (it reads ``panel``), or None for no panel.
DASHBOARD_APPS = ("bodies", "exchange")


def dashboard_panels(user) -> list[dict]:
    panels = (importlib.import_module(f"tandem.{app}.dashboard").panel(user) for app in DASHBOARD_APPS)
    return [p for p in panels if p]


@requires("signed_in")
@require_GET
def home(request):
    user = request.user
    my_grants = access.grants(user)
    context = {
        "grants": my_grants,
        "activity": selectors.latest_activity(user),
        "counts": {
            "organisations": access.visible_organisations(user).count(),
            "people": access.visible_people(user).count(),
            "jurisdictions": access.visible_jurisdictions(user).count(),
        },
        "panels": dashboard_panels(user),
    }
    return render(request, "core/home.html", context)


@requires("signed_in")
@require_POST
def jurisdiction_switch(request):
    """Remember which of the user's jurisdictions they work in (lists filter to it)."""
    chosen = request.POST.get("jurisdiction", "")
    if any(str(g.jurisdiction_uuid) == chosen for g in access.grants(request.user)):
        request.session[SESSION_KEY] = chosen
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)
