"""The API's OpenAPI schema as ``api.get_openapi_schema()`` builds it, built once per test process.

Building it takes about 2 s of CPU (pydantic renders every schema again on each call), and the suite
reads it at collection (``test_not_found_identical``) and in several tests. Each caller gets its own
copy. ``test_openapi_document_is_committed_and_current`` still builds it afresh through
``manage.py export_openapi``'s own function.
"""

from __future__ import annotations

import copy
import functools
from typing import Any


@functools.cache
def _built() -> Any:
    from tandem.api import api

    return api.get_openapi_schema()


def openapi_schema() -> Any:
    return copy.deepcopy(_built())
