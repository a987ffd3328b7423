"""Forms of the action plan pages. Services re-validate; these give field-level messages first."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core import lookups
from tandem.core.forms import DateInput, VersionedFormMixin, clean_date_range
from tandem.core.lookups import lookup_field
from tandem.core.uploads import FileCheck

from .models import (
    ActionPlan,
    ActivityStatus,
    Frequency,
    Indicator,
    IndicatorUnit,
    Objective,
    Pillar,
    PlanLevel,
    ProgressStatus,
    RoadmapStage,
)

AMOUNT = {"max_digits": 16, "decimal_places": 2}


def target_label(objective: Objective) -> str:
    """An alignment target: a regional plan's objective names its plan."""
    if objective.plan.level == PlanLevel.REGIONAL:
        return f"{objective} ({objective.plan.title})"
    return str(objective)


class PlanFieldsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    legal_instrument = forms.CharField(label=_("Legal instrument"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)
    owner_body = forms.ModelChoiceField(
        label=_("Owning coordination body"), queryset=None, required=False, to_field_name="uuid"
    )
    visible_to_partners = forms.BooleanField(
        label=_("Visible to partners, members and viewers of the jurisdiction"), required=False
    )

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        from tandem.bodies.models import Body

        self.fields["owner_body"].queryset = bodies if bodies is not None else Body.objects.none()

    def clean(self):
        cleaned = super().clean()
        clean_date_range(self, "period_start", "period_end")
        return cleaned


class PlanCreateForm(PlanFieldsForm):
    level = forms.ChoiceField(label=_("Level"), choices=PlanLevel.choices)
    jurisdiction = lookup_field("jurisdiction", "plan_lookup_jurisdictions", _("Jurisdiction"))
    national_plan = lookup_field(
        "plan",
        "plan_lookup_national_plans",
        _("National plan it implements"),
        required=False,
        help_text=_("Required for a regional or local plan."),
    )
    regional_plan = lookup_field(
        "plan",
        "plan_lookup_regional_plans",
        _("Regional plan it aligns to"),
        required=False,
        help_text=_("Optional, for a local plan: the regional plan of a unit above it."),
    )
    owner_body = lookup_field(
        "body",
        "plan_lookup_bodies",
        _("Owning coordination body"),
        required=False,
        help_text=_("Optional: an active coordination body of the plan's jurisdiction."),
    )
    field_order = ["level", "jurisdiction", "national_plan", "regional_plan", "title"]

    def __init__(self, *args, jurisdictions=None, national_plans=None, regional_plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions
        if national_plans is not None:
            self.fields["national_plan"].queryset = national_plans
        if regional_plans is not None:
            self.fields["regional_plan"].queryset = regional_plans

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        if level in (PlanLevel.REGIONAL, PlanLevel.LOCAL) and not cleaned.get("national_plan"):
            self.add_error("national_plan", _("Choose the national plan this plan implements."))
        if cleaned.get("regional_plan") and level != PlanLevel.LOCAL:
            self.add_error("regional_plan", _("Only a local plan aligns to a regional plan."))
        return cleaned


class PlanEditForm(VersionedFormMixin, PlanFieldsForm):
    regional_plan = forms.ModelChoiceField(
        label=_("Regional plan it aligns to"),
        queryset=ActionPlan.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("Optional: the regional plan of a unit above this one."),
    )

    def __init__(self, *args, regional_plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regional_plans is None:  # only a local plan aligns to a regional plan
            del self.fields["regional_plan"]
        else:
            self.fields["regional_plan"].queryset = regional_plans


class PillarForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=300)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0, required=False)


class ObjectiveForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    text = forms.CharField(label=_("Objective"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    pillar = forms.ModelChoiceField(
        label=_("Pillar"), queryset=Pillar.objects.none(), required=False, to_field_name="uuid"
    )

    def __init__(self, *args, pillars=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pillars is None:
            del self.fields["pillar"]
        else:
            self.fields["pillar"].queryset = pillars


class ObjectiveEditForm(VersionedFormMixin, ObjectiveForm):
    pass


class IndicatorForm(forms.Form):
    inherited_from = forms.ModelChoiceField(
        label=_("Use a national indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("Its name, unit, frequency and whether it adds up are copied and cannot be changed here."),
    )
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *IndicatorUnit.choices], required=False)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.QUARTERLY)
    additive = forms.BooleanField(label=_("Adds up across localities"), required=False)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, **AMOUNT)
    target = forms.DecimalField(label=_("Target"), required=False, **AMOUNT)
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.none(), required=False, to_field_name="uuid"
    )

    def __init__(self, *args, objectives=None, national_indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if objectives is not None:
            self.fields["objective"].queryset = objectives
        if national_indicators is None:
            del self.fields["inherited_from"]
        else:
            self.fields["inherited_from"].queryset = national_indicators

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("inherited_from"):
            if not cleaned.get("name"):
                self.add_error("name", _("Enter a name, or choose a national indicator."))
            if not cleaned.get("unit"):
                self.add_error("unit", _("Choose a unit."))
        return cleaned


class IndicatorEditForm(VersionedFormMixin, IndicatorForm):
    def __init__(self, *args, inherited=False, **kwargs):
        super().__init__(*args, national_indicators=None, **kwargs)
        if inherited:
            for name in ("name", "unit", "frequency", "additive"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("National definition: not editable here.")


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objective = forms.ModelChoiceField(
        label=_("Local objective"), queryset=Objective.objects.none(), required=False, to_field_name="uuid"
    )
    responsible_org = lookup_field(
        "organisation", "plan_lookup_organisations", _("Responsible organisation"), required=False
    )
    partner_orgs = lookup_field(
        "organisation", "plan_lookup_organisations", _("Partner organisations"), many=True, required=False
    )
    budget = forms.DecimalField(label=_("Budget"), required=False, min_value=0, **AMOUNT)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        help_text=_("ISO 4217 code, for example KES. Left empty, the currency of the plan's country."),
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters", "autocomplete": "off"}),
    )
    budget_source = forms.CharField(label=_("Budget source"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PLANNED)
    national_objectives = forms.ModelMultipleChoiceField(
        label=_("Aligned to national objectives"),
        queryset=Objective.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )
    local_innovation = forms.BooleanField(label=_("Local innovation (no national counterpart)"), required=False)

    def __init__(self, *args, objectives=None, organisations=None, national_objectives=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            lookups.point(self, ["responsible_org", "partner_orgs"], uuid=plan.uuid)
        if objectives is not None:
            self.fields["objective"].queryset = objectives
        if organisations is not None:
            self.fields["responsible_org"].queryset = organisations
            self.fields["partner_orgs"].queryset = organisations
        if national_objectives is None:
            del self.fields["national_objectives"]
            del self.fields["local_innovation"]
        else:
            self.fields["national_objectives"].queryset = national_objectives
            self.fields["national_objectives"].label_from_instance = target_label

    def clean(self):
        cleaned = super().clean()
        clean_date_range(self, "start_date", "end_date")
        if "national_objectives" in self.fields:
            chosen = cleaned.get("national_objectives")
            if chosen and cleaned.get("local_innovation"):
                self.add_error(
                    "local_innovation", _("A local innovation has no national counterpart: choose one or the other.")
                )
            elif not chosen and not cleaned.get("local_innovation"):
                self.add_error(
                    "national_objectives",
                    _("Choose at least one national objective, or mark it as a local innovation."),
                )
        return cleaned


class ActivityEditForm(VersionedFormMixin, ActivityForm):
    pass


class AlignmentForm(forms.Form):
    national_objectives = forms.ModelMultipleChoiceField(
        label=_("National objectives"),
        queryset=Objective.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )
    local_innovation = forms.BooleanField(label=_("Local innovation (no national counterpart)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, national_objectives=None, **kwargs):
        super().__init__(*args, **kwargs)
        if national_objectives is not None:
            self.fields["national_objectives"].queryset = national_objectives
            self.fields["national_objectives"].label_from_instance = target_label

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("national_objectives")
        if chosen and cleaned.get("local_innovation"):
            self.add_error(
                "local_innovation", _("A local innovation has no national counterpart: choose one or the other.")
            )
        elif not chosen and not cleaned.get("local_innovation"):
            self.add_error(
                "national_objectives", _("Choose at least one national objective, or mark it as a local innovation.")
            )
        return cleaned


class PeriodForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=20, help_text=_("For example 2026-Q1."))
    start = forms.DateField(label=_("Start"), widget=DateInput)
    end = forms.DateField(label=_("End"), widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        clean_date_range(self, "start", "end")
        return cleaned


def parse_decimal(raw: str) -> Decimal | None:
    """'1 234,5' or '1234.5' -> Decimal; '' -> None; text -> ValueError."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


class ProgressForm(VersionedFormMixin):
    """One form for a period: a value + note per indicator, a status + note per activity."""

    def __init__(self, *args, indicators=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.activities = list(activities)
        for ind in self.indicators:
            self.fields[f"value_{ind.uuid}"] = forms.CharField(
                label=ind.name, required=False, max_length=30, help_text=ind.get_unit_display()
            )
            self.fields[f"note_{ind.uuid}"] = forms.CharField(label=_("Note"), required=False, max_length=1000)
        for act in self.activities:
            self.fields[f"status_{act.uuid}"] = forms.ChoiceField(
                label=act.title, required=False, choices=[("", "—"), *ProgressStatus.choices]
            )
            self.fields[f"anote_{act.uuid}"] = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def clean(self):
        cleaned = super().clean()
        for ind in self.indicators:
            name = f"value_{ind.uuid}"
            if name not in cleaned:
                continue
            try:
                cleaned[name] = parse_decimal(cleaned[name])
            except ValueError:
                self.add_error(name, _("Enter a number (for example 125 or 12.5)."))
        return cleaned

    def indicator_rows(self):
        return [(ind, self[f"value_{ind.uuid}"], self[f"note_{ind.uuid}"]) for ind in self.indicators]

    def activity_rows(self):
        return [(act, self[f"status_{act.uuid}"], self[f"anote_{act.uuid}"]) for act in self.activities]

    def payload(self, data=None):
        """(values, statuses) for ``services.progress_save`` from the cleaned data."""
        data = self.cleaned_data if data is None else data
        values = {ind: (data.get(f"value_{ind.uuid}"), data.get(f"note_{ind.uuid}", "")) for ind in self.indicators}
        statuses = {
            act: (data.get(f"status_{act.uuid}") or None, data.get(f"anote_{act.uuid}", "")) for act in self.activities
        }
        return values, statuses


class PeriodActionForm(VersionedFormMixin):
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RoadmapForm(forms.Form):
    jurisdiction = lookup_field("jurisdiction", "plan_lookup_jurisdictions", _("Jurisdiction"))
    stage = forms.ChoiceField(label=_("Stage"), choices=RoadmapStage.choices)
    date = forms.DateField(label=_("Date reached"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, jurisdictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Plan workbook (XLSX)"),
        validators=[FileCheck({"xlsx"}, "TANDEM_IMPORT_MAX_BYTES")],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
