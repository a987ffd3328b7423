"""API lists count like the pages: up to ``TANDEM_COUNT_CAP`` rows (or the end of the page asked for)."""

from __future__ import annotations

from tandem.core import access
from tandem.core.tests.test_api import Api


def test_a_long_list_says_its_count_is_capped(world, client, settings):
    visible = access.visible_organisations(world.national).count()
    assert visible > 3
    api = Api(client, world.national)
    settings.TANDEM_COUNT_CAP = 2
    first = api.get("/organisations", limit=1).json()
    assert (first["count"], first["count_is_capped"]) == (2, True)
    assert len(first["items"]) == 1
    # Further in, the count reaches the end of the page asked for; at the end it is exact.
    deeper = api.get("/organisations", limit=1, offset=2).json()
    assert (deeper["count"], deeper["count_is_capped"]) == (3, visible > 3)
    settings.TANDEM_COUNT_CAP = 1000
    whole = api.get("/organisations").json()
    assert (whole["count"], whole["count_is_capped"]) == (visible, False)
