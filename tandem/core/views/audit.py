from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tandem.core.permissions import requires

from .. import access, audit_scope, selectors
from ..exports import FORMATS, export_response
from ..models import AuditAction, AuditEvent
from ..pagination import CappedPaginator


def _filtered(request, qs=None):
    """The events of the user's subtree they may see (``qs``: those of the subtree, the record rule
    left to the caller), filtered by the request."""
    user = request.user
    access.require_any_rank(user, access.COORDINATOR_RANK)
    if qs is None:
        qs = audit_scope.visible_audit_events(user)
    term = request.GET.get("q", "").strip()[:100]
    action = request.GET.get("action", "")
    within = selectors.resolve_within(user, request.GET.get("within"))
    if term:
        qs = qs.filter(Q(actor_label__icontains=term) | Q(object_repr__icontains=term) | Q(object_uuid=term))
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    if within is not None:
        qs = qs.filter(jurisdiction_path__startswith=within.path)
    for name, lookup in (("since", "created_at__date__gte"), ("until", "created_at__date__lte")):
        raw = request.GET.get(name, "")
        try:
            day = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            day = None
        if day is not None:
            qs = qs.filter(**{lookup: day})
    filters = {
        "term": term,
        "action": action,
        "within": within,
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
    }
    return qs, filters


@requires("audit.view")
@require_GET
def audit_list(request):
    # The record rule is applied to windows of the filtered events (audit_page_events), not to the log.
    qs, filters = _filtered(request, audit_scope.audit_events_in_scope(request.user))
    cap = settings.TANDEM_COUNT_CAP
    ids, partial = audit_scope.audit_page_events(request.user, qs, cap)
    # Counted and paged on the ids found (no count query); only the page's events are read.
    page = CappedPaginator(ids, 50, cap, partial=partial).get_page(request.GET.get("page"))
    shown = AuditEvent.objects.filter(pk__in=list(page.object_list))  # access-ok: ids the record rule kept
    page.object_list = list(shown.select_related("actor").order_by("-created_at", "-id"))
    return render(request, "core/audit_list.html", {"page_obj": page, "actions": AuditAction.choices, **filters})


@requires("audit.view")
@require_GET
def audit_export(request, fmt):
    if fmt not in FORMATS:
        from django.http import Http404

        raise Http404
    qs, _filters = _filtered(request)
    header = [
        gettext_lazy("Time"),
        gettext_lazy("Who"),
        gettext_lazy("Action"),
        gettext_lazy("Record type"),
        gettext_lazy("Record id"),
        gettext_lazy("Record"),
        gettext_lazy("Changes"),
        gettext_lazy("Address"),
    ]
    actions = dict(AuditAction.choices)
    rows = (
        (
            e.created_at,
            e.actor_label,
            str(actions.get(e.action, e.action)),
            e.object_type,
            e.object_uuid,
            e.object_repr,
            json.dumps(e.changes, ensure_ascii=False, sort_keys=True, default=str) if e.changes else "",
            e.ip_address,
        )
        for e in qs.iterator(chunk_size=500)
    )
    return export_response(fmt, "audit", header, rows, request=request)
