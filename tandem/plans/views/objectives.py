"""Pages of a plan's pillars, objectives and indicators."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core import access as core_access
from tandem.core.views.utils import save_or_show_errors
from tandem.core.views.versioned import versioned_form
from tandem.plans.permissions import requires

from .. import access, services
from ..forms import (
    IndicatorEditForm,
    IndicatorForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PillarForm,
)
from ._common import (
    _editable_plan,
    _render_form,
)


@requires("plans.manage")
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


@requires("plans.manage")
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


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def objective_edit(request, uuid):
    user = request.user
    objective = core_access.get_visible_or_404(access.visible_objectives(user), uuid=uuid)
    plan = objective.plan
    access.require_edit(user, plan)
    pillars = plan.pillars.order_by("position", "code") if plan.is_national else None
    edit = versioned_form(
        request,
        ObjectiveEditForm,
        record=objective,
        initial={"code": objective.code, "text": objective.text, "pillar": objective.pillar},
        save=lambda data, version: services.objective_update(
            actor=user, objective=objective, expected_version=version, **data
        ),
        form_kwargs={"pillars": pillars},
    )
    if edit.saved:
        return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request,
        edit.form,
        title=_("Edit objective %(code)s") % {"code": objective.code},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=edit.conflict,
    )


def _national_indicators(user, plan):
    if plan.is_national:
        return None
    return access.visible_indicators(user).filter(plan=plan.national_plan).order_by("name")


@requires("plans.manage")
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


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def indicator_edit(request, uuid):
    user = request.user
    indicator = core_access.get_visible_or_404(access.visible_indicators(user), uuid=uuid)
    plan = indicator.plan
    access.require_edit(user, plan)
    kwargs = {"objectives": plan.objectives.order_by("code"), "inherited": indicator.is_inherited}
    initial = {name: getattr(indicator, name) for name in INDICATOR_EDIT_FIELDS}

    def save(data, version):
        if indicator.is_inherited:
            for name in ("name", "unit", "frequency", "additive"):
                data.pop(name, None)
        return services.indicator_update(actor=user, indicator=indicator, expected_version=version, **data)

    edit = versioned_form(
        request, IndicatorEditForm, record=indicator, save=save, form_kwargs={"initial": initial, **kwargs}
    )
    if edit.saved:
        return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request,
        edit.form,
        title=_("Edit indicator %(name)s") % {"name": indicator.name},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=edit.conflict,
    )
