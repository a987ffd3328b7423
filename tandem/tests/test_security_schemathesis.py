"""Schemathesis against the committed OpenAPI document (docs/openapi.json), in-process.

Every operation in the document is exercised through the WSGI application with a
bearer token of the national coordinator: generated path, query and body values
(valid and invalid), a bounded number of examples per operation, derandomized so
a run is reproducible. Checks: no server error, responses match their declared
schema and status codes, and the token is enforced (the same request without it
answers 401, see also ``test_every_operation_refuses_a_request_without_a_token``).

SCHEMATHESIS_MAX_EXAMPLES (default 3) and SCHEMATHESIS_BUDGET (default 400 cases for the
whole document) bound the run; the test prints how many cases it ran (``pytest -s``). Raise
them for a deeper run (``SCHEMATHESIS_MAX_EXAMPLES=50 SCHEMATHESIS_BUDGET=5000``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from tandem.core import services

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "openapi.json"
# Examples per operation (valid and invalid requests together): 3 by default (every operation is
# exercised, the same cases on every run), never fewer than 3 even when the document outgrows
# SCHEMATHESIS_BUDGET. 76 operations x 3 = 228 cases, about 9 CPU-s.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))
BUDGET = int(os.environ.get("SCHEMATHESIS_BUDGET", "400"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, ignored_auth]

schema = schemathesis.openapi.from_path(DOCUMENT)
schema.app = WSGIHandler()
# The "coverage" phase enumerates every boundary case of every field (minutes); generated
# examples keep the run bounded by MAX_EXAMPLES per operation and generation mode.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: a request must not close the test's database connection (on
    PostgreSQL, close_old_connections drops a connection that is inside the test transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.slow  # about 20 s of CPU: scheduled at the start of its group, not left as the run's tail
def test_api_conforms_to_its_openapi_document(world, keep_test_connection):
    """One test over every operation of the document, so the world is built once."""
    headers = {"Authorization": f"Bearer {services.api_token_create(actor=world.national, name='st').secret}"}
    failures: list[str] = []
    skipped: list[str] = []
    cases = 0
    operations = 0
    results = list(schema.get_all_operations())
    per_operation = max(3, min(MAX_EXAMPLES, BUDGET // max(1, len(results))))
    for result in results:
        if isinstance(result, Err):
            skipped.append(f"(unreadable operation) {result.err()}")
            continue
        operation = result.ok()
        try:
            strategy = st.one_of(
                operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
            )
        except Exception as exc:  # a schema no data can be generated for: say which and why
            skipped.append(f"{operation.label}: cannot generate requests ({exc!r})")
            continue
        operations += 1

        @given(case=strategy)
        @settings(
            max_examples=per_operation,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal cases
            cases += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    print(f"schemathesis: {cases} cases over {operations} operations, {len(skipped)} skipped {skipped}")
    assert operations >= 20
    assert not skipped, skipped
    assert not failures, "\n\n".join(failures)


def _operations() -> list[tuple[str, str]]:
    document = json.loads(DOCUMENT.read_text())
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = _operations()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_refuses_a_request_without_a_token(db, client, method, path):
    url = path.replace("{uuid}", "00000000-0000-4000-8000-000000000000")
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer tdm_not-a-token"}):
        response = client.generic(method, url, data=b"{}", content_type="application/json", **headers)
        assert response.status_code == 401, (method, url, headers)
        assert response.json()["detail"].startswith("Authentication required")


def test_the_document_has_operations():
    assert len(OPERATIONS) >= 20
