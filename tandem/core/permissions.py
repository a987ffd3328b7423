"""Declared permissions: every page view and API operation says what it requires.

Pretix's way: the permission is on the view, not remembered inside it.

* ``@requires("directory.manage")`` on a page view or an API operation (below the
  ``@router.get(...)`` line) checks the permission's *coarse* rule before the view
  runs: the actor must hold a role of at least the permission's rank somewhere.
  Too little role answers 403 (JSON 403 in the API, through its handlers).
* The *object* rule stays in the view, through the access layer: the record is
  fetched from the actor's scoped queryset (404, byte-identical to a missing one,
  when it lies outside) and ``require_rank``/``require_manage`` checks the role at
  the record's jurisdiction (403).
* ``@public`` marks a page that needs no sign-in (the login, the health check,
  the password reset). It is the only way to skip the sign-in requirement.

A test walks every URL pattern and every API operation and fails when one
declares nothing, or names a permission nobody declared. The coarse rule never
answers differently for a foreign record than for a missing one: it looks only at
the actor.

Apps declare their permissions with :func:`declare` when their module is
imported (``tandem/<app>/permissions.py``); the names are ``<app>.<action>``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "tandem_permission"
PUBLIC = "public"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class Permission:
    """A named permission. ``min_rank`` None: any signed-in user (the view scopes what it shows)."""

    name: str
    description: str
    min_rank: int | None = None

    def allows(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        if self.min_rank is None:
            return True
        from . import access

        return access.has_any_rank(user, self.min_rank)


_declared: dict[str, Permission] = {}


def declare(name: str, description: str, *, min_rank: int | None = None) -> Permission:
    """Declare a permission (idempotent for the same definition)."""
    permission = Permission(name=name, description=description, min_rank=min_rank)
    existing = _declared.get(name)
    if existing is not None and existing != permission:
        raise ValueError(f"permission {name!r} is declared twice, differently")
    _declared[name] = permission
    return permission


def get(name: str) -> Permission:
    try:
        return _declared[name]
    except KeyError:
        raise LookupError(f"undeclared permission {name!r}") from None


def declared() -> dict[str, Permission]:
    return dict(_declared)


def permission_of(view: Any) -> str | None:
    """The permission a view or API operation declares (None: nothing declared)."""
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        name = getattr(view, ATTRIBUTE, None)
        if name is not None:
            return name
        view = getattr(view, "__wrapped__", None) or getattr(view, "view_class", None)
    return None


def _request_user(args: tuple[Any, ...]) -> Any:
    # Function views and API operations take the request first; methods of a class take self, request.
    for arg in args[:2]:
        if hasattr(arg, "META") and hasattr(arg, "user"):
            return arg.user
    raise TypeError("@requires needs a view whose first argument is the request")


def requires(name: str) -> Callable[[F], F]:
    """Declare that the view needs permission ``name``; 403 when the actor lacks its coarse rule."""
    get(name)  # an unknown name fails at import time, not at the first request

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not get(name).allows(_request_user(args)):
                raise PermissionDenied
            return view(*args, **kwargs)

        setattr(wrapper, ATTRIBUTE, name)
        return wrapper  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """A page anyone may open without signing in (it must show nothing scoped)."""
    view = login_not_required(view)
    setattr(view, ATTRIBUTE, PUBLIC)
    return view


def mark(view: F, name: str) -> F:
    """Declare ``name`` on a view built elsewhere (a class-based view's ``as_view()``)."""
    get(name)
    setattr(view, ATTRIBUTE, name)
    return view


# --- Core's own permissions ---------------------------------------------------------------

declare(PUBLIC, "Anyone, without signing in (sign-in, password reset, health check).")
declare(SIGNED_IN, "Any signed-in user; the page shows only what their grants let them see.")


def _core_permissions() -> None:
    from .access import COORDINATOR_RANK, READ_RANK, ROLE_RANK
    from .models import Role

    declare("directory.view", "Read the directory of one's jurisdictions.", min_rank=READ_RANK)
    declare("directory.manage", "Create and edit jurisdictions, organisations and people.", min_rank=COORDINATOR_RANK)
    declare("roles.manage", "Grant and revoke roles below one's own.", min_rank=COORDINATOR_RANK)
    declare("audit.view", "Read the audit log of one's subtree.", min_rank=COORDINATOR_RANK)
    declare("admin.manage", "Administer the network.", min_rank=ROLE_RANK[Role.ADMINISTRATOR])


_core_permissions()
