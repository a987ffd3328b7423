"""How apps built on core plug into it, without core importing them.

Core must not depend on the apps built on it (bodies, plans, exchange and the
ones to come). Each app registers what it adds in its ``AppConfig.ready()``:

* ``home_panel``: ``fn(user) -> dict | None``, a panel on the home page (a dict
  with the ``template`` to include, or None for no panel);
* ``demo_builder``: ``fn(*, admin, seed) -> dict[str, int]``, the app's demo
  records (run in ``order``; bodies before plans and exchange, which use them);
* ``audit_scope``: for the ``object_type`` values of the audit events about the
  app's records, ``fn(user) -> Q`` on ``AuditEvent`` selecting the events the
  user may see by the record's own rule. An event whose object type no app
  declares is shown to nobody but administrators (fail closed);
* ``contact_scope``: ``fn(actor) -> Q`` on ``Person`` (``actor``: a user or
  their ``Access``), extra people whose contact details the user may see (e.g.
  fellow members of a body);
* ``nav_item``: not a function but a ``NavItem``, a link of the main navigation
  (shown to those the view's declared permission allows, so no link answers 403);
* ``first_steps``: ``fn(user) -> list[FirstStep]``, what a new user of a role should do first
  (derived from their records, so a step is done when the record exists; the home page shows
  the guide until every step is done);
* ``event_listener``: ``fn(event)``, called after the commit of a change that other apps may
  react to (``tandem.core.events.emit``: e.g. the notifications app);
* ``record_url``: for an audit ``object_type`` (a model name), not a function but the name of
  the URL pattern (one ``uuid`` argument) of the record's page, so lists of events link to it;
* ``session_api_pages``: not a function but a set of names of ``api`` URL
  patterns served to browser sessions (the API docs), which the second-factor
  middleware treats as pages (read them with ``session_api_pages()``);
* ``search_source``: not a function but a ``SearchSource``: one kind of record the global search
  finds (its model, how to make its document, and the app's ``visible_*`` queryset that decides
  who finds it; read them with ``search_sources()``);
* ``send_gate``: ``fn(user, jurisdiction, tlp) -> str | None``, asked by the exchange
  before an item leaves: ``None`` lets it go, a message says what the sender still
  lacks (e.g. capacity's required course before sending at AMBER and above);
* ``dashboard_figure``: not a function but a ``tandem.core.figures.Figure``, a figure of the
  dashboards counted through the app's own access rules (read them with ``dashboard_figures()``).
* ``scale_builder``: ``fn(world)``, the app's records of the national-scale dataset
  (``manage.py generate_scale``; ``world`` is a ``tandem.core.scale.World``), run in ``order``.
* ``bulk_finish``: ``fn()``, run once at the end of a ``tandem.core.bulk.deferred()`` block (a bulk
  write during which the app's per-save handlers did nothing): bring the app's derived data up to date.

Registering twice under the same key replaces the first (``ready()`` may run
more than once in tests). Readers get the hooks sorted by ``order``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

HOOK_KINDS = (
    "home_panel",
    "demo_builder",
    "audit_scope",
    "contact_scope",
    "nav_item",
    "first_steps",
    "record_url",
    "session_api_pages",
    "send_gate",
    "event_listener",
    "dashboard_figure",
    "search_source",
    "scale_builder",
    "reader_numbers",
    "place_numbers",
    "bulk_finish",
)


@dataclass(frozen=True)
class NavItem:
    """A main-navigation link: ``url_name`` (no arguments), its ``label`` (lazily translated),
    ``permission`` (a declared permission name; the link shows only to those it allows) and the
    URL-name fragments (or app names) that mark the link as the current page."""

    url_name: str
    label: Any
    permission: str
    current_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hook:
    kind: str
    key: str
    fn: Any
    order: int = 100


_hooks: dict[str, dict[str, Hook]] = {kind: {} for kind in HOOK_KINDS}


def register(kind: str, key: str, fn: Any, *, order: int = 100) -> None:
    """Register ``fn`` under ``kind``/``key`` (an unknown kind is a programming error)."""
    if kind not in _hooks:
        raise KeyError(f"unknown hook kind {kind!r}; known: {', '.join(HOOK_KINDS)}")
    _hooks[kind][key] = Hook(kind=kind, key=key, fn=fn, order=order)


def hooks(kind: str) -> list[Hook]:
    return sorted(_hooks[kind].values(), key=lambda h: (h.order, h.key))


def functions(kind: str) -> list[Callable[..., Any]]:
    return [h.fn for h in hooks(kind)]


def get(kind: str, key: str) -> Any | None:
    hook = _hooks[kind].get(key)
    return hook.fn if hook is not None else None


def register_audit_scope(object_types: Iterable[str], fn: Callable[[Any], Any]) -> None:
    """``fn(user) -> Q`` on AuditEvent for each of ``object_types`` (model names)."""
    for object_type in object_types:
        register("audit_scope", object_type, fn)


def audit_scopes() -> dict[str, Callable[[Any], Any]]:
    return {h.key: h.fn for h in hooks("audit_scope")}


def session_api_pages() -> frozenset[str]:
    """URL names (in the ``api`` namespace) of the API's pages for people, from every registration."""
    names: set[str] = set()
    for hook in hooks("session_api_pages"):
        names.update(hook.fn)
    return frozenset(names)


