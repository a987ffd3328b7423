"""Forms of the exchange: compose (draft), send confirmation, reply, status, label, agreements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.core.forms import DateInput, VersionedFormMixin, clean_date_range
from tandem.core.lookups import LookupMultipleChoiceField, lookup_field
from tandem.core.models import Jurisdiction, Organisation

from . import access
from .models import BODY_MAX, REPLY_MAX, TITLE_MAX, Direction, Kind, Status, Subkind, Tlp


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def _recipients(kind: str, url_name: str, label: Any, **kwargs: Any) -> LookupMultipleChoiceField:
    """Records chosen by lookup (ids as the exchange forms always sent them: primary keys)."""
    field = lookup_field(kind, url_name, label, many=True, required=False, to_field_name=None, **kwargs)
    assert isinstance(field, LookupMultipleChoiceField)
    return field


class ComposeForm(forms.Form):
    sender = forms.ChoiceField(label=_("Send as"))
    # Distinct names in both languages (core's catalogue translates a bare "Kind" as "Type").
    kind = forms.ChoiceField(label=pgettext_lazy("exchange item", "Kind"), choices=Kind.choices)
    subkind = forms.ChoiceField(
        label=pgettext_lazy("exchange item", "Type"),
        required=False,
        choices=[("", _("— (guidance and alerts have no type)"))] + list(Subkind.choices),
        help_text=_(
            "Reports: situation, trend, community concern or need. Requests: support, resources, guidance "
            "or information."
        ),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    tlp = forms.ChoiceField(
        label=_("Label (Traffic Light Protocol)"),
        choices=Tlp.choices,
        initial=Tlp.AMBER,
        help_text=_(
            "RED: named people only. AMBER+STRICT: exactly the recipients you choose. AMBER: the same, and "
            "recipients may forward it inside their own jurisdiction. GREEN: everyone with a role in your "
            "country. CLEAR: every user of the network; may be published."
        ),
    )
    publishable = forms.BooleanField(
        label=_("May be published to the knowledge library (TLP:CLEAR only)"), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Personal data does not belong here: no names with contact details, ID numbers or dates of birth."),
    )
    due_date = forms.DateField(label=_("Due date (requests)"), required=False, widget=DateInput)
    jurisdictions = _recipients(
        "jurisdiction", "exchange_lookup_jurisdictions", _("Jurisdictions (their coordinators)")
    )
    organisations = _recipients("organisation", "exchange_lookup_organisations", _("Organisations"))
    people = _recipients(
        "person",
        "exchange_lookup_people",
        _("Named people"),
        help_text=_("Only people with a user account can be named."),
    )
    bodies = _recipients("body", "exchange_lookup_bodies", _("Bodies (their current member organisations)"))
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG, DOCX, XLSX, plain text or CSV; checked by content."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.sender_options: dict[str, tuple[Jurisdiction, Organisation | None]] = {}
        acting = list(access.acting_organisations(user))
        grants = list(access.sending_grants(user))
        granted = {grant.jurisdiction_id for grant in grants}
        units = {j.pk: j for j in access.addressable_jurisdictions(user).filter(pk__in=granted)}
        for grant in grants:
            unit = units.get(grant.jurisdiction_id)
            if unit is None:
                continue
            orgs = [o for o in acting if o.pk == grant.organisation_id] or acting or [None]
            for org in orgs:
                key = f"{unit.uuid}|{org.uuid if org else ''}"
                self.sender_options[key] = (unit, org)
        self.fields["sender"].choices = [
            (key, f"{unit.name} — {org.name}" if org else unit.name) for key, (unit, org) in self.sender_options.items()
        ]
        self.fields["direction"].help_text = _(
            "Upward with no recipient chosen: the coordinators of the level above yours are proposed. The "
            "preview shows them before anything is sent, and you can change them."
        )
        self.fields["jurisdictions"].queryset = access.addressable_jurisdictions(user)
        self.fields["organisations"].queryset = access.addressable_organisations(user)
        self.fields["people"].queryset = access.addressable_people(user)
        self.fields["bodies"].queryset = access.addressable_bodies(user)

    def clean_sender(self) -> tuple[Jurisdiction, Organisation | None]:
        value = self.cleaned_data["sender"]
        if value not in self.sender_options:
            raise forms.ValidationError(_("Choose who you send as."))
        return self.sender_options[value]

    @classmethod
    def initial_for(cls, item: Any, addressees: Any) -> dict[str, Any]:
        return {
            "sender": f"{item.jurisdiction.uuid}|{item.sender_organisation.uuid if item.sender_organisation else ''}",
            "kind": item.kind,
            "subkind": item.subkind,
            "direction": item.direction,
            "tlp": item.tlp,
            "publishable": item.publishable,
            "title": item.title,
            "body": item.body,
            "due_date": item.due_date,
            "jurisdictions": addressees.jurisdictions,
            "organisations": addressees.organisations,
            "people": addressees.people,
            "bodies": addressees.bodies,
        }


class SendForm(VersionedFormMixin):
    confirm_personal_data = forms.BooleanField(
        label=_("I have checked the warnings above and send this anyway (recorded)"), required=False
    )
    no_agreement_reason = forms.CharField(
        label=_("Reason for sharing without a covering agreement (recorded)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=REPLY_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class StatusForm(VersionedFormMixin):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reason = forms.CharField(
        label=_("Reason (required when declining)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LabelForm(forms.Form):
    tlp = forms.ChoiceField(label=_("New, lower label"), choices=Tlp.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(forms.Form):
    """Forward an AMBER item inside the forwarder's organisation's jurisdiction (see access)."""

    organisations = _recipients("organisation", "exchange_lookup_forward_organisations", _("Organisations"))
    people = _recipients(
        "person",
        "exchange_lookup_forward_people",
        _("Named people"),
        help_text=_("Only people with a user account can be named."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = access.forward_organisations(user)
        self.fields["people"].queryset = access.forward_people(user)


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Registered at"), to_field_name=None)
    party_organisations = _recipients("organisation", "exchange_lookup_organisations", _("Party organisations"))
    party_jurisdictions = _recipients("jurisdiction", "exchange_lookup_jurisdictions", _("Party jurisdictions"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    categories = forms.CharField(
        label=_("Categories of information that may be shared"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    retention = forms.CharField(label=_("Retention"), max_length=300)
    contact = forms.CharField(label=_("Contact"), max_length=300)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DateInput)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    main_users = forms.CharField(
        label=_("Main users"),
        max_length=500,
        required=False,
        help_text=_("Who uses the information, e.g. prevention officers."),
    )
    standard_formats = forms.CharField(
        label=_("Standard formats"),
        max_length=500,
        required=False,
        help_text=_("The forms and templates the parties agreed on."),
    )
    review_date = forms.DateField(
        label=_("Next review"), required=False, widget=DateInput, help_text=_("When the parties look at it again.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tandem.core import access as core_access

        self.fields["jurisdiction"].queryset = core_access.managed_jurisdictions(user)
        self.fields["party_organisations"].queryset = access.addressable_organisations(user)
        self.fields["party_jurisdictions"].queryset = access.addressable_jurisdictions(user)

    def clean(self):
        cleaned = super().clean()
        clean_date_range(self, "valid_from", "valid_to")
        if not cleaned.get("party_organisations") and not cleaned.get("party_jurisdictions"):
            self.add_error("party_organisations", _("Name at least one party."))
        return cleaned
