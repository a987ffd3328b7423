"""Forms of the coordination bodies. Rules that need the database live in the services."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core import lookups
from tandem.core.forms import DateInput, VersionedFormMixin, clean_date_range
from tandem.core.lookups import lookup_field
from tandem.core.models import Sector

from .models import (
    MAX_AGENDA_ITEM_CHARS,
    MAX_AGENDA_ITEMS,
    MAX_MINUTES_CHARS,
    ActionStatus,
    BodyKind,
    Decision,
    Meeting,
    MeetingStatus,
    SeatKind,
)

MAX_AGENDA_CHARS = MAX_AGENDA_ITEMS * (MAX_AGENDA_ITEM_CHARS + 2)


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=BodyKind.choices)
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Jurisdiction"))
    mandate = forms.CharField(
        label=_("Mandate and terms of reference"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=30000,
        help_text=_("One objective per line, in order."),
    )
    mandate_reviewed_on = forms.DateField(label=_("Mandate last reviewed"), required=False, widget=DateInput)

    def __init__(self, *args, jurisdictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name

    def clean_objectives(self) -> list[str]:
        return lines(self.cleaned_data.get("objectives", ""))


class BodyEditForm(VersionedFormMixin, BodyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["jurisdiction"]


class MembershipForm(forms.Form):
    organisation = lookup_field("organisation", "body_lookup_organisations", _("Organisation"))
    person = lookup_field("person", "lookup_people", _("Representative"), required=False)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("The organisation's sector")), *Sector.choices],
        required=False,
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput, required=False)
    end_date = forms.DateField(label=_("End date"), widget=DateInput, required=False)

    def __init__(self, *args, organisations=None, people=None, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        if people is not None:
            self.fields["person"].queryset = people
        if body is not None:
            lookups.point(self, ["organisation"], uuid=body.uuid)

    def clean(self):
        cleaned = super().clean()
        clean_date_range(self, "start_date", "end_date")
        return cleaned


class MembershipEndForm(VersionedFormMixin):
    end_date = forms.DateField(label=_("Last day of membership"), widget=DateInput)


class SeatForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example: Co-chair (county commissioner).")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SeatKind.choices)


class SeatAssignForm(forms.Form):
    person = lookup_field("person", "lookup_people", _("Person"), required=False)
    organisation = lookup_field("organisation", "body_lookup_organisations", _("Organisation"), required=False)
    start_date = forms.DateField(label=_("From"), widget=DateInput, required=False)

    def __init__(self, *args, organisations=None, people=None, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        if people is not None:
            self.fields["person"].queryset = people
        if body is not None:
            lookups.point(self, ["organisation"], uuid=body.uuid)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not cleaned.get("organisation") and not self.errors:
            raise forms.ValidationError(_("Choose a person, an organisation or both."))
        return cleaned


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DateTimeInput, required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, help_text=_("The local time zone of the meeting, e.g. Africa/Nairobi.")
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices, initial=MeetingStatus.SCHEDULED)
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One item per line (at most %(items)d items of %(chars)d characters).")
        % {"items": MAX_AGENDA_ITEMS, "chars": MAX_AGENDA_ITEM_CHARS},
    )

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("Unknown time zone: use a name such as Africa/Nairobi.")) from None
        return name

    def clean_agenda(self) -> list[str]:
        text = self.cleaned_data.get("agenda", "")
        if len(text) > MAX_AGENDA_CHARS:
            raise forms.ValidationError(
                _("The agenda is too long (%(size)d characters; at most %(max)d).")
                % {"size": len(text), "max": MAX_AGENDA_CHARS}
            )
        items = lines(text)
        if len(items) > MAX_AGENDA_ITEMS:
            raise forms.ValidationError(_("An agenda can have at most %(n)d items.") % {"n": MAX_AGENDA_ITEMS})
        if any(len(i) > MAX_AGENDA_ITEM_CHARS for i in items):
            raise forms.ValidationError(
                _("Each agenda item can have at most %(n)d characters.") % {"n": MAX_AGENDA_ITEM_CHARS}
            )
        return items

    def clean(self):
        cleaned = super().clean()
        tz_name = cleaned.get("time_zone")
        if tz_name:
            zone = zoneinfo.ZoneInfo(tz_name)
            for name in ("starts_at", "ends_at"):
                value = cleaned.get(name)
                if isinstance(value, dt.datetime):
                    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                    cleaned[name] = naive.replace(tzinfo=zone)
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] < cleaned["starts_at"]:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        return cleaned


class MeetingEditForm(VersionedFormMixin, MeetingForm):
    pass


def meeting_initial(meeting: Meeting) -> dict:
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": meeting.ends_at.astimezone(zone).replace(tzinfo=None) if meeting.ends_at else None,
        "time_zone": meeting.time_zone,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "status": meeting.status,
        "agenda": "\n".join(a.text for a in meeting.agenda_items.all()),
        "version": meeting.version,
    }


class MembershipChoiceForm(forms.Form):
    """Tick members of a meeting (who came, who is invited) in a field named ``field``."""

    def __init__(self, *args, memberships=(), field="members", label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[field] = forms.MultipleChoiceField(label=label, widget=forms.CheckboxSelectMultiple, required=False)
        self.fields[field].choices = [
            (str(m.pk), f"{m.organisation.name}" + (f" ({m.person.full_name})" if m.person else ""))
            for m in memberships
        ]


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 16}), max_length=MAX_MINUTES_CHARS, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    decision = forms.ModelChoiceField(
        label=_("From decision"), queryset=Decision.objects.none(), to_field_name="uuid", required=False
    )
    owner_organisation = lookup_field(
        "organisation", "body_lookup_organisations", _("Owner organisation"), required=False
    )
    owner_person = lookup_field("person", "lookup_people", _("Owner person"), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.OPEN)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput, required=False)

    def __init__(self, *args, organisations=None, people=None, decisions=None, body=None, with_title=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:  # the keeper of the action log changes owner, due date and status only
            del self.fields["title"]
        if body is not None:
            lookups.point(self, ["owner_organisation"], uuid=body.uuid)
        if organisations is not None:
            self.fields["owner_organisation"].queryset = organisations
        if people is not None:
            self.fields["owner_person"].queryset = people
        if decisions is not None:
            self.fields["decision"].queryset = decisions
        else:
            del self.fields["decision"]


class ActionItemEditForm(VersionedFormMixin, ActionItemForm):
    pass


class ActionStatusForm(VersionedFormMixin):
    """What an owner (not a coordinator) may change: the status."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput, required=False)
