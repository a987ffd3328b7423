"""Writes for the core app: atomic, audited, version-checked.

Every function is ``<entity>_<action>(*, actor, ...)``. Callers have already
fetched the object through :mod:`tandem.core.access`; services re-check the
write permission so no caller can forget it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access, versioning
from .auditlog import _jsonable, audit_record  # noqa: F401  (re-exported: apps write through core.services)
from .models import (
    Affiliation,
    ApiToken,
    AuditAction,
    AuditEvent,
    Jurisdiction,
    JurisdictionKind,
    Organisation,
    Person,
    RoleAssignment,
    User,
)
from .prepared import Prepared

# --- Audit -------------------------------------------------------------------------


def _home_jurisdiction(actor: User | None) -> Jurisdiction | None:
    """Where a read with no record is filed: the broadest unit the actor holds a role at.

    Built from the resolved grants (id and path are all the audit row needs): no query."""
    held = sorted(access.grants(actor), key=lambda g: (len(g.path), g.path)) if actor is not None else []
    return Jurisdiction(pk=held[0].jurisdiction_id, path=held[0].path) if held else None


def audit_read(
    *,
    actor: User,
    what: str,
    obj: Any = None,
    count: int | None = None,
    filters: dict[str, Any] | None = None,
    jurisdiction: Jurisdiction | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Record that ``actor`` read personal or internal data: one row per page view, download or export
    (an export is one row with its ``count`` and ``filters``, never a row per record).

    ``what`` names the read (``contact_details``, ``people_export``, ``minutes_pdf``). A read about a
    record is filed in the record's jurisdiction (and shown by the record's rule); an export in
    ``jurisdiction``, else the broadest unit the actor holds a role at. Reads are on the audit page
    (action "Read"), never in the home feed.
    """
    changes: dict[str, Any] = {"read": what}
    if count is not None:
        changes["count"] = count
    if filters:
        changes["filters"] = "; ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v not in (None, ""))
    if obj is None and jurisdiction is None:
        jurisdiction = _home_jurisdiction(actor)
    return audit_record(
        actor=actor, action=AuditAction.READ, obj=obj, jurisdiction=jurisdiction, changes=changes, ip_address=ip_address
    )


def person_contact_read(*, actor: User, person: Person, ip_address: str | None = None) -> AuditEvent | None:
    """Record that ``actor`` was shown ``person``'s contact details (none recorded for oneself or an
    empty record). Call it only where the details are shown."""
    if person.user_id == actor.pk or not (person.email or person.phone):
        return None
    return audit_read(actor=actor, what="contact_details", obj=person, ip_address=ip_address)


def _set_archived(*, actor: User, model: type, obj: Any, archived: bool) -> Any:
    """Archive or restore a directory record: lock, bump the version, audit. No-op if unchanged."""
    if not access.can_manage(actor, obj.jurisdiction):
        raise PermissionDenied
    locked = versioning.lock(obj, model=model)
    if archived == locked.is_archived:
        return locked
    return versioning.save(
        locked,
        {"archived_at": timezone.now() if archived else None},
        actor=actor,
        action=AuditAction.ARCHIVE if archived else AuditAction.RESTORE,
        changes={},
    )


# --- Jurisdictions -----------------------------------------------------------------


def _set_path(node: Jurisdiction) -> None:
    parent = node.parent
    parent_path = parent.path if parent is not None else "/"
    node.path = f"{parent_path}{node.pk}/"
    node.depth = parent.depth + 1 if parent is not None else 0
    node.save(update_fields=["path", "depth"])


@transaction.atomic
def jurisdiction_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    parent: Jurisdiction | None,
    level_name: str = "",
    iso_code: str | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    audit: bool = True,
) -> Jurisdiction:
    """Add a unit to the tree. ``actor=None`` is the system (seeding commands)."""
    if actor is not None:
        if parent is None:
            if not access.is_admin(actor):
                raise PermissionDenied
        elif not access.can_manage(actor, parent):
            raise PermissionDenied
    node = Jurisdiction(
        name=name.strip(),
        kind=kind,
        parent=parent,
        level_name=level_name.strip(),
        iso_code=iso_code or None,
        valid_from=valid_from,
        valid_to=valid_to,
        path="/pending/",
        depth=parent.depth + 1 if parent else 0,
    )
    node.full_clean(exclude=["path"])
    if parent is not None and parent.children.filter(name__iexact=node.name, valid_to__isnull=True).exists():
        raise ValidationError(
            {"name": _("A unit with this name already exists under %(parent)s.") % {"parent": parent}}
        )
    node.save()
    _set_path(node)
    if audit:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=node, changes={"name": node.name, "kind": kind})
    return node


