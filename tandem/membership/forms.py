"""Forms of membership: an application, a decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import VersionedFormMixin
from tandem.core.lookups import LookupChoiceField
from tandem.core.models import Jurisdiction, Organisation, Person


class ApplicationForm(forms.Form):
    jurisdiction = LookupChoiceField(
        kind="jurisdiction",
        url_name="membership_lookup_jurisdictions",
        label=_("Jurisdiction"),
        queryset=Jurisdiction.objects.none(),
    )
    organisation = LookupChoiceField(
        kind="organisation",
        url_name="lookup_organisations",
        label=_("Authority (organisation)"),
        queryset=Organisation.objects.none(),
    )
    focal_point = LookupChoiceField(
        kind="person", url_name="lookup_people", label=_("Focal point"), queryset=Person.objects.none()
    )
    commitments = forms.CharField(
        label=_("Commitments"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the authority commits to as a member (membership is free of charge)."),
    )


class DecisionForm(VersionedFormMixin):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept")),
            ("request_info", _("Request information")),
            ("decline", _("Decline")),
            ("lapse", _("Record that the membership lapsed")),
            ("leave", _("Record that the member left")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason or request"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to decline or to request information."),
    )


class ResponseForm(VersionedFormMixin):
    commitments = forms.CharField(
        label=_("Commitments"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Revise them with the information the facilitator asked for."),
    )
