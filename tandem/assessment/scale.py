"""Self-assessments of the national-scale dataset (``manage.py generate_scale``): one round per
locality in ten on the installed framework, with respondents (see ``tandem.core.scale``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tandem.core.models import Sector
from tandem.core.scale import World

from .models import Assessment, Framework, Level, Respondent, Status

BASE = {"assessments": 500, "respondents_per_assessment": 6}


def build(world: World) -> None:
    framework = Framework.objects.order_by("pk").first()
    if framework is None:  # the framework comes with the migrations; nothing to assess without it
        return
    places = [unit_id for unit_id, _path in world.localities() if world.people_in(unit_id)]
    places = places[: world.count(BASE["assessments"])]
    lead = world.personas["scale.national"].pk
    ids = world.bulk(
        "assessments",
        Assessment,
        (
            {
                "framework_id": framework.pk,
                "jurisdiction_id": place,
                "round_label": "2025",
                "lead_id": lead,
                "status": Status.COLLECTING if i % 3 else Status.FINAL,
            }
            for i, place in enumerate(places)
        ),
        len(places),
    )

    def respondents() -> Iterator[dict[str, Any]]:
        for assessment_id, place in zip(ids, places, strict=True):
            for k, person_id in enumerate(world.people_in(place)[: BASE["respondents_per_assessment"]]):
                yield {
                    "assessment_id": assessment_id,
                    "person_id": person_id,
                    "sector": Sector.choices[k % len(Sector.choices)][0],
                    "level": Level.LOCAL,
                }

    world.bulk("respondents", Respondent, respondents(), len(ids) * BASE["respondents_per_assessment"], keep=False)
    world.audit_trail(Assessment, most=4, label="r.round_label")
