"""The permission matrix: every URL × method × persona → expected status.

``test_every_url_is_in_the_matrix`` walks the URL resolver and fails when a
pattern has no row, so a new page cannot ship without its access rules.

Objects used in the URLs live in Cebu City (world.cebu_city): visible to the
Philippine cast, a 404 for the Kenyan outsider.
"""

from __future__ import annotations

import time
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.tests.matrix import ANON, COORDINATORS_HERE, EVERYONE, Expect, Row, app_rows

_page = Expect(anon=302)
statuses, read, read_cebu, coordinators_only, manage_cebu = (
    _page.statuses,
    _page.read,
    _page.read_cebu,
    _page.coordinators_only,
    _page.manage_cebu,
)


def _token_uuid(w):
    from tandem.core import services

    return {"uuid": services.api_token_create(actor=w.local, name="matrix").token.uuid}


def _member_assignment(w):
    return {"uuid": w.member.role_assignments.get().uuid}


def _invitation(w):
    from tandem.core import invitations

    w.invitation = invitations.invitation_create(
        actor=w.local, email="new@example.org", full_name="New Member", role="member", jurisdiction=w.cebu_city
    )
    return {"uuid": w.invitation.invitation.uuid}


def _invitation_link(w):
    return {"secret": _invitation(w) and w.invitation.secret}


def _affiliation(w):
    return {"uuid": w.person_cebu.affiliations.get().uuid}


MATRIX: list[Row] = [
    Row("home", get=read()),
    Row("jurisdiction_switch", post=statuses(302), post_data=lambda w: {"jurisdiction": str(w.cebu_city.uuid)}),
    Row("jurisdiction_list", get=read()),
    Row("jurisdiction_export", lambda w: {"fmt": "csv"}, get=read()),
    Row("jurisdiction_detail", lambda w: {"uuid": w.cebu_city.uuid}, get=read_cebu()),
    Row("jurisdiction_edit", lambda w: {"uuid": w.cebu_city.uuid}, get=manage_cebu(), post=manage_cebu()),
    Row("jurisdiction_add_child", lambda w: {"uuid": w.cebu_city.uuid}, get=manage_cebu(), post=manage_cebu()),
    Row("organisation_list", get=read()),
    Row("organisation_export", lambda w: {"fmt": "csv"}, get=read()),
    Row("organisation_import", get=coordinators_only(), post=coordinators_only()),
    Row("organisation_create", get=coordinators_only(), post=coordinators_only()),
    Row("organisation_detail", lambda w: {"uuid": w.city_hall.uuid}, get=read_cebu()),
    Row("organisation_edit", lambda w: {"uuid": w.city_hall.uuid}, get=manage_cebu(), post=manage_cebu()),
    Row("organisation_archive", lambda w: {"uuid": w.city_hall.uuid}, get=manage_cebu(), post=manage_cebu(302)),
    Row("person_list", get=read()),
    Row("person_export", lambda w: {"fmt": "xlsx"}, get=read()),
    Row("person_create", get=coordinators_only(), post=coordinators_only()),
    Row("person_detail", lambda w: {"uuid": w.person_cebu.uuid}, get=read_cebu()),
    Row("person_edit", lambda w: {"uuid": w.person_cebu.uuid}, get=manage_cebu(), post=manage_cebu()),
    Row("person_archive", lambda w: {"uuid": w.person_cebu.uuid}, get=manage_cebu(), post=manage_cebu(302)),
    Row("affiliation_create", lambda w: {"uuid": w.person_cebu.uuid}, get=manage_cebu(), post=manage_cebu()),
    Row("affiliation_end", _affiliation, get=manage_cebu(), post=manage_cebu()),
    Row("lookup_organisations", get=read()),
    Row("lookup_people", get=read()),
    Row("lookup_jurisdictions", get=read()),
    Row("lookup_managed_jurisdictions", get=coordinators_only()),
    Row("lookup_affiliation_organisations", lambda w: {"uuid": w.person_cebu.uuid}, get=manage_cebu()),
    Row("role_list", get=coordinators_only()),
    Row("role_create", get=coordinators_only(), post=coordinators_only()),
    Row("role_export", lambda w: {"fmt": "xlsx"}, get=coordinators_only()),
    Row(
        "role_revoke",
        _member_assignment,
        # Non-coordinators see only their own assignments: the member sees it (403), others do not (404).
        get={**statuses(404), "member": 403, **dict.fromkeys(COORDINATORS_HERE, 200)},
        post={**statuses(404), "member": 403, **dict.fromkeys(COORDINATORS_HERE, 302)},
    ),
    Row("invitation_list", get=coordinators_only()),
    Row("invitation_create", get=coordinators_only(), post=coordinators_only()),
    Row("invitation_resend", _invitation, post=manage_cebu()),
    Row("invitation_revoke", _invitation, get=manage_cebu(), post=manage_cebu(302)),
    # The invitee's page is public: anyone holding the link sees the form (an empty POST: its errors).
    Row("invitation_accept", _invitation_link, get=statuses(200, anon=200), post=statuses(200, anon=200)),
    Row("audit_list", get=coordinators_only()),
    Row("audit_export", lambda w: {"fmt": "csv"}, get=coordinators_only()),
    Row("token_list", get=read(), post=read()),
    Row(
        "token_revoke",
        _token_uuid,
        get={**statuses(404), "local": 200},
        post={**statuses(404), "local": 302},
    ),
    Row("login", get=statuses(302, anon=200), post=statuses(302, anon=200)),
    Row("logout", get=statuses(405, anon=302), post=statuses(302, anon=302)),
    Row("set_language", post=statuses(302, anon=302), post_data=lambda w: {"language": "fr", "next": "/"}),
    Row("healthz", get=statuses(200, anon=200)),
    Row("readyz", get=statuses(200, anon=200)),
    # Prometheus metrics: only the scraper's bearer token (TANDEM_METRICS_TOKEN), never a session.
    Row("metrics", get=statuses(404, anon=404)),
    # Sign-in security (force_login counts as a full sign-in, second factor included: see conftest).
    Row("account_security", get=read(), post=statuses(302)),  # POST without an authenticator: to set-up
    Row("mfa_setup", get=read(), post=statuses(302)),  # POST without a valid offer: back to a fresh one
    Row("mfa_verify", get=statuses(302), post=statuses(302)),  # already verified: straight on
    Row("password_change", get=read(), post=read()),
    Row("password_reset", get=statuses(200, anon=200), post=statuses(200, anon=200)),
    Row("password_reset_done", get=statuses(200, anon=200)),
    Row(
        "password_reset_confirm",
        lambda w: {"uidb64": "MQ", "token": "set-password"},
        get=statuses(200, anon=200),
        post=statuses(200, anon=200),
    ),
    Row("password_reset_complete", get=statuses(200, anon=200)),
    Row("admin:index", get=statuses(302, anon=302)),
    *app_rows("PAGE_ROWS"),
]

