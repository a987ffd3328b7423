"""Every page view and every API operation declares the permission it needs.

A view that declares nothing would rely on someone remembering a check inside
it; this test makes forgetting impossible: a new URL pattern or API operation
without ``@requires(...)`` or ``@public`` fails here.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from tandem.core import permissions

# URL namespaces whose views declare their permissions their own way, with the reason.
EXEMPT_NAMESPACES = {
    # Django's admin: every view requires is_staff through AdminSite.admin_view.
    "admin": "Django's admin site checks is_staff (and our admin_site its second factor) itself",
}
# ninja's own pages for people (schema and docs), behind the site's sign-in (see tandem/api.py).
NINJA_SESSION_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name or p.pattern}", p.callback


def _page_views():
    for name, callback in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in EXEMPT_NAMESPACES or name.startswith("api:"):
            continue
        yield name, callback


def _api_operations():
    from tandem.api import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield f"{method} {prefix}{path}", operation.view_func


def test_the_walk_finds_pages_and_operations():
    assert len(list(_page_views())) > 50
    assert len(list(_api_operations())) > 50


def test_every_page_view_declares_its_permission():
    undeclared = sorted(name for name, view in _page_views() if permissions.permission_of(view) is None)
    assert undeclared == [], "views without @requires(...) or @public:\n" + "\n".join(undeclared)


def test_every_api_operation_declares_its_permission():
    undeclared = sorted(name for name, view in _api_operations() if permissions.permission_of(view) is None)
    assert undeclared == [], "API operations without @requires(...):\n" + "\n".join(undeclared)


def test_api_operations_are_never_public():
    public = sorted(name for name, view in _api_operations() if permissions.permission_of(view) == permissions.PUBLIC)
    assert public == []


def test_every_declared_name_is_a_known_permission():
    known = permissions.declared()
    names = [permissions.permission_of(v) for _n, v in [*_page_views(), *_api_operations()]]
    assert sorted({n for n in names if n is not None and n not in known}) == []


def test_only_public_views_skip_the_sign_in():
    """``login_required = False`` (LoginRequiredMiddleware's opt-out) only on views declared public."""
    offenders = sorted(
        name
        for name, view in _page_views()
        if getattr(view, "login_required", True) is False and permissions.permission_of(view) != permissions.PUBLIC
    )
    assert offenders == []


def test_requires_refuses_too_little_role(world):
    view = permissions.requires("directory.manage")(lambda request: "ran")
    request = RequestFactory().get("/")
    request.user = world.cso
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = world.local
    assert view(request) == "ran"


def test_requires_refuses_an_unknown_permission_at_import_time():
    with pytest.raises(LookupError):
        permissions.requires("directory.nonsense")
