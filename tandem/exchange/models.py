"""Exchange items under the Traffic Light Protocol (TLP 2.0), their recipients, replies and logs.

Who may read an item is decided in ONE place: :mod:`tandem.exchange.access`.
An item with ``sent_at`` null is the sender's server-side draft (the preview
step): nobody else can see it, and sending freezes exactly what was previewed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Jurisdiction, Organisation, Person, TimeStamped, Versioned

TITLE_MAX = 200
BODY_MAX = 20000
REPLY_MAX = 10000


class Kind(models.TextChoices):
    REPORT = "report", _("Report")
    REQUEST = "request", _("Request")
    GUIDANCE = "guidance", _("Guidance or advisory")
    ALERT = "alert", _("Alert")


class Subkind(models.TextChoices):
    SITUATION = "situation", _("Situation report")
    TREND = "trend", _("Trend")
    CONCERN = "concern", _("Community concern")
    NEED = "need", _("Need")
    SUPPORT = "support", _("Request for support")
    RESOURCES = "resources", _("Request for resources")
    GUIDANCE = "guidance", _("Request for guidance")
    INFORMATION = "information", _("Request for information")


REPORT_SUBKINDS = (Subkind.SITUATION, Subkind.TREND, Subkind.CONCERN, Subkind.NEED)
REQUEST_SUBKINDS = (Subkind.SUPPORT, Subkind.RESOURCES, Subkind.GUIDANCE, Subkind.INFORMATION)
# Requests a partner's offer may meet (``funding.selectors.exchange_needs``).
NEED_SUBKINDS = (Subkind.SUPPORT, Subkind.RESOURCES)


class Direction(models.TextChoices):
    UP = "up", _("Upward (to the region or national level)")
    DOWN = "down", _("Downward (to localities below)")
    LATERAL = "lateral", _("Lateral (other localities, a body, organisations or people)")


class Tlp(models.TextChoices):
    CLEAR = "CLEAR", _("TLP:CLEAR")
    GREEN = "GREEN", _("TLP:GREEN")
    AMBER = "AMBER", _("TLP:AMBER")
    AMBER_STRICT = "AMBER_STRICT", _("TLP:AMBER+STRICT")
    RED = "RED", _("TLP:RED")


# Higher is stricter.
TLP_LEVEL = {Tlp.CLEAR: 0, Tlp.GREEN: 1, Tlp.AMBER: 2, Tlp.AMBER_STRICT: 3, Tlp.RED: 4}
LOGGED_TLPS = (Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)

TLP_RULES = {
    Tlp.RED: _("Only the named people (and you) can read it."),
    Tlp.AMBER_STRICT: _(
        "Only the users of the recipient organisations, the coordinators of the recipient jurisdictions, "
        "the named people and you can read it. It cannot be forwarded."
    ),
    Tlp.AMBER: _(
        "Only the users of the recipient organisations, the coordinators of the recipient jurisdictions, "
        "the named people and you can read it. A recipient may forward it to organisations and people in "
        "their own jurisdiction; you see every forward."
    ),
    Tlp.GREEN: _("Every user with a role in your country can read it. It is never public."),
    Tlp.CLEAR: _(
        "Every signed-in user of the Tandem network, in every country, can read it, and it may later be "
        "published to the library."
    ),
}


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED)


class ExchangeItem(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subkind = models.CharField(_("type"), max_length=20, choices=Subkind.choices, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    tlp = models.CharField(_("label"), max_length=12, choices=Tlp.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_sent", verbose_name=_("sender")
    )
    sender_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_sent",
        verbose_name=_("sending organisation"),
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="exchange_items", verbose_name=_("sender jurisdiction")
    )
    # The sender's country (path prefix, e.g. "/1/2/"): the GREEN/CLEAR community.
    country_path = models.CharField(max_length=255, editable=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    no_agreement_reason = models.TextField(_("reason for sending without an agreement"), blank=True, max_length=2000)
    personal_data_override = models.JSONField(_("personal data warnings overridden"), default=list, blank=True)
    publishable = models.BooleanField(_("may be published to the library"), default=False)

    class Meta:
        verbose_name = _("exchange item")
        verbose_name_plural = _("exchange items")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["country_path", "tlp"], name="exchange_item_country_tlp"),
            models.Index(fields=["kind", "status", "due_date"], name="exchange_item_kind_status"),
            models.Index(fields=["sender", "sent_at"], name="exchange_item_sender"),
            # The open requests with every column the dashboard's counts read (due date, age,
            # direction, the visibility rule's label, sender and country, the place): PostgreSQL
            # counts them from the index alone, without reading the 300,000 items' rows.
            models.Index(
                fields=["due_date", "sent_at", "direction", "tlp", "sender", "jurisdiction", "country_path", "id"],
                condition=Q(kind="request", status__in=OPEN_STATUSES),
                name="exchange_open_requests",
            ),
            # The open requests for support or resources, newest first: the needs a partner's offer
            # may meet (``funding.selectors.exchange_needs``), read a page at a time in this order
            # (the types are in the condition: with the type leading, two types were two ranges, so
            # every need was read and sorted for each page).
            models.Index(
                F("sent_at").desc(),
                F("id").desc(),
                condition=Q(kind="request", status__in=OPEN_STATUSES, subkind__in=NEED_SUBKINDS),
                name="exchange_open_needs",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="request") | Q(due_date__isnull=True), name="exchange_exchangeitem_due_request"
            ),
            models.CheckConstraint(
                condition=Q(publishable=False) | Q(tlp="CLEAR"), name="exchange_exchangeitem_publish_clear"
            ),
        ]

    def __str__(self) -> str:
        # Never the title: this text lands in the audit log, which coordinators read
        # whether or not the label lets them read the item.
        return f"{self.get_tlp_display()} {self.get_kind_display()} {str(self.uuid)[:8]}"

    @property
    def is_request(self) -> bool:
        return self.kind == Kind.REQUEST

    @property
    def is_logged(self) -> bool:
        return self.tlp in LOGGED_TLPS

    @property
    def level(self) -> int:
        return TLP_LEVEL[Tlp(self.tlp)]

    @property
    def tlp_rule(self) -> str:
        return str(TLP_RULES[Tlp(self.tlp)])

    def is_overdue(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return bool(self.is_request and self.due_date and self.status in OPEN_STATUSES and self.due_date < today)


class RecipientKind(models.TextChoices):
    JURISDICTION = "jurisdiction", _("Jurisdiction (its coordinators)")
    ORGANISATION = "organisation", _("Organisation")
    USER = "user", _("Named person")
    BODY = "body", _("Body")


class ItemRecipient(models.Model):
    """One addressee. A body is also expanded, at send time, into organisation rows
    (``via_body`` set) so later membership changes do not widen access silently."""

    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("kind"), max_length=20, choices=RecipientKind.choices)
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="exchange_received"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="exchange_received"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.ForeignKey("bodies.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    via_body = models.ForeignKey("bodies.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Set when a recipient forwarded an AMBER item (see tandem.exchange.access): who added this row, and when.
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("forwarded by"),
    )
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        indexes = [
            models.Index(fields=["organisation", "item"], name="exchange_rcpt_org"),
            models.Index(fields=["user", "item"], name="exchange_rcpt_user"),
            models.Index(fields=["jurisdiction", "item"], name="exchange_rcpt_jur"),
            # The AMBER test of the visibility rule per item (a recipient organisation or unit of
            # the reader's), answered from the index alone.
            models.Index(fields=["item", "organisation", "jurisdiction"], name="exchange_rcpt_item_to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="jurisdiction", jurisdiction__isnull=False)
                    | Q(kind="organisation", organisation__isnull=False)
                    | Q(kind="user", user__isnull=False)
                    | Q(kind="body", body__isnull=False)
                ),
                name="exchange_itemrecipient_target",
            ),
            models.CheckConstraint(
                condition=Q(forwarded_by__isnull=True, forwarded_at__isnull=True)
                | Q(forwarded_by__isnull=False, forwarded_at__isnull=False, kind__in=["organisation", "user"]),
                name="exchange_itemrecipient_forward",
            ),
        ]

    def __str__(self) -> str:
        target = self.jurisdiction or self.organisation or self.user or self.body
        return str(target)


class Reply(TimeStamped):
    """A message in an item's thread: same label and audience as the item, always."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("reply"), max_length=REPLY_MAX)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]


