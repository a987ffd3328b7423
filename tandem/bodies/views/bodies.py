"""Pages of the bodies themselves: list, export, create, detail, edit, archive, inclusivity."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.bodies.permissions import requires
from tandem.core import access as core_access
from tandem.core import exports
from tandem.core import selectors as core_selectors
from tandem.core.pagination import CappedPaginator
from tandem.core.views.listing import (
    ArchiveTexts,
    archive_page,
    read_filters,
    render_list,
    within_choices,
)
from tandem.core.views.utils import add_service_errors
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import (
    BodyEditForm,
    BodyForm,
)
from ..models import BodyKind
from ._common import (
    OPEN_STATUSES,
    PAGE,
)


def _filtered_bodies(request):
    user = request.user
    filters = read_filters(request)
    kind = request.GET.get("kind", "")
    if kind not in BodyKind.values:
        kind = ""
    qs = selectors.filter_bodies(user, term=filters.term, kind=kind, within=filters.within, archived=filters.archived)
    qs = selectors.with_current_member_count(qs)
    return qs, filters, kind


@requires("bodies.view")
@require_GET
def body_list(request):
    user = request.user
    qs, filters, kind = _filtered_bodies(request)
    qs = access.with_internals_flag(user, qs)
    page = CappedPaginator(qs, PAGE).get_page(request.GET.get("page"))
    query = filters.query + (("&" if filters.query else "") + urlencode({"kind": kind}) if kind else "")
    context = {
        "page_obj": page,
        "filters": filters,
        "kind": kind,
        "kinds": BodyKind.choices,
        "export_query": query,
        "within_choices": within_choices(user, filters.within),
        "can_create": core_access.has_any_rank(user, core_access.COORDINATOR_RANK),
    }
    return render_list(request, "bodies/body_list.html", "bodies/partials/body_results.html", context)


@requires("bodies.view")
@require_GET
def body_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, _filters, _kind = _filtered_bodies(request)
    kinds = dict(BodyKind.choices)
    rows = qs.values_list(
        "uuid", "name", "kind", "jurisdiction__name", "current_members", "mandate_reviewed_on", "archived_at"
    )

    def generate():
        for uuid, name, kind, place, members, reviewed, archived in rows.iterator():
            yield [
                str(uuid),
                name,
                str(kinds.get(kind, kind)),
                place,
                members,
                reviewed,
                archived.date() if archived else None,
            ]

    header = [
        _("UUID"),
        _("Name"),
        _("Type"),
        _("Jurisdiction"),
        _("Current members"),
        _("Mandate last reviewed"),
        _("Archived"),
    ]
    return exports.export_response(fmt, "bodies", header, generate(), request=request)


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def body_create(request):
    user = request.user
    core_access.require_any_rank(user, core_access.COORDINATOR_RANK)
    jurisdictions = core_access.managed_jurisdictions(user)
    initial = {}
    within = core_selectors.resolve_within(user, request.GET.get("within"))
    if within is not None and core_access.can_manage(user, within):
        initial["jurisdiction"] = within
    form = BodyForm(request.POST or None, initial=initial, jurisdictions=jurisdictions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body = services.body_create(actor=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": body.name})
            return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/form.html",
        {"form": form, "title": _("Add a coordination body"), "cancel_url": reverse("body_list")},
    )


@requires("bodies.view")
@require_GET
def body_detail(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid)
    internals = access.can_see_internals(user, body)
    members = list(selectors.body_members(body))
    contacts = selectors.representative_contacts(user, members) if internals else {}
    for m in members:
        m.contact = contacts.get(m.person_id)
    context = {
        "body": body,
        "crumbs": core_selectors.breadcrumb(user, body.jurisdiction),
        "objectives": list(body.objectives.all()),
        "seats": selectors.body_seats(body),
        "members": members,
        "past_members": list(selectors.body_members(body, current=False)[:50]),
        "inclusivity": selectors.body_inclusivity(body),
        "internals": internals,
        "can_manage": access.can_manage_body(user, body),
    }
    # The Secretariat seat's holder keeps the action log (nothing else inside).
    context["keeps_log"] = not context["can_manage"] and access.can_keep_action_log(user, body)
    if internals:
        context.update(
            health=selectors.body_health(body),
            upcoming=list(selectors.upcoming_meetings(user, body)),
            recent=list(selectors.recent_meetings(user, body)),
            open_items=list(
                access.body_action_items(user, body).filter(status__in=OPEN_STATUSES).order_by("due_date", "id")[:20]
            ),
            today=timezone.localdate(),
        )
        if not body.is_archived:
            context["feed_url"] = request.build_absolute_uri(
                reverse("body_calendar_feed", args=[body.uuid, body.calendar_token])
            )
    return render(request, "bodies/body_detail.html", context)


BODY_FIELDS = ["name", "kind", "mandate", "mandate_reviewed_on"]


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def body_edit(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid)
    access.require_manage(user, body)
    initial = {name: getattr(body, name) for name in BODY_FIELDS}
    initial["objectives"] = "\n".join(o.text for o in body.objectives.all())
    edit = versioned_form(
        request,
        BodyEditForm,
        record=body,
        initial=initial,
        save=lambda data, version: services.body_update(actor=user, body=body, expected_version=version, **data),
    )
    if edit.saved:
        return redirect("body_detail", uuid=body.uuid)
    return render(
        request,
        "bodies/form.html",
        {
            **edit.context(),
            "crumbs": core_selectors.breadcrumb(user, body.jurisdiction),
            "title": _("Edit %(name)s") % {"name": body.name},
            "cancel_url": reverse("body_detail", args=[body.uuid]),
        },
    )


@requires("bodies.manage")
@require_http_methods(["GET", "POST"])
def body_archive(request, uuid):
    user = request.user
    body = access.get_body_or_404(user, uuid)
    access.require_manage(user, body)

    def archive(archived):
        try:
            services.body_archive(actor=user, body=body, archived=archived)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))

    texts = ArchiveTexts(
        archive_title=_("Archive %(name)s"),
        restore_title=_("Restore %(name)s"),
        archive_explanation=_(
            "An archived body disappears from lists; its members, meetings and minutes are kept. "
            "You can restore it later."
        ),
        restore_explanation=_("The body will appear in lists again."),
    )
    return archive_page(
        request,
        body,
        name=body.name,
        url_name="body_archive",
        detail_url_name="body_detail",
        archive=archive,
        texts=texts,
    )


@requires("bodies.manage")
@require_GET
def body_inclusivity_overview(request):
    user = request.user
    core_access.require_any_rank(user, core_access.COORDINATOR_RANK)
    filters = read_filters(request)
    sector = request.GET.get("sector", "")
    overview = selectors.inclusivity_overview(user, filters.within, sector)
    context = {
        "overview": overview,
        "filters": filters,
        "within_choices": within_choices(user, filters.within),
        "sectors": selectors.Sector.choices,
    }
    return render(request, "bodies/inclusivity_overview.html", context)


@requires("bodies.manage")
@require_GET
def body_inclusivity_export(request, fmt):
    """The overview's bodies, one row each: current members in total and per sector, the security
    share and the focus sectors missing. Counts of organisations only: no personal data."""
    user = request.user
    core_access.require_any_rank(user, core_access.COORDINATOR_RANK)
    filters = read_filters(request)
    sectors = selectors.Sector.choices
    header = [
        _("Body"),
        _("Jurisdiction"),
        _("Current members"),
        *(str(label) for _value, label in sectors),
        _("Security share (%)"),
        _("Missing: women, youth, religious"),
    ]
    security = [s.value for s in selectors.SECURITY_SECTORS]
    focus = selectors.FOCUS_SECTORS

    def generate():
        for body in selectors.inclusivity_by_body(user, filters.within).iterator():
            total = body.n_members
            secure = sum(getattr(body, f"n_{v}") for v in security)
            yield [
                body.name,
                body.jurisdiction.name,
                total,
                *(getattr(body, f"n_{value}") for value, _label in sectors),
                round(100 * secure / total) if total else None,
                ", ".join(str(s.label) for s in focus if not getattr(body, f"n_{s.value}")),
            ]

    return exports.export_response(fmt, "bodies-inclusivity", header, generate(), request=request)
