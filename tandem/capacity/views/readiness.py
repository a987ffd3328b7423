"""Ready to share: which course a country requires before AMBER+ sending, one's own standing, and
(for the national coordinator) setting the requirement and granting exemptions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.capacity.permissions import requires
from tandem.core import access as core_access
from tandem.core.views.utils import save_or_show_errors

from .. import access, readiness
from ..forms import ExemptionForm, RequirementForm


@requires("capacity.view")
@require_http_methods(["GET", "POST"])
def sharing_readiness(request):
    user = request.user
    countries = readiness.requirement_countries(user)
    national = countries.exists()
    requirements = access.visible_requirements(user).order_by("country__name")
    managed = requirements.filter(country__in=countries)
    requirement_form = RequirementForm(
        request.POST if request.POST.get("action") == "require" else None,
        countries=countries,
        courses=access.visible_courses(user).order_by("title"),
    )
    exemption_form = ExemptionForm(
        request.POST if request.POST.get("action") == "exempt" else None,
        requirements=managed,
        users=core_access.visible_users(user).order_by("username"),
    )
    if request.method == "POST":
        if not national:
            raise PermissionDenied
        form = requirement_form if request.POST.get("action") == "require" else exemption_form
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if form is requirement_form:
                ok = save_or_show_errors(
                    request, form, lambda: readiness.requirement_set(actor=user, **data), _("Requirement saved.")
                )
            else:
                ok = save_or_show_errors(
                    request, form, lambda: readiness.exemption_grant(actor=user, **data), _("Exemption recorded.")
                )
            if ok:
                return redirect("sharing_readiness")
    standing = [(r, readiness.is_ready(user, r)) for r in requirements]
    return render(
        request,
        "capacity/readiness.html",
        {
            "standing": standing,
            "national": national,
            "requirement_form": requirement_form,
            "exemption_form": exemption_form,
            "exemptions": access.visible_exemptions(user).filter(requirement__in=managed)[:200],
        },
    )
