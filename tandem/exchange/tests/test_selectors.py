"""The exchange's list selectors: one per list, used by both the pages and the API."""

from __future__ import annotations

from django.urls import reverse

from tandem.core import services as core_services
from tandem.exchange import selectors
from tandem.exchange.tests.conftest import send_item


def test_the_inbox_page_and_the_api_list_the_same_items_for_the_same_filters(world, client):
    send_item(world, tlp="AMBER", kind="request", title="Trainers needed", organisations=[world.cso_org])
    send_item(world, tlp="GREEN", title="Trainers report", organisations=[world.cso_org])
    send_item(world, tlp="GREEN", title="Unrelated", organisations=[world.cso_org])
    send_item(world, tlp="AMBER", title="Not for the forum", organisations=[world.manila_org], direction="down")
    filters = selectors.ItemFilters.clean(box="inbox", term="trainers", tlp="AMBER")
    expected = [i.title for i in selectors.items(world.cso, filters)]
    assert expected == ["Trainers needed"]
    client.force_login(world.cso)
    page = client.get(reverse("exchange_inbox"), {"q": "trainers", "tlp": "AMBER"})
    assert [i.title for i in page.context["page_obj"].object_list] == expected
    token = core_services.api_token_create(actor=world.cso, name="t").secret
    api = client.get(
        "/api/v1/exchange/items",
        {"box": "inbox", "q": "trainers", "tlp": "AMBER"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert [i["title"] for i in api.json()["items"]] == expected


def test_selectors_never_widen_the_visibility_rule(world):
    send_item(world, tlp="AMBER", kind="request", title="Forum only", organisations=[world.cso_org])
    send_item(world, tlp="GREEN", kind="request", title="Country", organisations=[world.cso_org])
    assert [i.title for i in selectors.open_requests(world.company)] == ["Country"]
    assert [i.title for i in selectors.inbox(world.outsider)] == []
    assert {i.title for i in selectors.sent(world.national)} == {"Forum only", "Country"}
    assert list(selectors.inbox(world.national)) == []
    assert list(selectors.drafts(world.cso)) == []


def test_unknown_filter_values_are_dropped():
    f = selectors.ItemFilters.clean(box="trash", term="x" * 500, kind="bogus", tlp="PURPLE", status="lost")
    assert (f.box, len(f.term), f.kind, f.tlp, f.status) == ("inbox", 100, "", "", "")
    assert not selectors.ItemFilters.clean(box="outbox").active


def test_inbox_and_api_list_query_counts_are_pinned(world, client, django_assert_max_num_queries):
    """Measured on issue 10 (before the AMBER change: inbox 5, API list 6 for every persona)."""
    for i in range(10):
        send_item(world, tlp="AMBER", title=f"A{i}", organisations=[world.cso_org])
        send_item(world, tlp="GREEN", title=f"G{i}", organisations=[world.cso_org])
        send_item(world, tlp="CLEAR", title=f"C{i}", organisations=[world.cso_org])
    token = core_services.api_token_create(actor=world.cso, name="t").secret
    client.force_login(world.cso)
    client.get(reverse("exchange_inbox"))  # the first request of a session or token writes its last use
    client.get("/api/v1/exchange/items", HTTP_AUTHORIZATION=f"Bearer {token}")
    with django_assert_max_num_queries(5):
        assert client.get(reverse("exchange_inbox")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/exchange/items", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
