"""Pages of action plans: list, detail, forms, progress, review, roll-up, matrix, roadmap, files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import access as core_access
from tandem.core import exports
from tandem.core import selectors as core_selectors
from tandem.core.views.listing import read_filters, render_list, within_choices
from tandem.core.views.utils import add_service_errors, save_or_show_errors

from . import access, files, selectors, services
from .forms import (
    ActivityEditForm,
    ActivityForm,
    AlignmentForm,
    IndicatorEditForm,
    IndicatorForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PeriodActionForm,
    PeriodForm,
    PillarForm,
    PlanCreateForm,
    PlanEditForm,
    PlanImportForm,
    ProgressForm,
    RoadmapForm,
)
from .models import PeriodState, PlanLevel, RoadmapStage

# --- Helpers ------------------------------------------------------------------------------------


def _render_form(request, form, *, title, cancel_url, plan=None, conflict=None, intro=""):
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "plan": plan,
        "conflict": conflict,
        "intro": intro,
    }
    if plan is not None:
        context["crumbs"] = core_selectors.breadcrumb(request.user, plan.jurisdiction)
    return render(request, "plans/form.html", context)


def _editable_plan(request, uuid):
    plan = access.get_plan_or_404(request.user, uuid=uuid)
    access.require_edit(request.user, plan)
    return plan


def _conflict(form, exc, names):
    """The conflict as the shared include shows it: field label -> (your entry, saved now)."""
    changed = {}
    data = getattr(form, "cleaned_data", {})
    for name in names:
        if name in form.fields and name in data:
            saved = getattr(exc.current, name, None)
            if (data[name] or None) != (saved or None):
                changed[str(form.fields[name].label)] = (data[name], saved)
    exc.changed = changed
    return exc


# --- List and export -------------------------------------------------------------------------------


def _filtered(request):
    filters = read_filters(request)
    qs = access.visible_plans(request.user)
    level = request.GET.get("level", "")
    if level in PlanLevel.values:
        qs = qs.filter(level=level)
    else:
        level = ""
    if filters.term:
        qs = qs.filter(Q(title__icontains=filters.term) | Q(jurisdiction__name__icontains=filters.term))
    if filters.within is not None:
        qs = qs.filter(jurisdiction__path__startswith=filters.within.path)
    return qs.order_by("level", "jurisdiction__name", "title", "id"), filters, level


@require_GET
def plan_list(request):
    user = request.user
    qs, filters, level = _filtered(request)
    qs = qs.annotate(
        activity_count=Count("activities", distinct=True), objective_count=Count("objectives", distinct=True)
    )
    page = Paginator(qs, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.query + (f"&level={level}" if level else "")
    context = {
        "page_obj": page,
        "filters": filters,
        "level": level,
        "levels": PlanLevel.choices,
        "export_query": query.lstrip("&"),
        "within_choices": within_choices(user, filters.within),
        "can_create": access.can_create_plans(user),
    }
    return render_list(request, "plans/plan_list.html", "plans/partials/plan_results.html", context)


EXPORT_HEADER = [
    gettext_lazy("UUID"),
    gettext_lazy("Title"),
    gettext_lazy("Level"),
    gettext_lazy("Jurisdiction"),
    gettext_lazy("National plan"),
    gettext_lazy("Legal instrument"),
    gettext_lazy("Period start"),
    gettext_lazy("Period end"),
    gettext_lazy("Visible to partners"),
]


@require_GET
def plan_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, _filters, _level = _filtered(request)
    labels = dict(PlanLevel.choices)
    rows = qs.values_list(
        "uuid",
        "title",
        "level",
        "jurisdiction__name",
        "national_plan__title",
        "legal_instrument",
        "period_start",
        "period_end",
        "visible_to_partners",
    )

    def generate():
        for row in rows.iterator():
            values = list(row)
            values[0] = str(values[0])
            values[2] = str(labels.get(values[2], values[2]))
            values[6] = values[6].isoformat()
            values[7] = values[7].isoformat()
            values[8] = _("yes") if values[8] else _("no")
            yield values

    return exports.export_response(fmt, "action-plans", [str(h) for h in EXPORT_HEADER], generate())


# --- Create and edit plans -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user
    if not access.can_create_plans(user):
        raise PermissionDenied
    form = PlanCreateForm(
        request.POST or None,
        jurisdictions=access.editable_jurisdictions(user),
        national_plans=access.visible_national_plans(user).order_by("title"),
        bodies=access.owner_body_choices(user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plan = services.plan_create(actor=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("jurisdiction", _("You cannot create a plan at this jurisdiction."))
        else:
            messages.success(request, _("%(name)s was created.") % {"name": plan.title})
            return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(request, form, title=_("New action plan"), cancel_url=reverse("plan_list"))


PLAN_EDIT_FIELDS = [
    "title",
    "legal_instrument",
    "summary",
    "period_start",
    "period_end",
    "owner_body",
    "visible_to_partners",
]


@require_http_methods(["GET", "POST"])
def plan_edit(request, uuid):
    user = request.user
    plan = _editable_plan(request, uuid)
    bodies = access.plan_bodies(plan.jurisdiction)
    conflict = None
    if request.method == "POST":
        form = PlanEditForm(request.POST, bodies=bodies)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.plan_update(actor=user, plan=plan, expected_version=version, **data)
            except services.ConflictError as exc:
                conflict = _conflict(form, exc, PLAN_EDIT_FIELDS)
                form = PlanEditForm(data={**request.POST.dict(), "version": exc.current.version}, bodies=bodies)
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("plan_detail", uuid=plan.uuid)
    else:
        initial = {name: getattr(plan, name) for name in PLAN_EDIT_FIELDS}
        form = PlanEditForm(initial={**initial, "version": plan.version}, bodies=bodies)
    return _render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": plan.title},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=conflict,
    )


# --- Detail ------------------------------------------------------------------------------------


@require_GET
def plan_detail(request, uuid):
    user = request.user
    plan = access.get_plan_or_404(user, uuid=uuid)
    alignments = selectors.alignment_prefetch()
    context = {
        "plan": plan,
        "crumbs": core_selectors.breadcrumb(user, plan.jurisdiction),
        "can_edit": access.can_edit_plan(user, plan),
        "can_review": access.can_review(user, plan),
        "stage": selectors.current_stage(plan.jurisdiction),
        "indicators": plan.indicators.select_related("objective", "inherited_from").order_by("name"),
        "periods": plan.periods.order_by("start"),
    }
    if plan.is_national:
        context["pillars"] = plan.pillars.prefetch_related("objectives").order_by("position", "code")
        context["loose_objectives"] = plan.objectives.filter(pillar__isnull=True).order_by("code")
        context["local_plans"] = access.visible_plans(user).filter(national_plan=plan).order_by("jurisdiction__name")
        return render(request, "plans/national_detail.html", context)
    context["objectives"] = plan.objectives.prefetch_related(alignments).order_by("code")
    context["activities"] = (
        plan.activities.select_related("responsible_org", "objective")
        .prefetch_related("partner_orgs", alignments)
        .order_by("title")
    )
    return render(request, "plans/local_detail.html", context)


# --- Pillars, objectives, indicators -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pillar_create(request, uuid):
    plan = _editable_plan(request, uuid)
    if not plan.is_national:
        raise Http404
    form = PillarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if save_or_show_errors(
            request,
            form,
            lambda: services.pillar_create(
                actor=request.user, plan=plan, **{**data, "position": data.get("position") or 0}
            ),
            _("The pillar was added."),
        ):
            return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request, form, title=_("Add a pillar"), cancel_url=reverse("plan_detail", args=[plan.uuid]), plan=plan
    )


@require_http_methods(["GET", "POST"])
def objective_create(request, uuid):
    plan = _editable_plan(request, uuid)
    pillars = plan.pillars.order_by("position", "code") if plan.is_national else None
    form = ObjectiveForm(request.POST or None, pillars=pillars)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.objective_create(actor=request.user, plan=plan, **form.cleaned_data),
            _("The objective was added."),
        )
    ):
        return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request, form, title=_("Add an objective"), cancel_url=reverse("plan_detail", args=[plan.uuid]), plan=plan
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request, uuid):
    user = request.user
    objective = core_access.get_visible_or_404(access.visible_objectives(user), uuid=uuid)
    plan = objective.plan
    access.require_edit(user, plan)
    pillars = plan.pillars.order_by("position", "code") if plan.is_national else None
    conflict = None
    if request.method == "POST":
        form = ObjectiveEditForm(request.POST, pillars=pillars)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.objective_update(actor=user, objective=objective, expected_version=version, **data)
            except services.ConflictError as exc:
                conflict = _conflict(form, exc, ["code", "text", "pillar"])
                form = ObjectiveEditForm(data={**request.POST.dict(), "version": exc.current.version}, pillars=pillars)
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("plan_detail", uuid=plan.uuid)
    else:
        form = ObjectiveEditForm(
            initial={
                "code": objective.code,
                "text": objective.text,
                "pillar": objective.pillar,
                "version": objective.version,
            },
            pillars=pillars,
        )
    return _render_form(
        request,
        form,
        title=_("Edit objective %(code)s") % {"code": objective.code},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=conflict,
    )


def _national_indicators(user, plan):
    if plan.is_national:
        return None
    return access.visible_indicators(user).filter(plan=plan.national_plan).order_by("name")


@require_http_methods(["GET", "POST"])
def indicator_create(request, uuid):
    user = request.user
    plan = _editable_plan(request, uuid)
    form = IndicatorForm(
        request.POST or None,
        objectives=plan.objectives.order_by("code"),
        national_indicators=_national_indicators(user, plan),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None) or k in ("baseline", "target")}
        if save_or_show_errors(
            request,
            form,
            lambda: services.indicator_create(actor=user, plan=plan, **data),
            _("The indicator was added."),
        ):
            return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request, form, title=_("Add an indicator"), cancel_url=reverse("plan_detail", args=[plan.uuid]), plan=plan
    )


INDICATOR_EDIT_FIELDS = ["name", "unit", "frequency", "additive", "baseline", "target", "objective"]


@require_http_methods(["GET", "POST"])
def indicator_edit(request, uuid):
    user = request.user
    indicator = core_access.get_visible_or_404(access.visible_indicators(user), uuid=uuid)
    plan = indicator.plan
    access.require_edit(user, plan)
    kwargs = {"objectives": plan.objectives.order_by("code"), "inherited": indicator.is_inherited}
    initial = {name: getattr(indicator, name) for name in INDICATOR_EDIT_FIELDS}
    conflict = None
    if request.method == "POST":
        form = IndicatorEditForm(request.POST, initial=initial, **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if indicator.is_inherited:
                for name in ("name", "unit", "frequency", "additive"):
                    data.pop(name, None)
            try:
                services.indicator_update(actor=user, indicator=indicator, expected_version=version, **data)
            except services.ConflictError as exc:
                conflict = _conflict(form, exc, INDICATOR_EDIT_FIELDS)
                form = IndicatorEditForm(
                    data={**request.POST.dict(), "version": exc.current.version}, initial=initial, **kwargs
                )
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("plan_detail", uuid=plan.uuid)
    else:
        form = IndicatorEditForm(initial={**initial, "version": indicator.version}, **kwargs)
    return _render_form(
        request,
        form,
        title=_("Edit indicator %(name)s") % {"name": indicator.name},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=conflict,
    )


# --- Activities and alignment --------------------------------------------------------------------


def _activity_kwargs(user, plan, *, with_alignment=True):
    return {
        "objectives": plan.objectives.order_by("code"),
        "organisations": core_access.visible_organisations(user)
        .filter(jurisdiction__path__startswith=plan.jurisdiction.country_path or plan.jurisdiction.path)
        .order_by("name"),
        "national_objectives": access.visible_objectives(user).filter(plan=plan.national_plan).order_by("code")
        if with_alignment
        else None,
    }


@require_http_methods(["GET", "POST"])
def activity_create(request, uuid):
    user = request.user
    plan = _editable_plan(request, uuid)
    if plan.is_national:
        raise Http404
    form = ActivityForm(request.POST or None, **_activity_kwargs(user, plan))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        targets = list(data.pop("national_objectives"))
        innovation = data.pop("local_innovation")
        partners = list(data.pop("partner_orgs"))
        try:
            activity = services.activity_create(actor=user, plan=plan, partner_orgs=partners, **data)
            services.alignment_set(
                actor=user, plan=plan, activity=activity, national_objectives=targets, local_innovation=innovation
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": activity.title})
            return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request, form, title=_("Add an activity"), cancel_url=reverse("plan_detail", args=[plan.uuid]), plan=plan
    )


ACTIVITY_EDIT_FIELDS = [
    "title",
    "description",
    "objective",
    "responsible_org",
    "budget",
    "budget_source",
    "start_date",
    "end_date",
    "status",
]


@require_http_methods(["GET", "POST"])
def activity_edit(request, uuid):
    user = request.user
    activity = core_access.get_visible_or_404(access.visible_activities(user), uuid=uuid)
    plan = activity.plan
    access.require_edit(user, plan)
    kwargs = _activity_kwargs(user, plan, with_alignment=False)
    conflict = None
    if request.method == "POST":
        form = ActivityEditForm(request.POST, **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            partners = list(data.pop("partner_orgs"))
            try:
                services.activity_update(
                    actor=user, activity=activity, expected_version=version, partner_orgs=partners, **data
                )
            except services.ConflictError as exc:
                conflict = _conflict(form, exc, ACTIVITY_EDIT_FIELDS)
                form = ActivityEditForm(data={**request.POST.dict(), "version": exc.current.version}, **kwargs)
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("plan_detail", uuid=plan.uuid)
    else:
        initial = {name: getattr(activity, name) for name in ACTIVITY_EDIT_FIELDS}
        initial["partner_orgs"] = list(activity.partner_orgs.all())
        form = ActivityEditForm(initial={**initial, "version": activity.version}, **kwargs)
    return _render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": activity.title},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=conflict,
    )


def _align(request, plan, *, activity=None, local_objective=None):
    user = request.user
    access.require_edit(user, plan)
    subject = activity or local_objective
    current = list(subject.alignments.all())
    initial = {
        "national_objectives": [a.national_objective for a in current if a.national_objective_id],
        "local_innovation": any(a.local_innovation for a in current),
        "note": current[0].note if current else "",
    }
    national = access.visible_objectives(user).filter(plan=plan.national_plan).order_by("code")
    form = AlignmentForm(request.POST or None, initial=initial, national_objectives=national)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if save_or_show_errors(
            request,
            form,
            lambda: services.alignment_set(
                actor=user,
                plan=plan,
                activity=activity,
                local_objective=local_objective,
                national_objectives=list(data["national_objectives"]),
                local_innovation=data["local_innovation"],
                note=data["note"],
            ),
            _("The alignment was saved."),
        ):
            return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request,
        form,
        title=_("Align %(name)s") % {"name": subject},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        intro=_("Choose the national objectives this contributes to, or mark it as a local innovation."),
    )


@require_http_methods(["GET", "POST"])
def activity_align(request, uuid):
    activity = core_access.get_visible_or_404(access.visible_activities(request.user), uuid=uuid)
    return _align(request, activity.plan, activity=activity)


@require_http_methods(["GET", "POST"])
def objective_align(request, uuid):
    objective = core_access.get_visible_or_404(access.visible_objectives(request.user), uuid=uuid)
    if objective.plan.is_national:
        raise Http404
    return _align(request, objective.plan, local_objective=objective)


# --- Periods and progress ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def period_create(request, uuid):
    plan = _editable_plan(request, uuid)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Period %(label)s was added.") % {"label": period.label})
            return redirect("period_progress", uuid=period.uuid)
    return _render_form(
        request, form, title=_("Add a reporting period"), cancel_url=reverse("plan_detail", args=[plan.uuid]), plan=plan
    )


def _progress_form(period, data=None):
    plan = period.plan
    indicators = plan.indicators.order_by("name")
    activities = plan.activities.exclude(status="cancelled").order_by("title")
    initial = {"version": period.version}
    for v in period.values.all():
        initial[f"value_{v.indicator.uuid}"] = v.value
        initial[f"note_{v.indicator.uuid}"] = v.note
    for p in period.activity_progress.all():
        initial[f"status_{p.activity.uuid}"] = p.status
        initial[f"anote_{p.activity.uuid}"] = p.note
    return ProgressForm(data, initial=initial, indicators=indicators, activities=activities)


@require_http_methods(["GET", "POST"])
def period_progress(request, uuid):
    """One page for a period's progress: every indicator value and activity status, then submit."""
    user = request.user
    period = core_access.get_visible_or_404(
        access.visible_periods(user).prefetch_related("values__indicator", "activity_progress__activity"), uuid=uuid
    )
    plan = period.plan
    can_edit = access.can_edit_plan(user, plan)
    conflict = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = _progress_form(period, request.POST)
        if form.is_valid():
            values, statuses = form.payload()
            try:
                services.progress_save(
                    actor=user,
                    period=period,
                    expected_version=form.cleaned_data["version"],
                    values=values,
                    statuses=statuses,
                    submit="submit" in request.POST,
                )
            except services.ConflictError as exc:
                conflict = exc
                form.data = {**request.POST.dict(), "version": exc.current.version}
            except ValidationError as exc:
                by_uuid = {str(i.uuid): f"value_{i.uuid}" for i in form.indicators}
                by_uuid |= {str(a.uuid): f"status_{a.uuid}" for a in form.activities}
                for key, errors in exc.message_dict.items():
                    form.add_error(by_uuid.get(key), errors)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Period %(label)s was submitted for review.") % {"label": period.label})
                else:
                    messages.success(request, _("Progress saved as a draft."))
                return redirect("period_progress", uuid=period.uuid)
    else:
        form = _progress_form(period)
    context = {
        "period": period,
        "plan": plan,
        "form": form,
        "conflict": conflict,
        "can_edit": can_edit and period.is_editable,
        "can_review": access.can_review(user, plan),
        "events": period.events.select_related("actor").order_by("at", "id"),
        "crumbs": core_selectors.breadcrumb(user, plan.jurisdiction),
    }
    return render(request, "plans/period_progress.html", context)


