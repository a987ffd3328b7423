"""Reads for the core app that are not plain scoped querysets (those live in access)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import access, audit_scope
from .models import Affiliation, AuditEvent, Jurisdiction, Organisation, Person


def jurisdiction_ancestors(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    """Ancestors from the root down, excluding ``jurisdiction`` itself. One query."""
    ids = jurisdiction.ancestor_ids()[:-1]
    if not ids:
        return []
    by_id = {j.pk: j for j in Jurisdiction.objects.filter(pk__in=ids).only("id", "uuid", "name", "path", "kind")}
    return [by_id[i] for i in ids if i in by_id]


def breadcrumb(user: Any, jurisdiction: Jurisdiction) -> list[dict[str, Any]]:
    """The jurisdiction path for a breadcrumb; links only to units the user may open."""
    paths = access.scope_paths(user)
    crumbs = []
    for node in [*jurisdiction_ancestors(jurisdiction), jurisdiction]:
        linkable = paths is None or any(node.path.startswith(p) for p in paths)
        crumbs.append({"name": node.name, "uuid": node.uuid, "linkable": linkable})
    return crumbs


def jurisdiction_children(user: Any, parent: Jurisdiction) -> QuerySet[Jurisdiction]:
    return (
        access.visible_jurisdictions(user)
        .filter(parent=parent)
        .annotate(child_count=Count("children", distinct=True))
        .order_by("name")
    )


def jurisdiction_search(user: Any, term: str, limit: int = 200) -> QuerySet[Jurisdiction]:
    qs = access.visible_jurisdictions(user)
    term = term.strip()
    if term:
        qs = qs.filter(Q(name__icontains=term) | Q(iso_code__iexact=term) | Q(level_name__icontains=term))
    return qs.select_related("parent")[:limit]


def latest_activity(user: Any, limit: int = 15) -> list[AuditEvent]:
    """Recent changes inside the user's jurisdictions about records they may see (not sign-ins, not reads)."""
    return audit_scope.activity_feed(user, limit)


def resolve_within(user: Any, raw: str | None) -> Jurisdiction | None:
    """A 'within' filter value (UUID) to a visible jurisdiction, or None."""
    if not raw:
        return None
    try:
        return access.visible_jurisdictions(user).get(uuid=raw)
    except Exception:
        return None


def active_user_by_username(username: str):
    """An active account by username, for granting roles (None if unknown)."""
    from .models import User

    return User.objects.filter(username=username.strip(), is_active=True).first()


# --- Directory (organisations, people, affiliations) ---------------------------------


def current_affiliation_q(prefix: str = "") -> Q:
    """``Q`` for affiliations that have not ended (no end date, or one from today on)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


WITHIN_OPTIONS_LIMIT = 400


def within_options(user: Any, limit: int | None = None) -> tuple[list[Jurisdiction], bool]:
    """Visible jurisdictions for a 'within' filter, tree-ordered, at most ``limit``, and whether some
    deeper levels were left out. One query.

    Whole levels from the top: a country of 5,000 units cut at the first ``limit`` in tree order
    listed two of its twenty regions and their municipalities, and none of the other regions. The
    rows are read level by level (``depth``, then ``path``) up to ``limit + 1``; a level that does not
    fit whole is left out, unless it is the first (then its first ``limit`` units are listed)."""
    limit = WITHIN_OPTIONS_LIMIT if limit is None else limit
    rows = list(
        access.visible_jurisdictions(user)
        .order_by("depth", "path")
        .only("id", "uuid", "name", "path", "depth")[: limit + 1]
    )
    partial = len(rows) > limit
    if partial:
        deepest = rows[-1].depth
        rows = [j for j in rows if j.depth < deepest] or rows[:limit]
    rows.sort(key=lambda j: j.path)
    return rows, partial


def managed_jurisdiction_options(user: Any, limit: int = 400) -> list[Jurisdiction]:
    """Jurisdictions the user manages (for the import help table), at most ``limit``. One query."""
    return list(access.managed_jurisdictions(user).only("id", "uuid", "name", "path", "depth", "iso_code")[:limit])


def organisation_name_taken(jurisdiction: Jurisdiction, name: str, exclude_pk: int | None = None) -> bool:
    """Is there an active organisation called ``name`` in ``jurisdiction`` (the unique rule)?"""
    qs = Organisation.objects.filter(jurisdiction=jurisdiction, name=name, archived_at__isnull=True)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def active_organisation_names(jurisdiction_ids: Iterable[int], names: Iterable[str]) -> set[tuple[int, str]]:
    """(jurisdiction id, name) pairs of active organisations among those given. One query."""
    jurisdiction_ids, names = set(jurisdiction_ids), set(names)
    if not jurisdiction_ids or not names:
        return set()
    rows = Organisation.objects.filter(
        jurisdiction_id__in=jurisdiction_ids, name__in=names, archived_at__isnull=True
    ).values_list("jurisdiction_id", "name")
    return set(rows)


def affiliations_of_visible_people(user: Any) -> QuerySet[Affiliation]:
    """Affiliations the user sees (by organisation) whose person the user also sees."""
    return access.visible_affiliations(user).filter(access.scope_q(user, "person__jurisdiction__path"))


def organisation_current_people(user: Any, organisation: Organisation) -> QuerySet[Affiliation]:
    """Current affiliations with ``organisation`` of active people the user may see."""
    return (
        affiliations_of_visible_people(user)
        .filter(organisation=organisation, person__archived_at__isnull=True)
        .filter(current_affiliation_q())
        .select_related("person__jurisdiction")
        .order_by("person__full_name", "id")
    )


def person_affiliations(user: Any, person: Person) -> QuerySet[Affiliation]:
    """The person's affiliations the user may see: current first, then by start date."""
    return (
        access.visible_affiliations(user)
        .filter(person=person)
        .select_related("organisation__jurisdiction")
        .order_by(F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "id")
    )


