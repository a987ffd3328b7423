"""Defect 4: a foreign record answers exactly like a missing one, on every URL and API operation.

For every URL pattern and every API operation addressed by a record's identifier, the
Kenyan outsider (a coordinator of another country) requests it twice: with the real
identifier of a Philippine record (the permission matrix's Cebu City records) and with a
random UUID. The two answers must be the same 404: status, body and headers.

The records come from the permission matrices' rows (``Row.kwargs`` / ``Op.uuid``); both
matrices already fail when a URL or operation has no row, and this test fails when a
pattern with an identifier has no row that names a record. No header is exempt: the test
client sends no Date header, and the one header that varies per request (the correlation id
``X-Request-ID``, random unless the client sends a safe one) is pinned by sending it. One
header is compared loosely: ``Expires`` (``never_cache`` sets it to the response's own time,
so it moves with the clock between the two requests): each must be sent by both or neither, and
each must name the time of its own request (between the clock read before and after it, to the
second), which holds however slow the machine is.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from email.utils import parsedate_to_datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.tests.matrix import Op, Row
from tandem.tests.openapi import openapi_schema
from tandem.tests.test_api_matrix import MATRIX as API_MATRIX
from tandem.tests.test_permission_matrix import MATRIX as PAGE_MATRIX

# Identifier kwargs: the record's UUID. (``uidb64``/``token`` of the password reset address a
# user by a signed token, not a record id; the calendar feed's ``token`` is its credential.)
ID_KWARGS = {"uuid"}
# Requests refused before any record is looked up (still identical, but not a 404).
NOT_404 = {("decision_create", "get"): 405}  # POST-only view: 405 whatever the identifier
NOT_404.update(  # funding's POST-only views
    dict.fromkeys(
        (
            (name, "get")
            for name in (
                "funding_application_submit",
                "funding_application_withdraw",
                "funding_assign",
                "funding_payment_add",
                "funding_report_schedule",
                "funding_tranche_add",
                "funding_match_propose",
                "funding_match_respond",
                "funding_match_deliver",
                "funding_call_release",
            )
        ),
        405,
    )
)
# The correlation id is random per request unless the client sends one: pin it.
PINNED = {"HTTP_X_REQUEST_ID": "probe-foreign-or-missing"}


def _patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _patterns(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", set(p.pattern.converters)


def _page_patterns_with_id() -> list[str]:
    return sorted(
        name
        for name, kwargs in _patterns(get_resolver().url_patterns)
        if kwargs & ID_KWARGS and not name.startswith(("api:", "admin:"))
    )


def _api_operations_with_id() -> list[tuple[str, str]]:
    schema = openapi_schema()
    return sorted((method, path) for path, ops in schema["paths"].items() if "{uuid}" in path for method in ops)


PAGE_ROWS = {row.name: row for row in PAGE_MATRIX}
PAGE_CASES = [
    (name, method)
    for name in _page_patterns_with_id()
    for method in ("get", "post")
    if name in PAGE_ROWS and getattr(PAGE_ROWS[name], method) is not None
]
API_OPS = {(op.method, op.path): op for op in API_MATRIX}
API_CASES = _api_operations_with_id()


def _names_a_record(function, default) -> bool:
    return function.__code__ is not default.__code__


def test_every_identified_url_and_operation_has_a_foreign_record():
    """A new detail URL or operation must say which (foreign) record it addresses."""
    pages = _page_patterns_with_id()
    assert len(pages) >= 60, "the URL walk found too few patterns: is the resolver walk broken?"
    missing_pages = [
        name for name in pages if name not in PAGE_ROWS or not _names_a_record(PAGE_ROWS[name].kwargs, Row("-").kwargs)
    ]
    assert missing_pages == [], f"URL patterns with an identifier and no matrix row naming a record: {missing_pages}"
    assert {name for name, _method in PAGE_CASES} == set(pages), "every such pattern is requested at least once"
    assert len(API_CASES) >= 50
    missing_ops = [
        case
        for case in API_CASES
        if case not in API_OPS or not _names_a_record(API_OPS[case].uuid, Op("get", "-", {}).uuid)
    ]
    assert missing_ops == [], f"API operations with an identifier and no record in the API matrix: {missing_ops}"


def _timed(send):
    """Send a request and keep, on its response, the clock before and after it."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    response = send()
    response.sent_between = (before, dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=1))
    return response


