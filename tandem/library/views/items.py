"""Library pages: search, item, propose, edit, workflow steps, versions, attachments, review queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.files import file_response
from tandem.core.models import Sector
from tandem.core.versioning import VersionConflict
from tandem.core.views.utils import add_service_errors
from tandem.core.views.versioned import versioned_form
from tandem.library.permissions import requires

from .. import access, search, selectors, services
from ..forms import AttachmentForm, ItemEditForm, ItemForm
from ..lookups import translatable_items
from ..models import Competency, Kind, Language, Status


def _labels() -> dict:
    return {
        "kinds": dict(Kind.choices),
        "competencies": dict(Competency.choices),
        "sectors": dict(Sector.choices),
        "languages": dict(Language.choices),
    }


class _Counted(Paginator):
    """A paginator told its count (the facets' total, computed from the same scoped results)."""

    def __init__(self, *args, total: int, capped: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._total = total
        self.capped = capped

    @property
    def count(self) -> int:
        return self._total


def _facet_rows(facets: search.Facets, filters: search.Filters) -> list[dict]:
    """The filters as the page shows them: (value, label, count, chosen) per facet, only values that count."""
    labels = _labels()

    def rows(name: str, counts: dict, names: dict) -> dict:
        chosen = str(getattr(filters, name) or "")
        values = [(str(v), str(names.get(v, v)), n, str(v) == chosen) for v, n in counts.items()]
        return {"name": name, "values": values}

    return [
        {**rows("kind", facets.kind, labels["kinds"]), "label": _("Kind")},
        {**rows("competency", facets.competency, labels["competencies"]), "label": _("Competency")},
        {**rows("sector", facets.sector, labels["sectors"]), "label": _("Sector")},
        {
            "name": "country",
            "label": _("Country"),
            "values": [(u, name, n, u == filters.country) for u, name, n in facets.country],
        },
        {**rows("language", facets.language, labels["languages"]), "label": _("Language")},
        {**rows("year", facets.year, {}), "label": _("Year")},
    ]


@requires("library.read")
@require_GET
def library_search(request):
    """Search and browse the published items the user may read, with counts per filter."""
    filters = selectors.read_filters(request.GET)
    found = search.find(request.user, filters)
    facets = found.facets()
    page = _Counted(found.ranked(), settings.TANDEM_PAGE_SIZE, total=found.total, capped=found.capped).get_page(
        request.GET.get("page")
    )
    items = selectors.attach_tags(list(page.object_list))
    snippets = search.snippets(items, filters) if filters.terms else {}
    for item in items:
        item.snippet = snippets.get(item.pk)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page_obj": page,
        "items": items,
        "filters": filters,
        "facets": _facet_rows(facets, filters),
        "facets_capped": facets.capped,
        "query": params.urlencode(),
        "can_propose": access.can_propose_anywhere(request.user),
        "drafts": list(selectors.my_drafts(request.user)[:10]),
        "review_count": access.visible_review_queue(request.user).count(),
        **_labels(),
    }
    return render(request, "library/search.html", context)


@requires("library.read")
@require_GET
def library_item_detail(request, uuid):
    item = core_access.get_visible_or_404(access.visible_items(request.user), uuid=uuid)
    context = {
        "item": item,
        "facts": selectors.item_facts(request.user, item),
        "can_edit": access.can_edit(request.user, item),
        "can_curate": access.can_curate(request.user, item),
        "attachment_form": AttachmentForm(),
        **_labels(),
    }
    return render(request, "library/item_detail.html", context)


def _fill_choices(form, user) -> None:
    if "jurisdiction" in form.fields:
        form.fields["jurisdiction"].queryset = access.proposable_jurisdictions(user)
    if "translation_of" in form.fields:
        form.fields["translation_of"].queryset = translatable_items(user)
    form.fields["author_organisation"].queryset = core_access.visible_organisations(user).order_by("name")
    form.fields["countries"].queryset = selectors.country_choices()
    form.fields["concerns"].queryset = core_access.visible_jurisdictions(user)


@requires("library.propose")
@require_http_methods(["GET", "POST"])
def library_item_create(request):
    user = request.user
    if not access.can_propose_anywhere(user):
        raise PermissionDenied
    form = ItemForm(request.POST or None, initial={"language": request.LANGUAGE_CODE[:2], "visibility": "green"})
    _fill_choices(form, user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_propose(
                actor=user,
                jurisdiction=form.cleaned_data["jurisdiction"],
                data=form.data_for_service(),
                translation_of=form.cleaned_data.get("translation_of"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Item saved as a draft."))
            return redirect("library_item_detail", uuid=item.uuid)
    return render(request, "library/item_form.html", {"form": form, "title": _("Propose a library item")})


@requires("library.propose")
@require_http_methods(["GET", "POST"])
def library_item_edit(request, uuid):
    user = request.user
    item = core_access.get_visible_or_404(access.visible_items(user), uuid=uuid)
    access.require_edit(user, item)
    facts = selectors.item_facts(user, item)
    initial = {
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "language": item.language,
        "visibility": item.visibility,
        "publication_date": item.publication_date,
        "author_organisation": item.author_organisation,
        "competencies": facts.competencies,
        "sectors": facts.sectors,
        "countries": facts.countries,
        "concerns": facts.concerns,
    }

    def form_class(*args, **kwargs):
        form = ItemEditForm(*args, **kwargs)
        _fill_choices(form, user)
        return form

    edit = versioned_form(
        request,
        form_class,
        record=item,
        initial=initial,
        save=lambda data, version: services.item_update(
            actor=user, item=item, expected_version=version, data=_edit_data(data)
        ),
    )
    if edit.saved:
        return redirect("library_item_detail", uuid=item.uuid)
    return render(request, "library/item_form.html", edit.context(item=item, title=_("Edit the item")))


def _edit_data(data: dict) -> services.ItemData:
    form = ItemEditForm()
    form.cleaned_data = data
    return form.data_for_service()


STEPS = {
    "submit": (services.item_submit, Status.REVIEW),
    "publish": (services.item_publish, Status.PUBLISHED),
    "return": (services.item_return, Status.DRAFT),
}


@requires("library.propose")
@require_POST
def library_item_step(request, uuid, step):
    """Submit for review (proposer), publish or send back (curator)."""
    user = request.user
    item = core_access.get_visible_or_404(access.visible_items(user), uuid=uuid)
    if step not in STEPS:
        raise Http404("Not found")
    service, _status = STEPS[step]
    if step == "submit":
        access.require_edit(user, item)
    else:
        access.require_curate(user, item)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        service(actor=user, item=item, expected_version=version)
    except VersionConflict:
        messages.error(request, _("Someone changed this item in the meantime: look at it again, then retry."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("library_item_detail", uuid=item.uuid)


@requires("library.read")
@require_GET
def library_item_versions(request, uuid):
    item = core_access.get_visible_or_404(access.visible_items(request.user), uuid=uuid)
    versions = selectors.item_versions(request.user, item)
    return render(request, "library/versions.html", {"item": item, "versions": versions})


@requires("library.propose")
@require_POST
def library_attachment_add(request, uuid):
    user = request.user
    item = core_access.get_visible_or_404(access.visible_items(user), uuid=uuid)
    access.require_edit(user, item)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        try:
            services.attachment_add(actor=user, item=item, name=upload.name, data=upload.read())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("File added."))
            return redirect("library_item_detail", uuid=item.uuid)
    context = {
        "item": item,
        "facts": selectors.item_facts(user, item),
        "can_edit": True,
        "can_curate": access.can_curate(user, item),
        "attachment_form": form,
        **_labels(),
    }
    return render(request, "library/item_detail.html", context)


@requires("library.read")
@require_GET
def library_attachment(request, uuid):
    """A stored file: access-checked, always a download, never sniffed."""
    attachment = core_access.get_visible_or_404(access.visible_attachments(request.user), uuid=uuid)
    try:
        with services.attachment_open(attachment) as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404("Not found") from None
    return file_response(data, name=attachment.original_name, content_type=attachment.content_type)


@requires("library.propose")
@require_GET
def library_review(request):
    """Items in review that the user curates."""
    items = access.visible_review_queue(request.user).order_by("updated_at")
    return render(request, "library/review.html", {"items": items, **_labels()})
