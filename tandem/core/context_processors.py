from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from . import access, permissions, registry

SESSION_KEY = "current_jurisdiction"


def current_grant(request: HttpRequest) -> access.Grant | None:
    """The jurisdiction the user chose to work in (one of their grants), if any."""
    my_grants = access.request_access(request).grants
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for grant in my_grants:
        if str(grant.jurisdiction_uuid) == chosen:
            return grant
    return my_grants[0] if my_grants else None


def shell(request: HttpRequest) -> dict:
    mine = access.request_access(request)
    if not mine.is_authenticated:
        return {}
    my_grants = mine.grants
    seen = set()
    switch_options = []
    for g in my_grants:
        if g.jurisdiction_uuid not in seen:
            seen.add(g.jurisdiction_uuid)
            switch_options.append(g)
    return {
        "my_grants": my_grants,
        "switch_options": switch_options,
        "current_grant": current_grant(request),
        "is_coordinator": mine.has_any_rank(access.COORDINATOR_RANK),
        "is_tandem_admin": mine.is_admin,
        "app_nav": app_nav(request),
    }


def app_nav(request: HttpRequest) -> list[dict]:
    """The apps' navigation links (registry ``nav_item``) this user's permissions allow."""
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match else ""
    app_name = (match.app_name or "") if match else ""
    links = []
    for item in registry.nav_items():
        if not permissions.get(item.permission).allows(request.user):
            continue
        current = any(fragment in url_name or fragment == app_name for fragment in item.current_when)
        links.append({"url": _nav_url(item.url_name), "label": item.label, "current": current})
    return links


def _nav_url(url_name: str) -> str:
    """A navigation link's address: the same for every request of a deployment (no arguments, no
    language prefix), so reversed once, not on every page (a tenth of rendering the page shell)."""
    return _reversed(url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=256)
def _reversed(url_name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(url_name, urlconf=urlconf)
