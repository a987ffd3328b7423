"""API of the global search under ``/api/v1/search/``: the same selector and rules as the page.

A record the token's user may not see never appears in the results nor in a count.
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.core.api import _actor, errors
from tandem.search.permissions import requires

from . import selectors

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="Words (English or French; stemmed in both languages).")
    kind: str = Field("", max_length=40, description="Only this kind of record (one of the kinds counted).")
    jurisdiction: str = Field("", max_length=40, description="A jurisdiction's uuid: its records and those below.")
    year: int | None = Field(None, ge=1900, le=2200)
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)


class KindOut(Schema):
    kind: str
    label: str
    count: int = Field(description="At most the count cap (TANDEM_COUNT_CAP); see capped.")
    capped: bool = Field(description="More records of this kind than count.")


class YearOut(Schema):
    year: int
    count: int


class HitOut(Schema):
    kind: str
    title: str
    url: str
    snippet: str = Field(description="HTML: the matching words in <mark>, everything else escaped.")
    jurisdiction: str
    year: int | None


class SearchOut(Schema):
    count: int = Field(
        description="Results under every filter (over the records you may see), each kind's share capped."
    )
    capped: bool = Field(description="More results than count (a count stopped at the cap): narrow the search.")
    page: int
    pages: int
    kinds: list[KindOut]
    years: list[YearOut]
    results: list[HitOut]


@router.get("/", response={200: SearchOut, **errors(422)})
@requires("search.use")
def search(request: HttpRequest, params: Query[SearchParams]):
    """Every record you may see that matches the words, best first, with counts per kind and year."""
    query = selectors.read_query({k: ("" if v is None else str(v)) for k, v in params.model_dump().items()})
    results = selectors.run(_actor(request), query)
    return {
        "count": results.total,
        "capped": results.capped,
        "page": query.page,
        "pages": results.pages,
        "kinds": [{"kind": k.kind, "label": k.label, "count": k.count, "capped": k.capped} for k in results.kinds],
        "years": [{"year": y, "count": n} for y, n in results.years],
        "results": [
            {
                "kind": h.kind,
                "title": h.title,
                "url": h.url,
                "snippet": str(h.snippet),
                "jurisdiction": h.jurisdiction,
                "year": h.year,
            }
            for h in results.hits
        ],
    }


ROUTERS: list[tuple[str, Router]] = [("/search", router)]
