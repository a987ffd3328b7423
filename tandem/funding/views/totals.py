"""The totals page, its export, and the 360Giving export."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.core import exports
from tandem.funding.permissions import requires

from .. import selectors

TOTALS_HEADER = ["dimension", "name", "currency", "committed", "disbursed", "spent"]


@requires("funding.manage")
@require_GET
def funding_totals(request):
    return render(request, "funding/totals.html", {"totals": selectors.totals(request.user)})


@requires("funding.manage")
@require_GET
def funding_totals_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = selectors.totals_rows(selectors.totals(request.user))
    return exports.export_response(fmt, "funding-totals", TOTALS_HEADER, rows, request=request)


class _GivingEncoder(json.JSONEncoder):
    """360Giving wants numbers: an amount with two decimals is exact as a JSON number."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


@requires("funding.view")
@require_GET
def funding_giving(request, fmt):
    """Awards of publishable calls in the user's view, in the 360Giving shape (JSON or CSV)."""
    if fmt not in ("json", "csv"):
        raise Http404
    records = selectors.giving_records(request.user)
    if fmt == "csv":
        return exports.export_response(
            "csv", "360giving", selectors.GIVING_HEADER, selectors.giving_rows(records)
        )  # 360Giving: always commas and dots
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        json.dumps({"grants": records}, cls=_GivingEncoder, ensure_ascii=False, indent=1),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="360giving-{stamp}.json"'
    return response
