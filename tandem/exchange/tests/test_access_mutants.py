"""Cases that kill mutants of tandem.exchange.access (``make mutate``, issue 10, defect 7).

Each test states what a user would notice: an item they read or not, who a preview names,
which organisations and people a form offers, who reads the read log.
"""

from __future__ import annotations

from tandem.exchange import access
from tandem.exchange.tests.conftest import send_item


def test_a_deactivated_sender_reads_nothing_not_even_their_own_items(world):
    item = send_item(world, sender=world.national, tlp="CLEAR", organisations=[world.cso_org])
    assert access.can_see(world.national, item)
    world.national.is_active = False
    world.national.save(update_fields=["is_active"])
    assert not access.can_see(world.national, item)
    assert not access.visible_items(world.national).exists()
    assert not access.can_see(None, item)
