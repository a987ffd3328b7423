"""Reads of the assessment toolkit, built on ``assessment.access``.

Results are aggregated in the database: one ``GROUP BY`` gives, for each item, score and group
(national/local, security/non-security sector), how many answers gave that score. Medians and
quartiles are then read off those few counts; no individual answer leaves the database for them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tandem.core.access import Actor
from tandem.core.models import SECURITY_SECTORS, Jurisdiction

from . import access
from .models import Answer, Assessment, Competency, Framework, Item, Respondent, ScaleLevel, Status

MIN_GROUP = 3  # a group with fewer respondents is shown only merged
DISAGREEMENT_IQR = 2.0


def assessments(actor: Actor, *, status: str = "", round_label: str = "", term: str = "") -> QuerySet[Assessment]:
    """The one list of assessments (page and API); ``term`` searches the place, body and round."""
    qs = access.visible_assessments(actor)
    term = term.strip()[:100]
    if term:
        qs = qs.filter(
            Q(jurisdiction__name__icontains=term) | Q(body__name__icontains=term) | Q(round_label__icontains=term)
        )
    if status in Status.values:
        qs = qs.filter(status=status)
    if round_label:
        qs = qs.filter(round_label=round_label)
    # Counts per shown row (subqueries on the respondent index), not two joins grouped over every
    # visible assessment: a page of 25 counts the respondents of 25.
    return qs.annotate(
        invited=_respondent_count(Q()), answered=_respondent_count(Q(submitted_at__isnull=False))
    ).order_by("-round_label", "jurisdiction__name", "id")


def _respondent_count(condition: Q) -> Coalesce:
    rows = Respondent.objects.filter(condition, assessment=OuterRef("pk")).order_by().values("assessment")
    return Coalesce(Subquery(rows.annotate(n=Count("id")).values("n")), 0)


def competencies(framework: Framework) -> list[Competency]:
    return list(Competency.objects.filter(framework=framework).order_by("position", "code"))


def items(framework: Framework) -> list[Item]:
    return list(
        Item.objects.filter(competency__framework=framework)
        .select_related("competency")
        .order_by("competency__position", "position", "code")
    )


def levels(framework: Framework) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(framework=framework).order_by("value"))


def respondents(actor: Actor, assessment: Assessment) -> QuerySet[Respondent]:
    return access.visible_respondents(actor).filter(assessment=assessment).order_by("person__full_name", "id")


def answers_of(actor: Actor, respondent: Respondent) -> dict[int, Answer]:
    """One respondent's answers by item id, if the actor may read them (the respondent, the lead)."""
    sheets = access.visible_answer_sheets(actor).filter(pk=respondent.pk)
    rows = Answer.objects.filter(respondent__in=sheets.values("id"))
    return {a.item_id: a for a in rows}


# --- statistics ---------------------------------------------------------------------------


def _percentile(values: list[int], fraction: float) -> float:
    """Linear interpolation between the closest ranks of sorted ``values`` (not empty)."""
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


@dataclass
class Stat:
    counts: dict[int, int] = field(default_factory=dict)  # score -> answers
    dont_know: int = 0
    # The sorted scores, spread out once for the median and the quartiles (the page reads them several
    # times per row); any ``add`` drops them.
    _sorted: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def add(self, score: int | None, n: int) -> None:
        if score is None:
            self.dont_know += n
        else:
            self.counts[score] = self.counts.get(score, 0) + n
            self._sorted = None

    def merge(self, other: Stat) -> None:
        for score, n in other.counts.items():
            self.add(score, n)
        self.dont_know += other.dont_know

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def _values(self) -> list[int]:
        if self._sorted is None:
            self._sorted = [score for score in sorted(self.counts) for _ in range(self.counts[score])]
        return self._sorted

    @property
    def median(self) -> float | None:
        values = self._values()
        return _percentile(values, 0.5) if values else None

    @property
    def iqr(self) -> float | None:
        values = self._values()
        return _percentile(values, 0.75) - _percentile(values, 0.25) if values else None

    @property
    def disagreement(self) -> bool:
        iqr = self.iqr
        return iqr is not None and iqr >= DISAGREEMENT_IQR

    @property
    def dont_know_share(self) -> float | None:
        total = self.n + self.dont_know
        return self.dont_know / total if total else None


