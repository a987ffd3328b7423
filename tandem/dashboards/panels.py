"""What the dashboard page and its PDF show: each figure's table, chart and summary, and the table
of the units below (one query per figure for all of them). The page, the exports and the report
are built from these same rows, so they always agree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import figures as core_figures
from tandem.core.models import Role

from . import cache, charts, selectors

MAX_UNITS = 200


def _fmt(value: Any, figure: Any = None) -> str:
    if value is None:  # withheld (e.g. a mean of fewer than three answers)
        return str(getattr(figure, "withheld", "") or "-")
    if isinstance(value, Decimal):
        return number_format(value, 2, use_l10n=True, force_grouping=True)
    return str(value)


def title(actor: Any) -> str:
    """The dashboard's name after the reader's highest role."""
    mine = core_access.get_access(actor)
    if mine.is_admin:
        return _("Network dashboard")
    roles = {g.role for g in mine.grants}
    if Role.NATIONAL_COORDINATOR in roles:
        return _("National dashboard")
    if Role.REGIONAL_COORDINATOR in roles:
        return _("Regional dashboard")
    return _("Local dashboard")


def _summary(figure: Any, rows: list[dict[str, Any]]) -> str:
    """One sentence a screen reader (or the PDF) gives instead of the chart."""
    shown = [r for r in rows if r["count"] or (r["count"] is None and figure.withheld)]
    if not shown:
        return _("Nothing to count.")
    if figure.amount:
        return "; ".join(f"{r['label']}: {_fmt(r['count'], figure)}" for r in shown) + "."
    total = sum(r["count"] for r in rows)
    top = max(shown, key=lambda r: r["count"])
    return _("%(total)s in all; the largest group: %(label)s (%(count)s).") % {
        "total": total,
        "label": top["label"],
        "count": top["count"],
    }


def _matrix(figure: Any, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    if figure.matrix is None:
        return None
    row_buckets, column_buckets = figure.matrix[0](), figure.matrix[1]()
    by_key = {r["key"]: r for r in rows}
    lines = []
    for row in row_buckets:
        cells = [by_key.get(f"{row.key}:{c.key}") for c in column_buckets]
        total = sum(c["count"] for c in cells if c)
        lines.append({"key": row.key, "label": row.label, "cells": cells, "total": total})
    counts = {r["key"]: r["count"] for r in rows}
    # Levels nobody has: not shown (the quarters always are).
    shown = [line for line in lines if line["total"]] if figure.key == "coverage" else lines
    return {
        "columns": column_buckets,
        "rows": shown,
        "chart": charts.stacked(
            [b for b in row_buckets if any(line["key"] == b.key for line in shown)], column_buckets, counts
        ),
    }


def _count(scope: Any, units: list[Any]) -> dict[str, Any]:
    """Every figure's numbers, the units below and their columns (no labels: this is what may be cached)."""
    tables, per_unit = {}, {}
    # The figures about the reader ("needs me") last: they take what the others counted along (the
    # requests to answer are counted with the open requests: one reading of them, not two).
    for key, figure in sorted(selectors.figures().items(), key=lambda kv: kv[1].personal):
        tables[key], found = core_figures.numbers_and_units(scope, figure, units)
        if core_figures.in_units_table(figure) and units:
            per_unit[key] = found
    return {"tables": tables, "units": per_unit, "below": units, "at": timezone.now()}


def counted(scope: Any, jurisdiction: Any) -> dict[str, Any]:
    """Every figure's numbers for this reader (``_count``), from their cache entry when there is one
    (``tandem.dashboards.cache``): the page and the API read the same entry, so they agree."""
    return cache.numbers(scope, lambda: _count(scope, _below(scope, jurisdiction)))


def dashboard(scope: Any, jurisdiction: Any, extra: dict[str, str]) -> dict[str, Any]:
    """The page's panels and units table, and when their numbers were counted (``counted_at``): the
    numbers come from the reader's cache entry when there is one (``tandem.dashboards.cache``)."""
    counted_numbers = counted(scope, jurisdiction)
    return {
        "panels": build(scope, extra, counted_numbers["tables"]),
        "units": units_table(scope, jurisdiction, units=counted_numbers["below"], values=counted_numbers["units"]),
        "counted_at": counted_numbers["at"],
    }


def build(scope: Any, extra: dict[str, str], tables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One panel per figure: rows (with the link to each bucket's list), chart, summary."""
    result = []
    for key, figure in selectors.figures().items():
        numbers = tables[key] if tables is not None else core_figures.numbers(scope, figure)
        rows = core_figures.labelled(scope, figure, numbers)
        for row in rows:
            row["url"] = (
                reverse("dashboard_figure", args=[figure.key]) + "?" + urlencode({"bucket": row["key"], **extra})
            )
            row["shown"] = _fmt(row["count"], figure)
        matrix = _matrix(figure, rows)
        result.append(
            {
                "figure": figure,
                "rows": rows,
                "matrix": matrix,
                "chart": matrix["chart"] if matrix else charts.bars(rows, figure.withheld),
                "summary": _summary(figure, rows),
            }
        )
    return result


def _below(scope: Any, jurisdiction: Any) -> list[Any]:
    """The units one level below the dashboard's (their dashboards are a click away): one query."""
    mine = core_access.get_access(scope.actor)
    parents = [jurisdiction.pk] if jurisdiction is not None else [g.jurisdiction_id for g in mine.grants]
    return list(
        core_access.visible_jurisdictions(scope.actor)
        .filter(parent_id__in=parents, valid_to__isnull=True)
        .order_by("name", "pk")[:MAX_UNITS]
    )


def dashboard_url(jurisdiction: Any) -> str:
    url = reverse("dashboard")
    return url + "?" + urlencode({"within": str(jurisdiction.uuid)}) if jurisdiction is not None else url


def units_table(
    scope: Any, jurisdiction: Any, *, units: list[Any] | None = None, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The units below, each with the headline number of every counted figure inside it."""
    units = _below(scope, jurisdiction) if units is None else units
    columns = [f for f in selectors.figures().values() if core_figures.in_units_table(f)]
    if values is None:
        values = {f.key: core_figures.by_unit(scope, f, units) for f in columns} if units else {}
    rows = []
    for unit in units:
        link = reverse("dashboard") + "?" + urlencode({"within": str(unit.uuid)})
        cells = [{"count": values[f.key].get(unit.pk, 0), "url": f"{link}#figure-{f.key}"} for f in columns]
        rows.append({"unit": unit, "url": link, "cells": cells})
    return {"columns": columns, "rows": rows}


def units_rows(table: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [_("Jurisdiction"), _("Kind"), *[str(f.column or f.title) for f in table["columns"]]]
    rows = [
        [row["unit"].name, str(row["unit"].get_kind_display()), *[c["count"] for c in row["cells"]]]
        for row in table["rows"]
    ]
    return header, rows


def figure_rows(figure: Any, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    return [str(figure.title), _("Amount") if figure.amount else _("Number")], [
        [str(r["label"]), _fmt(None, figure) if r["count"] is None else r["count"]] for r in rows
    ]


def scope_names(scope: Any) -> list[str]:
    mine = core_access.get_access(scope.actor)
    return sorted({g.jurisdiction_name for g in mine.grants}) or [_("the whole network")]
