"""The assessment's figure on the dashboards (registry ``dashboard_figure``): the mean score per
competency over the answers of the assessments the reader may compare, inside their scope. Its
list is the assessments those answers come from (never a respondent or an answer). No mean is
shown from fewer than ``MIN_RESPONDENTS`` people (the number is ``None``: "fewer than 3 answers"),
so a mean never gives away one person's score."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.core.figures import Bucket, Figure, as_scope
from tandem.core.models import Competency

from . import access, selectors

MIN_RESPONDENTS = 3


def _assessments(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    return access.comparable_assessments(scope.actor).filter(scope.q("jurisdiction__path"))


def _records(scope: Any, bucket: str) -> QuerySet:
    qs = _assessments(scope)
    if bucket not in Competency.values:
        return qs.none()
    return (
        qs.filter(
            respondents__submitted_at__isnull=False,
            respondents__answers__score__isnull=False,
            respondents__answers__item__competency__code=bucket,
        )
        .distinct()
        .select_related("jurisdiction")
        .order_by("jurisdiction__name", "round_label", "pk")
    )


def _means(scope: Any) -> dict[str, Any]:
    """Mean score per competency, ``None`` where fewer than ``MIN_RESPONDENTS`` people answered it."""
    return selectors.competency_averages(_assessments(scope), list(Competency.values), MIN_RESPONDENTS)


SCORES = Figure(
    key="assessment_scores",
    title=_("Assessment scores: mean score per competency"),
    buckets=lambda _s: [Bucket(v, label) for v, label in Competency.choices],
    records=_records,
    counts=_means,
    describe=lambda a, _b: (str(a), reverse("assessment_detail", args=[a.uuid])),
    amount="score",
    withheld=_("fewer than 3 answers"),
    order=90,
)

FIGURES = (SCORES,)
