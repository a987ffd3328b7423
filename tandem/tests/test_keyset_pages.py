"""Keyset pages past the numbered ones (tandem.core.pagination, issue 11).

The numbered pages stop at the count cap; ``Next`` on the last one continues with a signed
cursor, and so on to the end of the list, in the same order, with nothing skipped or repeated
even where many rows tie on the sort keys. A bad cursor answers the first page with a message.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from tandem.bodies.models import ActionItem, ActionStatus
from tandem.bodies.tests.factories import cebu_body
from tandem.core import pagination
from tandem.core.models import AuditEvent

NEXT = re.compile(r'href="\?([^"]*)" rel="next"')
PREV = re.compile(r'href="\?([^"]*)" rel="prev"')
ROW = re.compile(r"Tied item (\d{3})")


def _items(world, count=70):
    body = cebu_body(world)
    days = [dt.date(2026, 3, 1), dt.date(2026, 3, 2), None]  # three keys only: long runs of ties
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                body=body,
                title=f"Tied item {i:03d}",
                due_date=days[i % 3],
                status=ActionStatus.DONE if i % 10 == 5 else ActionStatus.OPEN,
            )
            for i in range(count)
        ]
    )


def _walk(client, url, pattern, start=""):
    """Follow the ``pattern`` links from ``url?start``: the item numbers of each page visited."""
    pages, query, seen = [], start, set()
    while query is not None and len(pages) < 50:
        assert query not in seen
        seen.add(query)
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        page = response.content.decode()
        pages.append([int(n) for n in ROW.findall(page)])
        found = pattern.search(page)
        query = html.unescape(found.group(1)) if found else None
    return pages


def test_next_walks_past_the_cap_to_the_end_with_ties_in_order(world, as_user, settings):
    settings.TANDEM_COUNT_CAP = 30  # numbered pages: 25 + 5 rows, then cursors
    _items(world)
    client = as_user(world.local)
    url = reverse("action_item_list")
    pages = _walk(client, url, NEXT)
    walked = [n for p in pages for n in p]
    assert sorted(walked) == list(range(70))  # nothing skipped, nothing repeated
    assert len(pages) == 4  # two numbered pages (25 + 5 rows), then two continued from cursors
    items = {int(i.title[-3:]): i for i in ActionItem.objects.filter(title__startswith="Tied item")}
    keys = [(items[n].status == ActionStatus.DONE, items[n].due_date or dt.date.max, items[n].pk) for n in walked]
    assert keys == sorted(keys)  # the list's order, ties broken by id, across the pages
    # Back from the last page with "Previous": the same pages, reversed, down to the cursor start.
    last = client.get(f"{url}?page=2").content.decode()
    start = html.unescape(NEXT.search(last).group(1))
    third = client.get(f"{url}?{start}").content.decode()
    fourth_query = html.unescape(NEXT.search(third).group(1))
    back = _walk(client, url, PREV, fourth_query)
    assert back[0] == pages[3] and back[1] == pages[2]


def test_a_bad_cursor_answers_the_first_page_with_a_message(world, as_user, settings):
    settings.TANDEM_COUNT_CAP = 30
    _items(world)
    client = as_user(world.local)
    url = reverse("action_item_list")
    first = ROW.findall(client.get(url).content.decode())
    for bad in ("nonsense", "W1sxLCIyMDI2LTAzLTAxIiwxXV0:forged:sig", "", "%00"):
        response = client.get(url, {"after": bad or "x", "status": ""})
        assert response.status_code == 200
        page = response.content.decode()
        assert ROW.findall(page) == first
        assert "no longer works" in page
    # A cursor of another list (another order) is refused the same way.
    inbox_cursor = pagination.cursor_of(ActionItem.objects.order_by("-id"), ActionItem.objects.first(), url)
    page = client.get(url, {"before": inbox_cursor}).content.decode()
    assert ROW.findall(page) == first and "no longer works" in page


def test_a_cursor_only_narrows_the_scoped_list(world, as_user, settings):
    """Another user's cursor walks that user's own list: nothing of the other scope leaks."""
    settings.TANDEM_COUNT_CAP = 30
    _items(world)
    national = as_user(world.national)
    url = reverse("action_item_list")
    cursor = html.unescape(NEXT.search(national.get(f"{url}?page=2").content.decode()).group(1))
    outsider = as_user(world.outsider)
    page = outsider.get(f"{url}?{cursor}").content.decode()
    assert ROW.findall(page) == []


def test_keyset_pages_of_the_audit_log_use_its_default_order(world):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="create", object_repr=f"keyset row {i}", jurisdiction_path="/1/") for i in range(7)]
    )
    qs = AuditEvent.objects.filter(object_repr__startswith="keyset row")
    first = list(qs[:3])
    page = pagination.keyset_page(qs, 3, after=pagination.cursor_of(qs, first[-1], "audit"), salt="audit")
    rest = list(page)
    assert [e.pk for e in first + rest] == [e.pk for e in qs[:6]]
    with pytest.raises(pagination.BadCursor):
        pagination.keyset_page(qs, 3, after=pagination.cursor_of(qs, first[-1], "audit"), salt="another list")
