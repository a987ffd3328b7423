"""Pages of validation and follow-up: the validation meeting, findings, recommendations → action items."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.assessment.permissions import requires
from tandem.bodies import access as bodies_access
from tandem.core import access as core_access
from tandem.core import lookups
from tandem.core.views.utils import save_or_show_errors
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import ActionItemForm, ActivityForm, FindingForm, MeetingForm, OutcomeForm, RecommendationForm
from ._common import editable_plans, get_managed, recommendation_bodies


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def validation_meeting(request, uuid):
    user = request.user
    assessment = get_managed(request, uuid)
    meetings = (
        bodies_access.visible_meetings(user)
        .filter(body__jurisdiction__path__startswith=assessment.jurisdiction.path)
        .order_by("-starts_at")
    )

    def make_form(*args, **kwargs):
        form = MeetingForm(*args, **kwargs)
        form.fields["meeting"].queryset = meetings
        return form

    edit = versioned_form(
        request,
        make_form,
        record=assessment,
        initial={"meeting": assessment.validation_meeting_id},
        success=_("Validation meeting recorded."),
        save=lambda data, version: services.validation_meeting_set(
            actor=user, assessment=assessment, meeting=data["meeting"], expected_version=version
        ),
    )
    if edit.saved:
        return redirect("assessment_detail", uuid=assessment.uuid)
    return render(request, "assessment/form.html", edit.context(title=_("Validation meeting"), assessment=assessment))


def _add_tagged(request, assessment, form, add, success):
    """A finding or recommendation form whose competency is one of the assessment's framework; on a
    valid POST ``add(cleaned_data)`` runs (errors shown on the form). Returns (form, saved)."""
    form.fields["competency"].queryset = selectors.competency_queryset(assessment.framework)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return form, save_or_show_errors(request, form, lambda: add(data), success)
    return form, False


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def finding_create(request, uuid):
    assessment = get_managed(request, uuid)
    # From the results page: a respondent's strength or obstacle, to tag with a competency.
    form, saved = _add_tagged(
        request,
        assessment,
        FindingForm(request.POST or None, initial={"text": request.GET.get("text", "")[:4000]}),
        lambda data: services.finding_add(
            actor=request.user, assessment=assessment, text=data["text"], competency=data["competency"]
        ),
        _("Finding added."),
    )
    if saved:
        return redirect("assessment_detail", uuid=assessment.uuid)
    return render(
        request, "assessment/form.html", {"form": form, "title": _("Add a finding"), "assessment": assessment}
    )


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def finding_record(request, uuid):
    user = request.user
    finding = core_access.get_visible_or_404(access.visible_findings(user), uuid=uuid)
    assessment = finding.assessment
    access.require_manage(user, assessment)
    edit = versioned_form(
        request,
        OutcomeForm,
        record=finding,
        initial={"outcome": finding.outcome, "note": finding.note},
        success=_("Outcome recorded."),
        save=lambda data, version: services.finding_record(
            actor=user, finding=finding, outcome=data["outcome"], note=data["note"], expected_version=version
        ),
    )
    if edit.saved:
        return redirect("assessment_detail", uuid=assessment.uuid)
    return render(
        request,
        "assessment/form.html",
        edit.context(title=_("What the validation meeting said"), assessment=assessment, explanation=finding.text),
    )


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def recommendation_create(request, uuid):
    assessment = get_managed(request, uuid)
    form, saved = _add_tagged(
        request,
        assessment,
        RecommendationForm(request.POST or None, initial={"competency": request.GET.get("competency")}),
        lambda data: services.recommendation_add(
            actor=request.user, assessment=assessment, competency=data["competency"], text=data["text"]
        ),
        _("Recommendation added."),
    )
    if saved:
        return redirect("assessment_detail", uuid=assessment.uuid)
    guidance = [(c.name, c.guidance) for c in selectors.competencies(assessment.framework)]
    return render(
        request,
        "assessment/form.html",
        {"form": form, "title": _("Add a recommendation"), "assessment": assessment, "guidance": guidance},
    )


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def recommendation_action(request, uuid):
    """Turn a recommendation into an action item of a body the user runs or whose action log they keep
    (the bodies' own service decides)."""
    user = request.user
    recommendation, bodies = recommendation_bodies(request, uuid)
    assessment = recommendation.assessment
    form = ActionItemForm(request.POST or None)
    form.fields["body"].queryset = bodies
    lookups.point(form, ["body"], uuid=recommendation.uuid)
    form.fields["owner_organisation"].queryset = core_access.visible_organisations(user).order_by("name")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_or_show_errors(
            request,
            form,
            lambda: services.recommendation_to_action_item(
                actor=user,
                recommendation=recommendation,
                body=data["body"],
                owner_organisation=data["owner_organisation"],
                due_date=data["due_date"],
            ),
            _("The recommendation is now an action item of the body."),
        )
        if saved:
            return redirect("assessment_detail", uuid=assessment.uuid)
    return render(
        request,
        "assessment/form.html",
        {
            "form": form,
            "title": _("Turn the recommendation into an action item"),
            "assessment": assessment,
            "explanation": recommendation.text,
        },
    )


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def recommendation_activity(request, uuid):
    """Turn a recommendation into an activity of the jurisdiction's plan (plans' own service decides)."""
    user = request.user
    recommendation = core_access.get_visible_or_404(access.visible_recommendations(user), uuid=uuid)
    assessment = recommendation.assessment
    access.require_manage(user, assessment)
    plans = editable_plans(user, assessment)
    if not plans.exists():
        raise PermissionDenied
    form = ActivityForm(request.POST or None)
    form.fields["plan"].queryset = plans
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_errors(
            request,
            form,
            lambda: services.recommendation_to_activity(
                actor=user, recommendation=recommendation, plan=form.cleaned_data["plan"]
            ),
            _("The recommendation is now an activity of the plan."),
        )
        if saved:
            return redirect("assessment_detail", uuid=assessment.uuid)
    return render(
        request,
        "assessment/form.html",
        {
            "form": form,
            "title": _("Turn the recommendation into a plan activity"),
            "assessment": assessment,
            "explanation": recommendation.text,
        },
    )
