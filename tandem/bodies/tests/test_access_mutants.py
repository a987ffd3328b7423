"""Cases that kill mutants of tandem.bodies.access (``make mutate``, issue 10, defect 7).

Each test states what a user would notice: a body, meeting or action item they see or not,
the organisations a form offers, a permission granted or refused.
"""

from __future__ import annotations

from tandem.bodies import access
from tandem.bodies.tests.factories import cebu_body


def test_a_member_sees_the_internals_the_viewer_of_the_same_city_does_not(world):
    body = cebu_body(world)
    assert access.can_see_internals(world.member, body)
    assert not access.can_see_internals(world.viewer, body)
    assert access.can_see_internals(world.regional, body)
    assert not access.can_see_internals(world.outsider, body)
