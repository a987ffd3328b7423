"""The error pages Django serves itself: server error (``handler500``), unreadable request (``handler400``).

It must work when nothing else does, the database included: it reads no session
and no user, runs no context processor, and falls back to a fixed page when the
template cannot be rendered. It shows the request's correlation id so a user can
quote it to support, in the user's language (cookie or browser), and never any
detail of the error.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tandem.core.security import API_PREFIX, current_request_id

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    request_id = getattr(request, "request_id", None) or current_request_id() or ""
    # From the language cookie or Accept-Language: no session, no database.
    with translation.override(translation.get_language_from_request(request)):
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": _("Something went wrong on our side. The error was logged."), "request_id": request_id},
                status=500,
            )
        try:
            body = loader.get_template("500.html").render({"request_id": request_id})
        except Exception:
            logger.exception("The error page template could not be rendered")
            body = format_html(
                '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
                "<body><h1>{}</h1><p>{} <code>{}</code></p></body></html>",
                translation.get_language(),
                _("Something went wrong"),
                _("Something went wrong"),
                _("Quote this reference when you contact support:"),
                request_id,
            )
        return HttpResponseServerError(body)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: a request Django could not read. A form larger than the limit is a 413 (the
    user can shorten it), any other unreadable request a 400; both say nothing was saved."""
    too_big = isinstance(exception, RequestDataTooBig)
    if too_big:
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        title = _("The form is too large")
        message = _("What you sent is larger than Tandem accepts in one form (at most %(limit)s).") % {"limit": limit}
    else:
        title = _("The request could not be read")
        message = _("Your browser sent something Tandem could not read.")
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=413 if too_big else 400)
    body = loader.get_template("400.html").render({"title": title, "message": message}, request)
    return HttpResponse(body, status=413 if too_big else 400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A rejected form (CSRF): Tandem's own page, no inline style, in the user's language."""
    from django.shortcuts import render

    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": _("The request was refused (CSRF check failed).")}, status=403)
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
