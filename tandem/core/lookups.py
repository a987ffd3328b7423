"""Search-as-you-type choices for record sets too large for a select.

A country holds thousands of organisations, people and jurisdictions: a select that
lists them all makes a form megabytes long. A :class:`LookupChoiceField` (or its
multiple twin) renders instead:

* a small select holding the chosen record(s) and the first :data:`PAGE_SIZE`
  choices (or, after a search, the matches), which works without JavaScript;
* a search box named ``<field>__q``: a form sent with a search and no choice picks
  the single match on the server, or shows the matches with an error;
* with JavaScript (``static/js/lookup.js``), the search box becomes an ARIA combobox
  that asks the field's endpoint for matches as the user types.

The endpoint is an ordinary page view of the app that owns the choice: it declares
its permission and answers :func:`respond` with the *same* scoped queryset the view
gives the form field, so it never offers a record the field would refuse, and the
field still validates the sent id against that queryset (a forged id is a form error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 20
MIN_CHARS = 2
MAX_TERM = 100
MAX_PAGE = 50
SUFFIX = "__q"


@dataclass(frozen=True)
class Kind:
    """How to search and label one record type."""

    search: tuple[str, ...]
    label: Callable[[Any], str]
    related: tuple[str, ...] = ()
    noun: Any = ""
    model: str = ""  # "app_label.Model": what :func:`lookup_field` starts empty


def _place(obj: Any) -> str:
    return getattr(getattr(obj, "jurisdiction", None), "name", "")


def _with_place(name: str, obj: Any) -> str:
    place = _place(obj)
    return f"{name} ({place})" if place else name


def _jurisdiction_label(obj: Any) -> str:
    """The name, its level and the two units above it (below the network), so that two
    "Springfield" of different regions read apart: "Springfield (Municipality, Region 2 › Province 7)"."""
    level = obj.level_name or obj.get_kind_display()
    above: list[str] = []
    parent = getattr(obj, "parent", None)
    while parent is not None and len(above) < 2 and parent.depth > 0:
        above.insert(0, parent.name)
        parent = getattr(parent, "parent", None) if len(above) < 2 else None
    if not above:
        return gettext("%(name)s (%(level)s)") % {"name": obj.name, "level": level}
    return gettext("%(name)s (%(level)s, %(within)s)") % {"name": obj.name, "level": level, "within": " › ".join(above)}


KINDS: dict[str, Kind] = {
    "organisation": Kind(
        ("name",), lambda o: _with_place(o.name, o), ("jurisdiction",), _("organisations"), "core.Organisation"
    ),
    "person": Kind(
        ("full_name",), lambda p: _with_place(p.full_name, p), ("jurisdiction",), _("people"), "core.Person"
    ),
    "jurisdiction": Kind(
        ("name", "parent__name"), _jurisdiction_label, ("parent__parent",), _("places"), "core.Jurisdiction"
    ),
    "body": Kind(("name",), lambda b: _with_place(b.name, b), ("jurisdiction",), _("bodies"), "bodies.Body"),
    "plan": Kind(
        ("title", "jurisdiction__name"),
        lambda p: _with_place(p.title, p),
        ("jurisdiction",),
        _("plans"),
        "plans.ActionPlan",
    ),
    "user": Kind(
        ("username", "person__full_name"),
        lambda u: u.person.full_name if getattr(u, "person", None) else u.username,
        ("person",),
        _("users"),
        "core.User",
    ),
}


def register_kind(name: str, kind: Kind) -> None:
    """An app's record type searched by lookups (called from its ``AppConfig.ready()``)."""
    if KINDS.get(name, kind) != kind:
        raise ValueError(f"lookup kind {name!r} is registered already")
    KINDS[name] = kind


class SearchTerm(str):
    """What a user typed in a lookup's search box, sent instead of a choice (no JavaScript)."""


def clean_term(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_TERM]


def search(queryset: QuerySet, kind: str, term: str) -> QuerySet:
    """The records of ``queryset`` whose name contains every word of ``term`` (case-insensitive)."""
    spec = KINDS[kind]
    for word in term.split():
        condition = Q()
        for name in spec.search:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    if spec.related:
        queryset = queryset.select_related(*spec.related)
    return queryset


