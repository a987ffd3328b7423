"""Core records: the jurisdiction tree, the directory, roles, audit and API tokens.

Every scoped record carries a non-null ``jurisdiction`` foreign key. Reads go
through :mod:`tandem.core.access`; writes through :mod:`tandem.core.services`.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Optimistic concurrency: a save must name the version it started from."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Competency(models.TextChoices):
    """The six competencies of national-local cooperation (NLC) that the assessment framework,
    trainings and library items are tagged with: one list for every app."""

    TRUST = "trust", _("Trust")
    INCLUSIVITY = "inclusivity", _("Inclusivity")
    COORDINATION = "coordination", _("Coordination")
    COMMUNICATION = "communication", _("Communication")
    CAPACITY = "capacity", _("Capacity")
    SUSTAINABILITY = "sustainability", _("Sustainability")


class JurisdictionKind(models.TextChoices):
    NETWORK = "network", _("Network")
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province")
    COUNTY = "county", _("County")
    MUNICIPALITY = "municipality", _("Municipality")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    OTHER = "other", _("Other local unit")


class Jurisdiction(TimeStamped, Versioned):
    """A node of the jurisdiction tree.

    ``path`` is the materialised path of ancestor ids (``"/1/7/42/"``), so
    "this unit and everything below" is one indexed prefix query.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=JurisdictionKind.choices)
    level_name = models.CharField(
        _("level name"), max_length=60, blank=True, help_text=_("What this level is called locally, e.g. County.")
    )
    iso_code = models.CharField(_("ISO 3166 code"), max_length=12, null=True, blank=True, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=255, editable=False, db_index=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="core_jurisdiction_path", opclasses=["varchar_pattern_ops"]),
            # The default order (``ordering``): the pattern index above serves ``LIKE 'prefix%'`` only, so
            # "the first 20 places of a country, by path" sorted all 50,000 of them (x10: 30 ms, on disk).
            models.Index(fields=["path"], name="core_jurisdiction_path_order"),
            models.Index(fields=["parent", "name"], name="core_jurisd_parent_name"),
            models.Index(fields=["depth"], name="core_jurisdiction_depth"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="core_jurisdiction_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="core_jurisdiction_root_depth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: Jurisdiction) -> bool:
        """True when self is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    @property
    def country_path(self) -> str:
        """Path prefix of the country this unit belongs to ('' above country level)."""
        parts = self.path.strip("/").split("/")
        return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else ""


class Sector(models.TextChoices):
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    POLICE_SECURITY = "police_security", _("Police and security")
    JUSTICE = "justice", _("Justice")
    HEALTH = "health", _("Health")
    SOCIAL_SERVICES = "social_services", _("Social services")
    EDUCATION = "education", _("Education")
    YOUTH = "youth", _("Youth")
    WOMEN = "women", _("Women")
    RELIGIOUS = "religious", _("Religious")
    COMMUNITY = "community", _("Community / civil society")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    MEDIA = "media", _("Media")
    INTERNATIONAL = "international", _("International / donor")


SECURITY_SECTORS = frozenset({Sector.POLICE_SECURITY, Sector.JUSTICE})


class GovernmentLevel(models.TextChoices):
    """The level of government a course is meant for, or a participant works at: one list for every app."""

    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class Organisation(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("jurisdiction")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("parent organisation"),
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "sector"], name="core_organisation_jur_sector"),
            models.Index(fields=["name"], name="core_organisation_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"],
                condition=Q(archived_at__isnull=True),
                name="core_organisation_unique_active_name",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="core_organisation_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Person(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="people", verbose_name=_("jurisdiction")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person", verbose_name=_("user account")
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "full_name"], name="core_person_jur_name"),
            # The people list's order (and the API's): a page reads 25 index entries, not every person sorted.
            models.Index(fields=["full_name", "id"], name="core_person_name_id"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Affiliation(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="affiliations", verbose_name=_("organisation")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="affiliations", verbose_name=_("jurisdiction")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="core_affiliation_date_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    LOCAL_COORDINATOR = "local_coordinator", _("Local coordinator")
    MEMBER = "member", _("Body member")
    PARTNER = "partner", _("Partner")
    FACILITATOR = "facilitator", _("Network facilitator")
    VIEWER = "viewer", _("Viewer")


COORDINATOR_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.LOCAL_COORDINATOR}
)


class RoleAssignment(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("jurisdiction")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("on behalf of organisation"),
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["jurisdiction__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "jurisdiction"],
                condition=Q(revoked_at__isnull=True),
                name="core_roleassignment_unique_active",
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="core_roleasg_user_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.jurisdiction}"


class Invitation(TimeStamped):
    """An invitation to join Tandem with one role: a coordinator invites someone into their own
    scope; the invitee sets a password through a single-use, expiring link. Only a hash of the
    link's secret is stored."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200)
    person = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on behalf of organisation"),
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("account")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.get_role_display()} · {self.jurisdiction}"

    @property
    def state(self) -> str:
        from django.utils import timezone

        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise PermissionError("The audit log is append-only")

    def delete(self):  # type: ignore[override]
        raise PermissionError("The audit log is append-only")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    DELETE = "delete", _("Deleted")
    IMPORT = "import", _("Imported")
    GRANT = "grant", _("Role granted")
    REVOKE = "revoke", _("Role revoked")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    READ = "read", _("Read")
    TOKEN = "token", _("API token")
    LOCKOUT = "lockout", _("Sign-in locked out")
    MFA = "mfa", _("Second factor")
    PASSWORD = "password", _("Password")


class AuditEvent(models.Model):
    """Append-only: rows are only ever inserted (see AuditQuerySet and save)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("actor")
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_uuid = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    jurisdiction_path = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction_path"], name="core_auditevent_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["object_uuid"], name="core_auditevent_object"),
            # The audit page's window (the latest events in the reader's places, newest first): read from
            # the index alone, the place tested on its entries (PostgreSQL; elsewhere the plain order).
            models.Index(
                fields=["-created_at", "-id"],
                include=["jurisdiction_path", "object_type", "object_uuid"],
                name="core_auditevent_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only")


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
