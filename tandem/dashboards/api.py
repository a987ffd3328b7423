"""API of the dashboards under ``/api/v1/dashboard``: the same figures as the page, counted through
the same access rules (only what the token's user may open)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from tandem.core import figures as core_figures
from tandem.core.api import _actor, errors

from . import panels, selectors
from .permissions import requires

router = Router(tags=["dashboards"])


def _number(value: Any) -> int | float | None:
    return value if value is None or isinstance(value, int) else float(value)


class BucketOut(Schema):
    key: str
    label: str
    # A number of records, or a sum / mean (``amount`` says which field); null when withheld
    # (``withheld`` says why: e.g. a mean of fewer than 3 answers).
    count: int | float | None
    withheld: str = ""


class FigureOut(Schema):
    key: str
    title: str
    amount: str = ""
    buckets: list[BucketOut]


@router.get("", response={200: list[FigureOut], **errors()})
@requires("dashboards.view")
def dashboard(request: HttpRequest):
    """Every figure of your dashboard: the count of each group (its records: the page's links)."""
    scope = selectors.Scope(_actor(request))
    # The page's numbers, from the same cache entry (counted afresh after any write they depend on).
    numbers = panels.counted(scope, None)["tables"]
    figures = selectors.figures()
    tables = {key: core_figures.labelled(scope, figure, numbers[key]) for key, figure in figures.items()}
    return [
        {
            "key": figure.key,
            "title": str(figure.title),
            "amount": figure.amount,
            "buckets": [
                {
                    "key": r["key"],
                    "label": str(r["label"]),
                    "count": _number(r["count"]),
                    "withheld": str(figure.withheld) if r["count"] is None else "",
                }
                for r in tables[figure.key]
            ],
        }
        for figure in figures.values()
    ]


ROUTERS: list[tuple[str, Router]] = [("/dashboard", router)]
