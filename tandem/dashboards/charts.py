"""Server-rendered SVG bar charts (our own small template, no JavaScript, no charting library:
a handful of rectangles needs no dependency, and the same markup goes into the PDF unchanged).

``bars`` draws one bar per bucket; ``stacked`` draws one bar per row of a matrix figure (a level,
a quarter), split into its columns (the roadmap stages), with a legend. The template is
``dashboards/_chart.html``; the numbers are always also in a table beside the chart."""

from __future__ import annotations

from typing import Any

WIDTH = 320  # the longest bar, in SVG units (pixels: the chart is drawn at its own size)
LABELS = 250  # room for the labels, left of the bars
BAR = 18
GAP = 6
FILL = "#2b6cb0"
# Distinct on white and for the common colour-vision deficiencies (Okabe-Ito, darkened).
PALETTE = ("#999999", "#e69f00", "#56b4e9", "#009e73", "#0072b2", "#cc79a7", "#d55e00", "#f0e442")


def _scale(value: Any, top: Any) -> int:
    return round(WIDTH * float(value) / float(top)) if value else 0


def _chart(bars: list[dict[str, Any]], legend: list[dict[str, Any]]) -> dict[str, Any]:
    height = max(len(bars) * (BAR + GAP), BAR)
    for i, entry in enumerate(legend):
        entry["y"] = height + 8 + i * (BAR - 2)
        entry["text_y"] = entry["y"] + 10
    total_height = height + (8 + len(legend) * (BAR - 2) if legend else 0)
    return {"bars": bars, "legend": legend, "height": total_height, "width": LABELS + WIDTH + 60, "labels": LABELS}


def bars(rows: list[dict[str, Any]], withheld: Any = "") -> dict[str, Any]:
    """A horizontal bar chart of ``rows`` (each with ``label`` and ``count``); a withheld number
    (``None``) has no bar and ``withheld`` as its text."""
    top = max((r["count"] for r in rows if r["count"] is not None), default=0) or 1
    shapes = []
    for i, row in enumerate(rows):
        y = i * (BAR + GAP)
        width = _scale(row["count"], top)
        shapes.append(
            {
                "y": y,
                "text_y": y + BAR - 5,
                "label": row["label"],
                "count": withheld if row["count"] is None else row["count"],
                "count_x": width + 6,
                "segments": [{"x": 0, "width": width, "fill": FILL}] if width else [],
            }
        )
    return _chart(shapes, [])


def stacked(rows: list[Any], columns: list[Any], counts: dict[str, Any]) -> dict[str, Any]:
    """One bar per row (``Bucket``), split into ``columns`` (``Bucket``); ``counts["row:column"]``."""
    totals = [sum(counts.get(f"{r.key}:{c.key}", 0) for c in columns) for r in rows]
    top = max(totals, default=0) or 1
    shapes = []
    for i, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y = i * (BAR + GAP)
        x, segments = 0, []
        for j, column in enumerate(columns):
            width = _scale(counts.get(f"{row.key}:{column.key}", 0), top)
            if width:
                segments.append({"x": x, "width": width, "fill": PALETTE[j % len(PALETTE)], "title": column.label})
                x += width
        shapes.append(
            {"y": y, "text_y": y + BAR - 5, "label": row.label, "count": total, "count_x": x + 6, "segments": segments}
        )
    legend = [{"label": c.label, "fill": PALETTE[j % len(PALETTE)]} for j, c in enumerate(columns)]
    return _chart(shapes, legend)
