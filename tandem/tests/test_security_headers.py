"""Security headers and cookie flags on every page.

Walks every GET row of the permission matrix as a signed-in local coordinator
(and the public pages anonymously), so a new page is covered the day it gets
its matrix row. Production-only values (Secure cookies, HSTS) are read in a
subprocess with TANDEM_ENV=production.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tandem.tests.production import production_value
from tandem.tests.test_permission_matrix import MATRIX

GET_ROWS = [row for row in MATRIX if row.get is not None]
PUBLIC_ROWS = [row for row in GET_ROWS if row.name in {"login", "healthz"}]


def _csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response) -> None:
    where = f"{response.request['PATH_INFO']} ({response.status_code})"
    assert "Content-Security-Policy" in response, where
    csp = _csp_directives(response)
    assert "'self'" in csp.get("script-src", []), where
    assert "'unsafe-inline'" not in csp["script-src"], where
    assert "'unsafe-eval'" not in csp["script-src"], where
    assert "'unsafe-inline'" not in csp.get("style-src", []), where
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("object-src") == ["'none'"], where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    policy = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy, where


@pytest.mark.parametrize("row", GET_ROWS, ids=[row.name for row in GET_ROWS])
def test_signed_in_pages_send_security_headers(world, client, row):
    client.force_login(world.local)
    response = client.get(reverse(row.name, kwargs=row.kwargs(world)))
    assert response.status_code == row.get["local"]
    # Every response, not only HTML: downloads (CSV, XLSX) and JSON get the same headers.
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"], "pages of a signed-in user must never be stored"


@pytest.mark.parametrize("row", PUBLIC_ROWS, ids=[row.name for row in PUBLIC_ROWS])
def test_public_pages_send_security_headers(world, client, row):
    response = client.get(reverse(row.name, kwargs=row.kwargs(world)))
    assert response.status_code == row.get["anonymous"] == 200
    assert_security_headers(response)


def test_sign_in_redirect_and_not_found_pages_send_security_headers(world, client):
    redirect = client.get(reverse("organisation_list"))
    assert redirect.status_code == 302
    assert_security_headers(redirect)
    client.force_login(world.local)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_security_headers(missing)
    assert "no-store" in missing["Cache-Control"]


def test_the_walk_covers_html_pages():
    """Guard against a vacuous walk: the matrix has many GET rows."""
    assert len(GET_ROWS) >= 20
    assert {"login", "healthz"} <= {row.name for row in PUBLIC_ROWS}


def test_session_and_csrf_cookies_flags(world, client):
    page = client.get(reverse("login"))
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"), {"username": "local", "password": "correct-horse-battery-staple", "next": "/"}
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert int(session["max-age"]) == settings.SESSION_ABSOLUTE_TIMEOUT


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
def test_hsts_header_over_https(db, client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_production_settings_secure_transport_and_cookies():
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "SESSION_IDLE_TIMEOUT",
        "SESSION_ABSOLUTE_TIMEOUT",
    ]
    values = production_value(f"{{name: getattr(settings, name) for name in {names!r}}}")
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SESSION_IDLE_TIMEOUT"] == 1800
    assert values["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 3600
