"""A paginator for long lists: it counts at most ``TANDEM_COUNT_CAP`` rows.

Counting every visible row for each page (250,000 action items, 300,000 exchange items for a
national coordinator) costs more than the page itself. ``CappedPaginator`` counts up to the
cap plus one (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``, which stops early) and, when the list
is longer, says so (``capped``; the pagination template shows "more than N results"). The pages
beyond the cap are not offered: past a thousand rows, the filters are the way in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext as _


class CappedPaginator(Paginator):
    def __init__(
        self, object_list: Any, per_page: int, cap: int | None = None, *, partial: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else settings.TANDEM_COUNT_CAP
        # The rows are those found in part of a longer list (the audit page's scan stopped): capped.
        self.partial = partial

    @cached_property
    def _capped_count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # the order does not change a count; sorting would read every row
        return len(rows) if isinstance(rows, list) else rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the count says (the count stopped at the cap)."""
        return self.partial or self._capped_count > self.cap


def capped_count(rows: Any, cap: int) -> tuple[int, bool]:
    """``(count, capped)``: the rows counted up to ``cap`` (reading at most ``cap + 1`` of them)."""
    found = rows.order_by()[: cap + 1].count() if hasattr(rows, "order_by") else len(rows)
    return min(found, cap), found > cap


# --- Keyset pages past the numbered ones -----------------------------------------------------------
#
# The numbered pages stop at the count cap. Past it, ``?after=<cursor>`` (and ``?before=`` to go
# back) continue the list from the last row seen: ``WHERE (keys) > (cursor) ORDER BY keys LIMIT n``,
# so page 4,000 reads as many rows as page 2 instead of skipping 100,000 with OFFSET. The keys are
# the queryset's ``order_by`` (plain fields or annotations, the last one unique, none NULL); the
# cursor holds the last row's key values, signed (a tampered or stale cursor answers the first
# page with a message, never an error). The cursor never widens the list: it only narrows the
# scoped queryset the view built.

AFTER = "after"
BEFORE = "before"


class BadCursor(ValueError):
    """A cursor that is not ours, or no longer fits the list's order."""


@dataclass(frozen=True)
class _Key:
    name: str
    descending: bool
    field: Any


def _keys(qs: QuerySet) -> list[_Key]:
    order = list(qs.query.order_by) or (list(qs.model._meta.ordering) if qs.query.default_ordering else [])
    if not order:
        raise ValueError("keyset pages need an ordered queryset")
    keys = []
    for item in order:
        if not isinstance(item, str) or "__" in item or item in ("?",):
            raise ValueError(f"keyset keys must be fields or annotations of the row, not {item!r}")
        name = item.lstrip("-")
        name = qs.model._meta.pk.name if name == "pk" else name
        annotation = qs.query.annotations.get(name)
        field = annotation.output_field if annotation is not None else qs.model._meta.get_field(name)
        keys.append(_Key(name, item.startswith("-"), field))
    return keys


def _salt(qs: QuerySet, salt: str) -> str:
    return f"tandem.keyset:{salt}:" + ",".join(f"{'-' if k.descending else ''}{k.name}" for k in _keys(qs))


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def cursor_of(qs: QuerySet, row: Any, salt: str) -> str | None:
    """The signed cursor after (or before) ``row`` in ``qs``'s order (None: a key is NULL)."""
    values = [getattr(row, key.name) for key in _keys(qs)]
    if any(v is None for v in values):
        return None
    return signing.dumps([_encode(v) for v in values], salt=_salt(qs, salt), compress=True)


def _decode(qs: QuerySet, cursor: str, salt: str) -> list[Any]:
    keys = _keys(qs)
    try:
        raw = signing.loads(cursor, salt=_salt(qs, salt))
    except signing.BadSignature as exc:
        raise BadCursor(str(exc)) from exc
    if not isinstance(raw, list) or len(raw) != len(keys):
        raise BadCursor("the cursor does not fit the order")
    try:
        values = [key.field.to_python(value) for key, value in zip(keys, raw, strict=True)]
    except (ValidationError, TypeError, ValueError) as exc:
        raise BadCursor(str(exc)) from exc
    if any(v is None for v in values):
        raise BadCursor("a key is empty")
    return values


def _beyond(keys: list[_Key], values: list[Any], *, forward: bool) -> Q:
    """Rows strictly after (``forward``) or before the cursor in the keys' order."""
    condition = Q()
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        later = "lt" if key.descending == forward else "gt"
        condition |= equal & Q(**{f"{key.name}__{later}": value})
        equal &= Q(**{key.name: value})
    return condition


class _Beyond:
    """What a keyset page says of the whole list without counting it: longer than the cap."""

    capped = True
    num_pages = None

    @property
    def count(self) -> int:
        return settings.TANDEM_COUNT_CAP


class KeysetPage:
    """One page continued from a cursor: iterable like a ``Page``, without numbers or a count."""

    keyset = True

    def __init__(self, rows: list[Any], *, has_next: bool, has_previous: bool, qs: QuerySet, salt: str):
        self.object_list = rows
        self._has_next = has_next
        self._has_previous = has_previous
        self.next_cursor = cursor_of(qs, rows[-1], salt) if rows and has_next else None
        self.previous_cursor = cursor_of(qs, rows[0], salt) if rows and has_previous else None
        self.paginator = _Beyond()
        self.number = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next and self.next_cursor is not None

    def has_previous(self) -> bool:
        return self._has_previous and self.previous_cursor is not None


def keyset_page(qs: QuerySet, per_page: int, *, after: str = "", before: str = "", salt: str = "") -> KeysetPage:
    """The ``per_page`` rows after ``after`` (or before ``before``) in ``qs``'s order; BadCursor if not ours."""
    keys = _keys(qs)
    if before:
        values = _decode(qs, before, salt)
        reverse = [f"{'' if key.descending else '-'}{key.name}" for key in keys]
        rows = list(qs.filter(_beyond(keys, values, forward=False)).order_by(*reverse)[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(rows, has_next=True, has_previous=more, qs=qs, salt=salt)
    values = _decode(qs, after, salt)
    rows = list(qs.filter(_beyond(keys, values, forward=True))[: per_page + 1])
    return KeysetPage(rows[:per_page], has_next=len(rows) > per_page, has_previous=True, qs=qs, salt=salt)


def page(request: HttpRequest, qs: QuerySet, per_page: int, *, salt: str = "") -> Any:
    """A numbered page (``?page=``) of a capped list, or a keyset page (``?after=``/``?before=``) past it.

    The last numbered page of a list longer than the cap carries ``next_cursor`` to continue.
    A bad cursor answers the first page with a message.
    """
    salt = salt or request.path
    after, before = request.GET.get(AFTER, ""), request.GET.get(BEFORE, "")
    if after or before:
        try:
            return keyset_page(qs, per_page, after=after, before=before, salt=salt)
        except BadCursor:
            messages.warning(request, _("That link to a later page no longer works: here is the first page."))
    numbered = CappedPaginator(qs, per_page).get_page(None if (after or before) else request.GET.get("page"))
    numbered.keyset = False
    numbered.next_cursor = None
    if numbered.paginator.capped and not numbered.has_next() and numbered.object_list:
        numbered.next_cursor = cursor_of(qs, list(numbered.object_list)[-1], salt)
    return numbered
