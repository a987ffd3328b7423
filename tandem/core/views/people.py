"""People pages: list (htmx filters), export, detail, create, edit, archive, affiliations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.permissions import requires

from .. import access, exports, lookups, selectors, services
from ..forms_directory import AffiliationEndForm, AffiliationForm, PersonEditForm, PersonForm
from ..pagination import CappedPaginator
from ..security import client_ip
from .listing import ArchiveTexts, archive_page, read_filters, render_list, within_choices
from .lookups import affiliation_organisations
from .utils import add_service_errors
from .versioned import versioned_form

EDIT_FIELDS = ["full_name", "jurisdiction", "email", "phone", "notes"]


def _current_affiliations(user):
    """Prefetch of the current affiliations the user may see, with active organisations."""
    qs = (
        access.visible_affiliations(user)
        .filter(selectors.current_affiliation_q(), organisation__archived_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )
    return Prefetch("affiliations", queryset=qs, to_attr="current_affiliations")


def _filtered(request):
    """The people the user may see, narrowed by the list filters."""
    user = request.user
    filters = read_filters(request)
    qs = access.visible_people(user, include_archived=filters.archived)
    if filters.term:
        # An organisation name matches only through affiliations the user may see.
        via_org = access.visible_affiliations(user).filter(
            person=OuterRef("pk"), organisation__name__icontains=filters.term
        )
        qs = qs.filter(Q(full_name__icontains=filters.term) | Q(Exists(via_org)))
    if filters.within is not None:
        qs = qs.filter(jurisdiction__path__startswith=filters.within.path)
    return qs.order_by("full_name", "id"), filters


@requires("directory.view")
@require_GET
def person_list(request):
    user = request.user
    qs, filters = _filtered(request)
    qs = qs.prefetch_related(_current_affiliations(user))
    page = CappedPaginator(qs, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "filters": filters,
        "within_choices": within_choices(user, filters.within),
        "can_create": access.has_any_rank(user, access.COORDINATOR_RANK),
        "crumbs": selectors.breadcrumb(user, filters.within) if filters.within is not None else None,
    }
    return render_list(request, "core/person_list.html", "core/partials/person_results.html", context)


EXPORT_HEADER = [
    gettext_lazy("UUID"),
    gettext_lazy("Full name"),
    gettext_lazy("Jurisdiction"),
    gettext_lazy("Current organisations"),
    gettext_lazy("E-mail"),
    gettext_lazy("Phone"),
    gettext_lazy("Archived"),
]
EXPORT_CHUNK = 1000


@requires("directory.view")
@require_GET
def person_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    user = request.user
    qs, filters = _filtered(request)
    services.audit_read(
        actor=user,
        what="people_export",
        count=qs.count(),
        filters={**filters.params(), "format": fmt},
        jurisdiction=filters.within,
        ip_address=client_ip(request),
    )
    qs = qs.prefetch_related(_current_affiliations(user))

    def generate():
        # Chunked: one query for the people and one for their affiliations per chunk.
        for person in qs.iterator(chunk_size=EXPORT_CHUNK):
            organisations = "; ".join(
                f"{a.organisation.name} ({a.title})" if a.title else a.organisation.name
                for a in person.current_affiliations
            )
            visible = bool(person.contact_visible)
            yield [
                str(person.uuid),
                person.full_name,
                person.jurisdiction.name,
                organisations,
                person.email if visible else "",
                person.phone if visible else "",
                person.archived_at.date() if person.archived_at else None,
            ]

    return exports.export_response(fmt, "people", [str(h) for h in EXPORT_HEADER], generate(), request=request)


def _get(request, uuid):
    return access.get_visible_or_404(access.visible_people(request.user, include_archived=True), uuid=uuid)


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    initial = {}
    within = selectors.resolve_within(user, request.GET.get("within"))
    if within is not None and access.can_manage(user, within):
        initial["jurisdiction"] = within
    form = PersonForm(request.POST or None, initial=initial, jurisdictions=access.managed_jurisdictions(user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        jurisdiction = data.pop("jurisdiction")
        try:
            person = services.person_create(actor=user, jurisdiction=jurisdiction, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect("person_detail", uuid=person.uuid)
    return render(
        request,
        "core/person_form.html",
        {"form": form, "title": _("Add a person"), "cancel_url": reverse("person_list")},
    )


@requires("directory.view")
@require_GET
def person_detail(request, uuid):
    user = request.user
    person = _get(request, uuid)
    can_manage = access.can_manage(user, person.jurisdiction)
    context = {
        "person": person,
        "crumbs": selectors.breadcrumb(user, person.jurisdiction),
        "affiliations": selectors.person_affiliations(user, person),
        "can_see_contact": access.can_see_contact(user, person),
        "can_manage": can_manage,
        "today": timezone.localdate(),
    }
    if context["can_see_contact"]:
        services.person_contact_read(actor=user, person=person, ip_address=client_ip(request))
    return render(request, "core/person_detail.html", context)


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def person_edit(request, uuid):
    user = request.user
    person = _get(request, uuid)
    access.require_rank(user, person.jurisdiction, access.COORDINATOR_RANK)
    jurisdictions = access.managed_jurisdictions(user)
    edit = versioned_form(
        request,
        PersonEditForm,
        record=person,
        initial={name: getattr(person, name) for name in EDIT_FIELDS},
        save=lambda data, version: services.person_update(actor=user, person=person, expected_version=version, **data),
        form_kwargs={"jurisdictions": jurisdictions},
    )
    if edit.saved:
        return redirect("person_detail", uuid=person.uuid)
    return render(
        request,
        "core/person_form.html",
        {
            **edit.context(),
            "person": person,
            "crumbs": selectors.breadcrumb(user, person.jurisdiction),
            "title": _("Edit %(name)s") % {"name": person.full_name},
            "cancel_url": reverse("person_detail", args=[person.uuid]),
        },
    )


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def person_archive(request, uuid):
    user = request.user
    person = _get(request, uuid)
    access.require_rank(user, person.jurisdiction, access.COORDINATOR_RANK)
    texts = ArchiveTexts(
        archive_title=_("Archive %(name)s"),
        restore_title=_("Restore %(name)s"),
        archive_explanation=_(
            "An archived person disappears from lists but is kept with their affiliations and history. "
            "You can restore them later."
        ),
        restore_explanation=_("The person will appear in lists again."),
    )
    return archive_page(
        request,
        person,
        name=person.full_name,
        url_name="person_archive",
        detail_url_name="person_detail",
        archive=lambda archived: services.person_archive(actor=user, person=person, archived=archived),
        texts=texts,
    )


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def affiliation_create(request, uuid):
    user = request.user
    person = _get(request, uuid)
    access.require_rank(user, person.jurisdiction, access.COORDINATOR_RANK)
    form = AffiliationForm(request.POST or None, organisations=affiliation_organisations(user, person))
    lookups.point(form, ["organisation"], uuid=person.uuid)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_create(actor=user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is now affiliated with %(organisation)s.")
                % {"person": person.full_name, "organisation": form.cleaned_data["organisation"].name},
            )
            return redirect("person_detail", uuid=person.uuid)
    return render(
        request,
        "core/affiliation_form.html",
        {
            "form": form,
            "person": person,
            "crumbs": selectors.breadcrumb(user, person.jurisdiction),
            "title": _("Add an affiliation for %(name)s") % {"name": person.full_name},
        },
    )


@requires("directory.manage")
@require_http_methods(["GET", "POST"])
def affiliation_end(request, uuid):
    user = request.user
    affiliation = access.get_visible_or_404(
        selectors.affiliations_of_visible_people(user).select_related("person__jurisdiction"), uuid=uuid
    )
    person = affiliation.person
    access.require_rank(user, person.jurisdiction, access.COORDINATOR_RANK)
    form = AffiliationEndForm(request.POST or None, affiliation=affiliation)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_end(actor=user, affiliation=affiliation, end_date=form.cleaned_data["end_date"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The affiliation with %(organisation)s now ends on %(date)s.")
                % {"organisation": affiliation.organisation.name, "date": form.cleaned_data["end_date"].isoformat()},
            )
            return redirect("person_detail", uuid=person.uuid)
    return render(
        request,
        "core/affiliation_end.html",
        {
            "form": form,
            "affiliation": affiliation,
            "person": person,
            "crumbs": selectors.breadcrumb(user, person.jurisdiction),
            "title": _("End the affiliation with %(organisation)s") % {"organisation": affiliation.organisation.name},
        },
    )
