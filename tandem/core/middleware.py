from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from .access import get_access


def attach_access(request: HttpRequest) -> None:
    """Set ``request.access``: the Access of ``request.user``, resolved on first use.

    Called again wherever ``request.user`` changes (sign-in, sign-out, an API token),
    so ``request.access`` always belongs to the user the request acts as.
    """
    request.access = SimpleLazyObject(lambda: get_access(request.user))  # type: ignore[attr-defined]


class AccessMiddleware:
    """``request.access`` on every request (after ``AuthenticationMiddleware``): see ``tandem.core.access``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        attach_access(request)
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="tandem_access_after_login")
@receiver(user_logged_out, dispatch_uid="tandem_access_after_logout")
def _on_user_changed(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "access"):
        attach_access(request)


class NoStoreForAuthenticatedMiddleware:
    """Pages for a signed-in user are never stored by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
