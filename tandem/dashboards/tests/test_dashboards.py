"""The dashboard as each persona sees it: every figure equals the list its link opens, nothing is
counted that the reader cannot open, the query count does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.conftest import PERSONAS
from tandem.dashboards import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(world):
    """Cebu City's body and plan, an overdue action item, an AMBER request up to the national level,
    a progress report waiting for review and a roadmap stage."""
    from tandem.bodies import services as bodies_services
    from tandem.bodies.tests.factories import cebu_body
    from tandem.exchange.tests.conftest import send_item
    from tandem.plans import services as plans_services
    from tandem.plans.tests.factories import build_plans

    cebu_body(world)
    build_plans(world)
    today = timezone.localdate()
    world.late_action = bodies_services.action_item_create(
        actor=world.admin,
        body=world.body,
        title="Late report",
        owner_organisation=world.cso_org,
        due_date=today - dt.timedelta(days=12),
    )
    world.request = send_item(
        world,
        sender=world.local,
        tlp="AMBER",
        kind="request",
        title="Shelter needs",
        jurisdictions=[world.ph],
        direction="up",
        due_date=today + dt.timedelta(days=2),
    )
    plans_services.period_submit(actor=world.local, period=world.period, expected_version=world.period.version)
    plans_services.roadmap_record(
        actor=world.local, jurisdiction=world.cebu_city, stage="drafted", date=today - dt.timedelta(days=30)
    )
    return world


def _drill_count(client, key, bucket) -> int:
    page = client.get(reverse("dashboard_figure", args=[key]), {"bucket": bucket})
    assert page.status_code == 200
    return int(re.search(r'id="figure-count">(\d+) record', page.content.decode()).group(1))


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_every_figure_equals_the_list_behind_it(busy, client, persona):
    user = busy.personas[persona]
    client.force_login(user)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    for key, figure in selectors.figures().items():
        counts = figure.counts(user)
        for bucket in figure.buckets(user):
            shown = re.search(rf'data-figure="{key}" data-bucket="{re.escape(bucket.key)}">([\d.,]+)<', html)
            if figure.amount:  # a sum or a mean: its list is the records it is taken over
                continue
            if shown is None:  # a matrix hides the levels nobody has
                assert figure.matrix is not None and counts[bucket.key] == 0, (key, bucket.key)
                continue
            assert int(shown.group(1)) == counts[bucket.key] == figure.records(user, bucket.key).count()
            if counts[bucket.key]:
                assert _drill_count(client, key, bucket.key) == counts[bucket.key]


def test_the_national_coordinator_sees_the_amber_request_and_others_do_not(busy, client):
    national = selectors.REQUESTS.counts(busy.national)
    assert national["0-7:up"] == 1
    client.force_login(busy.national)
    listed = client.get(reverse("dashboard_figure", args=["requests"]), {"bucket": "0-7:up"}).content.decode()
    assert "Shelter needs" in listed
    # The regional coordinator is not among the AMBER recipients: the figure does not count it.
    assert selectors.REQUESTS.counts(busy.regional)["0-7:up"] == 0
    assert selectors.REQUESTS.counts(busy.outsider)["0-7:up"] == 0
    # Needs me: the national coordinator has a request to answer this week, the sender does not.
    assert selectors.NEEDS.counts(busy.national)["requests_to_answer"] == 1
    assert selectors.NEEDS.counts(busy.local)["requests_to_answer"] == 0
    # The page counts them with the open requests (one reading of them) and "needs me" takes that
    # number: the same, for the reader who has one to answer and the one who has none.
    for reader, expected in ((busy.national, 1), (busy.local, 0)):
        scope = selectors.Scope(reader)
        selectors.REQUESTS.counts(scope)
        assert scope.counted == {"requests_to_answer": expected}
        assert selectors.NEEDS.counts(scope)["requests_to_answer"] == expected
    from tandem.core import services as core_services

    token = core_services.api_token_create(actor=busy.national, name="test").secret
    api = client.get("/api/v1/dashboard", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    needs = {b["key"]: b["count"] for f in api if f["key"] == "needs_me" for b in f["buckets"]}
    assert needs["requests_to_answer"] == 1


def test_figures_of_a_local_coordinator_stay_in_their_scope(busy):
    assert selectors.OVERDUE.counts(busy.local)["8-30"] == 1
    assert selectors.OVERDUE.counts(busy.outsider)["8-30"] == 0
    assert selectors.COVERAGE.counts(busy.local)["city:drafted"] == 1
    assert selectors.COVERAGE.counts(busy.outsider)["city:drafted"] == 0
    # The regional coordinator reviews Cebu City's progress? No: the level above Cebu City is Cebu province.
    assert selectors.REVIEWS.counts(busy.national)["0-7"] == 1
    assert selectors.NEEDS.counts(busy.regional)["my_reviews"] == 1


def test_csv_export_has_the_figures(busy, client):
    client.force_login(busy.national)
    answer = client.get(reverse("dashboard_export", args=["requests", "csv"]))
    assert answer.status_code == 200
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert '"up to 7 days, upward",1' in text
    assert client.get(reverse("dashboard_export", args=["nope", "csv"])).status_code == 404


def test_chart_is_svg_with_a_table(busy, client):
    client.force_login(busy.national)
    html = client.get(reverse("dashboard")).content.decode()
    for key, figure in selectors.figures().items():
        if figure.buckets(busy.national) and key != "coverage":  # coverage: only the levels someone has
            assert f'id="chart-{key}-title"' in html, key
    assert "<table>" in html and "<script" not in html.split("<main")[-1]


def test_query_count_does_not_grow_with_the_data(busy, client, django_assert_max_num_queries):
    from tandem.bodies import services as bodies_services

    client.force_login(busy.national)
    client.get(reverse("dashboard"))  # warm the session
    with django_assert_max_num_queries(QUERY_BUDGET) as before:
        client.get(reverse("dashboard"))
    assert len(before.captured_queries) == QUERY_BUDGET
    for i in range(5):
        bodies_services.action_item_create(
            actor=busy.admin,
            body=busy.body,
            title=f"Late {i}",
            due_date=timezone.localdate() - dt.timedelta(days=40 + i),
        )
    with django_assert_max_num_queries(QUERY_BUDGET) as after:
        client.get(reverse("dashboard"))
    assert len(after.captured_queries) == len(before.captured_queries)


# session, user, grants; the reader's organisations 1 (read once, for the counts over many exchange
# and action items); "needs me" 1 query; the units below 1; each other figure 1 (bodies, plans,
# exchange, capacity, funding, assessment), its units' column counted in the same query (grouped by
# unit), but the coverage and its trend: 1 for both (the roadmap's changes read once); my quarterly
# reports 1. (With the cache on, a second view makes about 5: test_cache.)
QUERY_BUDGET = 20


def test_a_region_s_dashboard_from_the_national_one(busy, client):
    client.force_login(busy.national)
    html = client.get(reverse("dashboard")).content.decode()
    assert f"?within={busy.visayas.uuid}" in html and f"?within={busy.ncr.uuid}" in html
    visayas = client.get(reverse("dashboard"), {"within": busy.visayas.uuid}).content.decode()
    manila = client.get(reverse("dashboard"), {"within": busy.ncr.uuid}).content.decode()
    overdue = 'data-figure="overdue_actions" data-bucket="8-30">{}<'
    assert overdue.format(1) in visayas and overdue.format(0) in manila
    listed = client.get(
        reverse("dashboard_figure", args=["overdue_actions"]), {"bucket": "8-30", "within": busy.ncr.uuid}
    )
    assert ">0 records<" in listed.content.decode()
    # A jurisdiction outside the reader's scope: the same 404 as a missing one.
    client.force_login(busy.local)
    assert client.get(reverse("dashboard"), {"within": busy.ncr.uuid}).status_code == 404
    assert client.get(reverse("dashboard"), {"within": "not-a-uuid"}).status_code == 404
