"""Training needs: raised by a city, answered by the level above, with the courses that fit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tandem.capacity import access, selectors, services
from tandem.tests.access_cases import manila_coordinator

from .factories import cebu_course, cebu_need


def test_the_level_above_answers_and_sees_the_matching_courses(world, as_user):
    need = cebu_need(world)
    with pytest.raises(PermissionDenied):  # the city does not answer its own need
        services.need_answer(actor=world.local, need=need, answer="Done", expected_version=need.version)
    cebu_course(world, title="Dialogue with the police", competencies=["trust"])
    cebu_course(world, title="Keeping a forum going", competencies=["sustainability"])
    page = as_user(world.regional).get(reverse("need_detail", kwargs={"uuid": need.uuid})).content.decode()
    assert "Dialogue with the police" in page and "Keeping a forum going" not in page
    response = as_user(world.regional).post(
        reverse("need_detail", kwargs={"uuid": need.uuid}),
        {"answer": "Two places reserved in the March session.", "version": need.version},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.answer.startswith("Two places") and need.answered_by == world.regional


def test_needs_by_competency_stay_inside_the_scope(world):
    need = cebu_need(world)
    rows = selectors.counts_by_competency(selectors.filter_needs(world.national))
    assert rows == [{"competency": "trust", "needs": 1, "people": 12}]
    assert need not in access.visible_needs(manila_coordinator(world))
    assert need not in access.visible_needs(world.outsider)
    assert selectors.filter_needs(world.outsider).count() == 0
