"""Forms for the core app. Validation lives here and in model constraints."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .lookups import lookup_field
from .models import JurisdictionKind, Role
from .services import LOCAL_KINDS


class VersionedFormMixin(forms.Form):
    """Carries the version the editor started from, for conflict detection."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def clean_date_range(form: forms.Form, start: str, end: str) -> None:
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, _("The end date cannot be before the start date."))


class JurisdictionChildForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in LOCAL_KINDS])
    level_name = forms.CharField(
        label=_("Level name"), max_length=60, required=False, help_text=_("What this level is called locally.")
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class JurisdictionEditForm(VersionedFormMixin):
    name = forms.CharField(label=_("Name"), max_length=200)
    level_name = forms.CharField(label=_("Level name"), max_length=60, required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=DateInput, help_text=_("Set when the unit is dissolved or merged.")
    )

    def clean(self):
        cleaned = super().clean()
        clean_date_range(self, "valid_from", "valid_to")
        return cleaned


class RoleAssignmentForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Jurisdiction"))

    def __init__(self, *args, jurisdictions=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions
        if roles is not None:
            self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in roles]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—")])
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Jurisdiction"))
    organisation = lookup_field(
        "organisation",
        "lookup_organisations",
        _("On behalf of organisation"),
        required=False,
        help_text=_("For partners and members: the organisation they act for."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=60, initial=14)

    def __init__(self, *args, jurisdictions=None, organisations=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        if roles is not None:
            self.fields["role"].choices = [("", "—")] + [(r.value, r.label) for r in Role if r.value in roles]


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What the token is for, e.g. 'reporting script'.")
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"), min_value=1, max_value=366, initial=90, required=False
    )


__all__ = [
    "ApiTokenForm",
    "DateInput",
    "JurisdictionChildForm",
    "JurisdictionEditForm",
    "JurisdictionKind",
    "InvitationAcceptForm",
    "InvitationForm",
    "RoleAssignmentForm",
    "VersionedFormMixin",
    "clean_date_range",
]


class VersionForm(forms.Form):
    """A one-button change (submit, close, accept...): only the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
