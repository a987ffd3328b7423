"""Funding's figures on the dashboards (registry ``dashboard_figure``): funds committed (awards)
and disbursed (payments), per currency, as the reader may open them inside their scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.core.figures import Bucket, Scope, as_scope, simple

from . import access


def _awards(scope: Scope) -> QuerySet:
    return access.visible_awards(scope.actor).filter(scope.q("jurisdiction__path"))


def _payments(scope: Scope) -> QuerySet:
    return (
        access.visible_payments(scope.actor)
        .filter(scope.q("award__jurisdiction__path"))
        .select_related("award__application__organisation")
    )


def _currencies(base: Any, field: str) -> Any:
    def buckets(scope: Any) -> list[Bucket]:
        found = base(as_scope(scope)).order_by(field).values_list(field, flat=True).distinct()
        return [Bucket(c, c) for c in found]

    return buckets


def _currency_q(field: str) -> Any:
    return lambda bucket: Q(**{field: bucket}) if bucket and len(bucket) == 3 else Q(pk__in=[])


COMMITTED = simple(
    "funds_committed",
    _("Funds committed (awards), per currency"),
    buckets=_currencies(_awards, "currency"),
    base=_awards,
    bucket_q=_currency_q("currency"),
    describe=lambda a, _b: (
        f"{a.application} · {a.amount} {a.currency}",
        reverse("funding_award_detail", args=[a.uuid]),
    ),
    ordering=("-awarded_at", "pk"),
    amount="amount",
    group_by="currency",
    region_field="jurisdiction__path",
    order=80,
)

DISBURSED = simple(
    "funds_disbursed",
    _("Funds disbursed (payments), per currency"),
    buckets=_currencies(_payments, "award__currency"),
    base=_payments,
    bucket_q=_currency_q("award__currency"),
    describe=lambda p, _b: (
        f"{p.award.application} · {p.amount} {p.award.currency} ({p.paid_on.isoformat()})",
        reverse("funding_award_detail", args=[p.award.uuid]),
    ),
    ordering=("paid_on", "pk"),
    amount="amount",
    group_by="award__currency",
    region_field="award__jurisdiction__path",
    order=81,
)

FIGURES = (COMMITTED, DISBURSED)
