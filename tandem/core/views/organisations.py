"""Organisation pages: list (htmx filters), export, CSV import, detail, create, edit, archive."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.permissions import requires

from .. import access, exports, imports, selectors, services
from ..forms_directory import OrganisationEditForm, OrganisationForm, OrganisationImportForm
from ..models import Sector
from ..pagination import CappedPaginator
from .listing import ArchiveTexts, archive_page, read_filters, render_list, within_choices
from .utils import add_service_errors
from .versioned import versioned_form

EDIT_FIELDS = ["name", "sector", "jurisdiction", "parent", "description", "website", "email", "phone", "address"]


def _filtered(request):
    """The organisations the user may see, narrowed by the list filters (one SQL query when evaluated)."""
    user = request.user
    filters = read_filters(request, with_sector=True)
    qs = selectors.with_parent_visible(user, access.visible_organisations(user, include_archived=filters.archived))
    if filters.term:
        qs = qs.filter(name__icontains=filters.term)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.within is not None:
        qs = qs.filter(jurisdiction__path__startswith=filters.within.path)
    return qs.order_by("name", "id"), filters


@requires("directory.view")
@require_GET
def organisation_list(request):
    user = request.user
    qs, filters = _filtered(request)
    qs = selectors.with_current_people_count(user, qs)
    page = CappedPaginator(qs, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "filters": filters,
        "sectors": Sector.choices,
        "within_choices": within_choices(user, filters.within),
        "can_create": access.has_any_rank(user, access.COORDINATOR_RANK),
        "crumbs": selectors.breadcrumb(user, filters.within) if filters.within is not None else None,
    }
    return render_list(request, "core/organisation_list.html", "core/partials/organisation_results.html", context)


EXPORT_HEADER = [
    gettext_lazy("UUID"),
    gettext_lazy("Name"),
    gettext_lazy("Sector"),
    gettext_lazy("Jurisdiction"),
    gettext_lazy("Jurisdiction ISO code"),
    gettext_lazy("Parent organisation"),
    gettext_lazy("Description"),
    gettext_lazy("Website"),
    gettext_lazy("E-mail"),
    gettext_lazy("Phone"),
    gettext_lazy("Address"),
    gettext_lazy("Archived"),
]


@requires("directory.view")
@require_GET
def organisation_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    qs, _filters = _filtered(request)
    sector_labels = dict(Sector.choices)
    rows = qs.values_list(
        "uuid",
        "name",
        "sector",
        "jurisdiction__name",
        "jurisdiction__iso_code",
        "parent__name",
        "description",
        "website",
        "email",
        "phone",
        "address",
        "archived_at",
        "parent_visible",
    )

    def generate():
        for row in rows.iterator():
            *values, parent_visible = row
            values[5] = values[5] if parent_visible else ""  # a parent the user cannot open stays unnamed
            values[0] = str(values[0])
            values[2] = str(sector_labels.get(values[2], values[2]))
            values[-1] = values[-1].date() if values[-1] else None
            yield values

    header = [str(h) for h in EXPORT_HEADER]
    return exports.export_response(fmt, "organisations", header, generate(), request=request)


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def organisation_import(request):
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    if request.method == "GET" and request.GET.get("template") == "1":
        return exports.export_response(
            "csv", "organisation-import-template", imports.template_header(), [], request=request
        )
    report = None
    file_error = None
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = imports.import_organisations(
                actor=user, raw=upload.read(settings.TANDEM_IMPORT_MAX_BYTES + 1), filename=upload.name
            )
        except imports.ImportFileError as exc:
            file_error = exc.message
        else:
            if report.ok:
                count = len(report.created)
                messages.success(
                    request,
                    ngettext("%(count)d organisation was imported.", "%(count)d organisations were imported.", count)
                    % {"count": count},
                )
                return redirect("organisation_list")
    context = {
        "form": form,
        "report": report,
        "file_error": file_error,
        "columns": imports.COLUMNS,
        "required_columns": imports.REQUIRED_COLUMNS,
        "sectors": Sector.choices,
        "managed": selectors.managed_jurisdiction_options(user),
        "max_rows": settings.TANDEM_IMPORT_MAX_ROWS,
    }
    return render(request, "core/organisation_import.html", context)


def _form_kwargs(user, instance=None):
    parents = access.visible_organisations(user)
    if instance is not None and instance.parent_id is not None:
        # Keep an archived current parent selectable, or saving would silently drop it.
        parents = access.visible_organisations(user, include_archived=True).filter(
            Q(archived_at__isnull=True) | Q(pk=instance.parent_id)
        )
    return {
        "jurisdictions": access.managed_jurisdictions(user),
        "parents": parents.order_by("name", "id"),
        "instance": instance,
    }


def _create_values(data):
    return {k: v for k, v in data.items() if k not in ("jurisdiction", "version")}


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    initial = {}
    within = selectors.resolve_within(user, request.GET.get("within"))
    if within is not None and access.can_manage(user, within):
        initial["jurisdiction"] = within
    form = OrganisationForm(request.POST or None, initial=initial, **_form_kwargs(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.organisation_create(actor=user, jurisdiction=data["jurisdiction"], **_create_values(data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": org.name})
            return redirect("organisation_detail", uuid=org.uuid)
    return render(
        request,
        "core/organisation_form.html",
        {"form": form, "title": _("Add an organisation"), "cancel_url": reverse("organisation_list")},
    )


def _get(request, uuid):
    user = request.user
    qs = selectors.with_parent_visible(user, access.visible_organisations(user, include_archived=True))
    return access.get_visible_or_404(qs, uuid=uuid)


@requires("directory.view")
@require_GET
def organisation_detail(request, uuid):
    user = request.user
    org = _get(request, uuid)
    context = {
        "org": org,
        "crumbs": selectors.breadcrumb(user, org.jurisdiction),
        "units": access.visible_organisations(user).filter(parent=org).order_by("name", "id"),
        "affiliations": selectors.organisation_current_people(user, org),
        "can_manage": access.can_manage(user, org.jurisdiction),
    }
    return render(request, "core/organisation_detail.html", context)


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def organisation_edit(request, uuid):
    user = request.user
    org = _get(request, uuid)
    access.require_rank(user, org.jurisdiction, access.COORDINATOR_RANK)
    edit = versioned_form(
        request,
        OrganisationEditForm,
        record=org,
        initial={name: getattr(org, name) for name in EDIT_FIELDS},
        save=lambda data, version: services.organisation_update(
            actor=user, organisation=org, expected_version=version, **data
        ),
        form_kwargs=_form_kwargs(user, org),
    )
    if edit.saved:
        return redirect("organisation_detail", uuid=org.uuid)
    return render(
        request,
        "core/organisation_form.html",
        {
            **edit.context(),
            "org": org,
            "crumbs": selectors.breadcrumb(user, org.jurisdiction),
            "title": _("Edit %(name)s") % {"name": org.name},
            "cancel_url": reverse("organisation_detail", args=[org.uuid]),
        },
    )


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def organisation_archive(request, uuid):
    user = request.user
    org = _get(request, uuid)
    access.require_rank(user, org.jurisdiction, access.COORDINATOR_RANK)

    def refuse_restore():
        if selectors.organisation_name_taken(org.jurisdiction, org.name, org.pk):
            return _(
                "%(name)s cannot be restored: an active organisation with the same name exists in %(place)s. "
                "Rename or archive that one first."
            ) % {"name": org.name, "place": org.jurisdiction.name}
        return None

    texts = ArchiveTexts(
        archive_title=_("Archive %(name)s"),
        restore_title=_("Restore %(name)s"),
        archive_explanation=_(
            "An archived organisation disappears from lists and choices but is kept with its history. "
            "You can restore it later."
        ),
        restore_explanation=_("The organisation will appear in lists and choices again."),
    )
    return archive_page(
        request,
        org,
        name=org.name,
        url_name="organisation_archive",
        detail_url_name="organisation_detail",
        archive=lambda archived: services.organisation_archive(actor=user, organisation=org, archived=archived),
        texts=texts,
        refuse_restore=refuse_restore,
    )
