"""Forms of the assessment toolkit. Record choices start empty; views fill them from the actor's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.lookups import lookup_field
from tandem.core.models import Jurisdiction, Sector
from tandem.core.uploads import FileCheck

from .models import Competency, EntryKind, EvidenceKind, Framework, Level, Outcome

DONT_KNOW = "dk"


class AssessmentForm(forms.Form):
    jurisdiction = lookup_field(
        "jurisdiction", "assessment_lookup_jurisdictions", _("Jurisdiction assessed"), to_field_name=None
    )
    round_label = forms.CharField(label=_("Round"), max_length=40, help_text=_("For example 2026."))
    framework = forms.ModelChoiceField(Framework.objects.none(), label=_("Framework"))
    body = lookup_field(
        "body", "assessment_lookup_bodies", _("Coordination body (optional)"), required=False, to_field_name=None
    )


class InviteForm(forms.Form):
    person = lookup_field("person", "lookup_people", _("Person"), to_field_name=None)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *Level.choices])


class AnswerForm(forms.Form):
    """One choice per statement (a level of the scale, or don't know), an optional evidence note each."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    strengths = forms.CharField(label=_("Strengths"), max_length=5000, required=False, widget=forms.Textarea)
    obstacles = forms.CharField(label=_("Obstacles"), max_length=5000, required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, items: list, levels: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(level.value), f"{level.value} · {level.label}") for level in levels]
        choices.append((DONT_KNOW, str(_("Don't know"))))
        self.item_rows = []
        for item in items:
            score_name, evidence_name = f"score_{item.pk}", f"evidence_{item.pk}"
            self.fields[score_name] = forms.ChoiceField(
                label=f"{item.code} {item.statement}", choices=choices, widget=forms.RadioSelect, required=False
            )
            self.fields[evidence_name] = forms.CharField(
                label=_("Evidence (optional)"), max_length=2000, required=False
            )
            self.item_rows.append((item, score_name, evidence_name))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=[("", "—"), *EvidenceKind.choices])
    target = forms.UUIDField(
        label=_("Record identifier"), help_text=_("Pick one of your records below, or paste its identifier.")
    )
    competency = forms.ModelChoiceField(Competency.objects.none(), label=_("Competency"), required=False)


class MeetingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    meeting = forms.ModelChoiceField(Jurisdiction.objects.none(), label=_("Validation meeting"))


class FindingForm(forms.Form):
    competency = forms.ModelChoiceField(Competency.objects.none(), label=_("Competency"), required=False)
    text = forms.CharField(label=_("Finding"), max_length=4000, widget=forms.Textarea)


class OutcomeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome at the validation meeting"),
        choices=[(v, label) for v, label in Outcome.choices if v != Outcome.PENDING],
    )
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=forms.Textarea)


class RecommendationForm(forms.Form):
    competency = forms.ModelChoiceField(Competency.objects.none(), label=_("Competency"))
    text = forms.CharField(label=_("Recommendation"), max_length=4000, widget=forms.Textarea)


class ActionItemForm(forms.Form):
    body = lookup_field("body", "recommendation_lookup_bodies", _("Body"), to_field_name=None)
    owner_organisation = lookup_field(
        "organisation", "lookup_organisations", _("Owner organisation"), required=False, to_field_name=None
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ActivityForm(forms.Form):
    plan = forms.ModelChoiceField(Jurisdiction.objects.none(), label=_("Action plan"))


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (XLSX or JSON)"),
        help_text=_(
            "The shape of a framework's download: an XLSX workbook (sheets Framework, Levels and Statements) "
            "or the JSON file."
        ),
        validators=[FileCheck({"xlsx", "json"}, "TANDEM_IMPORT_MAX_BYTES")],
    )


class MappingForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(Jurisdiction.objects.none(), label=_("Country or region"))
    title = forms.CharField(label=_("Title"), max_length=200)


class MappingEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    expert = lookup_field("person", "lookup_people", _("Desk review by"), required=False, to_field_name=None)
    desk_review = forms.CharField(label=_("Desk review"), max_length=20000, required=False, widget=forms.Textarea)
    validation_meeting = forms.ModelChoiceField(
        Jurisdiction.objects.none(), label=_("Validation meeting"), required=False
    )
    report = forms.CharField(label=_("Mapping report"), max_length=50000, required=False, widget=forms.Textarea)


class MappingEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *EntryKind.choices])
    competency = forms.ModelChoiceField(Competency.objects.none(), label=_("Competency"))
    places = lookup_field(
        "jurisdiction", "mapping_lookup_places", _("Jurisdictions"), many=True, required=False, to_field_name=None
    )
    text = forms.CharField(label=_("Strength or obstacle"), max_length=4000, widget=forms.Textarea)
    evidence = forms.CharField(label=_("Evidence"), max_length=4000, required=False, widget=forms.Textarea)


__all__ = [
    "ActivityForm",
    "FrameworkImportForm",
    "MappingEditForm",
    "MappingEntryForm",
    "MappingForm",
    "DONT_KNOW",
    "ActionItemForm",
    "AnswerForm",
    "AssessmentForm",
    "EvidenceForm",
    "FindingForm",
    "InviteForm",
    "MeetingForm",
    "OutcomeForm",
    "RecommendationForm",
]
