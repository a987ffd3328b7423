"""Pages of assessments: list, open, detail with results, steps, invitations, responses export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core import exports
from tandem.core.pagination import CappedPaginator
from tandem.core.versioning import VersionConflict
from tandem.core.views.utils import save_or_show_errors

from .. import access, indicators, radar, selectors, services, support
from ..forms import AssessmentForm, InviteForm
from ..lookups import assessment_bodies
from ..models import Status
from ._common import get_assessment, get_managed, managed_bodies

PAGE = 50

NEXT_STEPS = {
    Status.DRAFT: [(Status.COLLECTING, gettext_lazy("Open for answers"))],
    Status.COLLECTING: [(Status.VALIDATION, gettext_lazy("Close answers and start validation"))],
    Status.VALIDATION: [
        (Status.FINAL, gettext_lazy("Finalise")),
        (Status.COLLECTING, gettext_lazy("Back to collecting answers")),
    ],
    Status.FINAL: [(Status.VALIDATION, gettext_lazy("Reopen"))],
}


@requires("assessment.view")
@require_GET
def assessment_list(request):
    status = request.GET.get("status", "")
    term = request.GET.get("q", "")[:100]
    qs = selectors.assessments(request.user, status=status, term=term)
    return render(
        request,
        "assessment/assessment_list.html",
        {
            "page_obj": CappedPaginator(qs, PAGE).get_page(request.GET.get("page")),
            "status": status,
            "term": term,
            "statuses": Status.choices,
            "may_open": access.openable_jurisdictions(request.user).exists(),
            "may_compare": core_access.has_any_rank(request.user, access.COMPARE_RANK),
        },
    )


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def assessment_create(request):
    user = request.user
    jurisdictions = access.openable_jurisdictions(user)
    if not jurisdictions.exists():
        raise PermissionDenied
    form = AssessmentForm(request.POST or None)
    form.fields["jurisdiction"].queryset = jurisdictions
    form.fields["framework"].queryset = access.visible_frameworks(user)
    form.fields["body"].queryset = assessment_bodies(user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = {}

        def save():
            created["a"] = services.assessment_create(
                actor=user,
                jurisdiction=data["jurisdiction"],
                round_label=data["round_label"],
                framework=data["framework"],
                body=data["body"],
            )

        if save_or_show_errors(request, form, save, _("Assessment opened.")):
            return redirect("assessment_detail", uuid=created["a"].uuid)
    return render(request, "assessment/form.html", {"form": form, "title": _("Open an assessment")})


def _radar_for(request, assessment, result):
    comps = [c.competency for c in result.competencies]
    current = [c.stat.median for c in result.competencies]
    previous_assessment = selectors.previous_round(request.user, assessment)
    previous = None
    if previous_assessment is not None:
        medians = selectors.competency_medians(previous_assessment)
        previous = [medians.get(c.code) for c in comps]
    if result.competencies:  # the top level was read with the items
        top = result.top_level if result.top_level is not None else 4
    else:
        top = max((level.value for level in selectors.levels(assessment.framework)), default=4)
    chart = radar.build([c.name for c in comps], current, previous, top)
    return chart, previous_assessment, previous


@requires("assessment.view")
@require_GET
def assessment_detail(request, uuid):
    user = request.user
    assessment = get_assessment(request, uuid)
    manage = access.can_manage(user, assessment)
    respondents = list(selectors.respondents(user, assessment)) if manage else []
    context = {
        "assessment": assessment,
        "manage": manage,
        "lead": access.is_lead(user, assessment),
        # Those who run it have the rows already (their own among them): no second query.
        "own": access.own_respondent_among(user, respondents) if manage else access.own_respondent(user, assessment),
        "steps": NEXT_STEPS.get(assessment.status, []) if manage else [],
        "respondents": respondents,
        "removable": manage and assessment.status in (Status.DRAFT, Status.COLLECTING),
    }
    plans = None  # the assessed place's plans the user sees: read once, for the follow-up links and the indicator
    # Findings and recommendations: to those who run it; to respondents once it is final.
    if manage or assessment.status == Status.FINAL:
        context["findings"] = list(access.visible_findings(user).filter(assessment=assessment).order_by("id"))
        context["recommendations"] = list(
            access.visible_recommendations(user).filter(assessment=assessment).order_by("id")
        )
        if manage and context["recommendations"]:
            # The follow-up links only for those the bodies' and plans' services will let through.
            context["may_act"] = managed_bodies(user, assessment).exists()
            from tandem.plans import access as plans_access

            plans = indicators.place_plans(user, assessment)
            context["may_plan"] = any(plans_access.can_edit_plan(user, plan) for plan in plans)
    if access.can_see_results(user, assessment):
        # Those who run it have every respondent row already: the group sizes are counted from them.
        result = selectors.results(assessment, respondents=respondents if manage else None)
        chart, previous_assessment, previous = _radar_for(request, assessment, result)
        evidence = indicators.indicators(user, assessment, plans=plans)
        helps = support.support_for(user, support.weak_codes(result))
        weak_items = support.weak_items(result)
        item_courses = support.courses_for_items(user, [i for items in weak_items.values() for i in items])
        rows = []
        for i, comp in enumerate(result.competencies):
            found = evidence.get(comp.competency.code, [])
            rows.append(
                {
                    "result": comp,
                    "previous": previous[i] if previous is not None else None,
                    "indicators": found,
                    "divergence": indicators.divergence(comp.stat.median, found),
                    "support": helps.get(comp.competency.code),
                    # Weak items with courses that name them: "a gap on an item suggests the courses".
                    "item_support": [
                        {"item": item, "courses": item_courses[item.pk]}
                        for item in weak_items.get(comp.competency.code, [])
                        if item_courses.get(item.pk)
                    ],
                }
            )
        ranked = sorted(
            (ir for c in result.competencies for ir in c.items if ir.stat.median is not None),
            key=lambda ir: (ir.stat.median, ir.item.code),
        )
        context.update(
            result=result,
            rows=rows,
            chart=chart,
            previous_assessment=previous_assessment,
            lowest=ranked[:3],
            highest=list(reversed(ranked[-3:])),
            texts=selectors.strengths_and_obstacles(user, assessment),
        )
    return render(request, "assessment/assessment_detail.html", context)


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def assessment_transition(request, uuid):
    assessment = get_managed(request, uuid)
    if request.method == "POST":
        try:
            services.assessment_transition(
                actor=request.user,
                assessment=assessment,
                to=request.POST.get("to", ""),
                expected_version=int(request.POST.get("version") or 0),
            )
            messages.success(request, _("Step recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except VersionConflict:
            messages.error(request, _("Someone changed this assessment meanwhile: look again and retry."))
        return redirect("assessment_detail", uuid=assessment.uuid)
    return render(
        request,
        "assessment/steps.html",
        {"assessment": assessment, "steps": NEXT_STEPS.get(assessment.status, [])},
    )


@requires("assessment.run")
@require_http_methods(["GET", "POST"])
def respondent_invite(request, uuid):
    assessment = get_managed(request, uuid)
    form = InviteForm(request.POST or None)
    form.fields["person"].queryset = core_access.visible_people(request.user).order_by("full_name", "id")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            services.respondent_invite(
                actor=request.user,
                assessment=assessment,
                person=data["person"],
                sector=data["sector"],
                level=data["level"],
            )

        if save_or_show_errors(request, form, save, _("Respondent invited.")):
            return redirect("assessment_detail", uuid=assessment.uuid)
    return render(
        request,
        "assessment/form.html",
        {"form": form, "title": _("Invite a respondent"), "assessment": assessment},
    )


@requires("assessment.run")
@require_GET
def assessment_export(request, uuid):
    """Responses without names (one row per respondent and statement): the lead only."""
    assessment = get_managed(request, uuid)
    if not access.is_lead(request.user, assessment):
        raise PermissionDenied
    sheets = access.visible_answer_sheets(request.user).filter(assessment=assessment, submitted_at__isnull=False)
    numbers = {pk: i + 1 for i, pk in enumerate(sheets.order_by("id").values_list("pk", flat=True))}
    rows = selectors.anonymous_answers(request.user, assessment)

    def generate():
        for respondent_id, level, sector, code, score, dont_know, evidence in rows:
            yield [
                numbers.get(respondent_id, ""),
                level,
                sector,
                code,
                "" if dont_know else score,
                "x" if dont_know else "",
                evidence,
            ]

    header = [_("Respondent"), _("Level"), _("Sector"), _("Statement"), _("Score"), _("Don't know"), _("Evidence")]
    response = exports.export_response("xlsx", f"assessment-{assessment.round_label}", header, list(generate()))
    if response is None:
        raise Http404
    return response


@requires("assessment.view")
@require_GET
def assessment_pdf(request, uuid):
    """The report: to those who may see the aggregates (runners; respondents once final)."""
    from .. import pdf

    assessment = get_assessment(request, uuid)
    if not access.can_see_results(request.user, assessment):
        raise PermissionDenied
    result = selectors.results(assessment)
    chart, _previous_assessment, previous = _radar_for(request, assessment, result)
    return pdf.report(request.user, assessment, result, chart, previous)
