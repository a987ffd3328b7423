"""The reach figures: people trained, by sector, level, jurisdiction, organisation type, course, competency, year."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.capacity.permissions import requires
from tandem.core import exports
from tandem.core import selectors as core_selectors

from .. import selectors
from ..forms import ReachForm


def _read(request):
    form = ReachForm(request.GET or None)
    dimension, start, end = "sector", None, None
    if form.is_bound and form.is_valid():
        dimension = form.cleaned_data["dimension"] or "sector"
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    within = core_selectors.resolve_within(request.user, request.GET.get("within"))
    rows = selectors.reach_rows(request.user, dimension, start=start, end=end, within=within)
    return form, dimension, start, end, within, rows


@requires("capacity.nominate")
@require_GET
def reach(request):
    form, dimension, start, end, within, rows = _read(request)
    return render(
        request,
        "capacity/reach.html",
        {
            "form": form,
            "rows": rows,
            "dimension": dict(form.fields["dimension"].choices).get(dimension, dimension),
            "total": selectors.reach_total(request.user, start=start, end=end),
            "within": within,
            "query": request.GET.urlencode(),
        },
    )


@requires("capacity.nominate")
@require_GET
def reach_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    form, dimension, start, end, within, rows = _read(request)
    label = dict(form.fields["dimension"].choices).get(dimension, dimension)
    return exports.export_response(
        fmt, "training-reach", [str(label), _("People trained"), _("Participations")], rows, request=request
    )
