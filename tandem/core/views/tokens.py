"""Personal API tokens: list and create (the secret is shown once), revoke."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core.permissions import requires

from .. import access, services
from ..forms import ApiTokenForm
from .utils import add_service_errors


def token_status(token, now: dt.datetime) -> str:
    """'revoked', 'expired' or 'active'."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


@requires("signed_in")
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The user's tokens; POST creates one and shows its secret on this response only."""
    user = request.user
    secret = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data.get("expires_in_days")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            issued = services.api_token_create(actor=user, name=form.cleaned_data["name"], expires_at=expires_at)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Not a redirect: the secret exists only in this response and is never stored.
            secret = issued.secret
            form = ApiTokenForm()
    now = timezone.now()
    tokens = [(token, token_status(token, now)) for token in access.own_api_tokens(user).order_by("-created_at", "-id")]
    return render(request, "core/token_list.html", {"form": form, "tokens": tokens, "secret": secret})


@requires("signed_in")
@require_http_methods(["GET", "POST"])
def token_revoke(request, uuid):
    """Confirm, then revoke one of the user's own tokens (another user's token is a 404)."""
    user = request.user
    token = access.get_visible_or_404(access.own_api_tokens(user), uuid=uuid)
    if request.method == "POST":
        services.api_token_revoke(actor=user, token=token)
        messages.success(request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name})
        return redirect("token_list")
    return render(request, "core/token_revoke.html", {"token": token, "status": token_status(token, timezone.now())})
