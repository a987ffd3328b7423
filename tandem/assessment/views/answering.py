"""Pages of a respondent: answer the statements, link evidence; one respondent's answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import DONT_KNOW, AnswerForm, EvidenceForm
from ..models import Status
from ._common import get_assessment


def _own(request, uuid):
    """The user's own invitation to answer: 404 when not invited (or not visible)."""
    assessment = get_assessment(request, uuid)
    respondent = access.own_respondent(request.user, assessment)
    if respondent is None:
        raise Http404("Not found")
    return assessment, respondent


def _evidence_choices(user, assessment):
    """Records the respondent can see in the assessed jurisdiction, to pick as evidence (a few of each)."""
    from tandem.bodies import access as bodies_access
    from tandem.exchange import access as exchange_access
    from tandem.plans import access as plans_access

    path = assessment.jurisdiction.path
    return [
        (
            "meeting",
            _("Meetings"),
            bodies_access.visible_meetings(user)
            .filter(body__jurisdiction__path__startswith=path)
            .order_by("-starts_at")[:20],
        ),
        (
            "decision",
            _("Decisions"),
            bodies_access.visible_decisions(user)
            .filter(meeting__body__jurisdiction__path__startswith=path)
            .order_by("-id")[:20],
        ),
        (
            "exchange_item",
            _("Exchange items"),
            exchange_access.visible_sent_items(user)
            .filter(jurisdiction__path__startswith=path)
            .order_by("-sent_at")[:20],
        ),
        (
            "activity",
            _("Plan activities"),
            plans_access.visible_activities(user)
            .filter(plan__jurisdiction__path__startswith=path)
            .order_by("-id")[:20],
        ),
        ("agreement", _("Sharing agreements"), exchange_access.visible_agreements(user).order_by("-valid_from")[:20]),
    ]


@requires("assessment.answer")
@require_http_methods(["GET", "POST"])
def assessment_answer(request, uuid):
    user = request.user
    assessment, respondent = _own(request, uuid)
    items = selectors.items(assessment.framework)
    levels = selectors.levels(assessment.framework)
    existing = selectors.answers_of(user, respondent)
    initial = {"strengths": respondent.strengths, "obstacles": respondent.obstacles}
    for item in items:
        answer = existing.get(item.pk)
        if answer is not None:
            initial[f"score_{item.pk}"] = DONT_KNOW if answer.dont_know else str(answer.score)
            initial[f"evidence_{item.pk}"] = answer.evidence
    edit = versioned_form(
        request,
        AnswerForm,
        record=respondent,
        initial=initial,
        form_kwargs={"items": items, "levels": levels},
        success=_("Your answers are saved."),
        save=lambda data, version: services.answers_submit(
            actor=user,
            respondent=respondent,
            expected_version=version,
            scores=_scores(data, items),
            evidence={item.pk: data.get(f"evidence_{item.pk}") or "" for item in items},
            strengths=data.get("strengths", ""),
            obstacles=data.get("obstacles", ""),
        ),
        show_errors=_show_item_errors,
    )
    if edit.saved:
        return redirect("assessment_detail", uuid=assessment.uuid)
    links = access.visible_evidence_links(user).filter(respondent=respondent).order_by("id")
    return render(
        request,
        "assessment/answer.html",
        edit.context(
            assessment=assessment,
            respondent=respondent,
            collecting=assessment.status == Status.COLLECTING,
            competencies=selectors.competencies(assessment.framework),
            links=_resolved_links(user, links),
            choices=_evidence_choices(user, assessment) if assessment.status == Status.COLLECTING else [],
        ),
    )


def _scores(data, items):
    """Answered statements only: a missing one is refused by the service (nothing half-written)."""
    result = {}
    for item in items:
        raw = data.get(f"score_{item.pk}")
        if raw == DONT_KNOW:
            result[item.pk] = None
        elif raw not in (None, ""):
            result[item.pk] = int(raw)
    return result


def _show_item_errors(form, exc):
    """Errors keyed by statement code go on that statement's field."""
    codes = {item.code: score for item, score, _e in form.item_rows}
    for key, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
        form.add_error(codes.get(key) if key in codes else None, errors)


def _resolved_links(user, links):
    """Each link with its record, if the reader may see that record (otherwise shown as hidden)."""
    rows = []
    for link in links:
        target = services.evidence_target(user, link.kind, link.target_uuid)
        rows.append({"link": link, "target": target})
    return rows


@requires("assessment.answer")
@require_http_methods(["GET", "POST"])
def evidence_add(request, uuid):
    user = request.user
    assessment, respondent = _own(request, uuid)
    form = EvidenceForm(request.POST or None)
    comps = selectors.competencies(assessment.framework)
    form.fields["competency"].queryset = selectors.competency_queryset(assessment.framework)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        target = request.POST.get("target", "")
        competency_id = request.POST.get("competency", "")
        competency = next((c for c in comps if str(c.pk) == competency_id), None)
        try:
            services.evidence_link_add(
                actor=user, respondent=respondent, kind=kind, target_uuid=target, competency=competency
            )
            messages.success(request, _("Evidence linked."))
            return redirect("assessment_answer", uuid=assessment.uuid)
        except services.ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
    return render(
        request,
        "assessment/evidence.html",
        {
            "assessment": assessment,
            "form": form,
            "choices": _evidence_choices(user, assessment),
        },
    )


@requires("assessment.view")
@require_GET
def respondent_answers(request, uuid):
    """One respondent's answers: only the respondent and the assessment's lead (404 for anyone else)."""
    user = request.user
    respondent = core_access.get_visible_or_404(access.visible_answer_sheets(user), uuid=uuid)
    assessment = respondent.assessment
    answers = selectors.answers_of(user, respondent)
    items = selectors.items(assessment.framework)
    links = access.visible_evidence_links(user).filter(respondent=respondent).order_by("id")
    return render(
        request,
        "assessment/respondent_answers.html",
        {
            "assessment": assessment,
            "respondent": respondent,
            "rows": [(item, answers.get(item.pk)) for item in items],
            "links": _resolved_links(user, links),
        },
    )
