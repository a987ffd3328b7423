"""Sign-in, sign-out, failed sign-in and lock-outs go to the audit log.

Django's auth signals (and django-axes' ``user_locked_out``) are the only hook
for these events; those receivers only record. One more receiver ends every
session of a user who is deactivated.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import security
from .models import AuditAction, User
from .services import audit_record
from .user_sessions import end_sessions


def client_ip(request) -> str | None:
    if request is None:
        return None
    return security.client_ip(request)


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


@receiver(user_locked_out, dispatch_uid="tandem_audit_lockout")
def _on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOCKOUT,
        label=str(username or "")[:150],
        ip_address=client_ip(request),
        changes={"failures": getattr(request, "axes_failures_since_start", None)},
    )


@receiver(post_save, sender=User, dispatch_uid="tandem_end_sessions_of_deactivated_user")
def _on_user_saved(sender, instance: User, created: bool, **kwargs) -> None:
    if not created and not instance.is_active:
        transaction.on_commit(lambda: end_sessions(instance))
