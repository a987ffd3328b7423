"""Invitations: a coordinator brings someone into Tandem with one role in their own scope.

The inviter may offer only a role they could grant there (``access.assignable_roles``: strictly
below their own rank, at a unit they coordinate). The invitee gets a single-use link that expires;
only a hash of its secret is stored. Accepting creates the account, links (or creates) the
person's directory record and grants the role in one transaction, in the inviter's name and
checked again at that moment (an inviter who has since lost the right cannot grant through an old
link). A role that requires a second factor asks for it at the first sign-in (``core.mfa``).
Every step is audited.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import access
from .auditlog import audit_record
from .models import AuditAction, Invitation, Jurisdiction, Organisation, Person, User
from .services import hash_token, person_create, role_grant

SECRET_BYTES = 32
DEFAULT_DAYS = 14
MAX_DAYS = 60


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    secret: str  # shown once (the link), never stored

    @property
    def path(self) -> str:
        return reverse("invitation_accept", args=[self.secret])


def _new_secret() -> tuple[str, str]:
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return secret, hash_token(secret)


def _send(issued: IssuedInvitation, base_url: str) -> None:
    invitation = issued.invitation
    inviter = invitation.invited_by
    with translation.override(inviter.language or settings.LANGUAGE_CODE):
        subject = _("You are invited to Tandem")
        body = _(
            "%(inviter)s invites you to Tandem as %(role)s in %(jurisdiction)s.\n\n"
            "Choose your username and password here (the link works once, until %(expires)s):\n%(link)s\n\n"
            "If you did not expect this, ignore this message."
        ) % {
            "inviter": inviter.get_full_name() or inviter.get_username(),
            "role": invitation.get_role_display(),
            "jurisdiction": invitation.jurisdiction.name,
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
            "link": base_url.rstrip("/") + issued.path,
        }
    transaction.on_commit(lambda: EmailMessage(subject=str(subject), body=body, to=[invitation.email]).send())


def _check_offer(actor: User, role: str, jurisdiction: Jurisdiction, organisation: Organisation | None) -> None:
    if role not in access.assignable_roles(actor, jurisdiction):
        raise PermissionDenied
    if organisation is not None and not organisation.jurisdiction.path.startswith(jurisdiction.country_path or ""):
        raise ValidationError({"organisation": _("The organisation must be in the same country.")})


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    jurisdiction: Jurisdiction,
    organisation: Organisation | None = None,
    person: Person | None = None,
    days: int = DEFAULT_DAYS,
    base_url: str = "",
) -> IssuedInvitation:
    """Invite ``email`` to hold ``role`` at ``jurisdiction``; e-mail the link (after commit)."""
    _check_offer(actor, role, jurisdiction, organisation)
    email = email.strip().lower()
    full_name = (full_name or (person.full_name if person else "")).strip()
    errors: dict[str, str] = {}
    if not full_name:
        errors["full_name"] = _("Give the person's name.")
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("An invitation is valid for 1 to %(max)d days.") % {"max": MAX_DAYS}
    if person is not None and person.user_id is not None:
        errors["person"] = _("This person already has an account: grant them the role instead.")
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        errors["email"] = _("Someone already has an account with this e-mail: grant them the role instead.")
    pending = Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if pending.exists():
        errors["email"] = _("An invitation to this e-mail is already waiting: resend or revoke it.")
    if errors:
        raise ValidationError(errors)
    secret, digest = _new_secret()
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name[:200],
        person=person,
        role=role,
        jurisdiction=jurisdiction,
        organisation=organisation,
        invited_by=actor,
        token_hash=digest,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=invitation, changes={"invited": email, "role": role})
    issued = IssuedInvitation(invitation, secret)
    _send(issued, base_url)
    return issued


def _pending_for_manager(actor: User, invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.role not in access.assignable_roles(actor, locked.jurisdiction):
        raise PermissionDenied
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation was accepted already."))
    return locked


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, base_url: str = "") -> IssuedInvitation:
    """A new link (the old one stops working) valid for another period; e-mailed again."""
    locked = _pending_for_manager(actor, invitation)
    if locked.revoked_at is not None:
        raise ValidationError(_("This invitation was revoked: invite the person again."))
    secret, digest = _new_secret()
    locked.token_hash = digest
    locked.expires_at = timezone.now() + dt.timedelta(days=DEFAULT_DAYS)
    locked.sent_count += 1
    locked.save(update_fields=["token_hash", "expires_at", "sent_count", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes={"resent": locked.sent_count})
    issued = IssuedInvitation(locked, secret)
    _send(issued, base_url)
    return issued


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    locked = _pending_for_manager(actor, invitation)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.REVOKE, obj=locked, changes={"invited": locked.email})
    return locked


def invitation_for_secret(secret: str) -> Invitation | None:
    """The pending, unexpired invitation behind a link's secret, or None (any other case alike)."""
    if not secret or len(secret) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("jurisdiction", "invited_by", "organisation", "person")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if invitation is None or invitation.state != "pending":
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, username: str, password: str) -> User:
    """Create the account, link the person, grant the role; the link is then spent."""
    found = invitation_for_secret(secret)
    if found is None:
        raise ValidationError(_("This invitation link is not valid any more. Ask for a new one."))
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.state != "pending":
        raise ValidationError(_("This invitation link is not valid any more. Ask for a new one."))
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Choose a username.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken. Choose another.")})
    first, _sep, last = invitation.full_name.partition(" ")
    user = User(username=username, email=invitation.email, first_name=first[:150], last_name=last[:150])
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    inviter = invitation.invited_by
    if invitation.role not in access.assignable_roles(inviter, invitation.jurisdiction):
        raise ValidationError(_("The person who invited you can no longer grant this role. Ask for a new invitation."))
    person = invitation.person
    if person is not None and person.user_id is None:
        Person.objects.filter(pk=person.pk).update(user=user)
    elif person is None:
        created = person_create(
            actor=inviter, jurisdiction=invitation.jurisdiction, full_name=invitation.full_name, email=invitation.email
        )
        Person.objects.filter(pk=created.pk).update(user=user)
    role_grant(
        actor=inviter,
        user=user,
        role=invitation.role,
        jurisdiction=invitation.jurisdiction,
        organisation=invitation.organisation,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
    audit_record(actor=user, action=AuditAction.UPDATE, obj=invitation, changes={"accepted": username})
    return user


__all__ = [
    "IssuedInvitation",
    "invitation_accept",
    "invitation_create",
    "invitation_for_secret",
    "invitation_resend",
    "invitation_revoke",
]