PERIOD_ACTIONS = {
    "review": (services.period_review, (PeriodState.SUBMITTED,)),
    "accept": (services.period_accept, (PeriodState.SUBMITTED, PeriodState.REVIEWED)),
    "reopen": (services.period_reopen, (PeriodState.SUBMITTED, PeriodState.REVIEWED, PeriodState.ACCEPTED)),
}


@require_http_methods(["GET", "POST"])
def period_action(request, uuid, action):
    """Confirm (GET) and perform (POST) a review, an acceptance or a reopening."""
    if action not in PERIOD_ACTIONS:
        raise Http404
    user = request.user
    period = core_access.get_visible_or_404(access.visible_periods(user), uuid=uuid)
    access.require_review(user, period.plan)
    service, _allowed = PERIOD_ACTIONS[action]
    form = PeriodActionForm(request.POST or None, initial={"version": period.version})
    if action == "reopen":
        form.fields["note"].required = True
        form.fields["note"].label = _("Why is it reopened?")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {"reason": data["note"]} if action == "reopen" else {"note": data["note"]}
        try:
            service(actor=user, period=period, expected_version=data["version"], **kwargs)
        except services.ConflictError:
            messages.error(request, _("The period changed since you opened this page. Check it and try again."))
            return redirect("period_progress", uuid=period.uuid)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = {
                "review": _("Period %(label)s was marked as reviewed."),
                "accept": _("Period %(label)s was accepted and is now locked."),
                "reopen": _("Period %(label)s was reopened for corrections."),
            }[action]
            messages.success(request, done % {"label": period.label})
            return redirect("period_progress", uuid=period.uuid)
    titles = {
        "review": _("Mark period %(label)s as reviewed"),
        "accept": _("Accept period %(label)s"),
        "reopen": _("Reopen period %(label)s"),
    }
    explanations = {
        "review": _("The submission has been checked; it can then be accepted."),
        "accept": _("Accepting locks the period: the plan's coordinators can no longer change its values."),
        "reopen": _("The period returns to draft so the plan's coordinators can correct it. The reason is recorded."),
    }
    return render(
        request,
        "plans/period_action.html",
        {
            "period": period,
            "plan": period.plan,
            "form": form,
            "action": action,
            "title": titles[action] % {"label": period.label},
            "explanation": explanations[action],
            "crumbs": core_selectors.breadcrumb(user, period.plan.jurisdiction),
        },
    )


