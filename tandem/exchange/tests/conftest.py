"""Fixtures of the exchange tests: attachments go to a temporary MEDIA_ROOT, mail to locmem."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _exchange_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.utils import translation

    with translation.override("en"):  # messages asserted in English whatever an earlier test activated
        yield


def named_person(world, user, jurisdiction=None):
    """A directory person linked to ``user`` (so the user can be named as a recipient)."""
    from tandem.core import services
    from tandem.core.models import Person

    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    return services.person_create(
        actor=world.admin,
        jurisdiction=jurisdiction or world.cebu_city,
        full_name=f"{user.username.title()} Person",
        user=user,
    )


def send_item(
    world,
    *,
    sender=None,
    tlp="AMBER",
    kind="report",
    title="Item",
    body="Text",
    organisations=(),
    people=(),
    jurisdictions=(),
    bodies=(),
    uploads=(),
    direction="down",
    jurisdiction=None,
    sender_organisation="default",
    due_date=None,
):
    """Create and send an item through the services (no personal-data or agreement prompts)."""
    from tandem.exchange import services

    sender = sender or world.national
    if jurisdiction is None:
        jurisdiction = {world.national.pk: world.ph, world.local.pk: world.cebu_city}.get(sender.pk, world.cebu_city)
    if sender_organisation == "default":
        sender_organisation = {world.national.pk: world.national_org, world.local.pk: world.city_hall}.get(sender.pk)
    subkind = {"report": "situation", "request": "information"}.get(kind, "")
    if kind == "request" and due_date is None:
        due_date = dt.date.today() + dt.timedelta(days=7)
    draft = services.draft_save(
        actor=sender,
        jurisdiction=jurisdiction,
        sender_organisation=sender_organisation,
        kind=kind,
        subkind=subkind,
        direction=direction,
        tlp=tlp,
        title=title,
        body=body,
        due_date=due_date,
        addressees=services.Addressees(
            organisations=list(organisations),
            people=list(people),
            jurisdictions=list(jurisdictions),
            bodies=list(bodies),
        ),
        uploads=list(uploads),
    )
    return services.item_send(
        actor=sender,
        draft=draft,
        expected_version=draft.version,
        confirm_personal_data=True,
        no_agreement_reason="Test channel",
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
