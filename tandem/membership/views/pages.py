"""NetworkMembership pages: the public list, applications, a facilitator's decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.permissions import public
from tandem.core.versioning import VersionConflict
from tandem.core.views.utils import add_service_errors
from tandem.membership.permissions import requires

from .. import access, selectors, services
from ..forms import ApplicationForm, DecisionForm, ResponseForm
from ..models import Status


@public
@require_GET
def membership_public(request):
    """Public: member authorities by country with the year they joined, and nothing more."""
    return render(request, "membership/public.html", {"countries": selectors.public_list()})


@requires("membership.read")
@require_GET
def membership_list(request):
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    rows = list(selectors.memberships(request.user, status)[:200])
    return render(
        request,
        "membership/list.html",
        {
            "memberships": rows,
            "status": status,
            "statuses": Status.choices,
            "can_apply": access.applicable_jurisdictions(request.user).exists(),
        },
    )


def _detail_context(request, membership, *, form=None, response_form=None) -> dict:
    user = request.user
    if form is None and access.can_review(user, membership.jurisdiction):
        form = DecisionForm(initial={"version": membership.version})
    if (
        response_form is None
        and membership.status == Status.INFO_REQUESTED
        and access.can_apply(user, membership.jurisdiction)
    ):
        response_form = ResponseForm(initial={"version": membership.version, "commitments": membership.commitments})
    return {
        "membership": membership,
        "history": selectors.history(membership),
        "contributions": list(selectors.contributions(user, membership)[:50]),
        "events_attended": list(selectors.events_attended(user, membership)[:50]),
        "form": form,
        "response_form": response_form,
    }


def _posted_answer(request, membership, form, save, *, success: str, form_name: str):
    """A form posted on the application's page (the applicant's answer, the facilitator's decision):
    saved, then back to the page with ``success``; otherwise the page again, the form showing why."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except VersionConflict:
            form.add_error(None, _("Someone decided on this application in the meantime: look at it again."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("membership_detail", uuid=membership.uuid)
    return render(request, "membership/detail.html", _detail_context(request, membership, **{form_name: form}))


@requires("membership.read")
@require_GET
def membership_detail(request, uuid):
    membership = core_access.get_visible_or_404(access.visible_memberships(request.user), uuid=uuid)
    return render(request, "membership/detail.html", _detail_context(request, membership))


@requires("membership.apply")
@require_POST
def membership_respond(request, uuid):
    """The applicant answers a request for information."""
    user = request.user
    membership = core_access.get_visible_or_404(access.visible_memberships(user), uuid=uuid)
    access.require_apply(user, membership.jurisdiction)
    return _posted_answer(
        request,
        membership,
        ResponseForm(request.POST),
        lambda data: services.membership_respond(
            actor=user, membership=membership, commitments=data["commitments"], expected_version=data["version"]
        ),
        success=_("Information sent. A network facilitator will review it."),
        form_name="response_form",
    )


@requires("membership.apply")
@require_http_methods(["GET", "POST"])
def membership_apply(request):
    user = request.user
    form = ApplicationForm(request.POST or None)
    form.fields["jurisdiction"].queryset = access.applicable_jurisdictions(user)
    form.fields["organisation"].queryset = core_access.visible_organisations(user).order_by("name")
    form.fields["focal_point"].queryset = core_access.visible_people(user).order_by("full_name")
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_apply(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application sent. A network facilitator will review it."))
            return redirect("membership_detail", uuid=membership.uuid)
    return render(request, "membership/apply.html", {"form": form})


@requires("membership.review")
@require_POST
def membership_decide(request, uuid):
    user = request.user
    membership = core_access.get_visible_or_404(access.visible_memberships(user), uuid=uuid)
    access.require_review(user, membership.jurisdiction)
    return _posted_answer(
        request,
        membership,
        DecisionForm(request.POST),
        lambda data: services.membership_decide(
            actor=user,
            membership=membership,
            decision=data["decision"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        success=_("Decision recorded."),
        form_name="form",
    )
