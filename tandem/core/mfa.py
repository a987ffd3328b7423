"""Second factor: TOTP (an authenticator app) with single-use recovery codes, on django-otp.

Who must use it (``required``)
    Staff (the admin site), anyone holding a role in ``settings.MFA_REQUIRED_ROLES``
    (administrators, national and regional coordinators by default), and anyone who
    enrolled on their own (having a confirmed TOTP device is opting in).

How a session proves it (``is_verified``)
    Signing in with the password is the first step. ``MfaRequiredMiddleware`` then
    lets a session that must use the second factor reach only the enrolment and
    verification pages, sign-out, the language switch, static files and the health
    probe until a code was accepted in this session (``mark_verified``). The API is not
    concerned: it authenticates every request with a token, never a session.

Codes
    A TOTP code is refused when it was already used (django-otp keeps the last time
    step, ``last_t``), and wrong codes slow down further attempts (django-otp's
    throttling). A recovery code is deleted when used.

Changes
    Enrolling, replacing or removing the second factor and making new recovery codes
    end the user's other sessions (``end_sessions``), and are audited.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, resolve, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import access, registry
from .models import AuditAction, User
from .security import client_ip
from .services import audit_record
from .user_sessions import end_sessions

# Session keys: "verified" after a code was accepted in this session; "none" once we know the
# user has no device (only enrolment, which marks the session verified, can change that).
MFA_SESSION_KEY = "_tandem_mfa"
VERIFIED = "verified"
NOT_ENROLLED = "none"

SETUP_SALT = "tandem.mfa.setup"
SETUP_MAX_AGE = 15 * 60
DEVICE_NAME = "Authenticator app"

# Pages a session that still owes the second factor may reach.
ALLOWED_URL_NAMES = frozenset({"mfa_verify", "mfa_setup", "logout", "set_language", "healthz"})


# --- Policy -----------------------------------------------------------------------------------


def required_by_role(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    roles = set(settings.MFA_REQUIRED_ROLES)
    return any(grant.role in roles for grant in access.grants(user))


def enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(MFA_SESSION_KEY) == VERIFIED


def needs_second_factor(request: HttpRequest) -> bool:
    """True while this signed-in session must still give (or set up) a second factor."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    if required_by_role(user):
        return True
    if request.session.get(MFA_SESSION_KEY) == NOT_ENROLLED:
        return False
    if enrolled(user):
        return True
    request.session[MFA_SESSION_KEY] = NOT_ENROLLED
    return False


def mark_verified(request: HttpRequest) -> None:
    """A code was accepted: a new session id, marked as fully signed in."""
    request.session.cycle_key()
    request.session[MFA_SESSION_KEY] = VERIFIED


def forget_verification(request: HttpRequest) -> None:
    request.session.pop(MFA_SESSION_KEY, None)


# --- Enrolment -------------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in str(raw).lower() if ch.isalnum())


def new_setup(user: User) -> str:
    """A signed enrolment offer: the secret travels with the form until a code confirms it."""
    return signing.dumps({"u": user.pk, "k": random_hex(20)}, salt=SETUP_SALT)


def setup_key(user: User, offer: str) -> str | None:
    try:
        data = signing.loads(offer, salt=SETUP_SALT, max_age=SETUP_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk or not isinstance(data.get("k"), str):
        return None
    return data["k"]


def unsaved_device(user: User, key: str) -> TOTPDevice:
    return TOTPDevice(user=user, key=key, name=DEVICE_NAME, confirmed=False)


def otpauth_uri(user: User, key: str) -> str:
    return unsaved_device(user, key).config_url


def secret_for_humans(key: str) -> str:
    """The secret in base32 groups of four, for typing into an app by hand."""
    text = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI, drawn on the server (no script, no third party)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = []
    while len(codes) < settings.MFA_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _lock_user(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _audit(request: HttpRequest, user: User, event: str, **extra: Any) -> None:
    audit_record(actor=user, action=AuditAction.MFA, changes={"event": event, **extra}, ip_address=client_ip(request))


@transaction.atomic
def enrol(request: HttpRequest, *, user: User, key: str, code: str) -> list[str] | None:
    """Confirm a new authenticator with a code from it; returns the new recovery codes, or None."""
    _lock_user(user)
    if enrolled(user):
        return None
    totp = TOTP(bytes.fromhex(key))
    if not totp.verify(int(code) if code.isdigit() else -1, tolerance=1):
        _audit(request, user, "enrolment_code_refused")
        return None
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, key=key, name=DEVICE_NAME, confirmed=True, last_t=totp.t())
    codes = _new_recovery_codes(user)
    _after_change(request, user, "enrolled")
    return codes


class CodeResult:
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"


def check_code(request: HttpRequest, *, user: User, code: str) -> tuple[str, str | None]:
    """Verify a TOTP or recovery code: (CodeResult, "totp" | "recovery" | None). Audited."""
    code = normalise_code(code)
    result, method = CodeResult.WRONG, None
    with transaction.atomic():
        devices: list[Any] = []
        if code.isdigit() and len(code) == 6:
            devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
            method = "totp"
        elif code:
            devices = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
            method = "recovery"
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                result = CodeResult.THROTTLED
                continue
            if device.verify_token(code):
                result = CodeResult.OK
                break
    if result == CodeResult.OK:
        _audit(request, user, "verified", method=method)
    else:
        _audit(request, user, "code_refused" if result == CodeResult.WRONG else "throttled", method=method)
    return result, method


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _after_change(request: HttpRequest, user: User, event: str) -> None:
    ended = end_sessions(user, keep=request.session.session_key)
    _audit(request, user, event, other_sessions_ended=ended)


@transaction.atomic
def regenerate_recovery_codes(request: HttpRequest, *, user: User) -> list[str]:
    _lock_user(user)
    codes = _new_recovery_codes(user)
    _after_change(request, user, "recovery_codes_replaced")
    return codes


@transaction.atomic
def remove(request: HttpRequest, *, user: User) -> None:
    """Remove the authenticator and recovery codes (a user who must use MFA enrols again at once)."""
    _lock_user(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    forget_verification(request)
    request.session[MFA_SESSION_KEY] = NOT_ENROLLED
    _after_change(request, user, "removed")


# --- Middleware ------------------------------------------------------------------------------


def _api_operation(url_name: str | None, namespace: str) -> bool:
    """An API operation (token-authenticated, never a session); the API registers its session pages."""
    return namespace == "api" and url_name not in registry.session_api_pages()


class MfaRequiredMiddleware:
    """Holds a signed-in session that owes the second factor on the enrolment/verification pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated or is_verified(request):
            return self.get_response(request)
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None and (
            match.view_name in ALLOWED_URL_NAMES or _api_operation(match.url_name, match.namespace)
        ):
            return self.get_response(request)
        if not needs_second_factor(request):
            return self.get_response(request)
        target = reverse("mfa_verify" if enrolled(request.user) else "mfa_setup")
        if request.method in {"GET", "HEAD"} and not request.headers.get("HX-Request"):
            query = QueryDict(mutable=True)
            query["next"] = request.get_full_path()
            target = f"{target}?{query.urlencode(safe='/')}"
        response = HttpResponseRedirect(target)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=401)
            response["HX-Redirect"] = target
        return response
