"""The global search: what a user finds (and what never leaks), on the database in use (the CI runs
this file on SQLite and on PostgreSQL)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import F, Value
from django.db.models.functions import Concat

from tandem.core import idsets, registry, services
from tandem.search import selectors
from tandem.search.models import SearchEntry
from tandem.tests.test_access_functions import BUILDERS

MARK = "zanzibarqx"  # a word no record of the cast contains


def _mark(kind: str, record) -> None:
    """Add ``MARK`` to the record's entry, so only that record matches it."""
    entries = SearchEntry.objects.filter(kind=kind, object_id=record.pk)
    assert entries.exists(), f"{kind}: the record was not indexed when it was saved"
    entries.update(title=Concat(F("title"), Value(f" {MARK}")))


def _api(client, user, **params) -> dict:
    secret = services.api_token_create(actor=user, name="search").secret
    return client.get("/api/v1/search/", params, HTTP_AUTHORIZATION=f"Bearer {secret}")


def _run(user, q: str, **kwargs) -> selectors.Results:
    return selectors.run(user, selectors.Query(q=q, **kwargs))


SOURCES = [(s.kind, s.visible.__module__, s.visible.__name__) for s in registry.search_sources()]


def test_every_app_with_records_contributes_a_source():
    kinds = {kind for kind, _, _ in SOURCES}
    assert {
        "jurisdiction", "organisation", "person", "body", "meeting", "minutes", "decision", "action_item", "plan",
        "objective", "activity", "exchange_item", "agreement", "library_item", "assessment", "course",
        "training_session", "funding_call", "network_membership", "event",
    } <= kinds  # fmt: skip


@pytest.mark.parametrize(("kind", "module", "function"), SOURCES, ids=[s[0] for s in SOURCES])
def test_a_record_outside_the_scope_never_appears_nor_counts(world, client, kind, module, function):
    """Per kind, with the app's own access case: the rightful user finds the record and counts it;
    the outsider (same country where the rule is narrower) gets no hit, no count, no title."""
    case = BUILDERS[module](world, function)
    _mark(kind, case.record)
    title = SearchEntry.objects.get(kind=kind, object_id=case.record.pk).title

    found = _run(case.rightful, MARK)
    assert [(k.kind, k.count) for k in found.kinds] == [(kind, 1)]
    assert [h.title for h in found.hits] == [title] and found.total == 1

    hidden = _run(case.outsider, MARK)
    assert (hidden.total, hidden.kinds, hidden.hits, hidden.years) == (0, [], [], [])
    client.force_login(case.outsider)
    page = client.get("/search/", {"q": MARK})
    assert page.status_code == 200 and title not in page.content.decode()
    answer = _api(client, case.outsider, q=MARK).json()
    assert answer["count"] == 0 and answer["kinds"] == [] and answer["results"] == []


@pytest.mark.parametrize(("kind", "module", "function"), SOURCES, ids=[s[0] for s in SOURCES])
def test_a_broad_kind_is_searched_from_either_side_with_the_same_rule(
    world, client, settings, monkeypatch, kind, module, function
):
    """With the count cap at 0 every matching kind is "broad": on PostgreSQL its visible matches are
    read from the actor's visible records (at most ``SEEN`` of them, the candidates not ``DENSE``) or
    from the word's matches, each checked against the rule. Either way the rightful user finds the
    record, the outsider nothing."""
    case = BUILDERS[module](world, function)
    _mark(kind, case.record)
    title = SearchEntry.objects.get(kind=kind, object_id=case.record.pk).title
    settings.TANDEM_COUNT_CAP = 0
    # From the matches (none seen is "few"; every sample is "dense"), from the visible records.
    for seen, dense in ((0, 250), (10_000, 0), (10_000, 250)):
        monkeypatch.setattr(selectors, "SEEN", seen)
        monkeypatch.setattr(selectors, "DENSE", dense)
        found = _run(case.rightful, MARK)
        assert [h.title for h in found.hits] == [title], (seen, dense)
        assert [(k.kind, k.capped) for k in found.kinds] == [(kind, True)], (seen, dense)
        hidden = _run(case.outsider, MARK)
        assert (hidden.total, hidden.kinds, hidden.hits, hidden.years) == (0, [], [], []), (seen, dense)


