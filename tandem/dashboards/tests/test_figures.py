"""The figures added this round: coverage per level and per quarter, alignment gaps, the units
below, the newer apps' figures, the quarterly PDF, exports, French; and no figure of a regional
coordinator ever counts a record of another region."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tandem.core import figures as core_figures
from tandem.dashboards import selectors
from tandem.dashboards.tests.test_dashboards import busy  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
BODY_KIND = "coordination_committee"


@pytest.fixture
def manila_too(busy):  # noqa: F811
    """Records in the National Capital Region, which the Visayas coordinator must never count."""
    from tandem.bodies import services as bodies_services
    from tandem.plans import services as plans_services

    plans_services.roadmap_record(
        actor=busy.admin, jurisdiction=busy.manila, stage="adopted", date=timezone.localdate() - dt.timedelta(days=3)
    )
    body = bodies_services.body_create(
        actor=busy.admin, jurisdiction=busy.manila, name="Manila Peace Council", kind=BODY_KIND
    )
    bodies_services.action_item_create(
        actor=busy.admin, body=body, title="Manila late", due_date=timezone.localdate() - dt.timedelta(days=10)
    )
    busy.manila_body = body
    return busy


def _total(figure, actor, **kw) -> int:
    return sum(v for v in figure.counts(core_figures.Scope(actor, **kw)).values())


def test_coverage_per_level_and_at_each_quarter_end(manila_too):
    w = manila_too
    national = selectors.COVERAGE.counts(w.national)
    assert national["city:drafted"] == 1 and national["city:adopted"] == 1  # Cebu City, Manila
    assert national["region:not_started"] == 2 and national["province:not_started"] == 1
    assert sum(national.values()) == 5
    trend = selectors.COVERAGE_TREND.counts(w.national)
    drafted_on = timezone.localdate() - dt.timedelta(days=30)
    for key, _start, end in core_figures.quarters():
        assert trend[f"{key}:drafted"] == (1 if end > drafted_on else 0), key
        assert sum(trend[f"{key}:{stage}"] for stage in selectors.RoadmapStage.values) == 5


def test_coverage_read_in_one_pass_gives_each_unit_s_latest_stage(manila_too, django_assert_num_queries):
    """The counts read every unit's changes in one pass (``_stages_at``); the lists still ask each
    unit's latest change (``_latest_stage``): they agree on a unit with several changes, two on the
    same day (the later id wins), one on a quarter's last day, one after it and one in the future."""
    from tandem.plans import services as plans_services
    from tandem.plans.models import RoadmapStageChange

    w = manila_too
    today = timezone.localdate()
    _key, start, end = core_figures.quarters()[-2]  # the quarter before this one
    for stage, day in (
        ("drafted", start - dt.timedelta(days=40)),
        ("consultation", end - dt.timedelta(days=1)),
        ("adopted", end - dt.timedelta(days=1)),  # the same day, a later id: this one
        ("implementing", end),
    ):
        plans_services.roadmap_record(actor=w.admin, jurisdiction=w.cebu, stage=stage, date=day)
    # Not through the service (it refuses a future day), as an import could have written it.
    RoadmapStageChange.objects.create(jurisdiction=w.cebu, stage="evaluated", date=today + dt.timedelta(days=20))
    assert RoadmapStageChange.objects.filter(jurisdiction=w.cebu).count() == 5
    for actor in (w.national, w.regional, w.local, w.outsider):
        for within in ("", w.visayas.path):
            scope = core_figures.Scope(actor, within=within if actor == w.national else "")
            for figure in (selectors.COVERAGE, selectors.COVERAGE_TREND):
                counts = figure.counts(core_figures.Scope(scope.actor, within=scope.within))
                for bucket in figure.buckets(scope):
                    assert counts[bucket.key] == figure.records(scope, bucket.key).count(), (figure.key, bucket.key)
    trend = selectors.COVERAGE_TREND.counts(w.national)
    assert trend[f"{core_figures.quarters()[-2][0]}:adopted"] == 1  # Cebu province at that quarter's end
    # On the page the trend takes the coverage's reading: one query for both.
    scope = core_figures.Scope(w.national)
    with django_assert_num_queries(1):
        selectors.COVERAGE.counts(scope)
        assert selectors.COVERAGE_TREND.counts(scope) == trend


def test_alignment_gaps(busy):  # noqa: F811
    objectives = selectors.NO_ACTIVITY.counts(busy.national)["all"]
    assert objectives == 2  # 1.2 and 1.3; 1.1 has Cebu City's activity
    listed = {o.code for o in selectors.NO_ACTIVITY.records(busy.national, "all")}
    assert listed == {"1.2", "1.3"}
    in_ncr = core_figures.Scope(busy.national, within=busy.ncr.path)
    assert selectors.NO_ACTIVITY.counts(in_ncr)["all"] == 3  # no activity of Cebu City there
    no_plan = selectors.NO_PLAN.counts(busy.national)
    assert no_plan == {**dict.fromkeys(no_plan, 0), "region": 2, "province": 1, "city": 1}  # Manila only
    assert selectors.NO_PLAN.counts(busy.regional) == {**dict.fromkeys(no_plan, 0), "region": 1, "province": 1}