@transaction.atomic
def jurisdiction_update(
    *, actor: User, jurisdiction: Jurisdiction, expected_version: int, **values: Any
) -> Jurisdiction:
    if not access.can_manage(actor, jurisdiction):
        raise PermissionDenied
    allowed = {"name", "level_name", "valid_from", "valid_to"}
    if set(values) - allowed:
        raise ValueError(f"cannot update {set(values) - allowed}")
    return versioning.update(
        actor=actor, model=Jurisdiction, obj=jurisdiction, expected_version=expected_version, values=values
    )


LOCAL_KINDS = [JurisdictionKind.CITY, JurisdictionKind.DISTRICT, JurisdictionKind.MUNICIPALITY, JurisdictionKind.OTHER]


# --- Organisations -----------------------------------------------------------------

ORGANISATION_FIELDS = [
    "name",
    "sector",
    "jurisdiction",
    "parent",
    "description",
    "website",
    "email",
    "phone",
    "address",
]


def _check_org_parent(parent: Organisation | None, jurisdiction: Jurisdiction, org: Organisation | None = None) -> None:
    if parent is None:
        return
    if org is not None and parent.pk == org.pk:
        raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
    if jurisdiction.country_path and not parent.jurisdiction.path.startswith(jurisdiction.country_path):
        raise ValidationError({"parent": _("The parent organisation must be in the same country.")})
    seen = set()
    node: Organisation | None = parent
    while node is not None and org is not None:
        if node.pk == org.pk:
            raise ValidationError({"parent": _("This parent would create a cycle.")})
        if node.pk in seen:
            break
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def organisation_create(*, actor: User, jurisdiction: Jurisdiction, audit: bool = True, **values: Any) -> Organisation:
    if not access.can_manage(actor, jurisdiction):
        raise PermissionDenied
    _check_org_parent(values.get("parent"), jurisdiction)
    org = Organisation(jurisdiction=jurisdiction, **values)
    org.full_clean()
    org.save()
    if audit:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=org,
            changes={k: getattr(org, k) for k in ORGANISATION_FIELDS if getattr(org, k) not in ("", None)},
        )
    return org


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, expected_version: int, **values: Any
) -> Organisation:
    if not access.can_manage(actor, organisation.jurisdiction):
        raise PermissionDenied
    if "jurisdiction" in values and not access.can_manage(actor, values["jurisdiction"]):
        raise PermissionDenied
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"cannot update {unknown}")
    _check_org_parent(
        values.get("parent", organisation.parent), values.get("jurisdiction", organisation.jurisdiction), organisation
    )
    return versioning.update(
        actor=actor, model=Organisation, obj=organisation, expected_version=expected_version, values=values
    )


@transaction.atomic
def organisation_archive(*, actor: User, organisation: Organisation, archived: bool = True) -> Organisation:
    return _set_archived(actor=actor, model=Organisation, obj=organisation, archived=archived)


# --- People ------------------------------------------------------------------------

PERSON_FIELDS = ["full_name", "jurisdiction", "email", "phone", "notes"]


@transaction.atomic
def person_create(*, actor: User, jurisdiction: Jurisdiction, audit: bool = True, **values: Any) -> Person:
    if not access.can_manage(actor, jurisdiction):
        raise PermissionDenied
    person = Person(jurisdiction=jurisdiction, **values)
    person.full_clean()
    person.save()
    if audit:
        # Contact details are not copied into the audit log: it is readable more widely.
        audit_record(actor=actor, action=AuditAction.CREATE, obj=person, changes={"full_name": person.full_name})
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, expected_version: int, **values: Any) -> Person:
    if not access.can_manage(actor, person.jurisdiction):
        raise PermissionDenied
    if "jurisdiction" in values and not access.can_manage(actor, values["jurisdiction"]):
        raise PermissionDenied
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"cannot update {unknown}")
    return versioning.update(actor=actor, model=Person, obj=person, expected_version=expected_version, values=values)


@transaction.atomic
def person_archive(*, actor: User, person: Person, archived: bool = True) -> Person:
    return _set_archived(actor=actor, model=Person, obj=person, archived=archived)


