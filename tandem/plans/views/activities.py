"""Pages of a plan's activities and their alignment to national objectives."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import access as core_access
from tandem.core import lookups
from tandem.core.views.utils import add_service_errors, save_or_show_errors
from tandem.core.views.versioned import versioned_form
from tandem.plans.permissions import requires

from .. import access, services
from ..forms import (
    ActivityEditForm,
    ActivityForm,
    AlignmentForm,
)
from ._common import (
    _editable_plan,
    _render_form,
)


def activity_organisations(user, plan):
    """Organisations an activity of ``plan`` may name: visible ones of the plan's country."""
    return (
        core_access.visible_organisations(user)
        .filter(jurisdiction__path__startswith=plan.jurisdiction.country_path or plan.jurisdiction.path)
        .order_by("name", "id")
    )


@requires("plans.manage")
@require_GET
def plan_lookup_organisations(request, uuid):
    """Matches for the activity forms' organisation fields (the same queryset they validate against)."""
    plan = _editable_plan(request, uuid)
    return lookups.respond(request, activity_organisations(request.user, plan), "organisation")


def _activity_kwargs(user, plan, *, with_alignment=True):
    return {
        "plan": plan,
        "objectives": plan.objectives.order_by("code"),
        "organisations": activity_organisations(user, plan),
        "national_objectives": access.alignment_targets(user, plan) if with_alignment else None,
    }


@requires("plans.manage")
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


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def activity_edit(request, uuid):
    user = request.user
    activity = core_access.get_visible_or_404(access.visible_activities(user), uuid=uuid)
    plan = activity.plan
    access.require_edit(user, plan)
    kwargs = _activity_kwargs(user, plan, with_alignment=False)
    initial = {name: getattr(activity, name) for name in ACTIVITY_EDIT_FIELDS}
    initial["partner_orgs"] = list(activity.partner_orgs.all())

    def save(data, version):
        partners = list(data.pop("partner_orgs"))
        return services.activity_update(
            actor=user, activity=activity, expected_version=version, partner_orgs=partners, **data
        )

    edit = versioned_form(
        request,
        ActivityEditForm,
        record=activity,
        initial=initial,
        save=save,
        fields=ACTIVITY_EDIT_FIELDS,
        form_kwargs=kwargs,
    )
    if edit.saved:
        return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request,
        edit.form,
        title=_("Edit %(name)s") % {"name": activity.title},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=edit.conflict,
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
    national = access.alignment_targets(user, plan)
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


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def activity_align(request, uuid):
    activity = core_access.get_visible_or_404(access.visible_activities(request.user), uuid=uuid)
    return _align(request, activity.plan, activity=activity)


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def objective_align(request, uuid):
    objective = core_access.get_visible_or_404(access.visible_objectives(request.user), uuid=uuid)
    if objective.plan.is_national:
        raise Http404
    return _align(request, objective.plan, local_objective=objective)
