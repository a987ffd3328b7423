"""What helps where an assessment scores a competency low: the trainings that build it (capacity)
and the library items about it, as the reader may see them. Two queries, whatever the number of
weak competencies."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

# A competency is weak when its median is below "developing" (2 on the 0–4 scale).
WEAK_BELOW = 2
PER_COMPETENCY = 3


def weak_codes(result: Any) -> list[str]:
    return [c.competency.code for c in result.competencies if c.stat.median is not None and c.stat.median < WEAK_BELOW]


def weak_items(result: Any) -> dict[str, list[Any]]:
    """Per competency code, the items whose median is below "developing"."""
    return {
        c.competency.code: [ir.item for ir in c.items if ir.stat.median is not None and ir.stat.median < WEAK_BELOW]
        for c in result.competencies
    }


def courses_for_items(user: Any, items: list[Any]) -> dict[int, list[dict[str, Any]]]:
    """For each weak item (by id): up to three visible courses that name it as addressed. One query."""
    from tandem.capacity.access import visible_courses

    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not items:
        return found
    for item_id, uuid, title in (
        visible_courses(user)
        .filter(framework_items__in=[i.pk for i in items])
        .values_list("framework_items", "uuid", "title")
        .order_by("title")
    ):
        if len(found[item_id]) < PER_COMPETENCY:
            found[item_id].append({"uuid": uuid, "title": title})
    return found


def support_for(user: Any, codes: list[str]) -> dict[str, dict[str, list[Any]]]:
    """For each weak competency code: up to three visible courses and three published items."""
    from tandem.capacity.access import visible_courses
    from tandem.library.access import visible_published_items

    found: dict[str, dict[str, list[Any]]] = {code: {"courses": [], "items": []} for code in codes}
    if not codes:
        return found
    courses = defaultdict(list)
    for code, uuid, title in (
        visible_courses(user)
        .filter(course_competencies__competency__in=codes)
        .values_list("course_competencies__competency", "uuid", "title")
        .order_by("title")
    ):
        if len(courses[code]) < PER_COMPETENCY:
            courses[code].append({"uuid": uuid, "title": title})
    items = defaultdict(list)
    for code, uuid, title in (
        visible_published_items(user)
        .filter(tags__facet="competency", tags__value__in=codes)
        .values_list("tags__value", "uuid", "title")
        .order_by("-publication_date", "title")
    ):
        if len(items[code]) < PER_COMPETENCY:
            items[code].append({"uuid": uuid, "title": title})
    for code in codes:
        found[code] = {"courses": courses[code], "items": items[code]}
    return found
