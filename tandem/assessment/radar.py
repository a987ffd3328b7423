"""Geometry of the radar chart (drawn by ``assessment/partials/radar.html``, a plain SVG template)."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 120


@dataclass
class Axis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass
class Radar:
    size: int
    width: int
    rings: list[str]
    axes: list[Axis]
    current: str
    previous: str | None
    max_value: int


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE + RADIUS * fraction * math.cos(angle), CENTRE + RADIUS * fraction * math.sin(angle)


def _polygon(values: list[float | None], max_value: int) -> str:
    count = len(values)
    points = [_point(i, count, (v or 0) / max_value) for i, v in enumerate(values)]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def build(labels: list[str], current: list[float | None], previous: list[float | None] | None, max_value: int) -> Radar:
    count = len(labels)
    max_value = max(max_value, 1)
    rings = [_polygon([float(level)] * count, max_value) for level in range(1, max_value + 1)]
    axes = []
    for i, label in enumerate(labels):
        x, y = _point(i, count, 1.0)
        lx, ly = _point(i, count, 1.18)
        anchor = "middle" if abs(lx - CENTRE) < 10 else ("start" if lx > CENTRE else "end")
        axes.append(Axis(label, round(x, 1), round(y, 1), round(lx, 1), round(ly + 4, 1), anchor))
    return Radar(
        size=SIZE,
        width=SIZE + 160,  # room for the labels left and right
        rings=rings,
        axes=axes,
        current=_polygon(current, max_value),
        previous=_polygon(previous, max_value) if previous is not None else None,
        max_value=max_value,
    )
