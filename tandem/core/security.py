"""Request correlation ids and session lifetime.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``)
    Gives every request a correlation id: a safe incoming ``X-Request-ID``
    (1-64 characters of ``[A-Za-z0-9-]``, e.g. from the reverse proxy) or a new
    uuid4 hex. It is stored on ``request.request_id``, returned in the
    ``X-Request-ID`` response header, shown on the error page, and added to every
    log record by ``RequestIdFilter`` (a context variable, so it is per thread and
    per async task).

``SessionTimeoutMiddleware`` (right after ``AuthenticationMiddleware``)
    Ends a signed-in session server-side after ``SESSION_IDLE_TIMEOUT`` seconds
    without activity, or ``SESSION_ABSOLUTE_TIMEOUT`` seconds after sign-in,
    whatever the cookie says. The sign-in time is written into the session when
    the user signs in (``user_logged_in``); the last activity is refreshed at most
    once every ``ACTIVITY_RESOLUTION`` seconds (so a page view is not a session
    write), never by static files or the health probe. An expired page request
    is signed out and sent to the sign-in page with ``next``; an API or htmx
    request gets 401 (htmx with ``HX-Redirect`` to the sign-in page).

    A session whose user can no longer sign in (deactivated or deleted) is
    flushed too. Sessions of a user whose password changed end through Django's
    session auth hash (``get_user`` flushes them).

This module is imported while logging is configured (``RequestIdFilter``), before
the app registry is ready: it must not import models at module level.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.messages.storage import default_storage
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# --- Correlation ids ------------------------------------------------------------------------

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_current_request_id: ContextVar[str | None] = ContextVar("tandem_request_id", default=None)


def current_request_id() -> str | None:
    """The correlation id of the request being handled in this thread/task, if any."""
    return _current_request_id.get()


def make_request_id(incoming: str | None) -> str:
    """Keep a safe incoming id (so one id follows a request through the proxy); otherwise make one."""
    if incoming and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = make_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request) for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _current_request_id.get() or "-"
        return True


# --- Client address and browser features -------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind the proxy (``BEHIND_PROXY``), the last X-Forwarded-For entry.

    The last entry is the one the proxy itself appended; earlier ones come from the client and
    can be forged. Lock-outs (django-axes), API rate limits and the audit log use this address.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1][:45]
    return request.META.get("REMOTE_ADDR") or None


class PermissionsPolicyMiddleware:
    """Turns off browser features no page uses (camera, microphone, geolocation, ...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


# --- Session lifetime -----------------------------------------------------------------------

SIGNED_IN_AT = "_tandem_signed_in_at"
LAST_SEEN = "_tandem_last_seen"
# The last-activity stamp is written at most this often (seconds): a session may end up to
# this much earlier than SESSION_IDLE_TIMEOUT, never later.
ACTIVITY_RESOLUTION = 60
API_PREFIX = "/api/"


@receiver(user_logged_in, dispatch_uid="tandem_session_signed_in_at")
def _stamp_sign_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def session_expired(session, now: int) -> bool:
    """True when the session passed its idle or absolute limit, or carries no sign-in time (fail closed)."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen, int):
        return True
    return now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT


def _is_htmx(request: HttpRequest) -> bool:
    # HtmxMiddleware runs later in the chain, so read the header itself.
    return request.headers.get("HX-Request") == "true"


def _path_of(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _untracked(request: HttpRequest) -> bool:
    """Static files, the probes and the metrics neither count as activity nor need a session."""
    if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
        return True
    return request.path in {_path_of("healthz"), _path_of("readyz"), _path_of("metrics")}


def _return_path(request: HttpRequest) -> str | None:
    """Where to go after signing in again: the page the user was on, if it is on this site."""
    if _is_htmx(request):
        candidate = request.headers.get("HX-Current-URL", "")
    elif request.method in {"GET", "HEAD"}:
        candidate = request.get_full_path()
    else:
        # The form was posted from the Referer page; re-posting it after sign-in makes no sense.
        candidate = request.headers.get("Referer", "")
    if not candidate or not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(candidate)
    if not parts.path or parts.path in {resolve_url(settings.LOGIN_URL), _path_of("logout")}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _login_url(next_path: str | None) -> str:
    url = resolve_url(settings.LOGIN_URL)
    if next_path:
        query = QueryDict(mutable=True)
        query["next"] = next_path
        url = f"{url}?{query.urlencode(safe='/')}"
    return url


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _untracked(request):
            return self.get_response(request)
        session = request.session
        if not request.user.is_authenticated:
            if session.get(auth.SESSION_KEY) is not None:
                # The session names a user who can no longer sign in (deactivated, deleted):
                # end it server-side rather than leave it lying around.
                auth.logout(request)
            return self.get_response(request)
        now = int(time.time())
        if session_expired(session, now):
            return self._expire(request)
        if now - session[LAST_SEEN] >= ACTIVITY_RESOLUTION:
            session[LAST_SEEN] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest) -> HttpResponse:
        next_path = _return_path(request)
        auth.logout(request)
        message = _("Your session has expired. Please sign in again.")
        if request.path_info.startswith(API_PREFIX):
            response: HttpResponse = JsonResponse({"detail": message}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        # MessageMiddleware runs after this one: store the message for the sign-in page ourselves.
        storage = default_storage(request)
        request._messages = storage  # type: ignore[attr-defined]
        storage.add(messages.WARNING, message)
        login_url = _login_url(next_path)
        if _is_htmx(request):
            response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
            response["HX-Redirect"] = login_url
        else:
            response = HttpResponseRedirect(login_url)
        storage.update(response)
        return response