@transaction.atomic
def affiliation_create(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    title: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    audit: bool = True,
) -> Affiliation:
    if not access.can_manage(actor, person.jurisdiction):
        raise PermissionDenied
    if person.jurisdiction.country_path and not organisation.jurisdiction.path.startswith(
        person.jurisdiction.country_path
    ):
        raise ValidationError({"organisation": _("The organisation must be in the person's country.")})
    aff = Affiliation(
        person=person,
        organisation=organisation,
        jurisdiction=organisation.jurisdiction,
        title=title,
        start_date=start_date,
        end_date=end_date,
    )
    aff.full_clean()
    aff.save()
    if audit:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=aff,
            jurisdiction=person.jurisdiction,
            changes={"organisation": str(organisation), "title": title},
        )
    return aff


@transaction.atomic
def affiliation_end(*, actor: User, affiliation: Affiliation, end_date: dt.date) -> Affiliation:
    if not access.can_manage(actor, affiliation.person.jurisdiction):
        raise PermissionDenied
    locked = versioning.lock(affiliation)
    if locked.start_date and end_date < locked.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    return versioning.save(
        locked,
        {"end_date": end_date},
        actor=actor,
        jurisdiction=locked.person.jurisdiction,
        changes={"end_date": [_jsonable(locked.end_date), _jsonable(end_date)]},
    )


# --- Roles -------------------------------------------------------------------------


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    role: str,
    jurisdiction: Jurisdiction,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """Grant ``role`` at ``jurisdiction``. ``actor=None`` is the system (seeding)."""
    if actor is not None and role not in access.assignable_roles(actor, jurisdiction):
        raise PermissionDenied
    if RoleAssignment.objects.filter(user=user, role=role, jurisdiction=jurisdiction, revoked_at__isnull=True).exists():
        raise ValidationError(_("This person already holds this role there."))
    if (
        organisation is not None
        and jurisdiction.country_path
        and not organisation.jurisdiction.path.startswith(jurisdiction.country_path)
    ):
        raise ValidationError({"organisation": _("The organisation must be in the same country.")})
    assignment = RoleAssignment.objects.create(
        user=user, role=role, jurisdiction=jurisdiction, organisation=organisation, granted_by=actor
    )
    access.forget_grants(user)
    audit_record(
        actor=actor,
        action=AuditAction.GRANT,
        obj=assignment,
        changes={"user": user.get_username(), "role": role},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    if assignment.role not in access.assignable_roles(actor, assignment.jurisdiction):
        raise PermissionDenied
    locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    access.forget_grants(locked.user)
    if RoleAssignment.user.is_cached(assignment):  # the caller's user object too (read no row for it)
        access.forget_grants(assignment.user)
    audit_record(
        actor=actor,
        action=AuditAction.REVOKE,
        obj=locked,
        changes={"user": locked.user.get_username(), "role": locked.role},
    )
    return locked


# --- API tokens ------------------------------------------------------------------------

TOKEN_PREFIX = "tdm_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass
class IssuedToken:
    token: ApiToken
    secret: str = field(repr=False)


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_at: dt.datetime | None = None) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=secret[:10], token_hash=hash_token(secret), expires_at=expires_at
    )
    audit_record(actor=actor, action=AuditAction.TOKEN, obj=token, changes={"created": name})
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditAction.TOKEN, obj=token, changes={"revoked": token.name})
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user behind a token secret, or None. Records last use."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = timezone.now()
    rows = _TOKEN_ROWS.rows(hash_token(secret))
    if not rows:
        return None
    token_pk, expires_at, last_used_at, *user_values = rows[0]
    if expires_at is not None and expires_at <= now:
        return None
    if last_used_at is None or now - last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)
    return User.from_db(router.db_for_read(User), _USER_FIELDS, user_values)


# Every API request looks its token up: the query is compiled once (tandem.core.prepared), and the
# user is built from the same row (what ``select_related("user")`` read).
_USER_FIELDS = [f.attname for f in User._meta.concrete_fields]
_TOKEN_ROWS = Prepared(
    ApiToken,
    lambda token_hash: (
        ApiToken.objects.filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .order_by("pk")
        .values_list("pk", "expires_at", "last_used_at", *(f"user__{name}" for name in _USER_FIELDS))[:1]
    ),
    args=(str,),
)


# --- Users (accounts for people) -------------------------------------------------------


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, password: str | None, full_name: str = "", email: str = ""
) -> User:
    """Create a sign-in account. Only administrators (or the system) create accounts."""
    if actor is not None and not access.is_admin(actor):
        raise PermissionDenied
    first, _sep, last = full_name.partition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=user, changes={"username": username})
    return user
