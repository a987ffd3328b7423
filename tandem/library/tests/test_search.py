"""The library's search: both backends (SQLite FTS5 by default, PostgreSQL with DATABASE_URL),
relevance, snippets, stemming, filters and facet counts, all through the access layer."""

from __future__ import annotations

import pytest
from django.db import connection

from tandem.library import search
from tandem.library.tests.factories import make_item

pytestmark = pytest.mark.django_db


def _titles(user, **filters):
    return [i.title for i in search.search_items(user, search.Filters(**filters))]


def test_words_match_titles_summaries_and_bodies_best_first(world):
    make_item(world, title="Coordination in practice", summary="A short note.", body="<p>Nothing else.</p>")
    make_item(world, title="Other note", summary="Mentions coordination once.", body="<p>Text.</p>")
    make_item(world, title="Unrelated", summary="Markets and ports.", body="<p>Harbour logistics.</p>")
    assert _titles(world.local, q="coordination") == ["Coordination in practice", "Other note"]


def test_stemming_finds_other_forms_of_a_word(world):
    make_item(world, title="Meetings with communities", summary="Listening sessions.", body="<p>x</p>")
    assert _titles(world.local, q="meeting community") == ["Meetings with communities"]


def test_french_items_are_found_by_french_words(world):
    make_item(
        world,
        title="Les comités locaux de coordination",
        summary="Comment les villes organisent leurs réunions.",
        body="<p>Les réunions mensuelles renforcent la confiance entre partenaires.</p>",
        language="fr",
    )
    assert _titles(world.local, q="réunion") == ["Les comités locaux de coordination"]
    assert _titles(world.local, q="confiance partenaire") == ["Les comités locaux de coordination"]


def test_snippets_highlight_the_words_and_escape_the_rest(world):
    item = make_item(world, body="<p>Trust grows when &lt;script&gt; is never run and meetings are regular.</p>")
    filters = search.Filters(q="regular")
    snippets = search.snippets([item], filters)
    assert "<mark>regular</mark>" in snippets[item.pk]
    assert "<script>" not in snippets[item.pk]


def test_query_syntax_is_never_interpreted(world):
    make_item(world, title="Coordination")
    for q in ['"', "coordination OR", "NEAR(", "a:b", "coord*", "-x", "'); DROP TABLE x; --"]:
        list(search.search_items(world.local, search.Filters(q=q)))  # no error


def test_filters_and_facet_counts(world):
    make_item(world, title="Alpha", kind="guidance", competencies=("trust", "capacity"), language="en")
    make_item(world, title="Beta", kind="checklist", competencies=("capacity",), language="fr")
    results = search.search_items(world.local, search.Filters(competency="capacity"))
    assert sorted(i.title for i in results) == ["Alpha", "Beta"]
    facets = search.facet_counts(search.search_items(world.local, search.Filters(competency="capacity"), ranked=False))
    assert facets.kind == {"guidance": 1, "checklist": 1}
    assert facets.competency == {"trust": 1, "capacity": 2}
    assert facets.language == {"en": 1, "fr": 1}
    assert facets.year == {2024: 2}
    assert facets.country == [(str(world.ph.uuid), "Philippines", 2)]
    assert _titles(world.local, kind="checklist") == ["Beta"]
    assert _titles(world.local, language="fr") == ["Beta"]
    assert _titles(world.local, year=2023) == []
    assert _titles(world.local, country=str(world.ke.uuid)) == []


def test_an_item_the_user_may_not_read_never_appears_nor_counts(world):
    make_item(world, title="Cebu coordination subtree", visibility="subtree")
    make_item(world, title="Philippine coordination", visibility="country")
    make_item(world, title="Draft coordination", publish=False)
    seen = _titles(world.outsider, q="coordination")
    assert seen == []
    facets = search.facet_counts(search.search_items(world.outsider, search.Filters(q="coordination"), ranked=False))
    assert facets.kind == {} and facets.competency == {} and facets.country == []
    assert sorted(_titles(world.local, q="coordination")) == ["Cebu coordination subtree", "Philippine coordination"]


def test_facets_of_a_word_search_count_each_item_once(world):
    make_item(world, title="Coordination A", competencies=("trust", "capacity"), countries=(world.ph, world.ke))
    make_item(world, title="Coordination B", competencies=("trust",))
    make_item(world, title="Other", summary="Markets.", competencies=("trust",))
    facets = search.facet_counts(search.search_items(world.local, search.Filters(q="coordination"), ranked=False))
    assert facets.total == 2 and facets.competency == {"trust": 2, "capacity": 1}
    assert [(name, n) for _u, name, n in facets.country] == [("Kenya", 1), ("Philippines", 2)]


def test_backend_matches_the_database():
    expected = search.PostgresBackend if connection.vendor == "postgresql" else search.SqliteBackend
    assert isinstance(search.backend_for(search.LIBRARY_INDEX), expected)


def test_counts_stop_at_the_cap_and_say_so(world, client, settings):
    """Past TANDEM_COUNT_CAP the count reads "more than N" and the facets count the first found."""
    from django.urls import reverse

    settings.TANDEM_COUNT_CAP = 2
    for n in range(4):
        make_item(world, title=f"Lighthouse note {n}", visibility="subtree")
    found = search.find(world.local, search.Filters(q="lighthouse"))
    assert (found.total, found.capped, len(list(found.ranked()))) == (2, True, 3)
    facets = found.facets()
    assert (facets.total, facets.capped, sum(facets.kind.values())) == (2, True, 3)
    client.force_login(world.local)
    html = client.get(reverse("library_search"), {"q": "lighthouse"}).content.decode()
    assert "More than 2 items" in html
    assert search.find(world.outsider, search.Filters(q="lighthouse")).ids == []


def test_accents_need_not_be_typed(world):
    make_item(world, title="Le réseau des médiateurs", summary="Écoles et quartiers.", language="fr")
    for q in ("reseau", "réseau", "ecoles"):
        assert _titles(world.local, q=q) == ["Le réseau des médiateurs"], q
    found = search.find(world.local, search.Filters(q="reseau"))
    assert "<mark>" in str(search.snippets(list(found.ranked()), found.filters).values())