def test_a_regional_coordinator_never_counts_another_region(manila_too, client):
    w = manila_too
    own = core_figures.Scope(w.regional)
    inside = core_figures.Scope(w.national, within=w.visayas.path)
    for key, figure in selectors.figures().items():
        if figure.personal:
            continue
        mine = figure.counts(own)
        for bucket in figure.buckets(own):
            for record in figure.records(own, bucket.key)[:50]:
                path = getattr(record, "path", "") or ""
                assert not path.startswith(w.ncr.path), (key, record)
        if key in {"coverage", "coverage_trend", "localities_without_plan", "meetings", "quiet_bodies"}:
            # What a region's coordinator counts is what the national coordinator counts inside it.
            assert mine == figure.counts(inside), key
    assert _total(selectors.COVERAGE, w.regional) == 3  # Central Visayas, Cebu, Cebu City; never Manila
    assert selectors.COVERAGE.counts(w.regional)["city:adopted"] == 0
    client.force_login(w.regional)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Manila" not in html and "National Capital Region" not in html
    assert client.get(reverse("dashboard"), {"within": w.ncr.uuid}).status_code == 404
    assert client.post(reverse("dashboard_report"), {"within": w.ncr.uuid, "period": "2026-Q1"}).status_code == 404


def test_the_units_below_with_their_figures_and_their_dashboards(manila_too, client):
    w = manila_too
    client.force_login(w.national)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="/dashboard/?within={w.visayas.uuid}">Central Visayas</a>' in html
    assert f"/dashboard/?within={w.ncr.uuid}#figure-coverage" in html
    answer = client.get(reverse("dashboard_export", args=["units", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    header, by_name = rows[0], {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"Central Visayas", "National Capital Region"}
    adopted = header.index("Adopted a plan or beyond")
    assert by_name["National Capital Region"][adopted] == "1" and by_name["Central Visayas"][adopted] == "0"
    overdue = header.index("Overdue action items")
    assert by_name["Central Visayas"][overdue] == "1" and by_name["National Capital Region"][overdue] == "1"
    quiet = header.index("Bodies without a meeting")
    assert by_name["National Capital Region"][quiet] == "1"  # the new Manila council
    for unit, name in ((w.visayas, "Central Visayas"), (w.ncr, "National Capital Region")):
        inside = core_figures.Scope(w.national, within=unit.path)
        assert by_name[name][quiet] == str(selectors.QUIET.counts(inside)["all"])
    # Each number is the figure on the unit's own dashboard.
    visayas = client.get(reverse("dashboard"), {"within": w.visayas.uuid}).content.decode()
    shown = re.search(r'data-figure="overdue_actions" data-bucket="8-30">(\d+)<', visayas)
    assert shown is not None and shown.group(1) == "1"


def test_every_table_downloads_as_csv_and_xlsx(busy, client):  # noqa: F811
    client.force_login(busy.national)
    for key in [*selectors.figures(), "units"]:
        for fmt in ("csv", "xlsx"):
            answer = client.get(reverse("dashboard_export", args=[key, fmt]))
            assert answer.status_code == 200, (key, fmt)
    assert client.get(reverse("dashboard_export", args=["units", "pdf"])).status_code == 404


def test_a_past_quarter_counts_as_at_its_end(busy):  # noqa: F811
    last = core_figures.quarters(2)[0]
    with core_figures.as_of(last[2] - dt.timedelta(days=1)):
        assert core_figures.quarters()[-1][0] == last[0]
        assert core_figures.today() == last[2] - dt.timedelta(days=1)


def test_newer_apps_figures_through_the_registry(world, client):
    from tandem.capacity.tests.factories import cebu_training
    from tandem.funding import services as funding_services
    from tandem.funding.tests import factories as funding_factories

    cebu_training(world)
    funding_factories.call(world)
    award = funding_factories.award(world)
    funding_services.payment_record(
        actor=world.local, award=award, amount="20000", paid_on=timezone.localdate(), tranche=world.funding_tranche
    )
    keys = set(selectors.figures())
    assert {"trainings", "training_reach", "funds_committed", "funds_disbursed", "assessment_scores"} <= keys
    quarter = core_figures.quarter_of(world.session.starts_at.date())[0]
    assert selectors.figures()["trainings"].counts(world.local)[quarter] == 1
    assert selectors.figures()["training_reach"].counts(world.local)[quarter] == 1
    committed = selectors.figure_table(world.local, selectors.figures()["funds_committed"])
    disbursed = selectors.figure_table(world.local, selectors.figures()["funds_disbursed"])
    assert [(r["key"], str(r["count"])) for r in committed] == [(award.currency, "40000.00")]
    assert [(r["key"], str(r["count"])) for r in disbursed] == [(award.currency, "20000.00")]
    # Someone in another country counts none of it.
    assert selectors.figure_table(world.outsider, selectors.figures()["funds_committed"]) == []
    assert selectors.figures()["trainings"].counts(world.outsider)[quarter] == 0
    client.force_login(world.local)
    listed = client.get(reverse("dashboard_figure", args=["funds_committed"]), {"bucket": award.currency})
    assert listed.status_code == 200 and ">1 record<" in listed.content.decode()


def test_in_french(busy, client):  # noqa: F811
    client.force_login(busy.national)
    with translation.override("fr"):
        html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Tableau de bord national" in html
    assert "Les unités en dessous" in html


def test_no_assessment_mean_from_fewer_than_three_people(world, client):
    from tandem.assessment import services as assessment_services
    from tandem.assessment.models import Level
    from tandem.assessment.tests.factories import answer_all, cebu_assessment, person_for
    from tandem.core.models import Sector

    figure = selectors.figures()["assessment_scores"]
    a = cebu_assessment(world)
    answer_all(world.respondent, world.member, lambda i: 2)
    client.force_login(world.national)
    html = client.get(reverse("dashboard")).content.decode()
    assert set(figure.counts(world.national).values()) == {None}  # one person: no mean at all
    assert 'data-figure="assessment_scores" data-bucket="' in html and "fewer than 3 answers" in html
    from tandem.core import services as core_services

    token = core_services.api_token_create(actor=world.national, name="test").secret
    answer = client.get("/api/v1/dashboard", HTTP_AUTHORIZATION=f"Bearer {token}")
    api = {f["key"]: f for f in answer.json()}["assessment_scores"]
    assert {(b["count"], b["withheld"]) for b in api["buckets"]} == {(None, "fewer than 3 answers")}
    for n, user in enumerate((world.cso, world.company), start=1):
        person = person_for(world, user, world.cebu_city, f"Answerer {n}")
        respondent = assessment_services.respondent_invite(
            actor=world.local, assessment=a, person=person, sector=Sector.YOUTH, level=Level.LOCAL
        )
        answer_all(respondent, user, lambda i, n=n: 2 + n)  # 2, 3, 4: a mean of 3
        means = figure.counts(world.national)
        assert (set(means.values()) == {None}) is (n == 1), means  # two people: still none
    assert {str(m) for m in means.values() if m is not None} == {"3.00"}
    html = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'data-figure="assessment_scores" data-bucket="[^"]+">3[.,]00<', html)


def test_overdue_items_and_meetings_counted_per_body_equal_their_lists_and_each_unit_s_dashboard(manila_too):
    """The overdue items are counted per visible body (the rule and the scope tested on the bodies)
    and the meetings only over the last four quarters: the same numbers as their lists, for the
    keeper of a body's action log too (who sees none of its other internals), and in the units'
    column the number each unit's own dashboard shows; a meeting older than a year counts nowhere."""
    from tandem.bodies import services as bodies_services
    from tandem.bodies.models import SeatKind
    from tandem.dashboards import panels

    w = manila_too
    today = timezone.localdate()
    seat = bodies_services.seat_create(actor=w.admin, body=w.body, title="Secretariat", kind=SeatKind.SECRETARIAT)
    bodies_services.seat_assign(  # Cebu Shipping Co keeps the log (the company persona acts for it)
        actor=w.admin, seat=seat, organisation=w.company_org, start_date=today - dt.timedelta(days=100)
    )
    bodies_services.action_item_create(
        actor=w.admin, body=w.body, title="Minutes overdue", due_date=today - dt.timedelta(days=40)
    )
    for days in (3, 800):  # this quarter, and two years ago
        bodies_services.meeting_create(
            actor=w.admin,
            body=w.manila_body,
            title=f"Session {days}",
            starts_at=timezone.now() - dt.timedelta(days=days),
            time_zone="Asia/Manila",
            status="held",
        )
    assert selectors.OVERDUE.counts(w.company) == {"0-7": 0, "8-30": 1, "31+": 1}  # the log's keeper
    assert selectors.OVERDUE.counts(w.viewer) == {"0-7": 0, "8-30": 0, "31+": 0}  # no internals, no log
    for user in (w.national, w.regional, w.local, w.member, w.company):
        for figure in (selectors.OVERDUE, selectors.MEETINGS):
            counts = figure.counts(user)
            for bucket, n in counts.items():
                assert n == figure.records(user, bucket).count(), (user.username, figure.key, bucket)
    scope = core_figures.Scope(w.national)
    units = panels._below(scope, None)
    counted = panels._count(scope, units)
    for unit in units:
        inside = core_figures.Scope(w.national, within=unit.path)
        for figure in (selectors.OVERDUE, selectors.MEETINGS):
            shown = counted["units"][figure.key].get(unit.pk, 0)
            assert shown == sum(figure.counts(inside).values()), (figure.key, unit.name)
    assert counted["units"]["meetings"].get(w.ncr.pk, 0) == 1  # this quarter's, not the old one
