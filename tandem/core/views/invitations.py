"""Invitations: coordinators invite people into their scope; the invitee signs up through the link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.permissions import public, requires

from .. import access, invitations
from ..forms import InvitationAcceptForm, InvitationForm
from .roles import _roles_grantable_somewhere
from .utils import add_service_errors

STATES = ("pending", "accepted", "expired", "revoked")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@requires("roles.manage")
@require_http_methods(["GET"])
def invitation_list(request):
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    qs = access.visible_invitations(user).order_by("-created_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    manageable = {
        i.pk
        for i in page.object_list
        if i.state in {"pending", "expired"} and i.role in access.assignable_roles(user, i.jurisdiction)
    }
    return render(request, "core/invitation_list.html", {"page_obj": page, "manageable": manageable})


def _issued_page(request, issued):
    return render(
        request, "core/invitation_sent.html", {"issued": issued, "link": request.build_absolute_uri(issued.path)}
    )


@requires("roles.manage")
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    form = InvitationForm(
        request.POST or None,
        jurisdictions=access.managed_jurisdictions(user),
        organisations=access.visible_organisations(user).order_by("name"),
        roles=_roles_grantable_somewhere(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = invitations.invitation_create(
                actor=user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                jurisdiction=data["jurisdiction"],
                organisation=data["organisation"],
                days=data["days"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("role", _("You cannot grant this role at this jurisdiction."))
        else:
            # Not a redirect: the link exists only in this response (and the e-mail).
            return _issued_page(request, issued)
    return render(request, "core/invitation_form.html", {"form": form})


@requires("roles.manage")
@require_POST
def invitation_resend(request, uuid):
    user = request.user
    invitation = access.get_visible_or_404(access.visible_invitations(user), uuid=uuid)
    try:
        issued = invitations.invitation_resend(actor=user, invitation=invitation, base_url=_base_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("invitation_list")
    return _issued_page(request, issued)


@requires("roles.manage")
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, uuid):
    user = request.user
    invitation = access.get_visible_or_404(access.visible_invitations(user), uuid=uuid)
    if request.method == "POST":
        try:
            invitations.invitation_revoke(actor=user, invitation=invitation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s was revoked: its link no longer works.") % {"email": invitation.email},
            )
        return redirect("invitation_list")
    if invitation.role not in access.assignable_roles(user, invitation.jurisdiction):
        raise PermissionDenied
    return render(request, "core/invitation_revoke.html", {"invitation": invitation})


@public
@require_http_methods(["GET", "POST"])
def invitation_accept(request, secret):
    """The invitee's page: choose a username and password. A spent, expired, revoked or unknown
    link answers 404 with the same message (nothing tells them apart)."""
    invitation = invitations.invitation_for_secret(secret)
    if invitation is None:
        return render(request, "core/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                secret=secret, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Tandem. Your account is ready."))
            return redirect("home")
    return render(request, "core/invitation_accept.html", {"invitation": invitation, "form": form})
