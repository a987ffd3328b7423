"""Removal pages, each behind a confirmation: a respondent (by those who run the assessment) and an
evidence link (by the respondent who added it). Both are audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core.versioning import VersionConflict

from .. import access, services


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def respondent_remove(request, uuid):
    user = request.user
    respondent = core_access.get_visible_or_404(access.visible_respondents(user), uuid=uuid)
    assessment = respondent.assessment
    access.require_manage(user, assessment)
    if request.method == "POST":
        try:
            services.respondent_remove(
                actor=user, respondent=respondent, expected_version=int(request.POST.get("version") or 0)
            )
            messages.success(request, _("Respondent removed."))
        except VersionConflict:
            messages.error(request, _("This respondent's answers changed meanwhile: look again before removing."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("assessment_detail", uuid=assessment.uuid)
    if respondent.submitted_at is not None:
        explanation = _("%(name)s has answered: their answers and evidence links are removed with them.")
    else:
        explanation = _("%(name)s has not answered yet; the invitation is withdrawn.")
    return render(
        request,
        "assessment/confirm.html",
        {
            "title": _("Remove a respondent"),
            "explanation": explanation % {"name": respondent.person.full_name},
            "version": respondent.version,
            "button": _("Remove"),
            "cancel_url": reverse("assessment_detail", kwargs={"uuid": assessment.uuid}),
        },
    )


@requires("assessment.answer")
@require_http_methods(["GET", "POST"])
def evidence_remove(request, uuid):
    user = request.user
    link = core_access.get_visible_or_404(access.own_evidence_links(user), uuid=uuid)
    assessment = link.respondent.assessment
    if request.method == "POST":
        try:
            services.evidence_link_remove(actor=user, link=link)
            messages.success(request, _("Evidence link removed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("assessment_answer", uuid=assessment.uuid)
    target = services.evidence_target(user, link.kind, link.target_uuid)
    return render(
        request,
        "assessment/confirm.html",
        {
            "title": _("Remove an evidence link"),
            "explanation": _("Remove the link to %(kind)s “%(record)s” from your answers?")
            % {"kind": link.get_kind_display().lower(), "record": target or _("a record you can no longer see")},
            "button": _("Remove"),
            "cancel_url": reverse("assessment_answer", kwargs={"uuid": assessment.uuid}),
        },
    )
