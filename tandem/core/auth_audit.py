"""Sign-in, sign-out and failed sign-in go to the audit log.

Django's auth signals are the only hook for these events; the receivers only
record, they change nothing else.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .services import audit_record


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in, dispatch_uid="tandem_audit_login")
def _on_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, ip_address=client_ip(request))


@receiver(user_logged_out, dispatch_uid="tandem_audit_logout")
def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, ip_address=client_ip(request))


@receiver(user_login_failed, dispatch_uid="tandem_audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, label=username, ip_address=client_ip(request))
