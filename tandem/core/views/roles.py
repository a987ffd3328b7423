from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.permissions import requires

from .. import access, exports, selectors, services
from ..forms import RoleAssignmentForm
from ..models import Role
from .utils import add_service_errors


def _roles_grantable_somewhere(user) -> list[str]:
    if access.is_admin(user):
        return [r.value for r in Role]
    top = max((g.rank for g in access.grants(user)), default=0)
    return [r.value for r in Role if access.ROLE_RANK[r] < top]


def _filtered_roles(request):
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    qs = access.visible_role_assignments(user)
    term = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    within = selectors.resolve_within(user, request.GET.get("within"))
    show_revoked = request.GET.get("revoked") == "1"
    if term:
        qs = qs.filter(
            Q(user__username__icontains=term) | Q(user__first_name__icontains=term) | Q(user__last_name__icontains=term)
        )
    if role in Role.values:
        qs = qs.filter(role=role)
    if within is not None:
        qs = qs.filter(jurisdiction__path__startswith=within.path)
    if not show_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    filters = {"term": term, "role": role, "within": within, "show_revoked": show_revoked}
    return qs.order_by("jurisdiction__path", "role", "user__username"), filters


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires("roles.manage")
@require_GET
def role_list(request):
    user = request.user
    qs, filters = _filtered_roles(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    revocable = {
        a.pk
        for a in page.object_list
        if a.revoked_at is None and a.role in access.assignable_roles(user, a.jurisdiction)
    }
    return render(
        request,
        "core/role_list.html",
        {
            "page_obj": page,
            "roles": Role.choices,
            "revocable": revocable,
            "filters": {"query": _query_without_page(request)},
            **filters,
        },
    )


@requires("roles.manage")
@require_GET
def role_export(request, fmt):
    """The role list as filtered, as CSV or XLSX."""
    if fmt not in exports.FORMATS:
        raise Http404
    qs, _filters = _filtered_roles(request)
    header = [
        gettext_lazy("Username"),
        gettext_lazy("Name"),
        gettext_lazy("Role"),
        gettext_lazy("Jurisdiction"),
        gettext_lazy("On behalf of organisation"),
        gettext_lazy("Granted"),
        gettext_lazy("Granted by"),
        gettext_lazy("Revoked"),
    ]
    rows = (
        (
            a.user.username,
            a.user.get_full_name(),
            str(a.get_role_display()),
            a.jurisdiction.name,
            a.organisation.name if a.organisation_id else "",
            a.created_at,
            str(a.granted_by) if a.granted_by_id else "",
            a.revoked_at,
        )
        for a in qs.iterator(chunk_size=500)
    )
    return exports.export_response(fmt, "roles", header, rows, request=request)


@requires("roles.manage")
@require_http_methods(["GET", "POST"])
def role_create(request):
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    form = RoleAssignmentForm(
        request.POST or None,
        jurisdictions=access.managed_jurisdictions(user),
        roles=_roles_grantable_somewhere(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grantee = selectors.active_user_by_username(data["username"])
        if grantee is None:
            form.add_error("username", _("No active account has this username."))
        else:
            try:
                services.role_grant(actor=user, user=grantee, role=data["role"], jurisdiction=data["jurisdiction"])
            except PermissionDenied:
                form.add_error("role", _("You cannot grant this role at this jurisdiction."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The role was granted."))
                return redirect("role_list")
    return render(request, "core/role_form.html", {"form": form})


@requires("signed_in")
@require_http_methods(["GET", "POST"])
def role_revoke(request, uuid):
    user = request.user
    assignment = access.get_visible_or_404(access.visible_role_assignments(user), uuid=uuid)
    if assignment.role not in access.assignable_roles(user, assignment.jurisdiction):
        raise PermissionDenied
    if request.method == "POST":
        services.role_revoke(actor=user, assignment=assignment)
        messages.success(request, _("The role was revoked."))
        return redirect("role_list")
    return render(
        request,
        "core/role_revoke.html",
        {"assignment": assignment, "crumbs": selectors.breadcrumb(user, assignment.jurisdiction)},
    )
