"""Forms of the library: an item (propose, edit), an attachment, a checklist tick."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import DateInput, VersionedFormMixin
from tandem.core.lookups import lookup_field
from tandem.core.models import Sector
from tandem.core.uploads import FileCheck

from .models import SUMMARY_MAX, TITLE_MAX, Competency, Kind, Language, Visibility
from .services import ATTACHMENT_TYPES, ItemData


class ItemForm(forms.Form):
    jurisdiction = lookup_field(
        "jurisdiction",
        "library_lookup_jurisdictions",
        _("Owning jurisdiction"),
        help_text=_("Its curators publish the item; the country and subtree visibilities are measured from it."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    summary = forms.CharField(label=_("Summary"), max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Paragraphs, headings, lists, emphasis and links are kept; anything else is removed."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    translation_of = lookup_field(
        "libraryitem",
        "library_lookup_items",
        _("Translation of"),
        required=False,
        help_text=_("Link this item as a translation of an item in another language."),
    )
    visibility = forms.ChoiceField(label=_("Who may read it once published"), choices=Visibility.choices)
    publication_date = forms.DateField(label=_("Publication date"), required=False, widget=DateInput())
    author_organisation = lookup_field("organisation", "lookup_organisations", _("Author organisation"), required=False)
    competencies = forms.MultipleChoiceField(
        label=_("Competencies"), required=False, choices=Competency.choices, widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.MultipleChoiceField(label=_("Sectors"), required=False, choices=Sector.choices)
    countries = lookup_field("jurisdiction", "library_lookup_countries", _("Countries"), many=True, required=False)
    concerns = lookup_field(
        "jurisdiction", "lookup_jurisdictions", _("Jurisdictions concerned"), many=True, required=False
    )

    def data_for_service(self) -> ItemData:
        d = self.cleaned_data
        return ItemData(
            kind=d["kind"],
            title=d["title"],
            summary=d["summary"],
            body=d.get("body") or "",
            language=d["language"],
            visibility=d["visibility"],
            publication_date=d.get("publication_date"),
            author_organisation=d.get("author_organisation"),
            competencies=tuple(d.get("competencies") or ()),
            sectors=tuple(d.get("sectors") or ()),
            countries=tuple(d.get("countries") or ()),
            concerns=tuple(d.get("concerns") or ()),
        )


class ItemEditForm(VersionedFormMixin, ItemForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["jurisdiction"]
        del self.fields["translation_of"]


class StepForm(VersionedFormMixin):
    """A tick of one step (``version``: the record's, for conflicts)."""

    done = forms.BooleanField(label=_("Done"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), validators=[FileCheck(ATTACHMENT_TYPES)])


class ChecklistStartForm(forms.Form):
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Jurisdiction"))