@pytest.mark.parametrize(("kind", "module", "function"), SOURCES, ids=[s[0] for s in SOURCES])
def test_a_broad_kind_takes_every_path_with_the_same_rule(world, settings, monkeypatch, kind, module, function):
    """The other paths of a broad kind (cap at 0): its candidates taken from the kind's entries in
    order (the walk) or from the posting list when the walk falls short; and, when not every
    candidate is visible to the reader, the sample from their visible records or from the matches
    (PostgreSQL; SQLite reads the matches once whatever the path). The rightful user finds the
    record, the outsider nothing, on every path."""
    case = BUILDERS[module](world, function)
    _mark(kind, case.record)
    title = SearchEntry.objects.get(kind=kind, object_id=case.record.pk).title
    settings.TANDEM_COUNT_CAP = 0
    entries_of = selectors._candidate_entries
    absent = [-n for n in range(1, idsets.LISTED + 2)]  # no such records (and an array on PostgreSQL)

    def unseen(k, rule, ids):  # none of the candidates visible
        return entries_of(k, rule, absent)

    paths = [
        {"BIG": 0, "PROBE_HITS": 0},  # every kind walked
        {"BIG": 0, "PROBE_HITS": 0, "WALK": 0},  # the walk finds nothing: the posting list
        {"_candidate_entries": unseen},  # from the visible records
        {"_candidate_entries": unseen, "DENSE": 0},  # from the matches
        {"_candidate_entries": unseen, "SEEN": 0},  # from the visible records, else the matches
    ]
    for path in paths:
        with monkeypatch.context() as patch:
            for name, value in path.items():
                patch.setattr(selectors, name, value)
            found = _run(case.rightful, MARK)
            assert [h.title for h in found.hits] == [title], path
            assert [(k.kind, k.capped) for k in found.kinds] == [(kind, True)], path
            hidden = _run(case.outsider, MARK)
            assert (hidden.total, hidden.kinds, hidden.hits, hidden.years) == (0, [], [], []), path


def test_an_amber_request_is_found_by_its_audience_only(world, client):
    """TLP and audience: an AMBER item sent to the youth forum, not to the Cebu Shipping company."""
    from tandem.exchange.tests.conftest import send_item

    send_item(
        world, sender=world.local, tlp="AMBER", kind="request", title="Flood shelters census",
        organisations=[world.cso_org], direction="lateral",
    )  # fmt: skip
    assert [h.title for h in _run(world.cso, "shelter").hits] == ["Flood shelters census"]
    for outsider in (world.company, world.outsider, world.viewer):
        assert _run(outsider, "shelter").total == 0
        client.force_login(outsider)
        assert "Flood shelters" not in client.get("/search/", {"q": "shelters census"}).content.decode()


def test_people_are_found_by_name_never_by_contact_details(world):
    assert [h.title for h in _run(world.local, "Santos").hits] == ["Maria Santos"]
    # Contact details follow the contact rules, which depend on the reader: they are not indexed.
    assert _run(world.local, "maria@example.org").total == 0
    assert _run(world.admin, "555 0101").total == 0


def test_french_words_match_their_other_forms(world):
    services.organisation_update(
        actor=world.admin, organisation=world.cso_org, expected_version=world.cso_org.version,
        description="Les consultations régionales des communautés rurales et des jeunes.",
    )  # fmt: skip
    # (Without its accents, "regionales" matches on SQLite only: PostgreSQL keeps diacritics.)
    for q in ("consultation régionale", "communauté rurale", "régional"):
        assert [h.title for h in _run(world.local, q).hits] == ["Visayas Youth Forum"], q
    hit = _run(world.local, "consultation")
    assert "<mark>consultations</mark>" in str(hit.hits[0].snippet)


def test_english_words_match_their_other_forms(world):
    assert [h.title for h in _run(world.admin, "councils").hits] == [
        "Anti-Terrorism Council",
        "Manila Interfaith Council",
    ] or {h.title for h in _run(world.admin, "councils").hits} == {
        "Anti-Terrorism Council",
        "Manila Interfaith Council",
    }


def test_results_are_grouped_and_counted_by_kind_and_filtered(world):
    results = _run(world.admin, "Cebu")
    counts = {k.kind: k.count for k in results.kinds}
    assert counts == {"jurisdiction": 2, "organisation": 3}  # Cebu, Cebu City; hall, shipping, police
    assert results.total == 5 and sum(len(hits) for _, hits in results.groups()) == 5
    only = _run(world.admin, "Cebu", kind="organisation")
    assert only.total == 3 and {h.kind for h in only.hits} == {"organisation"}
    assert {k.kind: k.count for k in only.kinds} == counts  # the other kinds stay offered
    city = _run(world.admin, "Cebu", jurisdiction=str(world.cebu_city.uuid))
    assert {h.title for h in city.hits} == {"Cebu City", "Cebu City Hall", "Cebu Shipping Co"}
    year = results.years[0][0]
    assert _run(world.admin, "Cebu", year=year).total == 5
    assert _run(world.admin, "Cebu", year=year - 1).total == 0


