"""Forms of capacity building. Rules that need the database live in the services."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.assessment.models import Item
from tandem.bodies.forms import DateTimeInput, lines
from tandem.core.forms import DateInput, VersionedFormMixin
from tandem.core.lookups import lookup_field
from tandem.core.models import GovernmentLevel, Jurisdiction, Sector, User
from tandem.core.uploads import FileCheck

from .materials import MATERIAL_TYPES
from .models import (
    RATING_MAX,
    RATING_MIN,
    Competency,
    Course,
    CourseDelivery,
    CourseVisibility,
    SharingRequirement,
    TrainingSession,
    Urgency,
)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class FrameworkItemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        return f"{obj.competency.framework.name} · {obj.code} — {obj.statement}"[:160]


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("File"), validators=[FileCheck(MATERIAL_TYPES)])
    session = forms.ModelChoiceField(
        label=_("For the session of"),
        queryset=TrainingSession.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("The whole course"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, images or text."),
    )

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sessions is not None:
            self.fields["session"].queryset = sessions
            self.fields["session"].label_from_instance = lambda s: f"{s.starts_at:%Y-%m-%d} · {s.host.name}"


class MaterialRemoveForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, remove this file"), required=True)


class NeedExchangeForm(VersionedFormMixin, forms.Form):
    due_date = forms.DateField(label=_("Answer by"), widget=DateInput())


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    objectives = forms.CharField(
        label=_("Learning objectives"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=11000,
        help_text=_("One objective per line, in order."),
    )
    jurisdiction = lookup_field("jurisdiction", "capacity_lookup_hosts", _("Owner jurisdiction"))
    visibility = forms.ChoiceField(label=_("Visible to"), choices=CourseVisibility.choices)
    level = forms.ChoiceField(label=_("Level"), choices=GovernmentLevel.choices)
    delivery = forms.ChoiceField(label=_("Delivery"), choices=CourseDelivery.choices)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=60,
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, sw."),
    )
    duration_hours = forms.IntegerField(label=_("Duration (hours)"), min_value=1, max_value=500, initial=8)
    competencies = forms.MultipleChoiceField(
        label=_("Competencies it builds"),
        choices=Competency.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Audience sectors"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    framework_items = FrameworkItemsField(
        label=_("Assessment framework items it addresses"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("An assessment that scores one of these items low will suggest this course."),
    )

    def __init__(self, *args, jurisdictions=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions
        if items is not None:
            self.fields["framework_items"].queryset = items

    def clean_objectives(self) -> list[str]:
        return lines(self.cleaned_data.get("objectives", ""))


class CourseEditForm(VersionedFormMixin, CourseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["jurisdiction"]


class SessionForm(forms.Form):
    host = lookup_field("jurisdiction", "capacity_lookup_hosts", _("Host jurisdiction"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput, input_formats=DATETIME_FORMATS)
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, help_text=_("The local time zone of the session, e.g. Africa/Nairobi.")
    )
    registration_deadline = forms.DateTimeField(
        label=_("Registration deadline"), widget=DateTimeInput, input_formats=DATETIME_FORMATS
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    required_share = forms.IntegerField(
        label=_("Attendance required for a certificate (%)"), min_value=0, max_value=100, initial=80
    )
    trainers = lookup_field("person", "lookup_people", _("Trainers from the directory"), many=True, required=False)
    external_trainers = forms.CharField(label=_("External trainers"), max_length=500, required=False)

    def __init__(self, *args, hosts=None, trainers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hosts is not None:
            self.fields["host"].queryset = hosts
        if trainers is not None:
            self.fields["trainers"].queryset = trainers

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("Unknown time zone: use a name such as Africa/Nairobi.")) from None
        return name

    def clean(self):
        cleaned = super().clean()
        tz_name = cleaned.get("time_zone")
        if tz_name:
            zone = zoneinfo.ZoneInfo(tz_name)
            for name in ("starts_at", "ends_at", "registration_deadline"):
                value = cleaned.get(name)
                if isinstance(value, dt.datetime):
                    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                    cleaned[name] = naive.replace(tzinfo=zone)
        return cleaned


class SessionEditForm(VersionedFormMixin, SessionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["host"]


class SessionCancelForm(VersionedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the participants on the session's page."),
    )


class SessionArchiveForm(VersionedFormMixin, forms.Form):
    pass


class NominateForm(forms.Form):
    person = lookup_field("person", "capacity_lookup_nominees", _("Person"))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class AttendanceForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=str, choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(p.uuid), p.person.full_name) for p in participants]


SCALE = [(str(i), str(i)) for i in range(RATING_MIN, RATING_MAX + 1)]


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=3000
    )

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for objective in self.objectives:
            for key, label in (
                ("rating", _("How well did the session meet this objective? (1–5)")),
                ("before", _("Your confidence before (1–5)")),
                ("after", _("Your confidence after (1–5)")),
            ):
                self.fields[f"{key}_{objective.pk}"] = forms.IntegerField(
                    label=f"{objective.text} — {label}", min_value=RATING_MIN, max_value=RATING_MAX
                )

    def ratings(self) -> dict[int, tuple[int, int, int]]:
        data = self.cleaned_data
        return {o.pk: (data[f"rating_{o.pk}"], data[f"before_{o.pk}"], data[f"after_{o.pk}"]) for o in self.objectives}


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=30)


class ReachForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("Count by"),
        choices=[
            ("sector", _("Sector")),
            ("level", _("Level")),
            ("jurisdiction", _("Jurisdiction")),
            ("organisation_type", _("Organisation type")),
            ("course", _("Course")),
            ("competency", _("Competency")),
            ("year", _("Year")),
        ],
        required=False,
    )
    start = forms.DateField(label=_("Sessions from"), widget=DateInput, required=False)
    end = forms.DateField(label=_("Sessions until"), widget=DateInput, required=False)


class NeedForm(forms.Form):
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Jurisdiction"))
    competency = forms.ChoiceField(label=_("Competency"), choices=Competency.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    people_count = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=100000)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=3000
    )

    def __init__(self, *args, jurisdictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions


class NeedAnswerForm(VersionedFormMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)


class RequirementForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Jurisdiction.objects.none(), to_field_name="uuid")
    course = forms.ModelChoiceField(label=_("Required course"), queryset=Course.objects.none(), to_field_name="uuid")
    valid_days = forms.IntegerField(
        label=_("A completion is valid for (days)"), min_value=1, max_value=3650, initial=365
    )

    def __init__(self, *args, countries=None, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if countries is not None:
            self.fields["country"].queryset = countries
        if courses is not None:
            self.fields["course"].queryset = courses


class ExemptionForm(forms.Form):
    requirement = forms.ModelChoiceField(
        label=_("Requirement"), queryset=SharingRequirement.objects.none(), to_field_name="uuid"
    )
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none(), to_field_name="uuid")
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, requirements=None, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if requirements is not None:
            self.fields["requirement"].queryset = requirements
        if users is not None:
            self.fields["user"].queryset = users
