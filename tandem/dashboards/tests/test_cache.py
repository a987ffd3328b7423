"""The dashboard's numbers are cached per reader (user, roles, place, day): a second view asks the
database for far less, nobody is ever shown another reader's numbers, and a write shows at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.dashboards import cache, selectors
from tandem.dashboards.tests.test_dashboards import busy  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    yield
    cache.forget_all()


def _shown(html: str) -> dict[tuple[str, str], str]:
    return {(k, b): n for k, b, n in re.findall(r'data-figure="([^"]+)" data-bucket="([^"]+)">([^<]+)<', html)}


def _expected(user) -> dict[tuple[str, str], str]:
    return {
        (key, bucket): str(n)
        for key, figure in selectors.figures().items()
        if not figure.amount
        for bucket, n in figure.counts(user).items()
    }


def test_a_second_view_is_served_from_the_reader_s_cache(busy, client, cached, django_assert_max_num_queries):  # noqa: F811
    client.force_login(busy.national)
    first = client.get(reverse("dashboard")).content.decode()
    assert "Figures as of" in first and "at least every 5 minutes" in first
    with django_assert_max_num_queries(4):  # session, user, grants, my reports
        again = client.get(reverse("dashboard")).content.decode()
    assert _shown(again) == _shown(first)


@pytest.mark.parametrize("persona", ["regional", "local", "member", "cso", "outsider", "viewer"])
def test_nobody_is_shown_another_reader_s_numbers(busy, client, cached, persona):  # noqa: F811
    client.force_login(busy.national)
    client.get(reverse("dashboard"))  # the national coordinator's numbers are cached
    user = busy.personas[persona]
    client.force_login(user)
    client.get(reverse("dashboard"))
    html = client.get(reverse("dashboard")).content.decode()  # from their own cache entry
    if persona in ("regional", "local", "outsider"):  # nor the national coordinator's units below
        assert "National Capital Region" not in html and "Central Visayas</a>" not in html
    shown = _shown(html)
    expected = _expected(user)
    assert shown and all(expected[k] == v for k, v in shown.items() if k in expected), persona


def test_a_write_or_a_role_change_shows_at_once(busy, client, cached):  # noqa: F811
    from tandem.bodies import services as bodies_services
    from tandem.core import services as core_services
    from tandem.core.models import Role

    client.force_login(busy.national)
    before = _shown(client.get(reverse("dashboard")).content.decode())[("overdue_actions", "8-30")]
    bodies_services.action_item_create(
        actor=busy.admin, body=busy.body, title="Also late", due_date=timezone.localdate() - dt.timedelta(days=9)
    )
    after = _shown(client.get(reverse("dashboard")).content.decode())[("overdue_actions", "8-30")]
    assert int(after) == int(before) + 1
    client.force_login(busy.local)
    local_before = client.get(reverse("dashboard")).content.decode()
    assert "National Capital Region" not in local_before
    with pytest.MonkeyPatch.context() as patch:  # a role granted without any signal: a new key all the same
        patch.setattr(cache, "forget_all", lambda: None)
        core_services.role_grant(actor=None, user=busy.local, role=Role.NATIONAL_COORDINATOR, jurisdiction=busy.ph)
    shown = _shown(client.get(reverse("dashboard")).content.decode())
    assert all(_expected(busy.local)[k] == v for k, v in shown.items() if k in _expected(busy.local))


def _api(client, token) -> dict[tuple[str, str], str]:
    answer = client.get("/api/v1/dashboard", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200
    return {(f["key"], b["key"]): str(b["count"]) for f in answer.json() if not f["amount"] for b in f["buckets"]}


def test_the_api_reads_the_page_s_cache_entry_and_shows_a_write_at_once(
    busy,  # noqa: F811
    client,
    cached,
    django_assert_max_num_queries,
):
    from tandem.bodies import services as bodies_services
    from tandem.core import services as core_services

    token = core_services.api_token_create(actor=busy.national, name="test").secret
    client.force_login(busy.national)
    page = _shown(client.get(reverse("dashboard")).content.decode())
    client.logout()
    with django_assert_max_num_queries(3):  # the token, its last use, the grants: no figure counted again
        api = _api(client, token)
    assert api == {k: v for k, v in _expected(busy.national).items() if k in api}
    shared = set(api) & set(page)  # the counted figures (the page writes a withheld mean as words)
    assert len(shared) > 20 and all(api[k] == page[k] for k in shared)
    key = ("overdue_actions", "8-30")
    bodies_services.action_item_create(
        actor=busy.admin, body=busy.body, title="Also late", due_date=timezone.localdate() - dt.timedelta(days=9)
    )
    assert int(_api(client, token)[key]) == int(api[key]) + 1
    local_token = core_services.api_token_create(actor=busy.local, name="test").secret
    local = _api(client, local_token)  # never the national coordinator's entry
    assert local == {k: v for k, v in _expected(busy.local).items() if k in local}


def _cached_view(client, user, django_assert_max_num_queries, **params) -> dict[tuple[str, str], str]:
    """The reader's dashboard, which must come from their cache entry (no figure counted)."""
    client.force_login(user)
    with django_assert_max_num_queries(5):  # session, user, grants, my reports (+ the place narrowed to)
        return _shown(client.get(reverse("dashboard"), params).content.decode())


