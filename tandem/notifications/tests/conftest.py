"""Fixtures of the notification tests: e-mail to locmem, English, the cast with e-mail addresses."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _notification_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TANDEM_SITE_URL = "https://tandem.test"
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def cast(world):
    for name, user in world.personas.items():
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])
    return world


def amber_request(world, *, due_date=None, title="Flood shelter needs"):
    """An AMBER request from Cebu City's coordinator up to the Philippines (its national coordinator)."""
    from tandem.exchange.tests.conftest import send_item

    return send_item(
        world,
        sender=world.local,
        tlp="AMBER",
        kind="request",
        title=title,
        body="Secret shelter locations",
        jurisdictions=[world.ph],
        direction="up",
        due_date=due_date,
    )
