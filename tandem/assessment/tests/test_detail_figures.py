"""The assessment page shows the same figures and rows to each reader after its queries were cut
(issue 11): medians computed here from the scores given, the rows, and the parts read once for two
uses (the reader's own invitation, the place's plans) checked against the separate reads they replaced."""

from __future__ import annotations

import copy
import html
import re
import statistics

import pytest
from django.urls import reverse

from tandem.assessment import access, selectors, services
from tandem.assessment.models import Level, Status
from tandem.assessment.selectors import Stat
from tandem.assessment.views._common import editable_plans
from tandem.core.models import Sector
from tandem.plans import access as plans_access

from .factories import agreement, answer_all, cebu_assessment, person_for
from .helpers import answered

# Respondent k gives item i the score SCORES[(k + i) % 5]: spread enough that medians differ.
SCORES = [0, 1, 2, 3, 4]
# Three local respondents and two national ones; three of the six answering are in security sectors.
PANEL = list(
    zip(
        [Sector.YOUTH, Sector.POLICE_SECURITY, Sector.WOMEN, Sector.POLICE_SECURITY, Sector.LOCAL_GOVERNMENT],
        [Level.LOCAL] * 3 + [Level.NATIONAL] * 2,
        strict=True,
    )
)


def _score(k):
    return lambda item: SCORES[(k + item.position) % len(SCORES)]


@pytest.fixture
def scene(world):
    """Cebu City in validation: five answered respondents plus the national coordinator, invited and
    answered too (a reader who runs it *and* answered it); a recommendation; the city's plan."""
    from tandem.plans.tests.factories import build_plans

    a = cebu_assessment(world)
    scores = {}  # item id -> every score given
    for k, (sector, level) in enumerate(PANEL):
        answered(world, a, _score(k), sector=sector, level=level)
    national_person = person_for(world, world.national, world.cebu_city, "Nora National")
    mine = services.respondent_invite(
        actor=world.local, assessment=a, person=national_person, sector=Sector.POLICE_SECURITY, level=Level.NATIONAL
    )
    answer_all(mine, world.national, _score(len(PANEL)))
    items = selectors.items(a.framework)
    for k in range(len(PANEL) + 1):
        for item in items:
            scores.setdefault(item.competency.code, []).append(_score(k)(item))
    a = services.assessment_transition(
        actor=world.local, assessment=a, to=Status.VALIDATION, expected_version=a.version
    )
    comp = selectors.competencies(a.framework)[0]
    services.recommendation_add(actor=world.local, assessment=a, competency=comp, text="Meet every quarter.")
    build_plans(world)
    world.assessment = a
    world.scores = scores
    return world


def _page(client, user, a):
    client.force_login(user)
    response = client.get(reverse("assessment_detail", kwargs={"uuid": a.uuid}))
    assert response.status_code == 200
    return response.content.decode()


def _competency_medians(page):
    table = page.split('id="competency-table"', 1)[1].split("</table>", 1)[0]
    return {
        html.unescape(name): median
        for name, median in re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', table)
    }