def test_a_write_in_one_place_empties_only_the_dashboards_that_count_it(
    busy,  # noqa: F811
    client,
    cached,
    django_assert_max_num_queries,
):
    from tandem.bodies import services as bodies_services
    from tandem.core import services as core_services
    from tandem.core.models import Role, User

    manila = User.objects.create_user(username="manila.coordinator", password=None)
    core_services.role_grant(actor=None, user=manila, role=Role.LOCAL_COORDINATOR, jurisdiction=busy.manila)
    readers = {"national": busy.national, "regional": busy.regional, "local": busy.local}
    others = {"manila": manila, "outsider": busy.outsider}
    before = {}
    for name, user in {**readers, **others}.items():
        client.force_login(user)
        before[name] = _shown(client.get(reverse("dashboard")).content.decode())
    client.force_login(busy.national)
    ncr_before = _shown(client.get(reverse("dashboard"), {"within": str(busy.ncr.uuid)}).content.decode())

    bodies_services.action_item_create(  # in Cebu City
        actor=busy.admin, body=busy.body, title="Also late", due_date=timezone.localdate() - dt.timedelta(days=9)
    )

    for name, user in readers.items():  # counted afresh, the new item in
        client.force_login(user)
        after = _shown(client.get(reverse("dashboard")).content.decode())
        key = ("overdue_actions", "8-30")
        assert int(after[key]) == int(before[name][key]) + 1, name
    for name, user in others.items():  # still from their cache entries
        assert _cached_view(client, user, django_assert_max_num_queries) == before[name], name
    assert _cached_view(client, busy.national, django_assert_max_num_queries, within=str(busy.ncr.uuid)) == ncr_before


def test_a_write_above_a_place_empties_the_dashboards_below_it(cached):
    class Reader:  # a reader's scope as the cache sees it: the roots of their grants
        def __init__(self, *roots: str) -> None:
            self.roots = list(roots)

        def paths(self) -> list[str]:
            return self.roots

    city, other_city, region = Reader("/1/2/3/9/"), Reader("/1/2/4/"), Reader("/1/2/3/")
    tokens = {r: cache._tokens(r) for r in (city, other_city, region)}
    cache.forget_places(["/1/2/3/"])  # the region's own record (a regional plan, say)
    assert cache._tokens(city) != tokens[city] and cache._tokens(region) != tokens[region]
    assert cache._tokens(other_city) == tokens[other_city]
    tokens = {r: cache._tokens(r) for r in (city, other_city, region)}
    cache.forget_places(["/1/2/3/9/5/"])  # below the city
    assert cache._tokens(city) != tokens[city] and cache._tokens(region) != tokens[region]
    assert cache._tokens(other_city) == tokens[other_city]


def test_a_token_lost_from_the_cache_never_brings_back_numbers_counted_before_a_write(cached):
    """A token that was never written or was evicted (Redis under memory pressure) becomes a new value:
    an entry counted before a write at the reader's place is not served again once the write's token
    is gone."""
    from django.core.cache import cache as django_cache

    class Reader:
        def paths(self) -> list[str]:
            return ["/1/2/3/"]

    reader = Reader()
    before_any_write = cache._tokens(reader)  # the place's tokens are created on this first read
    cache.forget_places(["/1/2/3/"])
    after_write = cache._tokens(reader)
    assert after_write != before_any_write
    django_cache.delete_many(cache._token_keys(reader.paths(), cache.TOPICS, True)[1:])  # evicted
    assert cache._tokens(reader) not in (before_any_write, after_write)


# --- The home page's panels (``reader_numbers``): tokens per topic and place -------------------


