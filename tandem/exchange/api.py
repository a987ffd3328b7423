"""API routers of tandem.exchange, mounted under /api/v1/ by tandem/api.py."""

from ninja import Router

ROUTERS: list[tuple[str, Router]] = []
