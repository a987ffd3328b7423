"""The action item list's rows and order: the same for every reader, page and filter, however read.

A list narrowed below a country (a regional coordinator's, or one filtered to a region or a body)
is read body by body on PostgreSQL (``tandem.core.idsets.first_per_group``); every other list in
the order of its index. Either way the rows must be exactly those of the access rule
(``visible_action_items``), filtered, in the order the list has always had: open first, then by
due date (none last), then by id. These tests compare the two on a spread of bodies and items
whose order interleaves across bodies, page by numbered page and cursor by cursor.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tandem.bodies import access, selectors, services
from tandem.bodies.models import ActionItem, ActionStatus, BodyKind, SeatKind
from tandem.core import pagination
from tandem.core import services as core_services

from .factories import cebu_body

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
PER_BODY = 7
UUID_RE = re.compile(r"/bodies/action-items/([0-9a-f-]{36})/")


def _council(w, name, place):
    return services.body_create(actor=w.admin, name=name, kind=BodyKind.COORDINATION_COMMITTEE, jurisdiction=place)


def _keeper(w, body, *, person=None, organisation=None):
    seat = services.seat_create(actor=w.admin, body=body, title="Secretariat", kind=SeatKind.SECRETARIAT)
    start = timezone.localdate() - dt.timedelta(days=10)
    services.seat_assign(actor=w.admin, seat=seat, person=person, organisation=organisation, start_date=start)


def spread(w):
    """Bodies across the Philippines, seven items each, their statuses and due dates mixed so that the
    list's order interleaves them (ties on the due date included, so the id decides):

    - Cebu City's peace council (``cebu_body``: the youth forum, so the member, is a member), a Cebu
      province council and a Central Visayas one: the regional coordinator's region;
    - an archived Cebu City forum the youth forum was a member of (coordinators still read its
      items; its members and keepers no longer do);
    - three Manila councils whose action log is kept by the regional coordinator (as a person), by
      Cebu City Hall (the local coordinator acts for it) and by the youth forum (the member): each
      keeper reads their items but nothing inside; and a fourth Manila council nobody here keeps.
    """
    today = timezone.localdate()
    w.regional_person = core_services.person_create(
        actor=w.admin, jurisdiction=w.visayas, full_name="Rosa Regional", user=w.regional
    )
    w.city = cebu_body(w)
    w.province = _council(w, "Cebu Province Council", w.cebu)
    w.region_body = _council(w, "Visayas Regional Council", w.visayas)
    w.old = _council(w, "Old Cebu City Forum", w.cebu_city)
    services.membership_add(actor=w.admin, body=w.old, organisation=w.cso_org, start_date=today - dt.timedelta(days=50))
    w.kept_by_regional = _council(w, "Manila Harbour Council", w.manila)
    _keeper(w, w.kept_by_regional, person=w.regional_person)
    w.kept_by_hall = _council(w, "Manila Market Council", w.manila)
    _keeper(w, w.kept_by_hall, organisation=w.city_hall)
    w.kept_by_forum = _council(w, "Manila Youth Council", w.manila)
    _keeper(w, w.kept_by_forum, organisation=w.cso_org)
    w.manila_only = _council(w, "Manila Peace Council", w.manila)
    bodies = [w.city, w.province, w.region_body, w.old, w.kept_by_regional, w.kept_by_hall, w.kept_by_forum]
    bodies.append(w.manila_only)
    rng = random.Random(11)
    statuses = list(ActionStatus.values)
    items = []
    for body in bodies:
        for n in range(PER_BODY):
            status = rng.choice(statuses + [ActionStatus.OPEN] * 2)
            due = None if rng.random() < 0.2 else today + dt.timedelta(days=rng.randint(-4, 4))
            word = "report" if n % 3 == 0 else "task"
            items.append(
                ActionItem(
                    body=body,
                    title=f"{body.name} {word} {n}",
                    status=status,
                    due_date=due,
                    completed_on=today if status == ActionStatus.DONE else None,
                )
            )
    rng.shuffle(items)  # ids do not follow the bodies
    ActionItem.objects.bulk_create(items)
    services.body_archive(actor=w.admin, body=w.old, archived=True)
    return bodies


def by_rule(actor, *, term="", status="", overdue=False, body=None, within=None):
    """The rule's rows (``visible_action_items``), filtered and sorted here, in Python, the list's way:
    ``(id, meeting_visible)``, so a row shown with the wrong meeting flag differs too."""
    today = timezone.localdate()
    term = term.lower()
    kept = []
    for item in access.visible_action_items(actor):
        if term and term not in item.title.lower() and term not in item.body.name.lower():
            continue
        if status == "open_all" and item.status not in OPEN or status not in ("", "open_all") and item.status != status:
            continue
        if overdue and not (item.status in OPEN and item.due_date is not None and item.due_date < today):
            continue
        if body is not None and item.body_id != body.pk:
            continue
        if within is not None and not item.body.jurisdiction.path.startswith(within.path):
            continue
        kept.append(item)
    kept.sort(key=lambda i: (0 if i.status in OPEN else 1, i.due_date or dt.date.max, i.pk))
    return [(i.pk, i.meeting_visible) for i in kept]


def rows_of(items):
    return [(i.pk, i.meeting_visible) for i in items]


def read_per_body(rows) -> bool:
    return "LATERAL" in str(rows[:3].query)


def check_every_page(rows, expected, size=3):
    """Numbered pages (OFFSET), single rows, keyset pages forwards and backwards, and the capped count."""
    assert rows_of(rows[:500]) == expected
    for start in range(0, len(expected) + size, size):
        assert rows_of(rows[start : start + size]) == expected[start : start + size], start
    for k in (0, len(expected) // 2, len(expected) - 1):
        if k >= 0 and expected:
            item = rows[k]
            assert (item.pk, item.meeting_visible) == expected[k]
    assert pagination.CappedPaginator(rows, size).count == len(expected)
    if not expected:
        return
    # Forwards: each page continues from the cursor of the last row of the one before.
    seen = rows_of(rows[:size])
    last = list(rows[:size])[-1]
    while True:
        page = pagination.keyset_page(rows, size, after=pagination.cursor_of(rows, last, "t"), salt="t")
        seen += rows_of(page)
        if not page.has_next():
            break
        last = page.object_list[-1]
    assert seen == expected
    # Backwards from the last row.
    tail = list(rows[len(expected) - 1 : len(expected)])[0]
    back = []
    cursor = pagination.cursor_of(rows, tail, "t")
    while cursor:
        page = pagination.keyset_page(rows, size, before=cursor, salt="t")
        back = rows_of(page) + back
        cursor = page.previous_cursor if page.has_previous() else None
    assert back == expected[:-1]


FILTERS = [
    {},
    {"status": "open_all"},
    {"status": ActionStatus.DONE},
    {"overdue": True},
    {"term": "manila"},
    {"term": "report"},
    {"within": "cebu"},
    {"within": "manila"},
    {"within": "ph"},
    {"body": "kept_by_hall"},
    {"body": "old"},
    {"status": "open_all", "within": "visayas", "term": "report"},
]


@pytest.mark.parametrize("persona", ["regional", "local", "member", "national"])
def test_every_reader_gets_the_rules_rows_in_the_lists_order_on_every_page(world, persona):
    spread(world)
    actor = getattr(world, persona)
    for raw in FILTERS:
        filters = {k: getattr(world, v) if k in ("within", "body") else v for k, v in raw.items()}
        expected = by_rule(actor, **filters)
        rows = selectors.filter_action_items(actor, ordered=True, **filters)
        check_every_page(rows, expected)
        # A coordinator of a region, or one working in a region or below, not on one body: body by body.
        narrowed = persona == "regional" or raw.get("within") in ("cebu", "manila", "visayas")
        per_body = connection.vendor == "postgresql" and persona in ("regional", "national") and narrowed
        per_body = per_body and "body" not in raw
        assert read_per_body(rows) is per_body, raw


def test_the_spread_holds_what_the_comparison_must_cover(world):
    """The cases above are not empty: each reader's list holds a kept body's items without their
    meetings, the archived body's items for coordinators only, and pages of several bodies."""
    spread(world)
    kept = {world.regional: world.kept_by_regional, world.local: world.kept_by_hall, world.member: world.kept_by_forum}
    for reader, body in kept.items():
        shown = dict(by_rule(reader, body=body))
        assert len(shown) == PER_BODY and not any(shown.values())
        assert by_rule(reader, body=world.manila_only) == []
    assert len(by_rule(world.regional, body=world.old)) == PER_BODY == len(by_rule(world.national, body=world.old))
    assert by_rule(world.member, body=world.old) == []
    first = [ActionItem.objects.get(pk=pk).body_id for pk, _flag in by_rule(world.regional)[:6]]
    assert len(set(first)) >= 3
    assert len(by_rule(world.regional)) == 5 * PER_BODY + 1  # Cebu City's body holds one item more


