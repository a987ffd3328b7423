"""THE visibility rule of the library. Every list, search, facet count, detail, attachment,
version history and API operation goes through here.

* A **published** item is read by its visibility:
  - ``clear`` (TLP:CLEAR): every signed-in, active user;
  - ``green`` (TLP:GREEN): the network's community, every user holding an active role;
  - ``country``: the users holding a role in the country of the item's owning jurisdiction;
  - ``subtree``: the users holding a role at the owning jurisdiction, inside it, or above it.
* A **draft** or an item **in review** is read by the person who proposed it and by its curators.
* Curators: network facilitators and national coordinators whose grant covers the owning
  jurisdiction (and administrators).
* Proposers: facilitators and coordinators (local and above) whose grant covers the jurisdiction.

Fail closed: an anonymous or inactive user reads nothing; an unknown visibility reads nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from tandem.core import access as core_access
from tandem.core.models import Jurisdiction, Role

from .models import ChecklistRun, ItemAttachment, ItemVersion, LibraryItem, Status, Visibility

CURATOR_ROLES = (Role.NATIONAL_COORDINATOR, Role.FACILITATOR)
PROPOSER_ROLES = (Role.FACILITATOR,)


def _active(actor: Any) -> core_access.Access | None:
    access = core_access.get_access(actor)
    return access if access.is_active else None


def _ancestor_paths(path: str) -> list[str]:
    """'/1/7/42/' -> ['/1/', '/1/7/', '/1/7/42/']."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def curator_paths(actor: Any) -> list[str] | None:
    """Paths the actor curates (``None``: everything, an administrator)."""
    access = _active(actor)
    if access is None:
        return []
    if access.is_admin:
        return None
    return core_access._minimal_paths(g.path for g in access.grants if g.role in CURATOR_ROLES)


def proposer_paths(actor: Any) -> list[str] | None:
    """Paths where the actor may propose items (coordinators and facilitators; ``None``: everything)."""
    access = _active(actor)
    if access is None:
        return []
    if access.is_admin:
        return None
    return core_access._minimal_paths(
        g.path for g in access.grants if g.role in PROPOSER_ROLES or g.rank >= core_access.COORDINATOR_RANK
    )


def _paths_condition(paths: list[str] | None, field: str) -> Q:
    """Like ``core_access.path_q`` but never an empty ``Q()`` (which an ``|`` would silently drop):
    everything is an explicit always-true condition."""
    return Q(pk__isnull=False) if paths is None else core_access.path_q(paths, field)


def _covers(paths: list[str] | None, path: str) -> bool:
    return paths is None or any(path.startswith(p) for p in paths)


def audience_q(actor: Any, prefix: str = "") -> Q:
    """Records the actor reads by a library visibility (``visibility`` measured from the owning
    ``jurisdiction``; ``prefix`` leads to the record). The events app reuses it for its events."""
    access = _active(actor)
    if access is None:
        return Q(pk__in=[])
    vis, path = f"{prefix}visibility", f"{prefix}jurisdiction__path"
    audience = Q(**{vis: Visibility.CLEAR})
    if access.grants:
        audience |= Q(**{vis: Visibility.GREEN})
        countries = access.country_paths()
        audience |= Q(**{vis: Visibility.COUNTRY}) & _paths_condition(countries, path)
        above = access.scope_paths()
        inside = sorted({a for g in access.grants for a in _ancestor_paths(g.path)})
        audience |= Q(**{vis: Visibility.SUBTREE}) & (_paths_condition(above, path) | Q(**{f"{path}__in": inside}))
    return audience


def published_q(actor: Any) -> Q:
    """Published items the actor reads by their visibility (a ``Q`` on LibraryItem)."""
    return Q(status=Status.PUBLISHED) & audience_q(actor)


def item_q(actor: Any) -> Q:
    """Every item the actor reads: published ones by visibility, unpublished ones as proposer or curator."""
    access = _active(actor)
    if access is None:
        return Q(pk__in=[])
    unpublished = Q(proposed_by_id=access.pk)
    curated = curator_paths(access)
    if curated is None or curated:
        unpublished |= _paths_condition(curated, "jurisdiction__path")
    return published_q(access) | (~Q(status=Status.PUBLISHED) & unpublished)


def visible_items(actor: Any) -> QuerySet[LibraryItem]:
    return LibraryItem.objects.filter(item_q(actor)).select_related("jurisdiction", "author_organisation")


def visible_published_items(actor: Any) -> QuerySet[LibraryItem]:
    """What the library's search and lists show: published items the actor may read."""
    return LibraryItem.objects.filter(published_q(actor)).select_related("jurisdiction", "author_organisation")


def visible_review_queue(actor: Any) -> QuerySet[LibraryItem]:
    """Items in review the actor curates (none where they curate nothing: ``path_q`` of no path)."""
    return LibraryItem.objects.filter(
        core_access.path_q(curator_paths(actor), "jurisdiction__path"), status=Status.REVIEW
    ).select_related("jurisdiction", "proposed_by")


def visible_attachments(actor: Any) -> QuerySet[ItemAttachment]:
    return ItemAttachment.objects.filter(item_id__in=LibraryItem.objects.filter(item_q(actor)).values("id"))


def visible_versions(actor: Any) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(item_id__in=LibraryItem.objects.filter(item_q(actor)).values("id"))


def can_propose(actor: Any, jurisdiction: Jurisdiction) -> bool:
    return _covers(proposer_paths(actor), jurisdiction.path)


def can_propose_anywhere(actor: Any) -> bool:
    paths = proposer_paths(actor)
    return paths is None or bool(paths)


def proposable_jurisdictions(actor: Any) -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(core_access.path_q(proposer_paths(actor), "path")).order_by("path")


def can_curate(actor: Any, item: LibraryItem) -> bool:
    return _covers(curator_paths(actor), item.jurisdiction.path)


def can_edit(actor: Any, item: LibraryItem) -> bool:
    """The proposer while the item is unpublished, and its curators at any time."""
    access = _active(actor)
    if access is None:
        return False
    if can_curate(access, item):
        return True
    return item.status != Status.PUBLISHED and item.proposed_by_id == access.pk


def require_propose(actor: Any, jurisdiction: Jurisdiction) -> None:
    if not can_propose(actor, jurisdiction):
        raise PermissionDenied


def require_edit(actor: Any, item: LibraryItem) -> None:
    if not can_edit(actor, item):
        raise PermissionDenied


def require_curate(actor: Any, item: LibraryItem) -> None:
    if not can_curate(actor, item):
        raise PermissionDenied


# --- Checklist records ---------------------------------------------------------------------


def visible_checklist_runs(actor: Any) -> QuerySet[ChecklistRun]:
    """Checklist records of the jurisdictions the actor covers (any role at or above them)."""
    return ChecklistRun.objects.filter(core_access.scope_q(actor)).select_related("jurisdiction", "started_by")


def checklist_jurisdictions(actor: Any) -> QuerySet[Jurisdiction]:
    """Where the actor may work through a checklist: coordinators (local and above), in their subtree."""
    return core_access.managed_jurisdictions(actor)


def can_work_checklist(actor: Any, jurisdiction: Jurisdiction) -> bool:
    return core_access.rank_at(actor, jurisdiction) >= core_access.COORDINATOR_RANK


def require_work_checklist(actor: Any, jurisdiction: Jurisdiction) -> None:
    if not can_work_checklist(actor, jurisdiction):
        raise PermissionDenied
