"""The resolved access object: one per user, resolved once, on every request (pages and API)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from tandem.bodies import access as bodies_access
from tandem.core import access, registry, services
from tandem.core.access import Access, get_access
from tandem.core.models import Role
from tandem.plans import access as plans_access

# The grants query (tandem.core.access._GRANT_ROWS) begins so on both databases.
GRANTS_SQL = 'SELECT "core_roleassignment"."role" AS "role", "core_roleassignment"."jurisdiction_id"'


def grant_queries(queries) -> int:
    """How many of ``queries`` read a user's role grants (not subqueries that mention them)."""
    return sum(q["sql"].startswith(GRANTS_SQL) for q in queries)


def test_one_access_per_user_object(world):
    resolved = get_access(world.local)
    assert isinstance(resolved, Access)
    assert get_access(world.local) is resolved
    assert get_access(resolved) is resolved
    assert resolved.user is world.local


def test_anonymous_and_none_have_no_access(world):
    # Not a user at all (no ``is_authenticated``): the anonymous access too, never an error or a grant.
    assert get_access(object()) is get_access(None) is get_access(AnonymousUser())
    for nobody in (None, AnonymousUser()):
        resolved = get_access(nobody)
        assert resolved.user is None and not resolved.is_authenticated
        assert resolved.grants == [] and not resolved.is_admin
        assert resolved.scope_paths() == [] and resolved.country_paths() == []
        assert list(access.visible_organisations(nobody)) == []
        assert list(bodies_access.visible_bodies(nobody)) == []
        assert list(plans_access.visible_plans(nobody)) == []


def test_grants_are_read_once_and_derived_once(world, monkeypatch):
    """Every check of a request reuses one resolution: one query, each rank's paths computed once."""
    access.forget_grants(world.regional)
    calls = []
    original = access._minimal_paths
    monkeypatch.setattr(access, "_minimal_paths", lambda paths: calls.append(1) or original(paths))
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            access.scope_paths(world.regional, access.COORDINATOR_RANK)
            access.is_admin(world.regional)
            access.rank_at(world.regional, world.cebu_city)
            access.has_any_rank(world.regional, access.COORDINATOR_RANK)
            bodies_access.internals_q(world.regional)
            plans_access.plan_read_q(world.regional)
    assert grant_queries(queries.captured_queries) == 1
    # One reduction per rank asked for (coordinator, read), not one per call.
    assert len(calls) == 2


def test_every_function_accepts_a_user_or_its_access(world):
    """The apps' rules answer the same for the user and for their resolved Access."""
    for user in (world.local, world.member, world.national, world.outsider, world.admin):
        resolved = get_access(user)
        pairs = [
            (access.visible_organisations, {}),
            (access.visible_people, {}),
            (access.visible_role_assignments, {}),
            (access.visible_users, {}),
            (bodies_access.visible_bodies, {}),
            (bodies_access.internal_bodies, {}),
            (plans_access.visible_plans, {}),
        ]
        for function, kwargs in pairs:
            assert sorted(function(user, **kwargs).values_list("pk", flat=True)) == sorted(
                function(resolved, **kwargs).values_list("pk", flat=True)
            ), (function.__name__, user.username)
        assert access.rank_at(user, world.cebu_city) == access.rank_at(resolved, world.cebu_city)
        assert access.assignable_roles(user, world.cebu_city) == access.assignable_roles(resolved, world.cebu_city)


def test_the_access_object_answers_like_the_functions(world):
    local = get_access(world.local)
    assert local.scope_paths() == [world.cebu_city.path]
    assert local.country_paths() == [world.ph.path]
    assert local.rank_at(world.cebu_city) == access.COORDINATOR_RANK
    assert local.rank_at(world.manila) == 0
    assert local.can_manage(world.cebu_city) and not local.can_manage(world.cebu)
    assert local.has_any_rank(access.COORDINATOR_RANK) and not local.has_any_rank(
        access.ROLE_RANK[Role.REGIONAL_COORDINATOR]
    )
    assert list(local.organisation_ids().values_list("id", flat=True)) == [world.city_hall.pk]
    admin = get_access(world.admin)
    assert admin.is_admin and admin.scope_paths() is None and admin.country_paths() is None


def test_lists_returned_are_copies(world):
    local = get_access(world.local)
    local.scope_paths().append("/")
    local.country_paths().clear()
    assert local.scope_paths() == [world.cebu_city.path]
    assert local.country_paths() == [world.ph.path]


def test_granting_a_role_refreshes_the_resolved_access(world):
    """services.role_grant forgets what was resolved: the new scope shows at once, to every holder."""
    resolved = get_access(world.viewer)
    assert not resolved.can_manage(world.manila)
    services.role_grant(actor=world.admin, user=world.viewer, role=Role.LOCAL_COORDINATOR, jurisdiction=world.manila)
    assert resolved.can_manage(world.manila)
    assert world.manila.path in access.scope_paths(world.viewer, access.COORDINATOR_RANK)