def page_of(queryset: QuerySet, kind: str, term: str, page: int = 1) -> tuple[list[Model], bool]:
    """One page of matches and whether more follow (one query, no count of the whole set)."""
    start = (page - 1) * PAGE_SIZE
    rows = list(search(queryset, kind, term)[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def respond(request: HttpRequest, queryset: QuerySet, kind: str, *, to_field: str = "uuid") -> HttpResponse:
    """Answer a lookup endpoint: matches of ``?q=`` (at least MIN_CHARS) in the scoped ``queryset``.

    JSON (``?format=json`` or ``Accept: application/json``): ``{"results": [{"value", "label"}],
    "more": bool, "page": n}``; otherwise an HTML fragment (a list of links-free options).
    """
    term = clean_term(request.GET.get("q"))
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        page = 1
    if request.GET.get("key") in ("pk", "uuid"):  # what the asking field sends: its to_field_name
        to_field = request.GET["key"]
    rows, more = page_of(queryset, kind, term, page) if len(term) >= MIN_CHARS else ([], False)
    label = KINDS[kind].label
    results = [{"value": str(getattr(row, to_field)), "label": label(row)} for row in rows]
    wants_json = request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        return JsonResponse({"results": results, "more": more, "page": page, "min_chars": MIN_CHARS})
    context = {"results": results, "more": more, "page": page, "term": term, "too_short": len(term) < MIN_CHARS}
    return render(request, "core/partials/lookup_results.html", context)


def _texts(noun: Any) -> str:
    """The script's words, translated on the server (the script has no catalogue)."""
    words = {
        "hint": gettext("Type at least %(n)s letters of a name, then choose with the arrow keys and Enter, or tap.")
        % {"n": MIN_CHARS},
        "none": gettext("Nothing matches."),
        "more": gettext("More match: type more of the name."),
        "count": gettext("%s matches."),
        "short": gettext("Type at least %(n)s letters.") % {"n": MIN_CHARS},
        "picked": gettext("%s chosen."),
        "added": gettext("%s added."),
        "removed": gettext("%s removed."),
        "remove": gettext("Remove %s"),
        "remove-short": gettext("Remove"),
        "chosen": gettext("Chosen %(noun)s") % {"noun": noun},
    }
    return format_html_join("", ' data-lookup-{}="{}"', words.items())


class LookupWidget(forms.Widget):
    """A short select plus a search box; ``static/js/lookup.js`` makes it a combobox."""

    allow_multiple = False

    def __init__(self, *, kind: str, url_name: str, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.kind = kind
        self.url_name = url_name
        self.url_kwargs: dict[str, Any] = {}
        self.choices: Any = ()
        self.term = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        term = clean_term(data.get(name + SUFFIX))
        self.term = term
        if self.allow_multiple:
            getter = getattr(data, "getlist", None)
            values = [v for v in (getter(name) if getter else data.get(name) or []) if v]
            return [*values, SearchTerm(term)] if term else values
        value = data.get(name)
        if not value and term:
            return SearchTerm(term)
        return value

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def _selected(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if v not in (None, "") and not isinstance(v, SearchTerm)]

    def _options(self, selected: list[str]) -> list[tuple[str, str, bool]]:
        """The chosen records, then the matches of the search (or the first page), one query each."""
        queryset = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        if queryset is None or field is None:
            return []
        key = field.to_field_name or "pk"
        spec = KINDS[self.kind]
        chosen: list[Model] = []
        if selected:
            try:
                chosen = list(queryset.filter(**{f"{key}__in": selected}).select_related(*spec.related))
            except (ValueError, TypeError, forms.ValidationError):
                chosen = []
        searching = len(self.term) >= MIN_CHARS
        offered = search(queryset, self.kind, self.term) if searching else queryset.select_related(*spec.related)
        rows = list(offered.exclude(pk__in=[c.pk for c in chosen])[:PAGE_SIZE])
        if searching and len(rows) == 1:  # the single match is chosen; the user confirms by saving again
            chosen, rows = [*chosen, rows[0]], []
            self.term = ""
        keys = {str(getattr(c, key)) for c in chosen}
        return [(str(getattr(r, key)), spec.label(r), str(getattr(r, key)) in keys) for r in [*chosen, *rows]]

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        select_id = attrs.get("id") or f"id_{name}"
        options = self._options(self._selected(value))
        empty = [] if self.allow_multiple else [("", "---------", not any(o[2] for o in options))]
        option_html = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if chosen else "", label) for v, label, chosen in [*empty, *options]),
        )
        described = attrs.get("aria-describedby", "")
        hint_id = f"{select_id}__hint"
        search_id = f"{select_id}{SUFFIX}"
        noun = KINDS[self.kind].noun
        url = reverse(self.url_name, kwargs=self.url_kwargs or None)
        field = getattr(self.choices, "field", None)
        url += "?key=" + ("uuid" if getattr(field, "to_field_name", None) == "uuid" else "pk")
        hint = gettext(
            "The list shows at most %(n)s %(noun)s. Not there? Type part of a name and press Search: "
            "the list then shows the matches."
        ) % {"n": PAGE_SIZE, "noun": noun}
        return format_html(
            '<div class="lookup" data-lookup-url="{url}" data-lookup-min="{min}"{multiple}{texts}>'
            '<select name="{name}" id="{id}"{multiple_attr} aria-describedby="{described}">{options}</select>'
            '<span class="lookup-search"><label for="{search_id}">{search_label}</label> '
            '<input type="search" name="{search_name}" id="{search_id}" value="{term}" autocomplete="off" '
            'maxlength="{max}" enterkeyhint="search" aria-describedby="{hint_id}"> '
            '<button type="submit" class="lookup-go button-secondary button-small">{search}</button></span>'
            '<span class="help lookup-hint" id="{hint_id}">{hint}</span>'
            '</div><script src="{script}" defer></script>',
            texts=_texts(noun),
            script=static("js/lookup.js"),
            url=url,
            min=MIN_CHARS,
            multiple=" data-lookup-multiple" if self.allow_multiple else "",
            multiple_attr=" multiple" if self.allow_multiple else "",
            name=name,
            id=select_id,
            described=f"{described} {hint_id}".strip(),
            options=option_html,
            search_id=search_id,
            search_label=gettext("Search %(noun)s") % {"noun": noun},
            search_name=name + SUFFIX,
            term=self.term,
            max=MAX_TERM,
            hint_id=hint_id,
            search=gettext("Search"),
            hint=hint,
        )


