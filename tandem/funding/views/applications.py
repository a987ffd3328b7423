"""Pages of applications: draft (autosaved), detail, submit, withdraw, documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core import lookups
from tandem.core.forms import VersionForm
from tandem.core.versioning import VersionConflict
from tandem.core.views.utils import run_posted_step, save_or_show_errors
from tandem.core.views.versioned import describe_conflict, versioned_form
from tandem.funding.permissions import requires

from .. import access, selectors, services
from ..forms import ApplicationForm, AssignForm, DecisionForm, DocumentForm
from ..models import ApplicationStatus
from ..services._common import is_open


def _application_form(request, user, call, data=None, **kwargs):
    form = ApplicationForm(data, **kwargs)
    form.fields["organisation"].queryset = core_access.visible_organisations(user).filter(
        id__in=core_access.get_access(user).organisation_ids()
    )
    form.fields["jurisdiction"].queryset = lookups.places_within(user, call.jurisdiction)
    form.fields["objectives"].queryset = selectors.call_objectives(user, call)
    form.fields["activities"].queryset = selectors.call_activities(user, call)
    lookups.point(form, ["jurisdiction", "activities"], uuid=call.uuid)
    return form


def _values(data):
    data = dict(data)
    data.pop("version", None)
    data["co_funding"] = data.get("co_funding") or "0"
    return data


@requires("funding.apply")
@require_http_methods(["GET", "POST"])
def funding_apply(request, uuid):
    user = request.user
    call = core_access.get_visible_or_404(access.visible_calls(user), uuid=uuid)
    if not is_open(call):
        raise PermissionDenied
    form = _application_form(request, user, call, request.POST or None)
    created = {}
    if request.method == "POST" and form.is_valid():

        def save():
            created["app"] = services.application_save(actor=user, call=call, **_values(form.cleaned_data))

        if save_or_show_errors(request, form, save, _("Draft saved.")):
            return redirect("funding_application_detail", uuid=created["app"].uuid)
    return render(request, "funding/application_form.html", {"form": form, "call": call})


@requires("funding.apply")
@require_http_methods(["GET", "POST"])
def funding_application_edit(request, uuid):
    """The draft form; the page posts it every few seconds with htmx (autosave) and on save."""
    user = request.user
    application = core_access.get_visible_or_404(access.visible_applications(user), uuid=uuid)
    access.require_applicant(user, application)
    if application.status != ApplicationStatus.DRAFT:
        raise PermissionDenied
    call = application.call
    lines = "\n".join(f"{b.category}; {b.amount}" for b in selectors.budget_lines(application))
    edit = versioned_form(
        request,
        lambda *a, **k: _application_form(request, user, call, *a, **k),
        record=application,
        initial={
            "organisation": application.organisation,
            "title": application.title,
            "summary": application.summary,
            "jurisdiction": application.jurisdiction,
            "objectives": list(selectors.application_objectives(user, application)),
            "activities": list(selectors.application_activities(user, application)),
            "amount_requested": application.amount_requested,
            "budget_lines": lines,
            "co_funding": application.co_funding,
            "co_funding_note": application.co_funding_note,
        },
        save=lambda data, version: services.application_save(
            actor=user, call=call, application=application, expected_version=version, **_values(data)
        ),
        success=_("Draft saved."),
    )
    if edit.saved and request.headers.get("HX-Request"):
        return render(request, "funding/_autosaved.html", {"application": edit.result})
    if edit.saved:
        return redirect("funding_application_detail", uuid=application.uuid)
    return render(request, "funding/application_form.html", edit.context(call=call, application=application))


@requires("funding.view")
@require_GET
def funding_application_detail(request, uuid):
    user = request.user
    application = core_access.get_visible_or_404(access.visible_applications(user), uuid=uuid)
    call = application.call
    managed = access.can_manage_call(user, call)
    own = application.submitted_by_id == user.pk or access.acts_for(user, application.organisation_id)
    context = {
        "application": application,
        "call": call,
        "managed": managed,
        "own": own,
        "is_open": is_open(call),
        "lines": selectors.budget_lines(application),
        "documents": selectors.documents(application),
        "objectives": selectors.application_objectives(user, application),
        "assignments": selectors.assignments_of(user, application) if managed else [],
        "comments": selectors.released_comments(application) if own else [],
        "award": selectors.awards_for(user).filter(application=application).first(),
        "version_form": VersionForm(initial={"version": application.version}),
        "document_form": DocumentForm(),
    }
    if managed:
        assign = AssignForm()
        assign.fields["reviewer"].queryset = core_access.visible_users(user)
        decide = DecisionForm(initial={"version": application.version, "amount": application.amount_requested})
        decide.fields["source"].queryset = selectors.call_sources(user, call)
        context.update(assign_form=assign, decision_form=decide)
    return render(request, "funding/application_detail.html", context)


def _step(request, uuid, service, success):
    user = request.user
    application = core_access.get_visible_or_404(access.visible_applications(user), uuid=uuid)
    access.require_applicant(user, application)
    run_posted_step(
        request,
        lambda version: service(actor=user, application=application, expected_version=version),
        success=success,
        conflict=_("Someone else changed this application meanwhile. Look again and retry."),
    )
    return redirect("funding_application_detail", uuid=application.uuid)


@requires("funding.apply")
@require_POST
def funding_application_submit(request, uuid):
    return _step(request, uuid, services.application_submit, _("Application submitted."))


@requires("funding.apply")
@require_POST
def funding_application_withdraw(request, uuid):
    return _step(request, uuid, services.application_withdraw, _("Application withdrawn."))


@requires("funding.apply")
@require_http_methods(["GET", "POST"])
def funding_document_add(request, uuid):
    user = request.user
    application = core_access.get_visible_or_404(access.visible_applications(user), uuid=uuid)
    access.require_applicant(user, application)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if save_or_show_errors(
            request,
            form,
            lambda: services.document_add(actor=user, application=application, file=file),
            _("Document added."),
        ):
            return redirect("funding_application_detail", uuid=application.uuid)
    return render(request, "funding/form.html", {"form": form, "title": _("Add a document"), "multipart": True})


@requires("funding.manage")
@require_POST
def funding_assign(request, uuid):
    user = request.user
    application = core_access.get_visible_or_404(access.visible_applications(user), uuid=uuid)
    access.require_manage_call(user, application.call)
    form = AssignForm(request.POST)
    form.fields["reviewer"].queryset = core_access.visible_users(user)
    if form.is_valid():
        try:
            services.reviewer_assign(actor=user, application=application, reviewer=form.cleaned_data["reviewer"])
            messages.success(request, _("Reviewer assigned."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a reviewer."))
    return redirect("funding_application_detail", uuid=application.uuid)


@requires("funding.manage")
@require_http_methods(["GET", "POST"])
def funding_decide(request, uuid):
    """The decision. A second manager deciding from a stale page gets the conflict: what changed."""
    user = request.user
    application = core_access.get_visible_or_404(access.visible_applications(user), uuid=uuid)
    access.require_manage_call(user, application.call)
    form = DecisionForm(request.POST or None, initial={"version": application.version})
    form.fields["source"].queryset = selectors.call_sources(user, application.call)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.application_decide(actor=user, application=application, expected_version=version, **data)
            messages.success(request, _("Decision recorded."))
            return redirect("funding_application_detail", uuid=application.uuid)
        except VersionConflict as exc:
            conflict = describe_conflict(form, exc, fields=["status", "decision_reason"])
        except ValidationError as exc:
            from tandem.core.views.utils import add_service_errors

            add_service_errors(form, exc)
    return render(
        request,
        "funding/form.html",
        {"form": form, "title": _("Decide: %(title)s") % {"title": application.title}, "conflict": conflict},
    )
