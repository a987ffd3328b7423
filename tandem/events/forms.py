"""Forms of events: the event, a session, a participant (from the directory or a guest), a
breakout, an outcome, a commitment, a follow-up, the report's summary."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.bodies.forms import DateTimeInput
from tandem.bodies.models import Body
from tandem.core.forms import DateInput, VersionedFormMixin
from tandem.core.lookups import lookup_field
from tandem.core.models import GovernmentLevel, Jurisdiction, Organisation, Sector
from tandem.library.models import Language, Visibility

from .models import TEXT_MAX, TITLE_MAX, Kind, OutcomeKind, Participant, ParticipantStatus
from .services import EventData

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class _Unit(forms.ModelChoiceField):
    def label_from_instance(self, obj: Jurisdiction) -> str:
        return "\u2003" * max(obj.depth - 1, 0) + obj.name


def _organisations(label: Any, *, many: bool = True) -> forms.ModelChoiceField:
    """An optional choice of visible organisations, searched as one types (the view sets the queryset)."""
    return lookup_field("organisation", "lookup_organisations", label, many=many, required=False)


def _localise(cleaned: dict[str, Any], tz_name: str, names: tuple[str, ...]) -> None:
    """The entered wall-clock times are in ``tz_name``."""
    try:
        zone = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return
    for name in names:
        value = cleaned.get(name)
        if isinstance(value, dt.datetime):
            naive = timezone.make_naive(value) if timezone.is_aware(value) else value
            cleaned[name] = naive.replace(tzinfo=zone)


class EventForm(forms.Form):
    jurisdiction = lookup_field(
        "jurisdiction",
        "event_lookup_jurisdictions",
        _("Owning jurisdiction"),
        help_text=_("Its coordinators and facilitators organise the event; the visibility is measured from it."),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput, input_formats=DATETIME_FORMATS)
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=60, initial="UTC", help_text=_("For example Asia/Manila.")
    )
    place = lookup_field("jurisdiction", "event_lookup_places", _("City"), required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    host = _organisations(_("Host organisation"), many=False)
    organisers = _organisations(_("Organisers"))
    partners = _organisations(_("Partners"))
    funders = _organisations(_("Funders"))
    language = forms.ChoiceField(label=_("Language of the report"), choices=Language.choices)
    languages = forms.CharField(label=_("Languages spoken"), max_length=200, required=False)
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices)

    def __init__(self, *args: Any, jurisdictions=None, places=None, organisations=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions
        if places is not None:
            self.fields["place"].queryset = places
        if organisations is not None:
            for name in ("host", "organisers", "partners", "funders"):
                self.fields[name].queryset = organisations

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        tz_name = (cleaned.get("time_zone") or "").strip()
        try:
            zoneinfo.ZoneInfo(tz_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Unknown time zone: use a name such as Asia/Manila."))
            return cleaned
        cleaned["time_zone"] = tz_name
        _localise(cleaned, tz_name, ("starts_at", "ends_at"))
        return cleaned

    def event_data(self) -> EventData:
        return event_data(self.cleaned_data)


def event_data(d: dict[str, Any]) -> EventData:
    """The service's input from an event form's cleaned data."""
    return EventData(
        title=d["title"],
        kind=d["kind"],
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        time_zone=d["time_zone"],
        visibility=d["visibility"],
        place=d.get("place"),
        online=bool(d.get("online")),
        venue=d.get("venue") or "",
        host=d.get("host"),
        language=d["language"],
        languages=d.get("languages") or "",
        objectives=d.get("objectives") or "",
        organisers=tuple(d.get("organisers") or ()),
        partners=tuple(d.get("partners") or ()),
        funders=tuple(d.get("funders") or ()),
    )


class EventEditForm(VersionedFormMixin, EventForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["jurisdiction"]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session"), max_length=TITLE_MAX)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput, input_formats=DATETIME_FORMATS)
    speakers = forms.CharField(label=_("Speakers"), max_length=500, required=False)
    room = forms.CharField(label=_("Room"), max_length=200, required=False)

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["starts_at"].help_text = _("Local time of the event (%(zone)s).") % {"zone": time_zone}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _localise(cleaned, self.time_zone, ("starts_at", "ends_at"))
        return cleaned


class InviteForm(forms.Form):
    person = lookup_field("person", "lookup_people", _("Person"))
    role = forms.CharField(label=_("Role"), max_length=200, required=False, help_text=_("For example: Mayor."))
    organisation = _organisations(_("Organisation"), many=False)
    level = forms.ChoiceField(label=_("Level"), choices=GovernmentLevel.choices)

    def __init__(self, *args: Any, people=None, organisations=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=200, required=False, help_text=_("For example: Governor."))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    country = lookup_field("jurisdiction", "event_lookup_countries", _("Country"))
    level = forms.ChoiceField(label=_("Level"), choices=GovernmentLevel.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)

    def __init__(self, *args: Any, countries=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if countries is not None:
            self.fields["country"].queryset = countries


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ParticipantStatus.choices)


class _Participants(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.name} ({obj.country.name})"


class _Participant(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.name} ({obj.country.name})"


class BreakoutForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=200)
    country = lookup_field("jurisdiction", "event_lookup_countries", _("Country"), required=False)
    members = _Participants(
        label=_("Members"), queryset=Participant.objects.none(), to_field_name="uuid", required=False
    )
    rapporteur = _Participant(
        label=_("Rapporteur"), queryset=Participant.objects.none(), to_field_name="uuid", required=False
    )

    def __init__(self, *args: Any, countries=None, participants=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if countries is not None:
            self.fields["country"].queryset = countries
        if participants is not None:
            self.fields["members"].queryset = participants
            self.fields["rapporteur"].queryset = participants


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutcomeKind.choices)
    text = forms.CharField(label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), to_field_name="uuid", required=False
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organisations=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["owner_organisation"].queryset = organisations


class ActionItemForm(VersionedFormMixin):
    body = forms.ModelChoiceField(label=_("Coordination body"), queryset=Body.objects.none(), to_field_name="uuid")

    def __init__(self, *args: Any, bodies=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies


class ReportForm(VersionedFormMixin):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Paragraphs are separated by an empty line."),
    )


class ExchangeRequestForm(VersionedFormMixin):
    sender_jurisdiction = _Unit(
        label=_("Send from"),
        queryset=Jurisdiction.objects.none(),
        to_field_name="uuid",
        help_text=_("A jurisdiction where you may send exchange items."),
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("Ask these jurisdictions"), queryset=Jurisdiction.objects.none(), to_field_name="uuid"
    )
    due_date = forms.DateField(label=_("Answer by"), widget=DateInput())

    def __init__(self, *args: Any, senders=None, recipients=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if senders is not None:
            self.fields["sender_jurisdiction"].queryset = senders
        if recipients is not None:
            self.fields["recipients"].queryset = recipients
