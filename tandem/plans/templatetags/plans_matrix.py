"""The alignment matrix's cells, rendered in one call per row.

A national matrix page has up to 20 objectives x 30 units: as template nodes (a loop over the cells,
two ``{% blocktrans %}`` and a loop over the statuses per cell) they took about 40 ms of the page at
national scale (load 5 on 2 cores). The tags write exactly what those nodes wrote: the same messages
(translated with the same plural forms), each value localised and escaped as ``{{ }}`` does, each
distinct value of a row once. The messages stay in the catalogue through the template, whose "All"
column writes them with ``{% blocktrans %}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

register = template.Library()


class _Shown:
    """``{{ value }}`` in ``context`` (localised, escaped) and ``{% blocktrans count %}`` messages,
    each worked out once per distinct value."""

    def __init__(self, context: template.Context) -> None:
        self.context = context
        self.values: dict[tuple[type, Any], str] = {}
        self.messages: dict[tuple[str, int], str] = {}

    def __call__(self, value: Any) -> str:
        key = (type(value), value)
        if key not in self.values:
            self.values[key] = render_value_in_context(value, self.context)
        return self.values[key]

    def plural(self, singular: str, plural: str, count: int) -> str:
        key = (singular, count)
        if key not in self.messages:
            self.messages[key] = ngettext(singular, plural, count) % {"counter": self(count)}
        return self.messages[key]


def _cell(cell: dict[str, Any], shown: _Shown) -> str:
    total, objectives = cell["total"], cell["objectives"]
    if not (total or objectives):
        return '<span class="muted">0</span>'
    activities = shown.plural("%(counter)s activity", "%(counter)s activities", total)
    parts = ["<strong>", activities, "</strong>"]
    parts += [f'<br><span class="muted">{shown(label)}: {shown(n)}</span>' for label, n in cell["breakdown"]]
    if objectives:
        parts += ["<br>", shown.plural("%(counter)s objective", "%(counter)s objectives", objectives)]
    return "".join(parts)


@register.simple_tag(takes_context=True)
def matrix_cells(context: template.Context, row: dict[str, Any]) -> SafeString:
    """The ``<td>`` of each cell of a row of :meth:`tandem.plans.selectors.Matrix.rows`: its aligned
    activities (in bold, then by status) and its aligned objectives, or a muted 0."""
    shown = _Shown(context)
    # The messages as {% blocktrans %} writes them (translations are trusted), every value escaped.
    return mark_safe("".join(f"<td>{_cell(cell, shown)}</td>" for cell in row["cells"]))  # noqa: S308


@register.simple_tag(takes_context=True)
def matrix_cell(context: template.Context, cell: dict[str, Any]) -> SafeString:
    """One cell, as :func:`matrix_cells` writes it."""
    return mark_safe(_cell(cell, _Shown(context)))  # noqa: S308 - as above