class Acknowledgement(models.Model):
    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="exchange_acknowledgement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file stored under MEDIA_ROOT (never served directly): only the access-checked download reads it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    storage_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReadAction(models.TextChoices):
    DETAIL = "detail", _("Opened")
    DOWNLOAD = "download", _("Downloaded an attachment")
    EXPORT = "export", _("Exported")
    API = "api", _("Read through the API")


class ReadLog(models.Model):
    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("what"), max_length=20, choices=ReadAction.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item", "at"], name="exchange_readlog_item")]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.at:%Y-%m-%d %H:%M}"


class LabelChange(models.Model):
    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="label_changes")
    from_tlp = models.CharField(_("from"), max_length=12, choices=Tlp.choices)
    to_tlp = models.CharField(_("to"), max_length=12, choices=Tlp.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    reason = models.TextField(_("reason"), max_length=2000)

    class Meta:
        verbose_name = _("label change")
        verbose_name_plural = _("label changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_tlp} -> {self.to_tlp}"


class SharingAgreement(TimeStamped, Versioned):
    """An information-sharing agreement between parties (organisations and/or jurisdictions)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="sharing_agreements",
        verbose_name=_("registered at"),
        help_text=_("The jurisdiction whose coordinators keep this agreement up to date."),
    )
    party_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="sharing_agreements", verbose_name=_("party organisations")
    )
    party_jurisdictions = models.ManyToManyField(
        Jurisdiction,
        blank=True,
        related_name="sharing_agreement_parties",
        verbose_name=_("party jurisdictions"),
        help_text=_("A jurisdiction party covers its organisations and the units below it."),
    )
    legal_basis = models.TextField(_("legal basis"), max_length=4000)
    categories = models.TextField(_("categories of information that may be shared"), max_length=4000)
    retention = models.CharField(_("retention"), max_length=300)
    contact = models.CharField(_("contact"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), max_length=4000, blank=True)
    main_users = models.CharField(
        _("main users"), max_length=500, blank=True, help_text=_("Who uses the information, e.g. prevention officers.")
    )
    standard_formats = models.CharField(
        _("standard formats"), max_length=500, blank=True, help_text=_("The forms and templates the parties agreed on.")
    )
    review_date = models.DateField(_("next review"), null=True, blank=True)

    class Meta:
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="exchange_sharingagreement_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title