# --- Roll-up, matrix, roadmap ------------------------------------------------------------------------


@require_GET
def plan_rollup(request):
    user = request.user
    indicators = list(selectors.additive_national_indicators(user).select_related("plan__jurisdiction")[:200])
    chosen = next((i for i in indicators if str(i.uuid) == request.GET.get("indicator")), None)
    if chosen is None and indicators:
        chosen = indicators[0]
    labels = selectors.rollup_labels(user, chosen) if chosen else []
    label = request.GET.get("period", "")
    if label not in labels:
        label = labels[0] if labels else ""
    accepted_only = request.GET.get("accepted") == "1"
    result = selectors.rollup(user, chosen, label, accepted_only=accepted_only) if chosen and label else None
    return render(
        request,
        "plans/rollup.html",
        {
            "indicators": indicators,
            "chosen": chosen,
            "labels": labels,
            "label": label,
            "accepted_only": accepted_only,
            "result": result,
        },
    )


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_GET
def plan_matrix(request):
    user = request.user
    plans = list(access.visible_national_plans(user).order_by("title")[:100])
    plan = next((p for p in plans if str(p.uuid) == request.GET.get("plan")), None) or (plans[0] if plans else None)
    context = {"plans": plans, "plan": plan}
    if plan is not None:
        root = core_selectors.resolve_within(user, request.GET.get("within"))
        if root is None or not root.path.startswith(plan.jurisdiction.path):
            root = selectors.default_root(user, plan) or plan.jurisdiction
        depth = _int(request.GET.get("depth"), root.depth + 1)
        depth = min(max(depth, root.depth + 1), root.depth + 4)
        offset = max(_int(request.GET.get("offset"), 0), 0)
        result = selectors.matrix(user, plan, root, depth, offset=offset)
        context.update(
            {
                "matrix": result,
                "rows": result.rows(),
                "root": root,
                "depth": depth,
                "depths": [(d, d - root.depth) for d in range(root.depth + 1, root.depth + 5)],
                "within_choices": within_choices(user, root),
                "offset": offset,
                "next_offset": offset + selectors.MATRIX_COLUMNS
                if offset + selectors.MATRIX_COLUMNS < result.locality_count
                else None,
                "prev_offset": max(offset - selectors.MATRIX_COLUMNS, 0) if offset else None,
            }
        )
    return render(request, "plans/matrix.html", context)


