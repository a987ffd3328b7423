"""Forms of membership: an application, a decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import VersionedFormMixin
from tandem.core.lookups import lookup_field


class ApplicationForm(forms.Form):
    jurisdiction = lookup_field("jurisdiction", "membership_lookup_jurisdictions", _("Jurisdiction"))
    organisation = lookup_field("organisation", "lookup_organisations", _("Authority (organisation)"))
    focal_point = lookup_field("person", "lookup_people", _("Focal point"))
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