# URL patterns deliberately outside the page matrix, with the reason.
EXEMPT_NAMESPACES = {
    # Django's admin: every view requires is_staff; the cast has no staff user, so
    # admin:index above (302 to the admin sign-in for all) stands for the whole site.
    "admin",
    # The JSON API has its own matrix in tandem/core/tests/test_api*.py (token auth).
    "api",
}


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_url_is_in_the_matrix():
    names = set(_walk(get_resolver().url_patterns))
    covered = {row.name for row in MATRIX}
    missing = sorted(n for n in names - covered if n.split(":")[0] not in EXEMPT_NAMESPACES or ":" not in n)
    assert missing == [], f"URL patterns without a permission-matrix row: {missing}"
    unknown = sorted(covered - names)
    assert unknown == [], f"matrix rows for URLs that no longer exist: {unknown}"


CASES = [(row, method) for row in MATRIX for method in ("get", "post") if getattr(row, method) is not None]

# The signed-in world is built again when older than this (seconds), well inside SESSION_IDLE_TIMEOUT.
SESSIONS_FRESH_FOR = 600


def _world_signed_in():
    """The cast, each persona signed in once (a full sign-in, second factor included): ``session_keys``."""
    from django.test import Client

    from tandem.conftest import PERSONAS, build_world
    from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED

    world = build_world()
    world.session_keys = {}
    for persona in PERSONAS:
        browser = Client()
        browser.force_login(world.personas[persona])
        session = browser.session
        session[MFA_SESSION_KEY] = VERIFIED
        session.save()
        world.session_keys[persona] = session.session_key
    return world


@pytest.fixture(scope="session")
def _signed_in_snapshot() -> dict:
    return {}


@pytest.fixture
def world(db, _signed_in_snapshot):
    """The named cast and a session per persona, built once (and again when the sessions grow old) and
    restored into this test's transaction (tandem.tests.snapshots): ten sign-ins per row would cost more
    than the row's requests."""
    from tandem.tests.snapshots import capture

    built = _signed_in_snapshot.get("built")
    if built is None or time.monotonic() - built[0] > SESSIONS_FRESH_FOR:
        _signed_in_snapshot["built"] = built = (time.monotonic(), capture(_world_signed_in))
    return built[1].restore()


@pytest.mark.parametrize(("row", "method"), CASES, ids=[f"{r.name}-{m}" for r, m in CASES])
def test_permission_matrix(world, client, row, method):
    expected: dict[str, int] = getattr(row, method)
    assert set(expected) == set(EVERYONE), f"{row.name} {method}: row must name every persona"
    url = reverse(row.name, kwargs=row.kwargs(world))
    data = row.post_data(world)
    shown = row.shows(world) if row.shows is not None and method == "get" else None
    mismatches = []
    for persona in EVERYONE:
        # Each persona's request is rolled back, so a write by one does not change what the next one sees.
        with transaction.atomic():
            client.cookies = SimpleCookie()
            if persona != ANON:
                client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[persona]
            response = client.get(url) if method == "get" else client.post(url, data)
            if response.status_code != expected[persona]:
                mismatches.append(f"{persona}: expected {expected[persona]}, got {response.status_code}")
            elif (
                shown is not None
                and response.status_code == 200
                and (shown in response.content.decode()) != (persona in row.shown_to)
            ):
                verb = "must see" if persona in row.shown_to else "must not see"
                mismatches.append(f"{persona}: {verb} {shown!r}")
            transaction.set_rollback(True)
    assert not mismatches, f"{method.upper()} {url}\n" + "\n".join(mismatches)


def test_foreign_object_is_byte_identical_to_missing(world, client):
    """The outsider cannot tell a Cebu organisation from one that does not exist."""
    import uuid

    client.force_login(world.outsider)
    foreign = client.get(reverse("organisation_detail", kwargs={"uuid": world.city_hall.uuid}))
    missing = client.get(reverse("organisation_detail", kwargs={"uuid": uuid.uuid4()}))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
