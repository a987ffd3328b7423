"""The alignment matrix counts objective alignments beside aligned activities.

In the regional world, Cebu City's objective C1 is aligned to national 1.1, and Central Visayas'
objective R1 to national 1.2; Cebu City's activity to 1.1 and to R1.
"""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import translation

from tandem.core import services as core_services
from tandem.plans import selectors
from tandem.plans.tests.factories import build_regional


def test_national_matrix_counts_aligned_objectives_and_activities(world):
    w = build_regional(world)
    m = selectors.matrix(w.national, w.national_plan, w.ph, w.ph.depth + 1)
    objectives = {o.code: m.objective_alignment_totals.get(o.pk, 0) for o in m.objectives}
    assert objectives == {"1.1": 1, "1.2": 1, "1.3": 0}  # C1 under 1.1, R1 under 1.2
    activities = {o.code: m.objective_totals.get(o.pk, 0) for o in m.objectives}
    assert activities == {"1.1": 1, "1.2": 1, "1.3": 0}
    visayas = next(c for c in m.columns if c.pk == w.visayas.pk)
    rows = {r["objective"].code: r for r in m.rows()}
    cell = next(c for c in rows["1.2"]["cells"] if c["column"] == visayas)
    assert (cell["total"], cell["objectives"]) == (1, 1)
    regional = selectors.matrix(w.regional, w.regional_plan, w.visayas, w.visayas.depth + 1)
    assert regional.objective_alignment_totals == {} and regional.objective_totals == {w.r1.pk: 1}


def test_matrix_page_export_and_api_say_what_they_count(world, as_user, client):
    w = build_regional(world)
    params = {"plan": str(w.national_plan.uuid), "within": str(w.ph.uuid), "depth": w.ph.depth + 1}
    body = as_user(w.national).get(reverse("plan_matrix"), params).content.decode()
    assert "then the regional and local objectives aligned to it" in body
    assert "1 activity" in body and "1 objective" in body
    response = as_user(w.national).get(reverse("plan_matrix"), {**params, "export": "csv"})
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert export.splitlines()[0].endswith("All,Aligned objectives")
    token = core_services.api_token_create(actor=w.national, name="t").secret
    data = json.loads(client.get("/api/v1/plans/matrix", params, HTTP_AUTHORIZATION=f"Bearer {token}").content)
    assert {r["objective"]["code"]: (r["total"], r["objectives"]) for r in data["rows"]} == {
        "1.1": (1, 1),
        "1.2": (1, 1),
        "1.3": (0, 0),
    }


def test_matrix_cell_writes_what_the_template_nodes_wrote():
    """The cell tag against the ``{% blocktrans %}`` markup it replaced: plural forms, the breakdown with
    its labels escaped, the objectives only when there are some, a muted 0 for an empty cell."""
    from django.template import Context, Template

    nodes = Template(
        "{% load i18n %}{% if cell.total or cell.objectives %}<strong>{% blocktrans count counter=cell.total %}"
        "{{ counter }} activity{% plural %}{{ counter }} activities{% endblocktrans %}</strong>"
        '{% for label, n in cell.breakdown %}<br><span class="muted">{{ label }}: {{ n }}</span>{% endfor %}'
        "{% if cell.objectives %}<br>{% blocktrans count counter=cell.objectives %}{{ counter }} objective"
        "{% plural %}{{ counter }} objectives{% endblocktrans %}{% endif %}"
        '{% else %}<span class="muted">0</span>{% endif %}'
    )
    tag = Template("{% load plans_matrix %}{% matrix_cell cell %}")
    cells = [
        {"total": 0, "objectives": 0, "breakdown": []},
        {"total": 1, "objectives": 0, "breakdown": [("Ongoing", 1)]},
        {"total": 0, "objectives": 2, "breakdown": []},
        {"total": 1234, "objectives": 1, "breakdown": [("<b>Planned</b>", 1000), ("Done", 234)]},
    ]
    for language in ("en", "fr"):
        with translation.override(language):
            for cell in cells:
                assert tag.render(Context({"cell": cell})) == nodes.render(Context({"cell": cell}))
    assert "&lt;b&gt;Planned&lt;/b&gt;: 1000" in tag.render(Context({"cell": cells[3]}))
    assert tag.render(Context({"cell": cells[2]})) == "<strong>0 activities</strong><br>2 objectives"