@dataclass(frozen=True)
class FirstStep:
    label: Any
    url: str
    done: bool


def first_steps(user: Any) -> list[FirstStep]:
    return [step for fn in functions("first_steps") for step in fn(user)]


def nav_items() -> list[NavItem]:
    return [h.fn for h in hooks("nav_item")]


def record_url_name(object_type: str) -> str | None:
    """The URL name of the page of a record of ``object_type`` (registry ``record_url``), if any."""
    hook = _hooks["record_url"].get(object_type)
    return hook.fn if hook is not None else None


def dashboard_figures() -> list[Any]:
    """Every app's dashboard figures (``tandem.core.figures.Figure``), in ``order``."""
    return [h.fn for h in hooks("dashboard_figure")]


@dataclass(frozen=True)
class SearchText:
    """What the global search indexes of one record (``SearchSource.document``): the text, and
    what the filters and the result link need. Only what every reader of the record may see."""

    title: str
    url_uuid: Any  # the uuid argument of the source's ``url_name`` (the record's or its parent's)
    summary: str = ""
    body: str = ""
    jurisdiction_id: int | None = None
    year: int | None = None
    language: str = ""  # "en" / "fr" when the record says so ("": guessed from the words)


@dataclass(frozen=True)
class SearchSource:
    """One kind of record in the global search.

    ``model``: ``"app_label.ModelName"`` (its saves and deletes keep the index current);
    ``label``: the kind's name, plural and lazily translated; ``visible``: ``fn(actor) ->
    QuerySet`` of the model, the app's own visibility rule (a record outside it never appears nor
    counts); ``document``: ``fn(record) -> SearchText | None`` (None: not indexed); ``url_name``:
    the page of a result (one ``uuid`` argument); ``rows``: ``fn() -> QuerySet`` of every record to
    index when the index is rebuilt (with what ``document`` reads joined); ``parents``: the other
    records ``document`` reads, as ``("app_label.ModelName", "lookup from the record")`` pairs
    (saving one of them re-indexes the records below it: a renamed body renames its meetings' text).
    """

    kind: str
    label: Any
    model: str
    visible: Callable[[Any], Any]
    document: Callable[[Any], SearchText | None]
    url_name: str
    rows: Callable[[], Any] | None = None
    parents: tuple[tuple[str, str], ...] = ()


def search_sources() -> list[SearchSource]:
    return [h.fn for h in hooks("search_source")]