@require_GET
def plan_roadmap(request):
    user = request.user
    countries = list(selectors.roadmap_countries(user))
    country = next((c for c in countries if str(c.uuid) == request.GET.get("country")), None) or (
        countries[0] if countries else None
    )
    context = {"countries": countries, "country": country, "stages": RoadmapStage.choices}
    if country is not None:
        depth = min(max(_int(request.GET.get("depth"), country.depth + 1), country.depth + 1), country.depth + 4)
        units = selectors.roadmap(user, country, depth)
        page = Paginator(units, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {
                "depth": depth,
                "depths": [(d, d - country.depth) for d in range(country.depth + 1, country.depth + 5)],
                "page_obj": page,
                "summary": selectors.roadmap_summary(units),
                "timeline": selectors.roadmap_timeline(user, country, depth)[:50],
                "stage_labels": dict(RoadmapStage.choices),
                "can_record": access.can_create_plans(user),
            }
        )
    return render(request, "plans/roadmap.html", context)


@require_http_methods(["GET", "POST"])
def roadmap_record(request):
    user = request.user
    if not access.can_create_plans(user):
        raise PermissionDenied
    form = RoadmapForm(request.POST or None, jurisdictions=access.editable_jurisdictions(user))
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.roadmap_record(actor=user, **form.cleaned_data),
            _("The roadmap stage was recorded."),
        )
    ):
        return redirect("plan_roadmap")
    return _render_form(request, form, title=_("Record a roadmap stage"), cancel_url=reverse("plan_roadmap"))


# --- Files: XLSX template, import, PDF -------------------------------------------------------------


@require_GET
def plan_xlsx(request, uuid):
    plan = access.get_plan_or_404(request.user, uuid=uuid)
    return files.plan_workbook_response(plan)


@require_http_methods(["GET", "POST"])
def plan_import(request, uuid):
    user = request.user
    plan = _editable_plan(request, uuid)
    if plan.is_national:
        raise Http404
    form = PlanImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = files.import_plan_workbook(
            actor=user, plan=plan, raw=upload.read(settings.TANDEM_IMPORT_MAX_BYTES + 1)
        )
        if report.ok:
            messages.success(
                request, _("The workbook was imported: %(n)d rows updated or added.") % {"n": report.changed}
            )
            return redirect("plan_detail", uuid=plan.uuid)
    return render(
        request,
        "plans/plan_import.html",
        {"plan": plan, "form": form, "report": report, "crumbs": core_selectors.breadcrumb(user, plan.jurisdiction)},
    )


@require_GET
def plan_pdf(request, uuid):
    plan = access.get_plan_or_404(request.user, uuid=uuid)
    return files.plan_pdf_response(plan)
