from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.permissions import requires

from .. import access, selectors, services
from ..forms import JurisdictionChildForm, JurisdictionEditForm
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
        "org_count": access.visible_organisations(user).filter(jurisdiction__path__startswith=node.path).count(),
        "people_count": access.visible_people(user).filter(jurisdiction__path__startswith=node.path).count(),
    }
    return render(request, "core/jurisdiction_detail.html", context)


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