def _headers(response) -> tuple[dict[str, str], dt.datetime | None]:
    headers = dict(response.headers)
    expires = headers.pop("Expires", None)
    return headers, parsedate_to_datetime(expires) if expires else None


def _expires_is_its_own_time(response, expires: dt.datetime, what: str) -> None:
    before, after = response.sent_between
    assert before <= expires <= after, f"{what}: Expires {expires} is not the time of its request ({before}–{after})"


def _same_answer(foreign, missing, what: str, status: int = 404) -> None:
    assert missing.status_code == status, f"{what}: a random UUID answered {missing.status_code}"
    assert foreign.status_code == status, f"{what}: the foreign record answered {foreign.status_code}"
    assert foreign.content == missing.content, f"{what}: bodies differ"
    foreign_headers, foreign_expires = _headers(foreign)
    missing_headers, missing_expires = _headers(missing)
    assert foreign_headers == missing_headers, f"{what}: headers differ"
    assert (foreign_expires is None) == (missing_expires is None), f"{what}: Expires sent for one only"
    if foreign_expires is not None:
        _expires_is_its_own_time(foreign, foreign_expires, what)
        _expires_is_its_own_time(missing, missing_expires, what)
    assert foreign.cookies.output() == missing.cookies.output(), f"{what}: cookies differ"


@pytest.mark.parametrize(("name", "method"), PAGE_CASES, ids=[f"{n}-{m}" for n, m in PAGE_CASES])
def test_foreign_page_is_byte_identical_to_missing(world, client, name, method):
    row = PAGE_ROWS[name]
    kwargs = row.kwargs(world)
    assert "uuid" in kwargs, f"{name}: the matrix row names no record"
    data = row.post_data(world)
    client.force_login(world.outsider)
    if name == "body_calendar_feed":
        # The feed's token is its credential: without it, a real body is as unknown as a missing one.
        kwargs["token"] = "not-the-token"
    foreign_url = reverse(name, kwargs=kwargs)
    missing_url = reverse(name, kwargs={**kwargs, "uuid": uuid.uuid4()})

    def request(url):
        if method == "get":
            return _timed(lambda: client.get(url, **PINNED))
        return _timed(lambda: client.post(url, data, **PINNED))

    # Missing first, then foreign, then missing again: the order must not matter either.
    status = NOT_404.get((name, method), 404)
    missing = request(missing_url)
    foreign = request(foreign_url)
    _same_answer(foreign, missing, f"{method.upper()} {name}", status)
    _same_answer(foreign, request(missing_url), f"{method.upper()} {name} (again)", status)


@pytest.mark.parametrize(("method", "path"), API_CASES, ids=[f"{m}-{p}" for m, p in API_CASES])
def test_foreign_api_operation_is_byte_identical_to_missing(world, client, method, path):
    from tandem.core import services

    op = API_OPS[(method, path)]
    target = op.uuid(world)
    body = op.body(world)
    secret = services.api_token_create(actor=world.outsider, name="probe").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", **PINNED}

    def request(identifier):
        url = path.replace("{uuid}", str(identifier))
        if method == "get":
            return _timed(lambda: client.get(url, **headers))
        payload = json.dumps(body) if body is not None else ""
        return _timed(lambda: getattr(client, method)(url, data=payload, content_type="application/json", **headers))

    missing = request(uuid.uuid4())
    foreign = request(target)
    _same_answer(foreign, missing, f"{method.upper()} {path}")
