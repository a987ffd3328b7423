"""Pages of reporting periods: create, record progress, submit/review/accept/reopen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core import access as core_access
from tandem.core import selectors as core_selectors
from tandem.core.views.utils import add_service_errors
from tandem.core.views.versioned import versioned_form
from tandem.plans.permissions import requires

from .. import access, services
from ..forms import (
    PeriodActionForm,
    PeriodForm,
    ProgressForm,
)
from ..models import PeriodState
from ._common import (
    _editable_plan,
    _render_form,
)


@requires("plans.manage")
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


@requires("plans.view")
@require_http_methods(["GET", "POST"])
def period_progress(request, uuid):
    """One page for a period's progress: every indicator value and activity status, then submit."""
    user = request.user
    period = core_access.get_visible_or_404(
        access.visible_periods(user).prefetch_related("values__indicator", "activity_progress__activity"), uuid=uuid
    )
    plan = period.plan
    can_edit = access.can_edit_plan(user, plan)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    submit = "submit" in request.POST

    def save(data, version):
        values, statuses = _progress_form(period).payload(data)
        return services.progress_save(
            actor=user, period=period, expected_version=version, values=values, statuses=statuses, submit=submit
        )

    def show_errors(form, exc):  # the service keys errors by indicator or activity UUID
        by_uuid = {str(i.uuid): f"value_{i.uuid}" for i in form.indicators}
        by_uuid |= {str(a.uuid): f"status_{a.uuid}" for a in form.activities}
        for key, errors in exc.message_dict.items():
            form.add_error(by_uuid.get(key), errors)

    edit = versioned_form(
        request,
        lambda data=None, initial=None: _progress_form(period, data),
        record=period,
        save=save,
        show_errors=show_errors,
        success=(
            _("Period %(label)s was submitted for review.") % {"label": period.label}
            if submit
            else _("Progress saved as a draft.")
        ),
    )
    if edit.saved:
        return redirect("period_progress", uuid=period.uuid)
    context = {
        "period": period,
        "plan": plan,
        **edit.context(),
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


@requires("plans.review")
@require_http_methods(["GET", "POST"])
def period_action(request, uuid, action):
    """Confirm (GET) and perform (POST) a review, an acceptance or a reopening."""
    if action not in PERIOD_ACTIONS:
        raise Http404
    user = request.user
    period = core_access.get_visible_or_404(access.visible_periods(user), uuid=uuid)
    access.require_review(user, period.plan)
    service, _allowed = PERIOD_ACTIONS[action]
    done = {
        "review": _("Period %(label)s was marked as reviewed."),
        "accept": _("Period %(label)s was accepted and is now locked."),
        "reopen": _("Period %(label)s was reopened for corrections."),
    }[action]

    def action_form(*args, **kwargs):
        form = PeriodActionForm(*args, **kwargs)
        if action == "reopen":
            form.fields["note"].required = True
            form.fields["note"].label = _("Why is it reopened?")
        return form

    def save(data, version):
        kwargs = {"reason": data["note"]} if action == "reopen" else {"note": data["note"]}
        return service(actor=user, period=period, expected_version=version, **kwargs)

    edit = versioned_form(request, action_form, record=period, save=save, success=done % {"label": period.label})
    if edit.saved:
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
            **edit.context(),
            "action": action,
            "title": titles[action] % {"label": period.label},
            "explanation": explanations[action],
            "crumbs": core_selectors.breadcrumb(user, period.plan.jurisdiction),
        },
    )
