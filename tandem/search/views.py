"""The search page: one box across every app, results grouped by kind with counts."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.search.permissions import requires

from . import selectors


class _Page:
    """What ``includes/pagination.html`` reads, from the selector's counts (no count query)."""

    def __init__(self, number: int, pages: int, total: int, capped: bool = False) -> None:
        self.number = number
        self.paginator = type("Paginator", (), {"num_pages": pages, "count": total, "capped": capped})()

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@requires("search.use")
@require_GET
def search(request):
    """Every record the user may see that matches the words, best first, grouped by kind."""
    query = selectors.read_query(request.GET)
    results = selectors.run(request.user, query)
    context = {
        "query": query,
        "results": results,
        "page_obj": _Page(query.page, results.pages, results.total, results.capped),
        "places": selectors.place_choices(request.user) if results.searched else [],
    }
    return render(request, "search/search.html", context)
