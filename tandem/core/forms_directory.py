"""Forms for the directory pages: organisations, people, affiliations, CSV import.

Choice fields are given their (already scoped) querysets by the view, so a form
can never offer a record the user may not see or a jurisdiction they may not
manage. Identifiers in the HTML are UUIDs, never integer ids.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .forms import DateInput, VersionedFormMixin, clean_date_range
from .lookups import LookupChoiceField, lookup_field
from .models import Organisation, Sector
from .uploads import FileCheck


def _jurisdiction_field() -> LookupChoiceField:
    return lookup_field(
        "jurisdiction",
        "lookup_managed_jurisdictions",
        _("Jurisdiction"),
        help_text=_("Where the record belongs. You can choose units where you are a coordinator."),
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "---------"), *Sector.choices])
    jurisdiction = _jurisdiction_field()
    parent = lookup_field(
        "organisation",
        "lookup_organisations",
        _("Parent organisation"),
        required=False,
        help_text=_("For a department or unit of a larger organisation (same country)."),
    )
    description = forms.CharField(label=_("Description"), max_length=5000, required=False, widget=forms.Textarea)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, jurisdictions=None, parents=None, instance: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions
        if parents is not None:
            if instance is not None:
                parents = parents.exclude(pk=instance.pk)
            self.fields["parent"].queryset = parents

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name

    def clean(self):
        cleaned = super().clean()
        name, jurisdiction = cleaned.get("name"), cleaned.get("jurisdiction")
        archived = self.instance is not None and self.instance.is_archived
        if name and jurisdiction is not None and not archived:
            exclude_pk = self.instance.pk if self.instance is not None else None
            if selectors.organisation_name_taken(jurisdiction, name, exclude_pk=exclude_pk):
                self.add_error(
                    "name",
                    _("An active organisation called “%(name)s” already exists in %(place)s.")
                    % {"name": name, "place": jurisdiction.name},
                )
        return cleaned


class OrganisationEditForm(VersionedFormMixin, OrganisationForm):
    pass


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    jurisdiction = _jurisdiction_field()
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
        help_text=_("Work-related notes only. Do not record sensitive personal data here."),
    )

    def __init__(self, *args, jurisdictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class PersonEditForm(VersionedFormMixin, PersonForm):
    pass


class AffiliationForm(forms.Form):
    organisation = lookup_field("organisation", "lookup_affiliation_organisations", _("Organisation"))
    title = forms.CharField(label=_("Title or function"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput)
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DateInput, help_text=_("Leave empty while the affiliation lasts.")
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        clean_date_range(self, "start_date", "end_date")
        return cleaned


class AffiliationEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput)

    def __init__(self, *args, affiliation=None, **kwargs):
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.affiliation = affiliation

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        start = getattr(self.affiliation, "start_date", None)
        if start and end < start:
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return end


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 text, comma or semicolon separated, with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[FileCheck({"text"}, "TANDEM_IMPORT_MAX_BYTES")],
    )


__all__ = [
    "AffiliationEndForm",
    "AffiliationForm",
    "OrganisationEditForm",
    "OrganisationForm",
    "OrganisationImportForm",
    "PersonEditForm",
    "PersonForm",
]
