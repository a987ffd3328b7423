"""Sessions (timeouts, rotation, ending) and correlation ids on errors: tandem.core.security."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from freezegun import freeze_time

from tandem.core.models import AuditAction, AuditEvent
from tandem.core.security import LAST_SEEN, SIGNED_IN_AT, RequestIdFilter
from tandem.core.tests.error_urls import SECRET_DETAIL

PASSWORD = "correct-horse-battery-staple"
EXPIRED = "Your session has expired. Please sign in again."
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

# Short limits so the clock moves in minutes, not hours.
TIMEOUTS = override_settings(SESSION_IDLE_TIMEOUT=600, SESSION_ABSOLUTE_TIMEOUT=1000)
ERROR_URLS = override_settings(ROOT_URLCONF="tandem.core.tests.error_urls")


@pytest.fixture
def clock():
    with freeze_time(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) as frozen:
        yield frozen


def _login_with_next(path: str) -> str:
    return reverse("login") + "?next=" + path


def _is_signed_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    return False


# --- Idle and absolute timeouts ------------------------------------------------------------


def test_sign_in_stamps_the_session(world, client, clock):
    response = client.post(reverse("login"), {"username": "local", "password": PASSWORD})
    assert response.status_code == 302
    now = int(datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp())
    assert client.session[SIGNED_IN_AT] == now
    assert client.session[LAST_SEEN] == now


def test_idle_timeout_has_its_setting_and_default():
    assert settings.SESSION_IDLE_TIMEOUT == 1800
    assert settings.SESSION_ABSOLUTE_TIMEOUT == settings.SESSION_COOKIE_AGE == 12 * 3600
    middleware = settings.MIDDLEWARE
    auth_at = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[auth_at + 1] == "tandem.core.security.SessionTimeoutMiddleware"
    assert middleware[0] == "tandem.core.security.RequestIdMiddleware"


@TIMEOUTS
def test_idle_session_is_signed_out_with_a_message_and_next(world, client, clock):
    client.force_login(world.local)
    clock.tick(599)
    assert client.get(reverse("organisation_list")).status_code == 200
    clock.tick(601)
    response = client.get(reverse("organisation_list") + "?q=cebu")
    assert response.status_code == 302
    assert response["Location"] == _login_with_next("/organisations/%3Fq%3Dcebu")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert EXPIRED in page.content.decode()
    assert not _is_signed_in(client)
    # The timeout is a sign-out like any other in the audit log.
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=world.local).exists()


@TIMEOUTS
def test_activity_keeps_the_session_alive_until_the_absolute_limit(world, client, clock):
    client.force_login(world.local)
    for _ in range(2):  # 400 s and 800 s after sign-in: each within the idle limit of the last request
        clock.tick(400)
        assert _is_signed_in(client)
    clock.tick(201)  # 1001 s after sign-in: idle only 201 s, but past the absolute limit
    response = client.get(reverse("person_list"))
    assert response.status_code == 302
    assert response["Location"] == _login_with_next("/people/")
    assert not _is_signed_in(client)


@TIMEOUTS
def test_static_files_and_health_probe_do_not_count_as_activity(world, client, clock):
    client.force_login(world.local)
    clock.tick(500)
    assert client.get(reverse("healthz")).status_code == 200
    static = client.get(settings.STATIC_URL + "css/tandem.css")
    assert static.status_code == 200
    # Read the file through the test client's wrapper: it closes the response without firing
    # close_old_connections, which would drop the PostgreSQL test connection under a frozen clock.
    assert b"".join(static.streaming_content)
    clock.tick(101)  # 601 s since the last real request
    assert not _is_signed_in(client)


@TIMEOUTS
def test_a_page_view_writes_the_session_at_most_once_a_minute(world, client, clock):
    client.force_login(world.local)
    clock.tick(30)
    assert settings.SESSION_COOKIE_NAME not in client.get(reverse("home")).cookies
    clock.tick(30)
    assert settings.SESSION_COOKIE_NAME in client.get(reverse("home")).cookies
    assert client.session[LAST_SEEN] == client.session[SIGNED_IN_AT] + 60


@TIMEOUTS
def test_expired_htmx_request_gets_401_and_hx_redirect(world, client, clock):
    client.force_login(world.local)
    clock.tick(601)
    response = client.get(
        reverse("organisation_list") + "?q=a",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/organisations/?page=2"},
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == _login_with_next("/organisations/%3Fpage%3D2")
    assert EXPIRED in client.get(response["HX-Redirect"]).content.decode()


@TIMEOUTS
def test_expired_htmx_request_from_another_site_has_no_next(world, client, clock):
    client.force_login(world.local)
    clock.tick(601)
    response = client.get(
        reverse("organisation_list"), headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"}
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("login")


@TIMEOUTS
def test_expired_api_request_gets_401_json(world, client, clock):
    client.force_login(world.local)
    assert client.get("/api/v1/openapi.json").status_code == 200  # a session page of the API
    clock.tick(601)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response.json() == {"detail": EXPIRED}
    assert "Location" not in response


@TIMEOUTS
def test_expired_post_returns_to_the_page_it_came_from(world, client, clock):
    client.force_login(world.local)
    clock.tick(601)
    response = client.post(
        reverse("jurisdiction_switch"),
        {"jurisdiction": str(world.cebu_city.uuid)},
        headers={"Referer": "http://testserver/people/"},
    )
    assert response.status_code == 302
    assert response["Location"] == _login_with_next("/people/")


@TIMEOUTS
def test_expired_sign_out_does_not_come_back_to_sign_out(world, client, clock):
    client.force_login(world.local)
    clock.tick(601)
    response = client.post(reverse("logout"), headers={"Referer": "http://testserver/accounts/logout/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_session_without_sign_in_time_is_refused(world, client):
    """A session made before the timeouts existed (or forged without the stamp) fails closed."""
    client.force_login(world.local)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert not _is_signed_in(client)


def test_default_timeouts(world, client, clock):
    client.force_login(world.local)
    clock.tick(1799)
    assert _is_signed_in(client)
    clock.tick(1801)
    assert not _is_signed_in(client)


# --- Sessions end when they must ---------------------------------------------------------------


def test_password_change_ends_the_users_other_sessions(world):
    mine, other = Client(), Client()
    mine.force_login(world.local)
    other.force_login(world.local)
    other_key = other.session.session_key

    # What a password-change view does: set the password, keep the current session valid.
    user = world.local
    user.set_password("a new and long passphrase 2026")
    user.save()
    request = RequestFactory().post("/")
    request.session = SessionStore(session_key=mine.session.session_key)
    request.user = user
    update_session_auth_hash(request, user)
    request.session.save()
    mine.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key

    assert _is_signed_in(mine)
    assert not _is_signed_in(other)
    assert not SessionStore().exists(other_key)


def test_deactivating_a_user_ends_all_their_sessions(world):
    first, second = Client(), Client()
    first.force_login(world.viewer)
    second.force_login(world.viewer)
    keys = [first.session.session_key, second.session.session_key]
    world.viewer.is_active = False
    world.viewer.save(update_fields=["is_active"])
    assert not _is_signed_in(first)
    assert not _is_signed_in(second)
    assert not any(SessionStore().exists(k) for k in keys)


def test_session_id_rotates_at_sign_in(world, client):
    before = client.session  # an anonymous session already exists
    before["lang_hint"] = "fr"
    before.save()
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("login"), {"username": "local", "password": PASSWORD})
    assert response.status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key and new_key != old_key
    assert not SessionStore().exists(old_key)
    assert _is_signed_in(client)


def test_sign_out_ends_the_session_on_the_server(world, client):
    client.force_login(world.local)
    old_key = client.session.session_key
    assert client.post(reverse("logout")).status_code == 302
    assert not SessionStore().exists(old_key)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert not _is_signed_in(replay)


def test_sign_out_by_get_is_refused(world, client):
    client.force_login(world.local)
    assert client.get(reverse("logout")).status_code == 405
    assert _is_signed_in(client)


# --- Correlation ids ------------------------------------------------------------------------------


def test_every_response_carries_a_generated_request_id(db, client):
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_safe_incoming_request_id_is_kept(db, client):
    incoming = "edge-" + "A1b2" * 14 + "xyz"  # 64 characters
    assert client.get(reverse("login"), headers={"X-Request-ID": incoming})["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["a" * 65, "has space", "semi;colon", "ünïcode", "<script>", "a_b", ""])
def test_an_unsafe_incoming_request_id_is_replaced(db, client, incoming):
    returned = client.get(reverse("login"), headers={"X-Request-ID": incoming})["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", returned)


def test_log_records_outside_a_request_carry_a_dash():
    record = logging.LogRecord("tandem", logging.INFO, __file__, 1, "hello", None, None)
    assert RequestIdFilter().filter(record) is True
    assert record.request_id == "-"


def test_log_format_includes_the_request_id():
    assert "%(request_id)s" in settings.LOGGING["formatters"]["plain"]["format"]
    assert "request_id" in settings.LOGGING["handlers"]["console"]["filters"]


# --- The error page ------------------------------------------------------------------------------


def _reference_on_page(body: str) -> str:
    match = re.search(r'<code class="request-id">([^<]+)</code>', body)
    assert match, body
    return match.group(1)


@ERROR_URLS
def test_server_error_shows_the_request_id_and_no_detail(world, caplog):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    client.force_login(world.local)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test-only/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    body = response.content.decode()
    assert "Quote this reference when you contact support:" in body
    assert _reference_on_page(body) == request_id
    for leak in ("Traceback", SECRET_DETAIL, "BoomError", 'File "', "error_urls"):
        assert leak not in body
    assert "<script" not in body and "style=" not in body
    # The log has the detail and the same id.
    records = [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert records
    assert all(r.request_id == request_id for r in records)
    assert any(r.exc_info and SECRET_DETAIL in str(r.exc_info[1]) for r in records)
    # The usual headers still apply to the error page.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


@ERROR_URLS
def test_server_error_page_works_without_the_database():
    """No ``db`` fixture: pytest-django makes any query fail, so the page must not need one."""
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/test-only/public-boom/", headers={"X-Request-ID": "proxy-7d1e-42"})
    assert response.status_code == 500
    body = response.content.decode()
    assert response["X-Request-ID"] == "proxy-7d1e-42" == _reference_on_page(body)
    assert '<html lang="fr"' in body  # in the user's language
    assert SECRET_DETAIL not in body


@ERROR_URLS
def test_server_error_page_in_the_browser_language(db):
    client = Client(raise_request_exception=False)
    response = client.get("/test-only/public-boom/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 500
    assert '<html lang="fr"' in response.content.decode()


@ERROR_URLS
def test_server_error_page_falls_back_when_the_template_fails(db, monkeypatch):
    from tandem.core.views import errors

    def broken(name):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/test-only/public-boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert response["X-Request-ID"] in body
    assert "manifest" not in body and SECRET_DETAIL not in body


@ERROR_URLS
def test_server_error_under_the_api_is_json(db):
    client = Client(raise_request_exception=False)
    response = client.get("/api/test-only/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["request_id"] == response["X-Request-ID"]
    assert SECRET_DETAIL not in response.content.decode()


def test_500_template_has_no_inline_code():
    body = (settings.BASE_DIR / "templates" / "500.html").read_text()
    assert "<style" not in body and "style=" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert "{% trans" in body  # translatable
