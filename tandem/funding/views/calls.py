"""Pages of sources and calls: list, open a call, detail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.versioning import VersionConflict
from tandem.core.views.utils import save_or_show_errors
from tandem.funding.permissions import requires
from tandem.plans import access as plans_access

from .. import access, selectors, services
from ..forms import CallForm, SourceForm, VersionForm
from ..services._common import is_open


@requires("funding.view")
@require_GET
def funding_calls(request):
    user = request.user
    state = request.GET.get("state", "")
    if state not in ("open", "closed", "upcoming"):
        state = ""
    return render(
        request,
        "funding/call_list.html",
        {
            "calls": selectors.calls_for(user, state=state)[:200],
            "state": state,
            "mine": selectors.applications_for(user, mine=True)[:50],
            "reviews": selectors.my_assignments(user)[:50],
            "can_open": core_access.has_any_rank(user, core_access.COORDINATOR_RANK),
        },
    )


@requires("funding.manage")
@require_GET
def funding_sources(request):
    return render(request, "funding/source_list.html", {"sources": access.visible_sources(request.user)[:200]})


@requires("funding.manage")
@require_http_methods(["GET", "POST"])
def funding_source_create(request):
    user = request.user
    form = SourceForm(request.POST or None)
    form.fields["jurisdiction"].queryset = core_access.managed_jurisdictions(user)
    form.fields["serves"].queryset = core_access.visible_jurisdictions(user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if save_or_show_errors(
            request, form, lambda: services.source_create(actor=user, **data), _("Funding source recorded.")
        ):
            return redirect("funding_sources")
    return render(request, "funding/form.html", {"form": form, "title": _("Record a funding source")})


@requires("funding.manage")
@require_http_methods(["GET", "POST"])
def funding_call_create(request):
    user = request.user
    form = CallForm(request.POST or None)
    form.fields["jurisdiction"].queryset = core_access.managed_jurisdictions(user)
    form.fields["sources"].queryset = access.visible_sources(user).filter(in_kind=False)
    form.fields["objectives"].queryset = plans_access.visible_objectives(user)
    created = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)

        def save():
            created["call"] = services.call_create(actor=user, **data)

        if save_or_show_errors(request, form, save, _("Call opened.")):
            return redirect("funding_call_detail", uuid=created["call"].uuid)
    return render(request, "funding/form.html", {"form": form, "title": _("Open a call for proposals")})


@requires("funding.view")
@require_GET
def funding_call_detail(request, uuid):
    user = request.user
    call = core_access.get_visible_or_404(access.visible_calls(user), uuid=uuid)
    managed = access.can_manage_call(user, call)
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "managed": managed,
            "is_open": is_open(call),
            "can_apply": core_access.has_any_rank(user, 20),
            "criteria": selectors.criteria_of(call),
            "sources": selectors.call_sources(user, call),
            "objectives": selectors.call_objectives(user, call),
            "applications": selectors.applications_for(user, call=call)[:500],
        },
    )


@requires("funding.manage")
@require_GET
def funding_ranking(request, uuid):
    user = request.user
    call = core_access.get_visible_or_404(access.visible_calls(user), uuid=uuid)
    if not access.can_manage_call(user, call):
        raise PermissionDenied
    return render(
        request,
        "funding/ranking.html",
        {"call": call, "rows": selectors.ranking(user, call), "max_points": selectors.max_points(call)},
    )


def _call_step(request, uuid, step, success):
    user = request.user
    call = core_access.get_visible_or_404(access.visible_calls(user), uuid=uuid)
    access.require_manage_call(user, call)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        step(actor=user, call=call, expected_version=form.cleaned_data["version"])
        messages.success(request, success)
    except VersionConflict:
        messages.error(request, _("Someone else changed this call meanwhile. Look again and retry."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("funding_call_detail", uuid=call.uuid)


@requires("funding.manage")
@require_POST
def funding_call_close(request, uuid):
    return _call_step(request, uuid, services.call_close, _("Call closed."))


@requires("funding.manage")
@require_POST
def funding_call_release(request, uuid):
    return _call_step(request, uuid, services.call_release_comments, _("Comments released to the applicants."))
