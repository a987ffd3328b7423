"""Calendars: one session's .ics, the user's own training, and their private feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.capacity.permissions import public, requires

from .. import access, ics, selectors, services
from ._common import get_session


def _ics_response(body: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("capacity.view")
@require_GET
def session_ics(request, uuid):
    session = get_session(request, uuid)
    url = request.build_absolute_uri(reverse("session_detail", args=[session.uuid]))
    return _ics_response(ics.calendar([session], urls={session.pk: url}), f"training-{session.starts_at:%Y%m%d}.ics")


@requires("capacity.view")
@require_GET
def my_training(request):
    user = request.user
    feed = access.own_feed(user).first()
    feed_url = request.build_absolute_uri(reverse("training_feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "capacity/my_training.html",
        {"participations": selectors.my_participations(user), "feed_url": feed_url},
    )


@requires("capacity.view")
@require_POST
def training_feed_rotate(request):
    services.calendar_feed_rotate(actor=request.user)
    messages.success(request, _("Your calendar link is ready. A link given out before no longer works."))
    return redirect("my_training")


@public
@require_GET
def training_feed(request, token):
    """The sessions a user holds a place in, as a feed: no session, only the private token."""
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404
    response = _ics_response(
        ics.calendar(selectors.registered_sessions(owner), name=_("My training")), "training.ics", inline=True
    )
    response["Cache-Control"] = "no-store"
    return response