def test_the_regional_list_pages_show_the_rules_rows_in_order(world, client):
    spread(world)
    client.force_login(world.regional)
    url = reverse("action_item_list")
    expected = [ActionItem.objects.get(pk=pk).uuid for pk, _flag in by_rule(world.regional)]
    shown = []
    for number in (1, 2):
        page = client.get(url, {"within": "", "page": number}).content.decode()
        shown += list(dict.fromkeys(UUID_RE.findall(page)))
    assert shown == [str(u) for u in expected]
    # Past a numbered page, the cursor continues where the first page ended.
    rows = selectors.filter_action_items(world.regional, ordered=True)
    size = len(list(dict.fromkeys(UUID_RE.findall(client.get(url, {"within": ""}).content.decode()))))
    cursor = pagination.cursor_of(rows, rows[size - 1], url)
    page = client.get(url, {"within": "", "after": cursor}).content.decode()
    assert list(dict.fromkeys(UUID_RE.findall(page))) == [str(u) for u in expected[size : 2 * size]]


# The list's queries (session, user, grants, the capped count, the within choices, the page; and the
# jurisdiction of a ``within``): the same for every reader and page, read body by body or not.
LIST_QUERIES = 6


@pytest.mark.parametrize(
    ("persona", "query"),
    [("regional", {}), ("local", {}), ("member", {}), ("national", {}), ("national", {"within": "visayas"})],
)
def test_the_list_reads_a_fixed_number_of_queries(world, client, django_assert_num_queries, persona, query):
    spread(world)
    client.force_login(getattr(world, persona))
    url = reverse("action_item_list")
    params = {"within": str(getattr(world, query["within"]).uuid) if "within" in query else ""}
    expected = LIST_QUERIES + (1 if "within" in query else 0)
    client.get(url, params)
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200
    with django_assert_num_queries(expected):
        assert client.get(url, {**params, "page": 2}).status_code == 200
