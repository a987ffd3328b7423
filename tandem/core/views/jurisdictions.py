from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.permissions import requires

from .. import access, exports, registry, selectors, services
from ..forms import JurisdictionChildForm, JurisdictionEditForm
from ..models import JurisdictionKind
from .utils import add_service_errors
from .versioned import versioned_form


@requires("directory.view")
@require_GET
def jurisdiction_list(request):
    """The tree: the user's top units with their children, or a search over all visible units."""
    user = request.user
    term = request.GET.get("q", "").strip()[:100]
    if term:
        results = selectors.jurisdiction_search(user, term)
        return render(request, "core/jurisdiction_list.html", {"term": term, "results": results, "roots": []})
    paths = access.scope_paths(user)
    if paths is None:
        roots = access.visible_jurisdictions(user).filter(depth=0)
    else:
        roots = access.visible_jurisdictions(user).filter(path__in=paths)
    roots = roots.annotate(child_count=Count("children", distinct=True))
    return render(request, "core/jurisdiction_list.html", {"term": "", "results": None, "roots": roots})


JURISDICTION_EXPORT_HEADER = [
    gettext_noop("UUID"),
    gettext_noop("Name"),
    gettext_noop("Kind"),
    gettext_noop("Level name"),
    gettext_noop("ISO code"),
    gettext_noop("Within"),
    gettext_noop("Depth"),
]


@requires("directory.view")
@require_GET
def jurisdiction_export(request, fmt):
    """Every unit the user sees (or those matching ``q``, or those under ``within``), down the tree.

    No personal data: units only. A parent the user may not open stays unnamed."""
    user = request.user
    visible = access.visible_jurisdictions(user)
    units = visible
    term = request.GET.get("q", "").strip()[:100]
    if term:
        units = units.filter(Q(name__icontains=term) | Q(iso_code__iexact=term))
    within = selectors.resolve_within(user, request.GET.get("within"))
    if within is not None:
        units = units.filter(path__startswith=within.path)
    rows = (
        units.annotate(parent_visible=Exists(visible.filter(pk=OuterRef("parent_id"))))
        .order_by("path")
        .values_list("uuid", "name", "kind", "level_name", "iso_code", "parent__name", "depth", "parent_visible")
    )
    kinds = dict(JurisdictionKind.choices)

    def generate():
        for uuid_, name, kind, level_name, iso, parent, depth, parent_visible in rows.iterator():
            yield [
                str(uuid_),
                name,
                str(kinds.get(kind, kind)),
                level_name,
                iso or "",
                parent if parent_visible else "",
                depth,
            ]

    header = [_(h) for h in JURISDICTION_EXPORT_HEADER]
    return exports.export_response(fmt, "jurisdictions", header, generate(), request=request)


@requires("directory.view")
@require_GET
def jurisdiction_detail(request, uuid):
    user = request.user
    node = access.get_visible_or_404(access.visible_jurisdictions(user), uuid=uuid)
    children = selectors.jurisdiction_children(user, node)
    page = Paginator(children, 100).get_page(request.GET.get("page"))
    context = {
        "node": node,
        "page_obj": page,
        "crumbs": selectors.breadcrumb(user, node),
        "can_manage": access.can_manage(user, node),
        **_place_counts(user, node),
    }
    return render(request, "core/jurisdiction_detail.html", context)


def _place_counts(user, node) -> dict[str, int]:
    """The organisations and people the user sees at ``node`` and below it; cached per reader where an
    app offers that cache (``place_numbers`` hook: until one is created there, or a write changes who
    sees what)."""

    def count() -> dict[str, int]:
        return {
            "org_count": access.visible_organisations(user).filter(jurisdiction__path__startswith=node.path).count(),
            "people_count": access.visible_people(user).filter(jurisdiction__path__startswith=node.path).count(),
        }

    cached = registry.functions("place_numbers")
    return cached[0](user, node.path, count) if cached else count()


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def jurisdiction_add_child(request, uuid):
    user = request.user
    parent = access.get_visible_or_404(access.visible_jurisdictions(user), uuid=uuid)
    access.require_rank(user, parent, access.COORDINATOR_RANK)
    form = JurisdictionChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.jurisdiction_create(actor=user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": node.name})
            return redirect("jurisdiction_detail", uuid=node.uuid)
    return render(
        request,
        "core/jurisdiction_form.html",
        {"form": form, "parent": parent, "crumbs": selectors.breadcrumb(user, parent), "title": _("Add a local unit")},
    )


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def jurisdiction_edit(request, uuid):
    user = request.user
    node = access.get_visible_or_404(access.visible_jurisdictions(user), uuid=uuid)
    access.require_rank(user, node, access.COORDINATOR_RANK)
    edit = versioned_form(
        request,
        JurisdictionEditForm,
        record=node,
        initial={name: getattr(node, name) for name in ("name", "level_name", "valid_from", "valid_to")},
        save=lambda data, version: services.jurisdiction_update(
            actor=user, jurisdiction=node, expected_version=version, **data
        ),
    )
    if edit.saved:
        return redirect("jurisdiction_detail", uuid=node.uuid)
    return render(
        request,
        "core/jurisdiction_form.html",
        {
            **edit.context(),
            "node": node,
            "crumbs": selectors.breadcrumb(user, node),
            "title": _("Edit %(name)s") % {"name": node.name},
        },
    )
