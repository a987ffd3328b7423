"""API abuse: rate limits per token and per address (JSON 429 + Retry-After)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from freezegun import freeze_time

import tandem.urls  # noqa: F401  (build the API schemas before freezegun patches date classes)
from tandem.core import ratelimit, services

URL = "/api/v1/me"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    # 10 s into a minute: the window ends in 50 s.
    with freeze_time(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)) as frozen:
        yield frozen


def bearer(world, user=None, name="script"):
    issued = services.api_token_create(actor=user or world.local, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}


@override_settings(API_RATE_LIMIT="3/minute", API_RATE_LIMIT_PER_ADDRESS="100/minute")
def test_a_token_over_its_limit_gets_a_json_429_with_retry_after(world, client, clock):
    token = bearer(world)
    for _ in range(3):
        assert client.get(URL, **token).status_code == 200
    refused = client.get(URL, **token)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert refused["Retry-After"] == "50"
    body = refused.json()
    assert body["detail"] == "Too many requests with this API token (limit: 3/minute). Retry in 50 s."
    assert body["retry_after"] == 50
    # Another token from the same address is not affected.
    assert client.get(URL, **bearer(world, world.national, "other")).status_code == 200
    # The next window opens the token again.
    clock.tick(50)
    assert client.get(URL, **token).status_code == 200


@override_settings(API_RATE_LIMIT="100/minute", API_RATE_LIMIT_PER_ADDRESS="4/minute")
def test_an_address_over_its_limit_is_refused_whatever_the_token(world, client, clock):
    for number in range(4):
        assert client.get(URL, REMOTE_ADDR="10.5.0.1", **bearer(world, name=f"t{number}")).status_code == 200
    refused = client.get(URL, REMOTE_ADDR="10.5.0.1", **bearer(world, name="fresh"))
    assert refused.status_code == 429
    assert "from this address" in refused.json()["detail"]
    assert client.get(URL, REMOTE_ADDR="10.5.0.2", **bearer(world, name="elsewhere")).status_code == 200


@override_settings(API_RATE_LIMIT_PER_ADDRESS="3/minute")
def test_requests_without_a_valid_token_count_too(db, client, clock):
    for _ in range(3):
        assert client.get(URL, HTTP_AUTHORIZATION="Bearer tdm_guess").status_code == 401
    assert client.get(URL).status_code == 429


@override_settings(API_RATE_LIMIT="2/second", API_RATE_LIMIT_PER_ADDRESS="100/minute")
def test_limits_per_second(world, client, clock):
    token = bearer(world)
    assert client.get(URL, **token).status_code == 200
    assert client.get(URL, **token).status_code == 200
    refused = client.get(URL, **token)
    assert refused.status_code == 429 and refused["Retry-After"] == "1"


@override_settings(API_RATE_LIMIT_PER_ADDRESS="2/minute")
def test_the_french_message(world, client, clock):
    for _ in range(2):
        client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")
    refused = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.json()["detail"].startswith("Trop de requêtes depuis cette adresse")


@pytest.mark.parametrize("rate", ["", "10", "0/minute", "10/week", "ten/minute"])
def test_a_malformed_rate_is_refused(rate):
    with pytest.raises(ImproperlyConfigured):
        ratelimit.parse_rate(rate)


def test_default_limits():
    from tandem.tests.production import production_value

    values = production_value("[settings.API_RATE_LIMIT, settings.API_RATE_LIMIT_PER_ADDRESS]")
    assert values == ["120/minute", "300/minute"]


# --- Malformed, huge and unexpected bodies: every operation that takes one -------------------------


def _body_operations():
    import json
    from pathlib import Path

    document = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text())
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]


BODY_OPERATIONS = _body_operations()


@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS, ids=[f"{m} {p}" for m, p in BODY_OPERATIONS])
def test_bad_bodies_get_a_clear_4xx(world, client, method, path):
    """Malformed JSON: 400. Too large: 413. Unknown fields: 422 naming them (request schemas must forbid
    extra fields: derive them from tandem.core.api.InSchema). Never a 500."""
    url = path.replace("{uuid}", str(world.cebu_city.uuid))
    token = bearer(world, world.admin)
    malformed = client.generic(method, url, b'{"name": ', content_type="application/json", **token)
    assert malformed.status_code == 400, malformed.content
    assert malformed.json()["detail"] == "The request body is not valid JSON."
    huge = b'{"name": "' + b"a" * (6 * 1024 * 1024) + b'"}'
    too_big = client.generic(method, url, huge, content_type="application/json", **token)
    assert too_big.status_code == 413, too_big.content
    assert too_big.json()["detail"].startswith("The request body is too large")
    unknown = client.generic(
        method, url, b'{"unknown_field_xyz": 1, "version": 1}', content_type="application/json", **token
    )
    # A foreign or missing record may answer 404 before the body is read; otherwise the field is named.
    assert unknown.status_code in {404, 422}, unknown.content
    if unknown.status_code == 422:
        assert "unknown_field_xyz" in unknown.json()["errors"], unknown.content


def test_the_body_walk_covers_operations():
    assert len(BODY_OPERATIONS) >= 5
