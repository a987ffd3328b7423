"""Participants: the list with its counts, invitations from the directory, guests, status, export."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core import exports
from tandem.core.services import audit_read
from tandem.core.views.utils import save_or_show_errors
from tandem.events.permissions import requires

from .. import selectors, services
from ..forms import GuestForm, InviteForm, StatusForm
from ._common import get_managed_event, get_participant


def _forms(request, data=None, which=""):
    user = request.user
    invite = InviteForm(
        data if which == "invite" else None,
        prefix="invite",
        people=core_access.visible_people(user).order_by("full_name", "id"),
        organisations=core_access.visible_organisations(user).order_by("name", "id"),
    )
    guest = GuestForm(data if which == "guest" else None, prefix="guest", countries=selectors.country_choices())
    return invite, guest


@requires("events.organise")
@require_http_methods(["GET", "POST"])
def participant_list(request, uuid):
    """The organisers' page: who is on the list, and the forms to add someone."""
    user = request.user
    event = get_managed_event(request, uuid)
    which = request.POST.get("add", "") if request.method == "POST" else ""
    invite, guest = _forms(request, request.POST, which)
    if which == "invite" and invite.is_valid():
        d = invite.cleaned_data
        if save_or_show_errors(
            request,
            invite,
            lambda: services.participant_invite(
                actor=user,
                event=event,
                person=d["person"],
                level=d["level"],
                role=d["role"],
                organisation=d["organisation"],
            ),
            _("Invited."),
        ):
            return redirect("participant_list", uuid=event.uuid)
    elif which == "guest" and guest.is_valid():
        d = guest.cleaned_data
        if save_or_show_errors(
            request,
            guest,
            lambda: services.participant_add_guest(actor=user, event=event, **d),
            _("Registered."),
        ):
            return redirect("participant_list", uuid=event.uuid)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "participants": selectors.participants(user, event),
            "counts": selectors.participant_counts(event),
            "invite_form": invite,
            "guest_form": guest,
            "status_form": StatusForm(),
        },
    )


@requires("events.organise")
@require_POST
def participant_status(request, uuid):
    participant = get_participant(request, uuid)
    event = participant.event
    from .. import access

    access.require_manage(request.user, event)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.participant_set_status(actor=request.user, participant=participant, status=form.cleaned_data["status"])
    return redirect(reverse("participant_list", args=[event.uuid]) + f"#p-{participant.uuid}")


@requires("events.organise")
@require_GET
def participant_export(request, uuid, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    event = get_managed_event(request, uuid)
    rows = selectors.export_rows(request.user, event)
    audit_read(
        actor=request.user, what="event_participants_export", obj=event, count=len(rows), filters={"format": fmt}
    )
    header = [_("Name"), _("Role"), _("Organisation"), _("Country"), _("Level"), _("Sector"), _("Status"), _("Source")]
    return exports.export_response(fmt, "event-participants", header, rows, request=request)