def test_forget_grants_refreshes_the_access_others_hold(world):
    resolved = get_access(world.viewer)
    assert resolved.grants
    world.viewer.role_assignments.update(revoked_at=world.viewer.date_joined)
    assert resolved.grants  # resolved once: not read again within the request
    access.forget_grants(world.viewer)
    assert resolved.grants == [] and get_access(world.viewer) is resolved


def test_deactivating_a_user_removes_every_grant_at_once(world):
    resolved = get_access(world.local)
    assert resolved.grants
    world.local.is_active = False
    assert resolved.grants == [] and resolved.scope_paths() == [] and resolved.rank_at(world.cebu_city) == 0


def test_pages_get_request_access_resolved_once(world, client):
    client.force_login(world.local)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    request = response.wsgi_request
    assert request.access.user == world.local
    assert get_access(request.access) is get_access(request.user)
    assert grant_queries(queries.captured_queries) == 1


def test_request_access_follows_sign_out(world, client):
    client.force_login(world.local)
    response = client.post("/accounts/logout/")
    assert response.wsgi_request.access.user is None


def test_api_request_access_is_the_token_user_not_the_session_user(world, client):
    """A session cookie sent along with a token never counts: request.access is the token's user."""
    client.force_login(world.admin)
    secret = services.api_token_create(actor=world.viewer, name="t").secret
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == "viewer"
    assert response.wsgi_request.access.user == world.viewer
    assert not response.wsgi_request.access.is_admin


# --- Apps plug into core through the registry ----------------------------------------------


def test_apps_register_their_hooks_with_core():
    import tandem.api  # noqa: F401  (the API registers its pages for people when it is built)
    from tandem.bodies import dashboard as bodies_dashboard
    from tandem.bodies import demo as bodies_demo
    from tandem.exchange import dashboard as exchange_dashboard
    from tandem.exchange import demo as exchange_demo
    from tandem.plans import demo as plans_demo

    panels = registry.functions("home_panel")
    assert panels.index(bodies_dashboard.panel) < panels.index(exchange_dashboard.panel)
    # Bodies first: plans and the exchange build on the demo bodies (the later apps after them).
    builders = registry.functions("demo_builder")
    assert builders[:3] == [bodies_demo.build, plans_demo.build, exchange_demo.build]
    assert len(builders) == len(set(builders)) >= 3
    assert registry.get("contact_scope", "bodies") is bodies_access.fellow_member_contacts_q
    assert {"openapi-json", "openapi-view", "api-root"} <= registry.session_api_pages()


def test_home_asks_every_registered_panel(world, client, monkeypatch):
    seen = []
    hook = registry.Hook("home_panel", "zz-test", lambda user: seen.append(user) or None)
    monkeypatch.setitem(registry._hooks["home_panel"], "zz-test", hook)
    client.force_login(world.local)
    assert client.get("/").status_code == 200  # a panel answering None adds nothing
    assert seen == [world.local]


def test_contact_scope_comes_from_the_registry(world, monkeypatch):
    """Without an app's contact rule core opens contact details to coordinators and the person only."""
    person = world.person_cebu
    assert not access.can_see_contact(world.company, person)
    monkeypatch.setitem(
        registry._hooks["contact_scope"],
        "zz-test",
        registry.Hook("contact_scope", "zz-test", lambda actor: Q(pk=person.pk)),
    )
    assert access.can_see_contact(world.company, person)
    assert access.visible_people(world.company).get(pk=person.pk).contact_visible is True


@pytest.mark.parametrize("name", ["openapi-json", "openapi-view"])
def test_api_docs_stay_pages_for_the_second_factor(name):
    from tandem.core import mfa

    assert not mfa._api_operation(name, "api")
    assert mfa._api_operation("me_detail", "api")


def test_memo_builds_once_for_an_active_user_and_anew_for_a_deactivated_or_anonymous_one(world):
    """``Access.memo``: what a request derives from the grants is built once (each rule used five
    times in a page is compiled once), per key; never kept for a user who is not signed in and active,
    so a deactivation within the request fails closed at the next use."""
    builds: list[str] = []

    def build(label: str):
        def make() -> list[str]:
            builds.append(label)
            return [label]

        return make

    resolved = get_access(world.local)
    first = resolved.memo("test.rule", build("a"))
    assert resolved.memo("test.rule", build("b")) is first and builds == ["a"]
    assert resolved.memo("test.other", build("c")) == ["c"] and builds == ["a", "c"]
    world.local.is_active = False
    assert resolved.memo("test.inactive", build("d")) == ["d"]
    assert resolved.memo("test.inactive", build("e")) == ["e"] and builds == ["a", "c", "d", "e"]
    nobody = get_access(AnonymousUser())
    assert nobody.memo("test.rule", build("f")) == ["f"] and nobody.memo("test.rule", build("g")) == ["g"]


def test_asking_the_user_id_of_nobody_fails_loudly(world):
    """``Access._user_pk`` is for a signed-in user only: asked of nobody, or of a user not saved, it
    is a programming error (ValueError), never a query for "user id NULL"."""
    from tandem.core.models import User

    for actor in (None, AnonymousUser(), User(username="unsaved")):
        with pytest.raises(ValueError, match="no signed-in user"):
            Access(actor)._user_pk()
    assert Access(world.local)._user_pk() == world.local.pk
