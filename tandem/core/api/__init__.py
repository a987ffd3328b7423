"""The core app's JSON API: jurisdictions, organisations, people, roles, ``/me``.

Mounted by :mod:`tandem.api` under ``/api/v1/``. Every endpoint:

* takes the actor from ``request.auth`` (a personal API token; the global auth
  default of the API refuses anything else with 401);
* reads only through :mod:`tandem.core.access` (scoped querysets,
  ``get_visible_or_404``) and writes only through :mod:`tandem.core.services`;
* answers an object outside the actor's jurisdictions exactly like a missing one
  (404 ``{"detail": "Not found."}``) and too little role inside them with 403.

Identifiers in paths and bodies are UUIDs. Request schemas forbid unknown fields.
References in a body (``jurisdiction``, ``parent``, ``organisation``) that the
actor cannot see are answered with 422 on that field, with the same message
whether the record is missing or out of scope.

The package is split by concern: :mod:`.common` is the kit every app's API builds on
(re-exported here, so apps keep importing ``from tandem.core.api import errors, InSchema``),
and :mod:`.directory`, :mod:`.people` and :mod:`.roles` hold the operations.
"""

from ninja import Router

from .common import (
    MAX_OFFSET,
    InSchema,
    JurisdictionRef,
    OrganisationRef,
    Pagination,
    UserRef,
    _actor,
    _reference,
    _within,
    errors,
    refuse_json_body,
    require_values,
)
from .directory import jurisdictions, organisations
from .people import people
from .roles import me, roles

ROUTERS: list[tuple[str, Router]] = [
    ("/jurisdictions", jurisdictions),
    ("/organisations", organisations),
    ("/people", people),
    ("/role-assignments", roles),
    ("", me),
]

__all__ = [
    "MAX_OFFSET",
    "ROUTERS",
    "InSchema",
    "JurisdictionRef",
    "OrganisationRef",
    "Pagination",
    "UserRef",
    "_actor",
    "_reference",
    "_within",
    "errors",
    "refuse_json_body",
    "require_values",
]