@pytest.mark.parametrize("persona", ["national", "regional", "local", "facilitator"])
def test_each_reader_sees_the_medians_rows_and_links_the_records_give(scene, client, persona):
    w, a = scene, scene.assessment
    user = getattr(w, persona)
    page = _page(client, user, a)

    # Figures: the median per competency, computed here from the scores handed out.
    names = {c.code: c.name for c in selectors.competencies(a.framework)}
    expected = {names[code]: f"{statistics.median(values):.1f}" for code, values in w.scores.items()}
    assert _competency_medians(page) == expected
    assert f"{len(PANEL) + 1} respondents answered." in page
    # The groups: both splits shown (three or more on each side), sized from the submitted rows only.
    table = page.split('id="competency-table"', 1)[1].split("</thead>", 1)[0]
    assert '<th scope="col">National</th><th scope="col">Local</th>' in table
    assert '<th scope="col">Security</th><th scope="col">Non-security</th>' in table
    # The radar: a ring per scale level up to the framework's highest (read with the items now).
    top = max(level.value for level in selectors.levels(a.framework))
    assert page.count('fill="none" stroke="#c8c8c8"') == top == 4

    # Rows: every respondent, to everyone who runs it.
    respondents = page.split('id="resp-heading"', 1)[1].split("</section>", 1)[0]
    assert respondents.count("<tr>") == 1 + len(PANEL) + 2  # the header; five, the national coordinator, the member
    assert "Nora National" in respondents and "Mario Member" in respondents

    # The reader's own invitation: read off the rows now, the separate query before.
    own = access.own_respondent(user, a)
    assert ("Your answers" in page) is (own is not None)
    assert (own is not None) is (persona == "national")

    # The city's plans, read once: the indicator names the latest, the follow-up link as before.
    latest = plans_access.visible_plans(user).filter(jurisdiction_id=a.jurisdiction_id).order_by("-period_end").first()
    assert latest is not None and latest.title == "Cebu City Local Action Plan"
    assert f'<a href="{reverse("plan_detail", kwargs={"uuid": latest.uuid})}">{latest.title}</a>' in page
    may_plan = editable_plans(user, a).exists()
    assert ("Turn into a plan activity" in page) is may_plan
    assert may_plan is (persona != "facilitator")  # the facilitator runs assessments, not plans


def test_an_archived_person_is_no_longer_ones_own_invitation_on_the_page(scene, client):
    """As ``own_respondent``: the reader's person archived, the "Your answers" panel goes, the row stays."""
    from tandem.core.models import Person

    w, a = scene, scene.assessment
    assert "Your answers" in _page(client, w.national, a)
    Person.objects.filter(user=w.national).update(archived_at="2026-01-01T00:00:00Z")
    assert access.own_respondent(w.national, a) is None
    page = _page(client, w.national, a)
    assert "Your answers" not in page and "Nora National" in page


def test_a_respondent_who_does_not_run_it_still_sees_only_their_own_panel(scene, client):
    """The member answered but runs nothing: no respondents' list, no results before the final step."""
    w, a = scene, scene.assessment
    page = _page(client, w.member, a)
    assert "Your answers" in page and 'id="resp-heading"' not in page and 'id="results"' not in page


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_respondents(scene, client, django_assert_num_queries):
    """Pinned: 25 queries for the lead before issue 11 (own invitation, the plans twice, the "Action
    plan" indicator, the scale levels and the answered groups read apart); 20 now. More respondents add none."""
    w, a = scene, scene.assessment
    client.force_login(w.local)
    url = reverse("assessment_detail", kwargs={"uuid": a.uuid})
    client.get(url)
    with django_assert_num_queries(20):
        assert client.get(url).status_code == 200
    services.assessment_transition(actor=w.local, assessment=a, to=Status.COLLECTING, expected_version=a.version)
    a.refresh_from_db()
    for k in range(3):
        answered(w, a, _score(k), sector=Sector.YOUTH, level=Level.LOCAL)
    with django_assert_num_queries(20):
        assert client.get(url).status_code == 200


def test_the_groups_counted_from_the_rows_of_those_who_run_it_are_those_the_database_counts(scene):
    w, a = scene, scene.assessment
    rows = list(selectors.respondents(w.regional, a))
    assert any(r.submitted_at is None for r in rows)  # the member has not answered
    read, counted = selectors.results(a), selectors.results(a, respondents=rows)
    assert (counted.answered, counted.splits) == (read.answered, read.splits) == (len(PANEL) + 1, counted.splits)
    assert [s.sizes for s in counted.splits] == [(3, 3), (3, 3)]
    assert [c.stat.median for c in counted.competencies] == [c.stat.median for c in read.competencies]
    stray = copy.copy(rows[0])
    stray.assessment_id = a.pk + 1  # a row of some other assessment: refused, not counted
    with pytest.raises(ValueError):
        selectors.results(a, respondents=[*rows, stray])