def test_relevance_puts_title_matches_first(world):
    services.organisation_update(
        actor=world.admin, organisation=world.police, expected_version=world.police.version,
        description="Works with the youth of the province.",
    )  # fmt: skip
    assert [h.title for h in _run(world.admin, "youth").hits] == ["Visayas Youth Forum", "Cebu Provincial Police"]


def test_the_index_follows_changes_and_rebuilds(world):
    services.organisation_update(
        actor=world.admin, organisation=world.city_hall, expected_version=world.city_hall.version,
        name="Cebu City Government",
    )  # fmt: skip
    assert _run(world.admin, "Government").total == 2  # and Nairobi County Government
    assert _run(world.admin, "Hall").total == 0
    world.person_manila.delete()
    assert _run(world.admin, "Reyes").total == 0
    SearchEntry.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    counts = dict(line.split() for line in out.getvalue().splitlines()[:-1])
    assert (counts["organisation"], counts["person"], counts["jurisdiction"]) == ("7", "2", "10")
    assert _run(world.admin, "Government").total == 2


def test_pagination(world):
    for n in range(25):
        services.organisation_create(
            actor=world.admin, jurisdiction=world.cebu_city, name=f"Barangay council {n}", sector="local_government"
        )
    first, second = _run(world.admin, "barangay"), _run(world.admin, "barangay", page=2)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (25, 2, 20, 5)
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}
    assert _run(world.admin, "barangay", page=99).hits == second.hits  # past the end: the last page


def test_search_page_empty_state_and_bad_input(world, client):
    client.force_login(world.viewer)
    page = client.get("/search/")
    assert page.status_code == 200 and "Type one or more words" in page.content.decode()
    for params in (
        {"q": "\"' OR 1=1 -- NEAR( * ^"},
        {"q": "Cebu", "kind": "nonsense", "year": "abc", "page": "-4", "jurisdiction": "not-a-uuid"},
        {"q": "x" * 5000},
    ):
        assert client.get("/search/", params).status_code == 200
    page = client.get("/search/", {"q": "nothingmatchesthis"})
    assert "Nothing you may see matches" in page.content.decode()


def test_search_page_shows_highlighted_results(world, client):
    client.force_login(world.local)
    html = client.get("/search/", {"q": "Santos"}).content.decode()
    assert "Maria <mark>Santos</mark>" in html and f'href="/people/{world.person_cebu.uuid}/"' in html
    assert 'role="search"' in html


def test_api(world, client):
    answer = _api(client, world.local, q="Cebu", kind="organisation").json()
    assert answer["count"] == 2  # the hall and the shipping company: the province's police is above the city
    assert {r["title"] for r in answer["results"]} == {"Cebu City Hall", "Cebu Shipping Co"}
    assert {k["kind"] for k in answer["kinds"]} >= {"organisation"}
    assert _api(client, world.local, year="1").status_code == 422


@pytest.mark.parametrize("extra", [0, 30])
def test_the_query_count_does_not_grow_with_the_records(world, client, django_assert_num_queries, extra):
    for n in range(extra):
        services.organisation_create(
            actor=world.admin, jurisdiction=world.cebu_city, name=f"Cebu partner {n}", sector="local_government"
        )
    client.force_login(world.local)
    client.get("/search/", {"q": "Cebu"})  # the session's first request loads what it caches
    # session, user, grants, the kinds that match, the counts, the page of results, the places to filter by
    with django_assert_num_queries(7):
        assert client.get("/search/", {"q": "Cebu"}).status_code == 200


def test_accents_need_not_be_typed(world):
    """On both databases: "reseau" finds "réseau" and "réseau" finds "reseau" (PostgreSQL folds both sides)."""
    services.organisation_update(
        actor=world.admin, organisation=world.cso_org, expected_version=world.cso_org.version,
        description="Un réseau de médiateurs communautaires.",
    )  # fmt: skip
    for q in ("reseau", "réseau", "mediateurs", "RÉSEAU"):
        assert [h.title for h in _run(world.local, q).hits] == ["Visayas Youth Forum"], q
    assert "<mark>réseau</mark>" in str(_run(world.local, "reseau").hits[0].snippet)


