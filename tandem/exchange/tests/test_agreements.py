"""Sharing agreements say what they are for and when they are reviewed; sharing under an agreement
that has expired or is overdue for review is flagged before sending (issue 17)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tandem.exchange import services


def _agreement(world, **extra):
    values = {
        "title": "Cebu youth protocol",
        "jurisdiction": world.cebu_city,
        "legal_basis": "Ordinance 12",
        "categories": "Community concerns",
        "retention": "1 year",
        "contact": "dpo@cebu.example",
        "valid_from": dt.date(2024, 1, 1),
        "valid_to": None,
        "purpose": "Early warning of tensions around schools",
        "main_users": "Prevention officers and youth workers",
        "standard_formats": "Incident note template v2",
        "review_date": None,
        **extra,
    }
    return services.agreement_save(
        actor=world.admin,
        agreement=None,
        values=values,
        organisations=[world.city_hall, world.cso_org],
        jurisdictions=[],
    )


def _preview(world, client):
    draft = services.draft_save(
        actor=world.local,
        jurisdiction=world.cebu_city,
        sender_organisation=world.city_hall,
        kind="alert",
        direction="lateral",
        tlp="AMBER",
        title="Alert",
        body="Nothing personal.",
        addressees=services.Addressees(organisations=[world.cso_org]),
    )
    client.force_login(world.local)
    return client.get(reverse("exchange_preview", args=[draft.uuid]))


def test_the_agreement_page_shows_purpose_users_formats_and_review(world, client):
    agreement = _agreement(world, review_date=dt.date(2030, 6, 30))
    client.force_login(world.local)
    page = client.get(reverse("agreement_detail", args=[agreement.uuid])).content.decode()
    for text in ("Early warning of tensions", "Prevention officers and youth workers", "Incident note template v2"):
        assert text in page
    assert "30 Jun 2030" in page


def test_an_expired_agreement_is_named_before_sharing_without_one(world, client):
    _agreement(world, valid_to=dt.date.today() - dt.timedelta(days=3))
    response = _preview(world, client)
    preview = response.context["preview"]
    assert preview.agreement is None and preview.reason_required  # it no longer covers the channel
    assert preview.lapsed_agreement.title == "Cebu youth protocol"
    assert "covered it until" in response.content.decode()


def test_an_agreement_overdue_for_review_is_flagged_but_still_covers(world, client):
    _agreement(world, review_date=dt.date.today() - dt.timedelta(days=1))
    response = _preview(world, client)
    assert response.context["preview"].agreement is not None
    assert 'id="agreement-review"' in response.content.decode()


def test_a_valid_agreement_raises_no_warning(world, client):
    _agreement(world, review_date=dt.date.today() + dt.timedelta(days=30))
    page = _preview(world, client).content.decode()
    assert 'id="agreement-review"' not in page and 'id="agreement-lapsed"' not in page


def test_agreements_and_open_requests_export(world, client):
    import io

    from openpyxl import load_workbook

    from tandem.exchange.tests.conftest import send_item

    _agreement(world, review_date=dt.date(2027, 3, 1))
    client.force_login(world.local)
    sheet = load_workbook(io.BytesIO(client.get(reverse("agreement_export", args=["xlsx"])).content)).active
    row = [c.value for c in sheet[2]]
    assert row[0] == "Cebu youth protocol" and row[4].date() == dt.date(2027, 3, 1) and row[5] == 2
    send_item(
        world,
        sender=world.local,
        tlp="GREEN",
        kind="request",
        direction="up",
        title="Need trainers",
        organisations=[world.national_org],
    )
    client.force_login(world.national)
    body = b"".join(client.get(reverse("exchange_open_requests_export", args=["csv"])).streaming_content).decode()
    assert "Need trainers" in body.splitlines()[1]
    client.force_login(world.viewer)
    assert client.get(reverse("exchange_open_requests_export", args=["csv"])).status_code == 403