def test_a_stat_read_before_more_answers_are_added_gives_the_new_median():
    """The sorted scores are kept between reads; adding answers must drop them."""
    stat = Stat()
    stat.add(1, 1)
    assert stat.median == 1 and stat.iqr == 0
    stat.add(3, 2)
    assert stat.median == 3 and stat.iqr == 1
    other = Stat()
    other.add(0, 5)
    stat.merge(other)
    assert stat.median == 0 and stat.n == 8


# --- The indicators' figures, cached per reader (``tandem.dashboards.cache.place_entry``) ----------


@pytest.fixture
def cached(settings):
    """The dashboards' cache on (the suite runs with it off), emptied first."""
    from tandem.dashboards import cache

    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    return settings


def _evidence(page):
    return page.split('id="evidence-table"', 1)[1].split("</table>", 1)[0]


def _afresh(settings, read):
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 0
    try:
        return read()
    finally:
        settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300


def test_the_cached_indicators_follow_writes_at_the_place_and_in_the_exchange(world, client, cached):
    from tandem.bodies.tests.factories import cebu_body
    from tandem.plans.tests.factories import build_plans

    a = cebu_assessment(world)

    def evidence():
        return _evidence(_page(client, world.local, a))

    before = evidence()
    assert "Meetings held per body per quarter: none recorded" in before
    assert "Action plan: none recorded" in before and "Sharing agreements in force: 0" in before
    assert evidence() == before  # from the entry
    cebu_body(world)  # a body of the city, its members and a held meeting
    with_body = evidence()
    assert "Meetings held per body per quarter: none recorded" not in with_body
    assert with_body == _afresh(cached, evidence)
    build_plans(world)  # the city's plan
    with_plan = evidence()
    assert "Cebu City Local Action Plan" in with_plan and with_plan == _afresh(cached, evidence)
    agreement(world.local, world.cebu_city, "City data sharing")
    with_agreement = evidence()
    assert "Sharing agreements in force: 1" in with_agreement
    assert with_agreement == _afresh(cached, evidence)


def test_a_cached_entry_is_its_readers_own(world, cached):
    """One reader's figures are never served to another: the national coordinator counts the city's
    plan and body, the Kenyan outsider (who sees neither) counts none, cache or not."""
    from tandem.assessment import indicators
    from tandem.bodies.tests.factories import cebu_body
    from tandem.plans.tests.factories import build_plans

    reverse("assessment_list")  # the permissions the links test are declared with the URLs
    a = cebu_assessment(world)
    cebu_body(world)
    build_plans(world)

    def shown(user):
        return {k: [(i.label, i.value, i.url) for i in found] for k, found in indicators.indicators(user, a).items()}

    national, outsider = shown(world.national), shown(world.outsider)  # counted and stored, in this order
    assert shown(world.outsider) == outsider  # from the outsider's own entry
    assert national == _afresh(cached, lambda: shown(world.national))
    assert outsider == _afresh(cached, lambda: shown(world.outsider))
    assert national["sustainability"][0][1] == "Cebu City Local Action Plan"
    assert outsider["sustainability"][0][1] == "none recorded"
    assert outsider["coordination"][0][1] == "none recorded" != national["coordination"][0][1]


def test_the_warm_page_counts_no_indicator_again(scene, client, cached, django_assert_num_queries):
    w, a = scene, scene.assessment
    client.force_login(w.local)
    url = reverse("assessment_detail", kwargs={"uuid": a.uuid})
    cold = client.get(url).content.decode()
    with django_assert_num_queries(20 - 6):  # the indicators' six queries (the plans are read for the links)
        warm = client.get(url).content.decode()
    masked = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF token, masked anew on every response
    assert masked.sub("", warm) == masked.sub("", cold)
