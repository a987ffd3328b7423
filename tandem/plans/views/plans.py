"""Pages of the plans themselves: list, export, create, edit, detail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import exports
from tandem.core import selectors as core_selectors
from tandem.core.views.listing import read_filters, render_list, within_choices
from tandem.core.views.utils import add_service_errors
from tandem.core.views.versioned import versioned_form
from tandem.plans.permissions import requires

from .. import access, selectors, services
from ..forms import (
    PlanCreateForm,
    PlanEditForm,
)
from ..models import PlanLevel
from ._common import (
    _editable_plan,
    _render_form,
)


def _filtered(request):
    filters = read_filters(request)
    level = request.GET.get("level", "")
    if level not in PlanLevel.values:
        level = ""
    qs = selectors.filter_plans(request.user, term=filters.term, level=level, within=filters.within)
    return qs, filters, level


@requires("plans.view")
@require_GET
def plan_list(request):
    user = request.user
    qs, filters, level = _filtered(request)
    # The list names each plan's place only: no national plan or owning body joined to 3,000 plans.
    qs = selectors.with_content_counts(qs.select_related(None).select_related("jurisdiction"))
    page = Paginator(qs, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.query + (f"&level={level}" if level else "")
    context = {
        "page_obj": page,
        "filters": filters,
        "level": level,
        "levels": PlanLevel.choices,
        "export_query": query.lstrip("&"),
        "within_choices": within_choices(user, filters.within),
        "can_create": access.can_create_plans(user),
    }
    return render_list(request, "plans/plan_list.html", "plans/partials/plan_results.html", context)


EXPORT_HEADER = [
    gettext_lazy("UUID"),
    gettext_lazy("Title"),
    gettext_lazy("Level"),
    gettext_lazy("Jurisdiction"),
    gettext_lazy("National plan"),
    gettext_lazy("Legal instrument"),
    gettext_lazy("Period start"),
    gettext_lazy("Period end"),
    gettext_lazy("Visible to partners"),
]


@requires("plans.view")
@require_GET
def plan_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, _filters, _level = _filtered(request)
    labels = dict(PlanLevel.choices)
    # The national plan's title only for a reader who may open it.
    rows = access.with_plans_above(request.user, qs).values_list(
        "uuid",
        "title",
        "level",
        "jurisdiction__name",
        "national_plan__title",
        "legal_instrument",
        "period_start",
        "period_end",
        "visible_to_partners",
        "national_visible",
    )

    def generate():
        for row in rows.iterator():
            values = list(row[:-1])
            values[4] = values[4] if row[-1] else ""
            values[0] = str(values[0])
            values[2] = str(labels.get(values[2], values[2]))
            values[8] = _("yes") if values[8] else _("no")
            yield values

    return exports.export_response(fmt, "action-plans", [str(h) for h in EXPORT_HEADER], generate(), request=request)


# --- Create and edit plans -------------------------------------------------------------------------


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user
    if not access.can_create_plans(user):
        raise PermissionDenied
    form = PlanCreateForm(
        request.POST or None,
        jurisdictions=access.editable_jurisdictions(user),
        national_plans=access.visible_national_plans(user).order_by("title"),
        regional_plans=access.visible_plans(user).filter(level=PlanLevel.REGIONAL).order_by("title", "id"),
        bodies=access.owner_body_choices(user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plan = services.plan_create(actor=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("jurisdiction", _("You cannot create a plan at this jurisdiction."))
        else:
            messages.success(request, _("%(name)s was created.") % {"name": plan.title})
            return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(request, form, title=_("New action plan"), cancel_url=reverse("plan_list"))


PLAN_EDIT_FIELDS = [
    "title",
    "legal_instrument",
    "summary",
    "period_start",
    "period_end",
    "owner_body",
    "visible_to_partners",
]


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def plan_edit(request, uuid):
    user = request.user
    plan = _editable_plan(request, uuid)
    bodies = access.plan_bodies(plan.jurisdiction)
    edit = versioned_form(
        request,
        PlanEditForm,
        record=plan,
        initial={name: getattr(plan, name) for name in PLAN_EDIT_FIELDS} | {"regional_plan": plan.regional_plan},
        save=lambda data, version: services.plan_update(actor=user, plan=plan, expected_version=version, **data),
        form_kwargs={"bodies": bodies, "regional_plans": selectors.regional_plans_above(user, plan)},
    )
    if edit.saved:
        return redirect("plan_detail", uuid=plan.uuid)
    return _render_form(
        request,
        edit.form,
        title=_("Edit %(name)s") % {"name": plan.title},
        cancel_url=reverse("plan_detail", args=[plan.uuid]),
        plan=plan,
        conflict=edit.conflict,
    )


# --- Detail ------------------------------------------------------------------------------------


@requires("plans.view")
@require_GET
def plan_detail(request, uuid):
    user = request.user
    plan = access.get_plan_or_404(user, uuid=uuid)
    alignments = selectors.alignment_prefetch(user)
    context = {
        "plan": plan,
        "crumbs": core_selectors.breadcrumb(user, plan.jurisdiction),
        "can_edit": access.can_edit_plan(user, plan),
        "can_review": access.can_review(user, plan),
        "stage": selectors.current_stage(plan.jurisdiction),
        "indicators": plan.indicators.select_related("objective", "inherited_from").order_by("name"),
        "periods": plan.periods.order_by("start"),
    }
    if plan.is_national:
        context["pillars"] = plan.pillars.prefetch_related("objectives").order_by("position", "code")
        context["loose_objectives"] = plan.objectives.filter(pillar__isnull=True).order_by("code")
        local_plans = (
            access.visible_plans(user).filter(national_plan=plan).select_related(None).select_related("jurisdiction")
        )
        term = " ".join(request.GET.get("q", "").split())[:100]
        if term:
            local_plans = local_plans.filter(Q(title__icontains=term) | Q(jurisdiction__name__icontains=term))
        context["local_q"] = term
        context["local_plans"] = Paginator(
            local_plans.order_by("jurisdiction__name", "id"), settings.TANDEM_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        return render(request, "plans/national_detail.html", context)
    if plan.regional_plan_id and plan.regional_visible:
        context["regional_plan"] = plan.regional_plan
    if plan.is_regional:
        context["aligned_plans"] = (
            access.visible_plans(user).filter(regional_plan=plan).order_by("jurisdiction__name", "id")[:200]
        )
    objectives = selectors.with_is_aligned(plan.objectives.all(), "local_objective")
    context["objectives"] = objectives.prefetch_related(alignments).order_by("code")
    context["activities"] = (
        selectors.with_is_aligned(plan.activities.all(), "activity")
        .select_related("responsible_org", "objective")
        .prefetch_related("partner_orgs", alignments)
        .order_by("title")
    )
    return render(request, "plans/local_detail.html", context)
