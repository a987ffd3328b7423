"""Places: requesting one, nominating people, the organiser's decisions, withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.capacity.permissions import requires
from tandem.core import lookups
from tandem.core.views.utils import save_or_show_errors

from .. import access, services
from ..forms import NominateForm
from ..models import PlaceStatus
from ._common import get_participation, get_session


def _refusal(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@requires("capacity.view")
@require_http_methods(["GET", "POST"])
def session_request(request, uuid):
    session = get_session(request, uuid)
    if request.method != "POST":
        return render(
            request,
            "capacity/confirm.html",
            {
                "title": _("Request a place in %(session)s") % {"session": session},
                "explanation": _("The organisers accept, wait-list or decline requests; you will see the answer here."),
                "button": _("Request a place"),
                "cancel_url": reverse("session_detail", args=[session.uuid]),
            },
        )
    try:
        services.participation_request(actor=request.user, session=session)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Your request was sent to the organisers."))
    return redirect("session_detail", uuid=session.uuid)


@requires("capacity.nominate")
@require_GET
def capacity_lookup_nominees(request):
    """Matches for the nominate form's person (the same queryset it validates against)."""
    return lookups.respond(request, access.nominable_people(request.user).order_by("full_name", "id"), "person")


@requires("capacity.nominate")
@require_http_methods(["GET", "POST"])
def session_nominate(request, uuid):
    user = request.user
    session = get_session(request, uuid)
    people = access.nominable_people(user).order_by("full_name", "id")
    form = NominateForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():

        def save():
            services.participation_nominate(actor=user, session=session, person=form.cleaned_data["person"])

        if save_or_show_errors(request, form, save, _("Nomination sent to the organisers.")):
            return redirect("session_detail", uuid=session.uuid)
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Nominate someone for %(session)s") % {"session": session},
            "cancel_url": reverse("session_detail", args=[session.uuid]),
        },
    )


DECISIONS = {"accept": PlaceStatus.ACCEPTED, "waitlist": PlaceStatus.WAITLISTED, "decline": PlaceStatus.DECLINED}


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def participation_decide(request, uuid):
    user = request.user
    participation = get_participation(request, uuid)
    access.require_organise(user, participation.session)
    if request.method == "POST":
        status = DECISIONS.get(request.POST.get("decision", ""))
        if status is None:
            messages.error(request, _("Choose accept, wait-list or decline."))
        else:
            try:
                services.participation_decide(actor=user, participation=participation, status=status)
            except ValidationError as exc:
                _refusal(request, exc)
            else:
                messages.success(
                    request,
                    _("Saved: %(name)s is now %(status)s.")
                    % {"name": participation.person, "status": PlaceStatus(status).label.lower()},
                )
        return redirect("session_detail", uuid=participation.session.uuid)
    return render(request, "capacity/decide.html", {"participation": participation})


@requires("capacity.view")
@require_http_methods(["GET", "POST"])
def participation_withdraw(request, uuid):
    user = request.user
    participation = get_participation(request, uuid)
    if request.method == "POST":
        try:
            services.participation_withdraw(actor=user, participation=participation)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The place was given up."))
        return redirect("session_detail", uuid=participation.session.uuid)
    if not (
        access.is_participant(user, participation)
        or participation.nominated_by_id == user.pk
        or access.can_organise(user, participation.session)
    ):
        raise access.PermissionDenied
    return render(
        request,
        "capacity/confirm.html",
        {
            "title": _("Withdraw %(name)s") % {"name": participation.person},
            "explanation": _("The place goes to the first person on the wait-list."),
            "button": _("Withdraw"),
            "cancel_url": reverse("session_detail", args=[participation.session.uuid]),
        },
    )