class LookupMultipleWidget(LookupWidget):
    allow_multiple = True


def _resolve(field: forms.ModelChoiceField, kind: str, term: str) -> None:
    """A search sent instead of a choice never saves: it says what matched, to choose and send again."""
    count = len(search(field.queryset, kind, term)[:2]) if len(term) >= MIN_CHARS else 0
    if count == 1:
        raise forms.ValidationError(
            _("One record matches “%(term)s”: it is now chosen. Check it and save again."),
            code="one_match",
            params={"term": term},
        )
    if count > 1:
        raise forms.ValidationError(
            _("Several records match “%(term)s”: choose one in the list, or type more of the name."),
            code="several",
            params={"term": term},
        )
    raise forms.ValidationError(
        _("Nothing you may choose here matches “%(term)s”."), code="no_match", params={"term": term}
    )


class LookupChoiceField(forms.ModelChoiceField):
    """A record choice searched by name; validated against the (scoped) queryset like any choice."""

    def __init__(self, *, kind: str, url_name: str, **kwargs: Any):
        kwargs.setdefault("to_field_name", "uuid")
        kwargs.setdefault("widget", LookupWidget(kind=kind, url_name=url_name))
        super().__init__(**kwargs)
        self.kind = kind

    def label_from_instance(self, obj: Model) -> str:
        return KINDS[self.kind].label(obj)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, SearchTerm):
            _resolve(self, self.kind, value)
        return super().to_python(value)


class LookupMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *, kind: str, url_name: str, **kwargs: Any):
        kwargs.setdefault("to_field_name", "uuid")
        kwargs.setdefault("widget", LookupMultipleWidget(kind=kind, url_name=url_name))
        super().__init__(**kwargs)
        self.kind = kind

    def label_from_instance(self, obj: Model) -> str:
        return KINDS[self.kind].label(obj)

    def clean(self, value: Any) -> Any:
        values = list(value or [])
        for term in [v for v in values if isinstance(v, SearchTerm)]:
            _resolve(self, self.kind, term)
        return super().clean(values)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(initial, [v for v in data or [] if not isinstance(v, SearchTerm)])


def lookup_field(
    kind: str, url_name: str, label: Any, *, many: bool = False, **kwargs: Any
) -> LookupChoiceField | LookupMultipleChoiceField:
    """A form's record choice of ``kind``, searched through the endpoint ``url_name``: empty until the
    view gives it a scoped queryset (the same the endpoint answers over). ``many`` for several
    records; other arguments go to the field (``required``, ``help_text``, ``to_field_name``...)."""
    from django.apps import apps

    field = LookupMultipleChoiceField if many else LookupChoiceField
    empty = apps.get_model(KINDS[kind].model)._default_manager.none()
    return field(kind=kind, url_name=url_name, label=label, queryset=empty, **kwargs)


def places_within(user: Any, unit: Any) -> QuerySet:
    """The jurisdictions ``user`` sees at or below ``unit``: where a record attached to ``unit`` (a
    call's entries, a mapping exercise's places) may be placed, for a field and its endpoint alike."""
    from .access import visible_jurisdictions

    return visible_jurisdictions(user).filter(path__startswith=unit.path)


def point(form: forms.BaseForm, names: Iterable[str], **url_kwargs: Any) -> None:
    """Give the lookup fields ``names`` of ``form`` the arguments of their endpoint's URL."""
    for name in names:
        field = form.fields.get(name)
        if field is not None and isinstance(field.widget, LookupWidget):
            field.widget.url_kwargs = dict(url_kwargs)


def option_count(html: str) -> int:
    return html.count("<option")


__all__: Mapping[str, Any] | list[str] = [
    "LookupChoiceField",
    "LookupMultipleChoiceField",
    "lookup_field",
    "register_kind",
    "point",
    "respond",
    "search",
]