def _home_counts(user, built):
    """The reader's home-page directory counts, through the cache; ``built`` counts the recounts."""
    from tandem.core import access as core_access

    def count():
        built[user.username] = built.get(user.username, 0) + 1
        return {"organisations": core_access.visible_organisations(user).count()}

    return cache.reader_numbers(user, "home-counts", count)["organisations"]


def _panel(user, kind, built):
    def count():
        built[(user.username, kind)] = built.get((user.username, kind), 0) + 1
        return {"n": built[(user.username, kind)]}

    return cache.reader_numbers(user, kind, count)


def test_a_new_organisation_refreshes_only_the_counts_of_the_readers_who_see_its_place(world, cached):
    from tandem.core import services as core_services
    from tandem.core.models import Sector

    readers = {"national": world.national, "regional": world.regional, "local": world.local, "kenya": world.outsider}
    built: dict = {}
    before = {name: _home_counts(user, built) for name, user in readers.items()}
    assert all(_home_counts(user, built) == before[name] for name, user in readers.items())
    assert all(built[user.username] == 1 for user in readers.values())  # the second read: from the cache

    core_services.organisation_create(  # in Manila: under the national coordinator, outside the Visayas
        actor=world.admin, jurisdiction=world.manila, name="Tondo Neighbours", sector=Sector.COMMUNITY
    )
    assert _home_counts(world.national, built) == before["national"] + 1  # counted afresh: the new one in
    for name in ("regional", "local", "kenya"):  # another region and another country: still valid
        assert _home_counts(readers[name], built) == before[name]
        assert built[readers[name].username] == 1, name

    core_services.organisation_create(  # in Cebu City: the regional and local coordinators' place
        actor=world.admin, jurisdiction=world.cebu_city, name="Cebu Volunteers", sector=Sector.COMMUNITY
    )
    assert _home_counts(world.national, built) == before["national"] + 2
    assert _home_counts(world.regional, built) == before["regional"] + 1
    assert _home_counts(world.local, built) == before["local"] + 1
    assert _home_counts(world.outsider, built) == before["kenya"] and built[world.outsider.username] == 1


def test_a_change_to_an_organisation_refreshes_every_reader_s_counts(world, cached):
    from tandem.core.models import Organisation

    built: dict = {}
    before = _home_counts(world.outsider, built)
    Organisation.objects.get(pk=world.nairobi_org.pk).save()  # an update may change who sees what: everywhere
    assert _home_counts(world.outsider, built) == before and built[world.outsider.username] == 2
    before = _home_counts(world.regional, built)
    world.manila_org.archived_at = timezone.now()
    world.manila_org.save()
    assert _home_counts(world.regional, built) == before and built[world.regional.username] == 2


def test_a_home_panel_is_refreshed_by_the_writes_it_counts_and_no_others(busy, cached):  # noqa: F811
    from tandem.bodies import services as bodies_services
    from tandem.core import services as core_services
    from tandem.core.models import Sector
    from tandem.exchange.tests.conftest import send_item

    built: dict = {}
    user = busy.national
    first = {kind: _panel(user, kind, built) for kind in ("bodies-panel", "exchange-panel", "other")}
    core_services.organisation_create(
        actor=busy.admin, jurisdiction=busy.cebu_city, name="Cebu Volunteers", sector=Sector.COMMUNITY
    )
    # A new organisation is on no body and addressed by no request: neither panel changes.
    assert _panel(user, "bodies-panel", built) == first["bodies-panel"]
    assert _panel(user, "exchange-panel", built) == first["exchange-panel"]
    assert _panel(user, "other", built) != first["other"]  # a kind not declared: every write refreshes it

    bodies_services.action_item_create(actor=busy.admin, body=busy.body, title="Another")
    assert _panel(user, "bodies-panel", built) != first["bodies-panel"]
    assert _panel(user, "exchange-panel", built) == first["exchange-panel"]

    send_item(
        busy, sender=busy.local, tlp="AMBER", kind="request", title="More", jurisdictions=[busy.ph], direction="up"
    )
    assert _panel(user, "exchange-panel", built) != first["exchange-panel"]


def test_the_home_page_shows_a_new_organisation_at_once(world, client, cached):
    from tandem.core import services as core_services
    from tandem.core.models import Sector

    client.force_login(world.local)
    before = client.get(reverse("home")).context["counts"]["organisations"]
    core_services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="Cebu Volunteers", sector=Sector.COMMUNITY
    )
    assert client.get(reverse("home")).context["counts"]["organisations"] == before + 1
