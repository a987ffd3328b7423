"""Pages of a reviewer: declare conflicts, then score."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core import access as core_access
from tandem.core.views.utils import save_or_show_errors
from tandem.funding.permissions import requires

from .. import access, selectors, services
from ..forms import DeclarationForm


def _own_assignment(request, uuid):
    user = request.user
    assignment = core_access.get_visible_or_404(access.visible_assignments(user), uuid=uuid)
    access.require_reviewer(user, assignment)  # the call's managers see it, but only its reviewer acts
    return assignment


@requires("funding.review")
@require_http_methods(["GET", "POST"])
def funding_declare(request, uuid):
    """Before anything of the application is shown: its title, the call and the applicant's name."""
    user = request.user
    assignment = _own_assignment(request, uuid)
    if access.declaration_of(assignment) is not None:
        return redirect("funding_score", uuid=assignment.uuid)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if save_or_show_errors(
            request,
            form,
            lambda: services.conflict_declare(
                actor=user, assignment=assignment, has_conflict=data["has_conflict"], note=data["note"]
            ),
            _("Declaration recorded."),
        ):
            return redirect("funding_score", uuid=assignment.uuid)
    return render(request, "funding/declare.html", {"form": form, "assignment": assignment})


def _score_form(criteria, data=None, initial=None):
    form = forms.Form(data, initial=initial)
    for c in criteria:
        form.fields[f"score_{c.pk}"] = forms.IntegerField(
            label=f"{c.name} (0–{c.max_score}, ×{c.weight})", min_value=0, max_value=c.max_score
        )
        form.fields[f"comment_{c.pk}"] = forms.CharField(
            label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )
    return form


@requires("funding.review")
@require_http_methods(["GET", "POST"])
def funding_score(request, uuid):
    user = request.user
    assignment = _own_assignment(request, uuid)
    declaration = access.declaration_of(assignment)
    if declaration is None:
        return redirect("funding_declare", uuid=assignment.uuid)
    # The application is shown only through the cleared rule (declared, no link): else 403.
    cleared = access.clear_assignments(user).filter(pk=assignment.pk).exists()
    if not cleared:  # 403 with the reason, and nothing of the application
        return render(request, "funding/blocked.html", {"assignment": assignment}, status=403)
    application = core_access.get_visible_or_404(access.visible_applications(user), pk=assignment.application_id)
    criteria = list(selectors.criteria_of(application.call))
    existing = {s.criterion_id: s for s in selectors.scores_of(user, assignment)}
    initial = {}
    for cid, s in existing.items():
        initial[f"score_{cid}"] = s.value
        initial[f"comment_{cid}"] = s.comment
    form = _score_form(criteria, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        values = {c.pk: (form.cleaned_data[f"score_{c.pk}"], form.cleaned_data[f"comment_{c.pk}"]) for c in criteria}
        if save_or_show_errors(
            request,
            form,
            lambda: services.scores_save(actor=user, assignment=assignment, scores=values),
            _("Scores saved."),
        ):
            return redirect("funding_calls")
    return render(
        request,
        "funding/score.html",
        {
            "form": form,
            "assignment": assignment,
            "application": application,
            "lines": selectors.budget_lines(application),
        },
    )
