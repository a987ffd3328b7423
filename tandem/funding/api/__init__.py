"""API of funding under ``/api/v1/funding/``: the same rules as the pages (tandem.funding.access).

One module per concern, each with its router: ``grants`` (calls, applications, awards, totals,
files, open data), ``sources`` and ``partners`` (offers and matches).
"""

from ninja import Router

from . import grants, partners, sources

ROUTERS: list[tuple[str, Router]] = [
    ("/funding", grants.router),
    ("/funding", sources.router),
    ("/funding", partners.router),
]

__all__ = ["ROUTERS"]