@dataclass
class Split:
    """One breakdown (by level or by sector): its two groups, or ``None`` when shown only merged."""

    key: str
    labels: tuple[str, str]
    sizes: tuple[int, int]
    shown: bool


@dataclass
class ItemResult:
    item: Item
    stat: Stat
    groups: dict[str, Stat]


@dataclass
class CompetencyResult:
    competency: Competency
    stat: Stat
    groups: dict[str, Stat]
    items: list[ItemResult]


@dataclass
class Results:
    assessment: Assessment
    answered: int
    competencies: list[CompetencyResult]
    splits: list[Split]
    # The framework's highest scale level (None: it has none), read with its items; unread without items.
    top_level: int | None = None

    def by_code(self) -> dict[str, CompetencyResult]:
        return {c.competency.code: c for c in self.competencies}


def _group_keys(level: str, sector: str) -> tuple[str, str]:
    return level, "security" if sector in SECURITY_SECTORS else "non_security"


def results(assessment: Assessment, *, respondents: list[Respondent] | None = None) -> Results:
    """Aggregates of the submitted answers (the caller checked ``access.can_see_results``), and the
    framework's highest scale level. Three queries; two when the caller has read ``respondents``, every
    respondent row of the assessment (those who run it see them all: :func:`respondents`)."""
    from django.utils.translation import gettext as _

    # The highest scale level comes with the items (an uncorrelated subquery, run once): no query of its own.
    top = ScaleLevel.objects.filter(framework_id=assessment.framework_id).order_by("-value").values("value")[:1]
    framework_items = list(
        Item.objects.filter(competency__framework=assessment.framework_id)
        .select_related("competency")
        .annotate(top_level=Subquery(top))
        .order_by("competency__position", "position", "code")
    )
    submitted = Q(respondent__assessment=assessment, respondent__submitted_at__isnull=False)
    rows = (
        Answer.objects.filter(submitted)
        .values("item_id", "score", "respondent__level", "respondent__sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    sizes: dict[str, int] = defaultdict(int)
    answered = 0
    if respondents is None:
        answered_by: list[tuple[str, str, int]] = list(
            Respondent.objects.filter(assessment=assessment, submitted_at__isnull=False)
            .values_list("level", "sector")
            .annotate(n=Count("id"))
            .order_by()
        )
    else:
        if any(r.assessment_id != assessment.pk for r in respondents):
            raise ValueError("respondents of another assessment")  # pragma: no mutate - a programming error
        tally = Counter((r.level, r.sector) for r in respondents if r.submitted_at is not None)
        answered_by = [(level, sector, n) for (level, sector), n in tally.items()]
    for level, sector, n in answered_by:
        answered += n
        for key in _group_keys(level, sector):
            sizes[key] += n
    splits = [
        Split("level", (_("National"), _("Local")), (sizes["national"], sizes["local"]), False),
        Split("sector", (_("Security"), _("Non-security")), (sizes["security"], sizes["non_security"]), False),
    ]
    for split in splits:
        split.shown = min(split.sizes) >= MIN_GROUP
    shown_keys = set()
    if splits[0].shown:
        shown_keys |= {"national", "local"}
    if splits[1].shown:
        shown_keys |= {"security", "non_security"}
    per_item: dict[int, Stat] = defaultdict(Stat)
    per_item_group: dict[tuple[int, str], Stat] = defaultdict(Stat)
    for item_row in rows:
        counted: dict[str, Any] = dict(item_row)
        per_item[counted["item_id"]].add(counted["score"], counted["n"])
        for key in _group_keys(counted["respondent__level"], counted["respondent__sector"]):
            if key in shown_keys:
                per_item_group[(counted["item_id"], key)].add(counted["score"], counted["n"])
    by_competency: dict[int, CompetencyResult] = {}
    for item in framework_items:
        comp = by_competency.get(item.competency_id)
        if comp is None:
            comp = by_competency[item.competency_id] = CompetencyResult(item.competency, Stat(), {}, [])
        groups = {key: per_item_group.get((item.pk, key), Stat()) for key in sorted(shown_keys)}
        stat = per_item.get(item.pk, Stat())
        comp.items.append(ItemResult(item, stat, groups))
        comp.stat.merge(stat)
        for key, group_stat in groups.items():
            comp.groups.setdefault(key, Stat()).merge(group_stat)
    ordered = sorted(by_competency.values(), key=lambda c: (c.competency.position, c.competency.code))
    top_level = framework_items[0].top_level if framework_items else None
    return Results(assessment, answered, ordered, splits, top_level)


def previous_round(actor: Actor, assessment: Assessment) -> Assessment | None:
    """The latest earlier round of the same jurisdiction (and body) that the actor may see the results of."""
    candidates = (
        access.visible_assessments(actor)
        .filter(
            jurisdiction_id=assessment.jurisdiction_id,
            round_label__lt=assessment.round_label,
            framework__slug=assessment.framework.slug,
        )
        .order_by("-round_label", "-id")
    )
    same_body = Q(body__isnull=True) if assessment.body_id is None else Q(body__pk=assessment.body_id)
    candidates = candidates.filter(same_body)
    for candidate in candidates[:5]:
        if access.can_see_results(actor, candidate):
            return candidate
    return None


def competency_medians(assessment: Assessment) -> dict[str, float | None]:
    """Median per competency code (one query): for the previous round's outline."""
    stats: dict[str, Stat] = defaultdict(Stat)
    rows = (
        Answer.objects.filter(respondent__assessment=assessment, respondent__submitted_at__isnull=False)
        .values("item__competency__code", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        stats[row["item__competency__code"]].add(row["score"], row["n"])
    return {code: stat.median for code, stat in stats.items()}


# --- comparison ---------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    jurisdiction: Jurisdiction
    assessment: Assessment
    medians: dict[str, float | None]


def comparison_rounds(actor: Actor) -> list[str]:
    return list(
        access.comparable_assessments(actor).order_by("-round_label").values_list("round_label", flat=True).distinct()
    )


def _medians_by_assessment(assessments: QuerySet[Assessment], keep: set[int]) -> dict[int, dict[str, float | None]]:
    """Median per competency code of each assessment in ``keep`` (one ``GROUP BY`` query over the answers of
    ``assessments``, a subquery: no list of ids is sent, however many there are)."""
    stats: dict[int, dict[str, Stat]] = defaultdict(lambda: defaultdict(Stat))
    rows = (
        Answer.objects.filter(
            respondent__assessment__in=assessments.values("id"), respondent__submitted_at__isnull=False
        )
        .values_list("respondent__assessment_id", "item__competency__code", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    for assessment_id, code, score, n in rows:
        if assessment_id in keep:
            stats[assessment_id][code].add(score, n)
    return {aid: {code: stat.median for code, stat in by_code.items()} for aid, by_code in stats.items()}


def comparison(actor: Actor, round_label: str) -> list[ComparisonRow]:
    """Assessed jurisdictions below the actor × competencies, median per cell. Two queries, whatever the
    number of jurisdictions or respondents (the whole-jurisdiction assessment of the round; the latest
    if there are several)."""
    chosen: dict[int, Assessment] = {}
    qs = (
        access.comparable_assessments(actor)
        .filter(round_label=round_label, body__isnull=True)
        .select_related("jurisdiction")
        .order_by("jurisdiction__name", "id")
    )
    for a in qs:
        chosen[a.jurisdiction_id] = a
    medians = _medians_by_assessment(qs, {a.pk for a in chosen.values()})
    result = [ComparisonRow(a.jurisdiction, a, medians.get(a.pk, {})) for a in chosen.values()]
    return sorted(result, key=lambda r: r.jurisdiction.name)


def strengths_and_obstacles(actor: Actor, assessment: Assessment) -> list[dict[str, Any]]:
    """Respondents' free texts, without names; only what the actor may read (the lead: all; a respondent: own)."""
    sheets = access.visible_answer_sheets(actor).filter(assessment=assessment, submitted_at__isnull=False)
    return [
        {"strengths": s, "obstacles": o}
        for s, o in sheets.order_by("id").values_list("strengths", "obstacles")
        if s or o
    ]


def anonymous_answers(actor: Actor, assessment: Assessment) -> list[tuple[Any, ...]]:
    """Every submitted answer the actor may read, without names (for the lead's export)."""
    sheets = access.visible_answer_sheets(actor).filter(assessment=assessment, submitted_at__isnull=False)
    return list(
        Answer.objects.filter(respondent__in=sheets.values("id"))
        .order_by("respondent_id", "item__competency__position", "item__position")
        .values_list(
            "respondent_id",
            "respondent__level",
            "respondent__sector",
            "item__code",
            "score",
            "dont_know",
            "evidence",
        )
    )


def competency_queryset(framework: Framework) -> QuerySet[Competency]:
    """A framework's competencies as form choices (reference data, readable by every role)."""
    return Competency.objects.filter(framework=framework).order_by("position", "code")


def respondent_mix(assessment: Assessment) -> list[tuple[str, str, int]]:
    """How many respondents answered, by sector and level (no names)."""
    rows = (
        Respondent.objects.filter(assessment=assessment, submitted_at__isnull=False)
        .values_list("sector", "level")
        .annotate(n=Count("id"))
        .order_by("level", "sector")
    )
    return [(sector, level, n) for sector, level, n in rows]


def covered_assessments(actor: Actor, jurisdiction: Jurisdiction) -> list[ComparisonRow]:
    """The assessments the actor may see in a mapped country or region, latest round per place, with the
    median per competency (two queries)."""
    chosen: dict[int, Assessment] = {}
    qs = (
        access.visible_assessments(actor)
        .filter(jurisdiction__path__startswith=jurisdiction.path, body__isnull=True)
        .order_by("jurisdiction__name", "round_label", "id")
    )
    for a in qs:
        if access.can_see_results(actor, a):
            chosen[a.jurisdiction_id] = a
    medians = _medians_by_assessment(qs, {a.pk for a in chosen.values()})
    return [ComparisonRow(a.jurisdiction, a, medians.get(a.pk, {})) for a in chosen.values()]


def rounds_over_time(actor: Actor, place_uuid: str) -> list[ComparisonRow]:
    """One jurisdiction below the actor, every round of its whole-jurisdiction assessment, median per
    competency (two queries)."""
    try:
        qs = list(
            access.comparable_assessments(actor)
            .filter(jurisdiction__uuid=place_uuid, body__isnull=True)
            .select_related("jurisdiction")
            .order_by("round_label", "id")
        )
    except (ValueError, ValidationError):
        return []
    latest = {a.round_label: a for a in qs}
    medians = _medians_by_assessment(
        access.comparable_assessments(actor).filter(pk__in=[a.pk for a in latest.values()]),
        {a.pk for a in latest.values()},
    )
    return [ComparisonRow(a.jurisdiction, a, medians.get(a.pk, {})) for a in latest.values()]


def competency_averages(assessments: QuerySet[Assessment], codes: list[str], minimum: int = 1) -> dict[str, Any]:
    """Mean score per competency code over the submitted answers of ``assessments`` (one query; two
    decimals); ``None`` for a competency fewer than ``minimum`` people answered (no mean then)."""
    from decimal import Decimal

    from django.db.models import Avg, Count

    aggregates: dict[str, Any] = {}
    for i, code in enumerate(codes):
        of_code = Q(item__competency__code=code)
        aggregates[f"c{i}"] = Avg("score", filter=of_code)
        aggregates[f"n{i}"] = Count("respondent", filter=of_code, distinct=True)
    result = Answer.objects.filter(
        respondent__assessment__in=assessments.values("pk"), respondent__submitted_at__isnull=False, score__isnull=False
    ).aggregate(**aggregates)
    return {
        code: Decimal(str(result[f"c{i}"])).quantize(Decimal("0.01"))
        if result[f"c{i}"] is not None and (result[f"n{i}"] or 0) >= minimum
        else None
        for i, code in enumerate(codes)
    }
