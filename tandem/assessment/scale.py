"""Self-assessments of the national-scale dataset (``manage.py generate_scale``): one round per
locality in ten on the installed framework, with respondents, their answers to every statement,
and (once a round is final) the findings of its validation meeting and their recommendations
(see ``tandem.core.scale``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from tandem.core.models import Sector
from tandem.core.scale import World, hashed

from .models import (
    Answer,
    Assessment,
    Competency,
    Finding,
    Framework,
    Item,
    Level,
    Outcome,
    Recommendation,
    Respondent,
    ScaleLevel,
    Status,
)

BASE = {"assessments": 500, "respondents_per_assessment": 6}
OUTCOMES = [Outcome.CONFIRMED, Outcome.CONFIRMED, Outcome.AMENDED, Outcome.REJECTED]


def build(world: World) -> None:
    framework = Framework.objects.order_by("pk").first()
    if framework is None:  # the framework comes with the migrations; nothing to assess without it
        return
    places = [unit_id for unit_id, _path in world.localities() if world.people_in(unit_id)]
    places = places[: world.count(BASE["assessments"])]
    lead = world.personas["scale.national"].pk
    statuses = [Status.COLLECTING if i % 3 else Status.FINAL for i in range(len(places))]
    ids = world.bulk(
        "assessments",
        Assessment,
        (
            {
                "framework_id": framework.pk,
                "jurisdiction_id": place,
                "round_label": "2025",
                "lead_id": lead,
                "status": status,
                "finalised_at": world.moment(dt.date(2025, 6, 1), 180) if status == Status.FINAL else None,
            }
            for place, status in zip(places, statuses, strict=True)
        ),
        len(places),
    )
    answered_at = dt.datetime(2025, 5, 1, 10, tzinfo=dt.UTC)
    asked: list[tuple[int, bool]] = []  # (assessment id, answered), one per respondent, in order

    def respondents() -> Iterator[dict[str, Any]]:
        for assessment_id, place, status in zip(ids, places, statuses, strict=True):
            for k, person_id in enumerate(world.people_in(place)[: BASE["respondents_per_assessment"]]):
                # A final round: everyone answered; one still collecting: two in three so far.
                answered = status == Status.FINAL or k % 3 != 2
                asked.append((assessment_id, answered))
                yield {
                    "assessment_id": assessment_id,
                    "person_id": person_id,
                    "sector": Sector.choices[k % len(Sector.choices)][0],
                    "level": Level.LOCAL,
                    "strengths": "A referral desk that works." if answered else "",
                    "submitted_at": answered_at if answered else None,
                }

    made = world.bulk("respondents", Respondent, respondents(), len(ids) * BASE["respondents_per_assessment"])
    _answers(world, framework, [pk for pk, (_a, answered) in zip(made, asked, strict=True) if answered])
    _findings(world, framework, [pk for pk, status in zip(ids, statuses, strict=True) if status == Status.FINAL])
    world.audit_trail(Assessment, most=4, label="r.round_label")
    world.audit_trail(
        Finding,
        most=2,
        label="r.text",
        jurisdiction="a.jurisdiction_id",
        joins="JOIN assessment_assessment a ON a.id = r.assessment_id",
    )


def _answers(world: World, framework: Framework, respondents: list[int]) -> None:
    """Every statement answered: a level of the framework's scale, or "don't know" one time in twelve."""
    items = list(Item.objects.filter(competency__framework=framework).order_by("pk").values_list("pk", flat=True))
    levels = list(ScaleLevel.objects.filter(framework=framework).order_by("value").values_list("value", flat=True))
    if not items or not levels:
        return
    key = f"{world.seed}:answer"

    def answers() -> Iterator[dict[str, Any]]:
        for respondent_id in respondents:
            for item_id in items:
                h = hashed(f"{key}:{respondent_id}:{item_id}")
                unknown = h % 12 == 0
                yield {
                    "respondent_id": respondent_id,
                    "item_id": item_id,
                    "score": None if unknown else levels[h % len(levels)],
                    "dont_know": unknown,
                    "evidence": "",
                }

    world.bulk("assessment answers", Answer, answers(), len(respondents) * len(items), keep=False)


def _findings(world: World, framework: Framework, final: list[int]) -> None:
    """A final round's findings (one per competency, as discussed at the validation meeting) and a
    recommendation for every other competency."""
    competencies = list(Competency.objects.filter(framework=framework).order_by("position", "pk"))
    world.bulk(
        "assessment findings",
        Finding,
        (
            {
                "assessment_id": assessment_id,
                "competency_id": competency.pk,
                "text": f"{competency.name_en}: partly in place; the referral partners meet irregularly.",
                "outcome": OUTCOMES[(i + k) % len(OUTCOMES)],
                "note": "Agreed at the validation meeting.",
                "version": 2,
            }
            for i, assessment_id in enumerate(final)
            for k, competency in enumerate(competencies)
        ),
        len(final) * len(competencies),
        keep=False,
    )
    world.bulk(
        "assessment recommendations",
        Recommendation,
        (
            {
                "assessment_id": assessment_id,
                "competency_id": competency.pk,
                "text": f"Strengthen {competency.name_en.lower()} with a named focal point.",
            }
            for assessment_id in final
            for competency in competencies[::2]
        ),
        len(final) * len(competencies[::2]),
        keep=False,
    )
