"""Calendar pages of the bodies: feed token rotation, the body's feed, one meeting's .ics."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.bodies.permissions import public, requires

from .. import access, ics, selectors, services
from ._common import (
    _meeting,
)


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def body_calendar_rotate(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    if request.method == "POST":
        services.calendar_token_rotate(actor=user, body=body)
        messages.success(request, _("The calendar link was replaced. The old link no longer works."))
        return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/confirm.html",
        {
            "title": _("Replace the calendar link of %(name)s") % {"name": body.name},
            "explanation": _(
                "Anyone with the current link can read the body's meeting calendar. Replacing it stops the old "
                "link at once; members will need the new one."
            ),
            "button": _("Replace the link"),
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@public
@require_GET
def body_calendar_feed(request, uuid, token):
    """The body's meetings as an iCalendar feed: no session, only the private token (compared in constant time)."""
    body = selectors.body_by_calendar_token(uuid, token)
    if body is None:
        raise Http404
    meetings = selectors.feed_meetings(body)
    response = HttpResponse(ics.calendar(meetings, name=body.name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("bodies.internals")
@require_GET
def meeting_ics(request, uuid):
    meeting = _meeting(request, uuid)
    url = request.build_absolute_uri(reverse("meeting_detail", args=[meeting.uuid]))
    response = HttpResponse(
        ics.calendar([meeting], urls={meeting.pk: url}), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.starts_at:%Y%m%d}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
