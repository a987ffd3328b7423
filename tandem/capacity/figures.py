"""Capacity building's figures on the dashboards (registry ``dashboard_figure``): trainings held and
their reach, per quarter, counted through the app's access rules inside the reader's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.core.figures import Scope, quarter_buckets, quarter_q, quarters_q, simple

from . import access


def _sessions(scope: Scope) -> QuerySet:
    return access.visible_sessions(scope.actor).filter(scope.q("host__path"))


def _trained(scope: Scope) -> QuerySet:
    """Participations that ended with a certificate, among the people of the reader's reach."""
    return (
        access.reach_participations(scope.actor)
        .filter(scope.q("jurisdiction_path"), certificate__isnull=False)
        .select_related("session", "session__course", "jurisdiction")
    )


def _trained_text(p: Any, _bucket: str) -> tuple[str, str]:
    return (f"{p.session.course.title} · {p.jurisdiction.name} · {p.get_sector_display()}", reverse("reach"))


TRAININGS = simple(
    "trainings",
    _("Training sessions per quarter"),
    buckets=quarter_buckets,
    base=_sessions,
    bucket_q=lambda b: quarter_q("starts_at__date", b),
    headline_q=lambda: quarters_q("starts_at__date"),
    describe=lambda s, _b: (str(s), reverse("session_detail", args=[s.uuid])),
    ordering=("starts_at", "pk"),
    region_field="host__path",
    column=_("Training sessions"),
    order=70,
)

REACH = simple(
    "training_reach",
    _("Training reach: participations completed with a certificate, per quarter"),
    buckets=quarter_buckets,
    base=_trained,
    bucket_q=lambda b: quarter_q("session__starts_at__date", b),
    headline_q=lambda: quarters_q("session__starts_at__date"),
    describe=_trained_text,
    ordering=("session__starts_at", "pk"),
    region_field="jurisdiction_path",
    column=_("Certificates"),
    order=71,
)

FIGURES = (TRAININGS, REACH)
