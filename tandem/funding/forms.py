"""Forms of funding. Record choices start empty; the views fill them from scoped querysets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.lookups import lookup_field
from tandem.core.models import Organisation, Sector, User
from tandem.core.uploads import FileCheck
from tandem.plans.models import Objective

from .models import ApplicationStatus, FundingSource, InKindType, OfferKind, SourceKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})
DOCUMENT_TYPES = {"pdf", "png", "jpeg", "docx", "xlsx", "text"}


class MoneyField(forms.CharField):
    """An amount as text: the service checks precision and sign (one message for page and API)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "pattern": r"[0-9]+(\.[0-9]+)?"})


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Owner jurisdiction"))
    amount = MoneyField(label=_("Amount (or estimated value of a contribution in kind)"))
    currency_code = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="KES")
    in_kind = forms.BooleanField(label=_("Contribution in kind"), required=False)
    in_kind_type = forms.ChoiceField(
        label=_("Type of contribution"), choices=[("", "—"), *InKindType.choices], required=False
    )
    in_kind_description = forms.CharField(label=_("Description of the contribution"), max_length=500, required=False)
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea, required=False, max_length=5000)
    serves = lookup_field(
        "jurisdiction", "lookup_jurisdictions", _("Jurisdictions it may serve"), many=True, required=False
    )


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, max_length=5000)
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Eligible jurisdictions (and below)"))
    sources = forms.ModelMultipleChoiceField(
        label=_("Funding sources"), queryset=FundingSource.objects.none(), to_field_name="uuid"
    )
    objectives = lookup_field(
        "objective", "funding_lookup_objectives", _("Plan objectives served"), many=True, required=False
    )
    eligible_sectors = forms.MultipleChoiceField(
        label=_("Eligible applicant sectors (none: every sector)"), choices=Sector.choices, required=False
    )
    budget = MoneyField(label=_("Budget"))
    min_grant = MoneyField(label=_("Minimum grant"))
    max_grant = MoneyField(label=_("Maximum grant"))
    currency_code = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="KES")
    opens_at = forms.DateTimeField(label=_("Opens (your time zone)"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes (your time zone)"), widget=DATETIME)
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name; weight; maximum score. For example: Relevance; 3; 5"),
        max_length=3000,
    )
    required_documents = forms.CharField(
        label=_("Required documents"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    publishable = forms.BooleanField(label=_("Publish the awards as open data (360Giving)"), required=False)

    def clean_criteria(self) -> list[tuple[str, str, int]]:
        rows = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3 or not parts[2].isdigit():
                raise forms.ValidationError(_("Write each criterion as: name; weight; maximum score."))
            rows.append((parts[0], parts[1], int(parts[2])))
        return rows


class CallEditForm(CallForm):
    """The call form with the version read; the view disables what the call's stage freezes."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SourceEditForm(SourceForm):
    """The source form with the version read (the owner jurisdiction stays)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["jurisdiction"]


class ApplicationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Applicant organisation"), queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    title = forms.CharField(label=_("Project title"), max_length=300)
    summary = forms.CharField(label=_("Project summary"), widget=forms.Textarea, max_length=5000)
    jurisdiction = lookup_field("jurisdiction", "funding_lookup_call_places", _("Where the project takes place"))
    objectives = forms.ModelMultipleChoiceField(
        label=_("Plan objectives it contributes to"),
        queryset=Objective.objects.none(),
        to_field_name="uuid",
        required=False,
    )
    activities = lookup_field(
        "plan_activity",
        "funding_lookup_call_activities",
        _("Plan activities it contributes to"),
        many=True,
        required=False,
    )
    amount_requested = MoneyField(label=_("Amount requested"))
    budget_lines = forms.CharField(
        label=_("Budget lines"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: category; amount. They add up to the amount requested."),
        max_length=3000,
    )
    co_funding = MoneyField(label=_("Co-funding"), required=False, initial="0")
    co_funding_note = forms.CharField(label=_("Co-funding from"), max_length=300, required=False)

    def clean_budget_lines(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["budget_lines"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.rsplit(";", 1)]
            if len(parts) != 2:
                raise forms.ValidationError(_("Write each budget line as: category; amount."))
            rows.append((parts[0], parts[1]))
        return rows


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"), validators=[FileCheck(DOCUMENT_TYPES)])


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none(), to_field_name="uuid")


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this applicant?"),
        choices=[("no", _("No conflict of interest")), ("yes", _("Yes, I have a conflict of interest"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False)


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ApplicationStatus.AWARDED, _("Award")),
            (ApplicationStatus.DECLINED, _("Decline")),
            (ApplicationStatus.WAITLISTED, _("Wait-list")),
        ],
    )
    amount = MoneyField(label=_("Amount awarded"), required=False)
    source = forms.ModelChoiceField(
        label=_("Charged to source"), queryset=FundingSource.objects.none(), to_field_name="uuid", required=False
    )
    conditions = forms.CharField(
        label=_("Conditions"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TrancheForm(forms.Form):
    amount = MoneyField(label=_("Amount"))
    due_date = forms.DateField(label=_("Due"), widget=DATE)
    condition = forms.CharField(label=_("Condition"), max_length=300, required=False)


class PaymentForm(forms.Form):
    amount = MoneyField(label=_("Amount"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class ReportScheduleForm(forms.Form):
    due_date = forms.DateField(label=_("Report due"), widget=DATE)


class ReceiptForm(forms.Form):
    """The receipts of a spend report (the amounts per budget line are added by the view)."""

    narrative = forms.CharField(label=_("Narrative progress"), widget=forms.Textarea, max_length=10000)
    receipt = forms.FileField(label=_("Receipt"), required=False, validators=[FileCheck(DOCUMENT_TYPES)])


class OfferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False, max_length=3000)
    served_places = lookup_field(
        "jurisdiction",
        "lookup_jurisdictions",
        _("Jurisdictions served (none: your own and below)"),
        many=True,
        required=False,
    )
    sectors = forms.MultipleChoiceField(label=_("Sectors served"), choices=Sector.choices, required=False)


class MatchForm(forms.Form):
    jurisdiction = lookup_field("jurisdiction", "lookup_managed_jurisdictions", _("Where"))
    activity = lookup_field(
        "plan_activity", "funding_lookup_unfunded_activities", _("Plan activity without funding"), required=False
    )
    request = lookup_field(
        "exchange_request",
        "funding_lookup_exchange_needs",
        _("Request for support of the exchange"),
        required=False,
        help_text=_("Only requests the partner may read too can be proposed."),
    )
    need = forms.CharField(label=_("Local need"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
