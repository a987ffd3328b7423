"""Sign-in security pages: second factor (set up, verify, manage), password change and reset, lock-out.

No page here changes anything on GET: the enrolment offer (a new secret) is a
signed value carried by the form, stored only when a code from the app confirms it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tandem.core.permissions import SIGNED_IN, mark, public, requires

from .. import mfa, ratelimit
from ..auth_audit import client_ip
from ..forms_security import CodeForm, ManageForm, SetupForm
from ..models import AuditAction
from ..services import audit_record


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# --- Lock-out (django-axes) -----------------------------------------------------------------------


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-in attempts. For your protection, signing in with this account or from "
        "this address is paused for %(minutes)d minutes. Try again later, or reset your password."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The sign-in page with the lock-out message (429): the same for existing and unknown accounts."""
    username = str((credentials or {}).get("username", ""))[:150]
    return render(
        request,
        "registration/login.html",
        {"form": AuthenticationForm(request), "locked_out": lockout_message(), "username": username},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# --- Second factor ------------------------------------------------------------------------------


@requires("signed_in")
@never_cache
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    user = request.user
    if mfa.is_verified(request):
        return redirect(_next_url(request))
    if not mfa.enrolled(user):
        if mfa.required_by_role(user):
            return redirect("mfa_setup")
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, method = mfa.check_code(request, user=user, code=form.cleaned_data["code"])
        if result == mfa.CodeResult.OK:
            mfa.mark_verified(request)
            if method == "recovery":
                left = mfa.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; it cannot be used again. %(left)d left: "
                        "make new ones on the sign-in security page."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        if result == mfa.CodeResult.THROTTLED:
            form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
        else:
            form.add_error("code", _("This code is not valid, or it was already used. Try the next code."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": request.GET.get(REDIRECT_FIELD_NAME, "")})


def _render_setup(request: HttpRequest, form: SetupForm, offer: str, status: int = 200) -> HttpResponse:
    key = mfa.setup_key(request.user, offer)
    uri = mfa.otpauth_uri(request.user, key)
    context = {
        "form": form,
        "qr": mfa.qr_data_uri(uri),
        "otpauth_uri": uri,
        "secret": mfa.secret_for_humans(key),
        "required": mfa.required_by_role(request.user),
        "next": request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return render(request, "accounts/mfa_setup.html", context, status=status)


@requires("signed_in")
@never_cache
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code, confirm with a code; recovery codes are shown once."""
    user = request.user
    if mfa.enrolled(user):
        # Replacing it needs the password and a code: that is on the security page.
        return redirect("account_security" if mfa.is_verified(request) else "mfa_verify")
    if request.method == "POST":
        form = SetupForm(request.POST)
        offer = request.POST.get("offer", "")
        if mfa.setup_key(user, offer) is None:
            messages.error(request, _("This set-up page expired. Scan the new code below."))
            return redirect("mfa_setup")
        if form.is_valid():
            codes = mfa.enrol(request, user=user, key=mfa.setup_key(user, offer), code=form.cleaned_data["code"])
            if codes is not None:
                mfa.mark_verified(request)
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request), "enrolled_now": True},
                )
            form.add_error("code", _("This code does not match. Check that the phone's clock is right and try again."))
        return _render_setup(request, form, offer, status=200)
    offer = mfa.new_setup(user)
    return _render_setup(request, SetupForm(initial={"offer": offer}), offer)


@requires("signed_in")
@never_cache
@require_http_methods(["GET", "POST"])
def account_security(request: HttpRequest) -> HttpResponse:
    """Sign-in security: password, second factor status, new recovery codes, removing the authenticator."""
    user = request.user
    is_enrolled = mfa.enrolled(user)
    form = None
    if is_enrolled:
        form = ManageForm(request.POST or None, user=user, initial={"action": "codes"})
    if request.method == "POST":
        if form is None:
            return redirect("mfa_setup")
        if form.is_valid():
            result, _method = mfa.check_code(request, user=user, code=form.cleaned_data["code"])
            if result == mfa.CodeResult.OK:
                if form.cleaned_data["action"] == "codes":
                    codes = mfa.regenerate_recovery_codes(request, user=user)
                    return render(
                        request,
                        "accounts/recovery_codes.html",
                        {"codes": codes, "next": reverse_lazy("account_security"), "enrolled_now": False},
                    )
                mfa.remove(request, user=user)
                if mfa.required_by_role(user):
                    messages.success(request, _("The authenticator was removed. Set up the new one now."))
                    return redirect("mfa_setup")
                messages.success(request, _("Two-step sign-in is off. Only your password protects this account."))
                return redirect("account_security")
            if result == mfa.CodeResult.THROTTLED:
                form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
            else:
                form.add_error("code", _("This code is not valid, or it was already used. Try the next code."))
    context = {
        "form": form,
        "enrolled": is_enrolled,
        "required": mfa.required_by_role(user),
        "codes_left": mfa.recovery_codes_left(user) if is_enrolled else 0,
    }
    return render(request, "accounts/security.html", context)


# --- Password change and reset ---------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password keeps this session and ends the user's others (the session hash changes)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account_security")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=self.request.user,
            action=AuditAction.PASSWORD,
            changes={"event": "changed"},
            ip_address=client_ip(self.request),
        )
        messages.success(self.request, _("Your password was changed. Your other sessions were signed out."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=form.user, action=AuditAction.PASSWORD, changes={"event": "reset"}, ip_address=client_ip(self.request)
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the link (single-use, expiring); limited per address and per e-mail so it cannot flood a mailbox."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        rate = settings.PASSWORD_RESET_RATE_LIMIT
        address = client_ip(self.request) or "unknown"
        email = ratelimit.fingerprint(form.cleaned_data["email"].strip().lower())
        waits = [ratelimit.check("reset-address", address, rate), ratelimit.check("reset-email", email, rate)]
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            form.add_error(
                None,
                _("Too many reset requests. Try again in %(minutes)d minutes.") % {"minutes": max(1, wait // 60)},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().form_valid(form)


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())
password_change = mark(PasswordChangeView.as_view(), SIGNED_IN)
