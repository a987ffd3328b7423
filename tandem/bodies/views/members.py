"""Pages of a body's members and seats."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.bodies.permissions import requires
from tandem.core import access as core_access
from tandem.core.views.utils import add_service_errors, save_or_show_errors
from tandem.core.views.versioned import versioned_form

from .. import access, services
from ..forms import (
    MembershipEndForm,
    MembershipForm,
    SeatAssignForm,
    SeatForm,
)
from ._common import (
    _country_organisations,
    _country_people,
)


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def membership_create(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    kwargs = {"organisations": _country_organisations(user, body), "people": _country_people(user), "body": body}
    form = MembershipForm(request.POST or None, initial={"start_date": timezone.localdate()}, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(actor=user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s joined the body.") % {"name": membership.organisation.name})
            return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": _("Add a member to %(name)s") % {"name": body.name},
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def membership_end(request, uuid):
    user = request.user
    membership = core_access.get_visible_or_404(access.visible_memberships(user), uuid=uuid)
    access.require_manage(user, membership.body)
    edit = versioned_form(
        request,
        MembershipEndForm,
        record=membership,
        initial={"end_date": timezone.localdate()},
        save=lambda data, version: services.membership_end(
            actor=user, membership=membership, end_date=data["end_date"], expected_version=version
        ),
        success=_("The membership of %(name)s was ended.") % {"name": membership.organisation.name},
    )
    if edit.saved:
        return redirect("body_detail", uuid=membership.body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            **edit.context(),
            "title": _("End the membership of %(org)s in %(body)s")
            % {"org": membership.organisation.name, "body": membership.body.name},
            "explanation": _("The membership is kept in the body's history with this end date."),
            "cancel_url": reverse("body_detail", args=[membership.body.uuid]),
        },
    )


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def seat_create(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid, include_archived=False)
    access.require_manage(user, body)
    form = SeatForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.seat_create(actor=user, body=body, **form.cleaned_data),
            _("The seat was added."),
        )
    ):
        return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": _("Add a seat to %(name)s") % {"name": body.name},
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def seat_assign(request, uuid):
    user = request.user
    seat = core_access.get_visible_or_404(access.visible_seats(user), uuid=uuid)
    access.require_manage(user, seat.body)
    form = SeatAssignForm(
        request.POST or None,
        initial={"start_date": timezone.localdate()},
        organisations=_country_organisations(user, seat.body),
        people=_country_people(user),
        body=seat.body,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.seat_assign(actor=user, seat=seat, **form.cleaned_data),
            _("The seat holder was recorded."),
        )
    ):
        return redirect("body_detail", uuid=seat.body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            "form": form,
            "title": _("Who holds the seat %(title)s") % {"title": seat.title},
            "explanation": _("The previous holder's term ends the day before the new holder starts."),
            "cancel_url": reverse("body_detail", args=[seat.body.uuid]),
        },
    )