def with_parent_visible(user: Any, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate ``parent_visible``: may the user open the organisation's parent? Same query.

    A parent outside the user's jurisdictions answers 404; its name and id are
    not shown either (pages, exports and the API show no parent instead).
    """
    paths = access.scope_paths(user)
    if paths is None:
        rule: Q | None = Q()
    elif not paths:
        rule = None
    else:
        rule = Q(parent__isnull=False) & access.path_q(paths, "parent__jurisdiction__path")
    return organisations.annotate(parent_visible=access.rule_flag(rule))


def visible_parent(user: Any, organisation: Organisation) -> Organisation | None:
    """The organisation's parent if the user may open it, else None (uses ``parent_visible`` when annotated)."""
    if organisation.parent_id is None:
        return None
    flag = getattr(organisation, "parent_visible", None)
    if flag is None:
        flag = access.visible_organisations(user, include_archived=True).filter(pk=organisation.parent_id).exists()
    return organisation.parent if flag else None


def with_current_people_count(user: Any, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate ``current_people``: active people the user may see, currently affiliated. Same query.

    A correlated subquery, not a ``Count`` over a join: the database counts for the rows of the
    page only, instead of grouping every visible organisation before the ``LIMIT``.
    """
    paths = access.scope_paths(user)
    if paths == []:
        return organisations.none()
    people = (
        Affiliation.objects.filter(
            current_affiliation_q(), organisation_id=OuterRef("pk"), person__archived_at__isnull=True
        )
        .filter(access.path_q(paths, "person__jurisdiction__path"))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("person_id", distinct=True))
        .values("n")
    )
    return organisations.annotate(current_people=Coalesce(Subquery(people), 0))


def changes_since_version(user: Any, obj: Any, version: int) -> dict[str, list[Any]]:
    """What changed in a versioned record after ``version``, read from the audit log.

    ``obj`` is the record as stored now. Every versioned write bumps the version
    by one and writes one audit row, so the newest ``obj.version - version`` rows
    (updates, archive, restore) are the changes the caller has not seen. Returns
    ``{field: [value at that version, value now]}`` as the audit log recorded them
    (references by name); fields changed and changed back are left out. Only
    rows the user may read (``access.visible_audit_events``) are used.
    """
    steps = int(getattr(obj, "version", 0)) - int(version)
    if steps <= 0:
        return {}
    events = list(
        audit_scope.visible_audit_events(user)
        .filter(object_uuid=str(obj.uuid), action__in=["update", "archive", "restore"])
        .order_by("-created_at", "-id")[:steps]
    )
    result: dict[str, list[Any]] = {}
    for event in reversed(events):  # oldest first
        if event.action == "update":
            pairs = {
                name: pair for name, pair in (event.changes or {}).items() if isinstance(pair, list) and len(pair) == 2
            }
        else:
            pairs = {"archived": [event.action == "restore", event.action == "archive"]}
        for name, (before, after) in pairs.items():
            if name in result:
                result[name][1] = after
            else:
                result[name] = [before, after]
    return {name: values for name, values in result.items() if values[0] != values[1]}
