"""The one visibility rule, from both sides: ``can_see``/``visible_items`` and ``audience_users`` agree."""

from __future__ import annotations

import pytest

from tandem.exchange import access
from tandem.exchange.tests.conftest import named_person, send_item

PH_ALL = {"national", "regional", "local", "member", "cso", "company", "facilitator", "viewer"}
EXPECTED = {
    "RED": {"national", "viewer"},
    "AMBER_STRICT": {"national", "viewer", "cso", "member"},
    # Issue 10, defect 5: exactly the chosen recipients (no coordinator covering the forum's city).
    "AMBER": {"national", "viewer", "cso", "member"},
    "GREEN": PH_ALL,
    # CLEAR: every signed-in user of the network (the other country's users and the administrator too).
    "CLEAR": PH_ALL | {"outsider", "admin"},
}


@pytest.mark.parametrize("tlp", list(EXPECTED))
def test_both_sides_of_the_rule_agree(world, tlp):
    item = send_item(world, tlp=tlp, organisations=[world.cso_org], people=[named_person(world, world.viewer)])
    seen = {n for n, u in world.personas.items() if access.can_see(u, item)}
    listed = {n for n, u in world.personas.items() if access.visible_items(u).filter(pk=item.pk).exists()}
    audience = set(access.item_audience(item).values_list("username", flat=True))
    assert seen == listed == audience == EXPECTED[tlp]


def national_draft(world, tlp: str):
    """A draft alert of the national coordinator's, addressed to the CSO, not sent."""
    from tandem.exchange import services

    return services.draft_save(
        actor=world.national,
        jurisdiction=world.ph,
        sender_organisation=world.national_org,
        kind="alert",
        direction="down",
        tlp=tlp,
        title="Draft",
        body="Not yet",
        addressees=services.Addressees(organisations=[world.cso_org]),
    )


def test_draft_is_visible_to_its_sender_only(world):
    draft = national_draft(world, "GREEN")
    assert {n for n, u in world.personas.items() if access.can_see(u, draft)} == {"national"}