def test_counts_stop_at_the_cap_and_say_so(world, client, settings):
    """Past TANDEM_COUNT_CAP a kind's count reads "3+"; only what the reader may see is counted."""
    settings.TANDEM_COUNT_CAP = 3
    for n in range(5):
        services.organisation_create(
            actor=world.admin, jurisdiction=world.cebu_city, name=f"Barangay hall {n}", sector="local_government"
        )
    results = _run(world.admin, "barangay")
    assert [(k.kind, k.count, k.capped) for k in results.kinds] == [("organisation", 3, True)]
    assert (results.total, results.capped, len(results.hits)) == (3, True, 4)  # 4 found, 3 counted: "more than 3"
    client.force_login(world.local)
    html = client.get("/search/", {"q": "barangay"}).content.decode()
    assert "Organisations (3+)" in html and "More than 3 results" in html
    answer = _api(client, world.local, q="barangay").json()
    assert (answer["count"], answer["capped"], answer["kinds"][0]["capped"]) == (3, True, True)
    # The Kenyan outsider sees none of them: no count at all.
    assert _run(world.outsider, "barangay").kinds == []


def test_a_renamed_parent_reindexes_the_records_below_it(world, django_capture_on_commit_callbacks, monkeypatch):
    """A meeting's entry carries its body's name: renaming the body updates it, at once when the body
    has few meetings, through a background task when it has many."""
    from tandem.bodies import services as bodies_services
    from tandem.search import index

    body = BUILDERS["tandem.bodies.access"](world, "visible_meetings").record.body

    def rename(name: str) -> None:
        body.refresh_from_db()
        bodies_services.body_update(actor=world.admin, body=body, expected_version=body.version, name=name)

    rename("Lighthouse Council")
    assert "meeting" in {k.kind for k in _run(world.admin, "lighthouse").kinds}
    monkeypatch.setattr(index, "INLINE_CHILDREN", 0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rename("Harbourmaster Council")
        assert "meeting" not in {k.kind for k in _run(world.admin, "harbourmaster").kinds}  # not yet: queued
    assert callbacks and "meeting" in {k.kind for k in _run(world.admin, "harbourmaster").kinds}
    assert "meeting" not in {k.kind for k in _run(world.admin, "lighthouse").kinds}


def test_the_declared_rule_keeps_to_the_kinds_asked_and_to_each_kinds_own_rule(world):
    """``access.visible_entries``: with ``kinds``, entries of those kinds only; and an entry is found
    through its own kind's rule, never because a record of another kind with the same id is visible."""
    from tandem.exchange import access as exchange_access
    from tandem.search import access

    viewer = world.viewer
    assert len(set(access.visible_entries(viewer).values_list("kind", flat=True))) > 1
    people = access.visible_entries(viewer, ["person"])
    assert set(people.values_list("kind", flat=True)) == {"person"}
    assert people.filter(object_id=world.person_cebu.pk).exists()
    assert not access.visible_entries(viewer, []).exists()

    pk = world.person_cebu.pk  # a record the viewer sees; no exchange item of that id is theirs to read
    assert not exchange_access.visible_items(viewer).filter(pk=pk).exists()
    stray = SearchEntry.objects.create(kind="exchange_item", object_id=pk, url_uuid=world.person_cebu.uuid, title="x")
    assert not access.visible_entries(viewer).filter(pk=stray.pk).exists()


def test_a_role_revoked_or_an_account_deactivated_takes_effect_on_the_same_access(world):
    """The rules are kept on the resolved access, yet they follow it: once its grants are read again
    (``forget_grants``) a revoked role finds nothing, and a deactivated account at once."""
    from tandem.core import access as core_access
    from tandem.core.models import RoleAssignment

    resolved = core_access.get_access(world.viewer)
    assert [h.title for h in _run(resolved, "Santos").hits] == ["Maria Santos"]
    for grant in RoleAssignment.objects.filter(user=world.viewer):
        services.role_revoke(actor=world.admin, assignment=grant)
    core_access.forget_grants(resolved)
    assert _run(resolved, "Santos").total == 0

    other = core_access.get_access(world.local)
    assert _run(other, "Santos").total == 1
    world.local.is_active = False
    world.local.save()
    assert _run(other, "Santos").total == 0


def test_the_rules_are_built_once_per_resolved_access(world):
    """Building a rule costs more Python than running it: one resolved access (one request) builds
    each kind's rule once, and a new access builds its own."""
    from tandem.core import access as core_access
    from tandem.search import access

    source = next(s for s in registry.search_sources() if s.kind == "person")
    resolved = core_access.get_access(world.viewer)
    rule = access.Rules(resolved).of(source)
    assert access.Rules(resolved).of(source) is rule
    assert access.Rules(world.viewer).of(source) is rule  # the user's cached access is the same one
    assert access.Rules(core_access.Access(world.viewer)).of(source) is not rule


def test_a_kind_whose_rule_is_empty_for_the_user_is_left_out_of_the_query(world, client):
    """A kind whose rule matches nothing for the actor (here a user without a role, whom the page
    refuses anyway) is left out of the search's one query: it used to make that query fail."""
    from tandem.core.models import User

    nobody = User.objects.create_user(username="nobody", password="correct-horse-battery-staple")
    assert _run(nobody, "Santos").total == 0
    client.force_login(nobody)
    assert client.get("/search/", {"q": "Santos"}).status_code == 403


def test_a_subquery_held_several_times_is_read_once_with_its_parameters_in_place(world):
    """``_read_once``: each copy of the shared subquery becomes a read of one CTE, the parameters of
    the copies go with it and the others keep their order (a literal ``%%`` is not a placeholder);
    a copy whose parameters differ, or a single copy, leaves the statement as it is."""
    from django.db import connection

    from tandem.core.idsets import compiled
    from tandem.core.models import Jurisdiction

    shared = compiled(Jurisdiction.objects.filter(path__startswith=world.ph.path).values("id").order_by())
    text = f"({shared.sql})"
    sql = (
        'WITH named AS (SELECT "id" FROM "core_jurisdiction" WHERE "name" LIKE %s) '  # noqa: S608
        f'SELECT "id" FROM "core_jurisdiction" WHERE "name" LIKE \'%%\' || %s AND "id" IN {text} '
        f'UNION ALL SELECT "id" FROM "core_jurisdiction" WHERE "id" IN {text} AND "id" IN (SELECT "id" FROM named)'
    )
    params = ["Ce%", "bu", *shared.params, *shared.params]
    read, kept = selectors._read_once(sql, params, [shared])
    assert read.count(text) == 1 and read.count("FROM shared0") == 2
    assert read.startswith(f"WITH shared0(id) AS MATERIALIZED {text}, named AS")
    assert kept == [*shared.params, "Ce%", "bu"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        before = sorted(cursor.fetchall())
        cursor.execute(read, kept)
        assert sorted(cursor.fetchall()) == before
    in_ph = Jurisdiction.objects.filter(path__startswith=world.ph.path)
    expected = [*in_ph.filter(name__endswith="bu"), *in_ph.filter(name__startswith="Ce")]
    assert before == sorted((j.pk,) for j in expected) and len(before) >= 3
    other = compiled(Jurisdiction.objects.filter(path__startswith=world.ke.path).values("id").order_by())
    mixed = ["Ce%", "bu", *shared.params, *other.params]  # the same text, other places: not the same subquery
    assert selectors._read_once(sql, mixed, [shared]) == (sql, mixed)
    once = sql.split(" UNION ALL ")[0]
    assert selectors._read_once(once, params[:3], [shared]) == (once, params[:3])


def test_a_regional_coordinators_broad_search_reads_their_bodies_once_and_finds_the_same(world, settings, monkeypatch):
    """The bodies' kinds of a broad search (every kind past the cap) by a regional coordinator: their
    bodies are read once in the sample's statement (PostgreSQL), and the results are those of the
    statement as compiled."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = BUILDERS["tandem.bodies.access"](world, "visible_action_items").record
    _mark("action_item", item)
    _mark("meeting", item.meeting)
    settings.TANDEM_COUNT_CAP = 0
    with CaptureQueriesContext(connection) as queries:
        found = _run(world.regional, MARK)
    read_once = any("shared0(id) AS MATERIALIZED" in q["sql"] for q in queries.captured_queries)
    assert read_once is (connection.vendor == "postgresql")
    monkeypatch.setattr(selectors, "_read_once", lambda sql, params, shared: (sql, params))
    plain = _run(world.regional, MARK)
    assert [(k.kind, k.count, k.capped) for k in found.kinds] == [(k.kind, k.count, k.capped) for k in plain.kinds]
    assert sorted(h.title for h in found.hits) == sorted(h.title for h in plain.hits)
    assert {h.kind for h in found.hits} == {"meeting", "action_item"}
    assert not _run(world.outsider, MARK).hits
