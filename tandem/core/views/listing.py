"""Helpers shared by the directory list pages (organisations, people).

Filters are read once from the query string and applied in SQL; the same
values build the export links, so an export holds exactly what the list shows
(all pages of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

from .. import selectors
from ..context_processors import SESSION_KEY
from ..models import Jurisdiction, Sector

MAX_TERM = 100


@dataclass
class ListFilters:
    term: str = ""
    sector: str = ""
    within: Jurisdiction | None = None
    archived: bool = False

    def params(self) -> dict[str, str]:
        params = {}
        if self.term:
            params["q"] = self.term
        if self.sector:
            params["sector"] = self.sector
        if self.within is not None:
            params["within"] = str(self.within.uuid)
        if self.archived:
            params["archived"] = "1"
        return params

    @property
    def query(self) -> str:
        """The filters as a query string (no page number), for export links."""
        return urlencode(sorted(self.params().items()))

    @property
    def active(self) -> bool:
        return bool(self.params())


def read_filters(request: HttpRequest, *, with_sector: bool = False) -> ListFilters:
    """Filters from the query string. Unknown or foreign values are ignored, never an error.

    Without an explicit ``within``, the jurisdiction the user chose to work in
    (the header's "Working in" switch) is the default.
    """
    get = request.GET
    term = get.get("q", "").strip()[:MAX_TERM]
    sector = get.get("sector", "") if with_sector else ""
    if sector not in Sector.values:
        sector = ""
    raw_within = get.get("within") if "within" in get else request.session.get(SESSION_KEY)
    within = selectors.resolve_within(request.user, raw_within)
    return ListFilters(term=term, sector=sector, within=within, archived=get.get("archived") == "1")


def render_list(request: HttpRequest, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """The full page, or only the results partial for an htmx request (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, partial, context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def display_value(form: forms.Form, name: str, value: Any) -> str:
    """A form value as the user reads it (choice labels, not codes)."""
    if value in (None, ""):
        return "—"
    field = form.fields.get(name)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


class WithinChoices(list):
    """(uuid, indented label, selected) for the 'within' select; ``partial``: deeper levels are not listed."""

    partial = False


def within_choices(user: Any, selected: Jurisdiction | None) -> WithinChoices:
    """The 'within' select's options: the top levels of the user's jurisdictions that fit (see
    ``selectors.within_options``); the selected unit is always offered."""
    options, partial = selectors.within_options(user)
    if selected is not None and all(j.pk != selected.pk for j in options):
        options.append(selected)
    top = min((j.depth for j in options), default=0)
    choices = WithinChoices(
        (str(j.uuid), "\u2003" * (j.depth - top) + j.name, selected is not None and j.pk == selected.pk)
        for j in options
    )
    choices.partial = partial
    return choices


@dataclass
class ArchiveTexts:
    archive_title: str
    restore_title: str
    archive_explanation: str
    restore_explanation: str


def archive_page(
    request: HttpRequest,
    obj: Any,
    *,
    name: str,
    url_name: str,
    detail_url_name: str,
    archive: Any,
    texts: ArchiveTexts,
    refuse_restore: Any = None,
) -> HttpResponse:
    """GET: confirm archiving (or restoring) ``obj``; POST: do it through ``archive(archived=...)``.

    ``refuse_restore()`` may return a message that stops a restore (e.g. a name clash).
    The caller has already fetched ``obj`` through the access layer and checked the role.
    """
    from django.contrib import messages
    from django.db import IntegrityError
    from django.shortcuts import redirect
    from django.urls import reverse
    from django.utils.translation import gettext as _

    restore = request.POST.get("restore") == "1" if request.method == "POST" else obj.is_archived
    if request.method == "POST":
        refusal = refuse_restore() if restore and obj.is_archived and refuse_restore is not None else None
        if refusal:
            messages.error(request, refusal)
            return redirect(detail_url_name, uuid=obj.uuid)
        try:
            archive(archived=not restore)
        except IntegrityError:  # a clash saved between the check above and this write
            refusal = refuse_restore() if refuse_restore is not None else None
            messages.error(request, refusal or _("This record could not be restored; reload and try again."))
        else:
            done = _("%(name)s was restored.") if restore else _("%(name)s was archived.")
            messages.success(request, done % {"name": name})
        return redirect(detail_url_name, uuid=obj.uuid)
    context = {
        "object": obj,
        "restore": restore,
        "crumbs": selectors.breadcrumb(request.user, obj.jurisdiction),
        "title": (texts.restore_title if restore else texts.archive_title) % {"name": name},
        "explanation": texts.restore_explanation if restore else texts.archive_explanation,
        "action_url": reverse(url_name, args=[obj.uuid]),
        "cancel_url": reverse(detail_url_name, args=[obj.uuid]),
    }
    return render(request, "core/archive_confirm.html", context)
