"""Pages of sources and calls: list, open a call, detail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.views.utils import run_posted_step, save_or_show_errors
from tandem.core.views.versioned import versioned_form
from tandem.funding.permissions import requires

from .. import access, selectors, services
from ..forms import CallEditForm, CallForm, SourceEditForm, SourceForm
from ..lookups import call_objectives
from ..services._common import is_open
from ..services.edits import editable_call_fields


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
    user = request.user
    sources = list(access.visible_sources(user)[:200])
    for source in sources:
        source.editable = access.can_open_call(user, source.jurisdiction)
    return render(request, "funding/source_list.html", {"sources": sources})


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
    form.fields["objectives"].queryset = call_objectives(user)
    created = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)

        def save():
            created["call"] = services.call_create(actor=user, **data)

        if save_or_show_errors(request, form, save, _("Call opened.")):
            return redirect("funding_call_detail", uuid=created["call"].uuid)
    return render(request, "funding/form.html", {"form": form, "title": _("Open a call for proposals")})


def _local(value):
    """A time as the form shows it (to the minute): unchanged, it is not sent as a change."""
    return timezone.localtime(value).replace(second=0, microsecond=0)


def _changed_only(holder, data):
    """The entries the user changed (a datetime shown to the minute is not a change)."""
    changed = set(holder["form"].changed_data)
    return {name: value for name, value in data.items() if name in changed}


@requires("funding.manage")
@require_http_methods(["GET", "POST"])
def funding_source_edit(request, uuid):
    user = request.user
    source = core_access.get_visible_or_404(access.visible_sources(user), uuid=uuid)
    if not access.can_open_call(user, source.jurisdiction):
        raise PermissionDenied
    holder = {}

    def make_form(*args, **kwargs):
        form = SourceEditForm(*args, **kwargs)
        form.fields["serves"].queryset = core_access.visible_jurisdictions(user)
        holder["form"] = form
        return form

    initial = {
        "name": source.name,
        "kind": source.kind,
        "amount": source.amount,
        "currency_code": source.currency,
        "in_kind": source.in_kind,
        "in_kind_type": source.in_kind_type,
        "in_kind_description": source.in_kind_description,
        "period_start": source.period_start,
        "period_end": source.period_end,
        "conditions": source.conditions,
        "serves": [str(u) for u in selectors.source_places(user, source).values_list("uuid", flat=True)],
    }
    edit = versioned_form(
        request,
        make_form,
        record=source,
        form_kwargs={"initial": initial},
        save=lambda data, version: services.source_update(
            actor=user, source=source, expected_version=version, **_changed_only(holder, data)
        ),
    )
    if edit.saved:
        return redirect("funding_sources")
    return render(
        request, "funding/form.html", edit.context(title=_("Edit the source: %(name)s") % {"name": source.name})
    )


@requires("funding.manage")
@require_http_methods(["GET", "POST"])
def funding_call_edit(request, uuid):
    """Edit a call; the fields its stage freezes (open, closed) are shown but cannot change."""
    user = request.user
    call = core_access.get_visible_or_404(access.visible_calls(user), uuid=uuid)
    access.require_manage_call(user, call)
    allowed = editable_call_fields(call)
    holder = {}

    def make_form(*args, **kwargs):
        form = CallEditForm(*args, **kwargs)
        form.fields["jurisdiction"].queryset = core_access.managed_jurisdictions(user)
        form.fields["sources"].queryset = access.visible_sources(user).filter(in_kind=False)
        form.fields["objectives"].queryset = call_objectives(user)
        for name, field in form.fields.items():
            if allowed is not None and name != "version" and name not in allowed:
                field.disabled = True
        holder["form"] = form
        return form

    criteria = "\n".join(f"{c.name}; {c.weight}; {c.max_score}" for c in selectors.criteria_of(call))
    initial = {
        "title": call.title,
        "purpose": call.purpose,
        "jurisdiction": str(call.jurisdiction.uuid),
        "sources": [str(s.uuid) for s in selectors.call_sources(user, call)],
        "objectives": [str(o.uuid) for o in selectors.call_objectives(user, call)],
        "eligible_sectors": list(call.eligible_sectors),
        "budget": call.budget,
        "min_grant": call.min_grant,
        "max_grant": call.max_grant,
        "currency_code": call.currency,
        "opens_at": _local(call.opens_at),
        "closes_at": _local(call.closes_at),
        "criteria": criteria,
        "required_documents": call.required_documents,
        "publishable": call.publishable,
    }
    edit = versioned_form(
        request,
        make_form,
        record=call,
        form_kwargs={"initial": initial},
        save=lambda data, version: services.call_update(
            actor=user, call=call, expected_version=version, **_changed_only(holder, data)
        ),
    )
    if edit.saved:
        return redirect("funding_call_detail", uuid=call.uuid)
    return render(
        request,
        "funding/form.html",
        edit.context(
            title=_("Edit the call: %(title)s") % {"title": call.title},
            intro=None
            if allowed is None
            else _("Applicants rely on this call: the greyed fields can no longer change."),
        ),
    )


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
    run_posted_step(
        request,
        lambda version: step(actor=user, call=call, expected_version=version),
        success=success,
        conflict=_("Someone else changed this call meanwhile. Look again and retry."),
    )
    return redirect("funding_call_detail", uuid=call.uuid)


@requires("funding.manage")
@require_http_methods(["GET", "POST"])
def funding_call_close(request, uuid):
    """Close the call now: a confirmation first (no more drafts, edits or submissions after it)."""
    if request.method == "POST":
        return _call_step(request, uuid, services.call_close, _("Call closed."))
    user = request.user
    call = core_access.get_visible_or_404(access.visible_calls(user), uuid=uuid)
    access.require_manage_call(user, call)
    return render(
        request,
        "funding/confirm.html",
        {
            "title": _("Close the call now: %(title)s") % {"title": call.title},
            "explanation": _(
                "Applicants can no longer draft, edit or submit once the call is closed, and a closed call "
                "is never reopened. Submitted applications stay for review."
            ),
            "button": _("Close the call now"),
            "version": call.version,
            "cancel_url": reverse("funding_call_detail", args=[call.uuid]),
        },
    )


@requires("funding.manage")
@require_POST
def funding_call_release(request, uuid):
    return _call_step(request, uuid, services.call_release_comments, _("Comments released to the applicants."))
