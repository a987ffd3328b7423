"""Server-rendered SVG bar charts (our own small template, no JavaScript, no charting library:
a handful of rectangles needs no dependency, and the same markup goes into a PDF unchanged)."""

from __future__ import annotations

from typing import Any

WIDTH = 320  # the longest bar, in SVG units (pixels: the chart is drawn at its own size)
LABELS = 250  # room for the labels, left of the bars
BAR = 18
GAP = 6


def bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of a horizontal bar chart of ``rows`` (each with ``label`` and ``count``)."""
    top = max((r["count"] for r in rows), default=0) or 1
    shapes = []
    for i, row in enumerate(rows):
        y = i * (BAR + GAP)
        shapes.append(
            {
                "y": y,
                "text_y": y + BAR - 5,
                "width": round(WIDTH * row["count"] / top) if row["count"] else 0,
                "count": row["count"],
                "label": row["label"],
                "count_x": (round(WIDTH * row["count"] / top) if row["count"] else 0) + 6,
            }
        )
    return {
        "bars": shapes,
        "height": max(len(rows) * (BAR + GAP), BAR),
        "width": LABELS + WIDTH + 60,
        "labels": LABELS,
        "bar": BAR,
    }
