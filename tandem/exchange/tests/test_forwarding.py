"""Forwarding of AMBER items by their recipients, inside their organisation's jurisdiction (issue 10)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.core import services as core_services
from tandem.core.models import AuditEvent
from tandem.exchange import access, services
from tandem.exchange.tests.conftest import named_person, send_item

BASE = "/api/v1/exchange"


def _readers(world, item) -> set[str]:
    seen = {n for n, u in world.personas.items() if access.can_see(u, item)}
    assert seen == set(access.item_audience(item).values_list("username", flat=True))
    return seen


@pytest.fixture
def amber(world):
    """The national coordinator sends AMBER to the Visayas Youth Forum (cso, member) in Cebu City."""
    return send_item(
        world, tlp="AMBER", title="Forum briefing", body="Tensions at the youth centre.", organisations=[world.cso_org]
    )


def test_a_recipient_forwards_inside_its_jurisdiction_through_the_page(world, client, amber):
    client.force_login(world.cso)
    detail = client.get(reverse("exchange_detail", args=[amber.uuid])).content.decode()
    assert reverse("exchange_forward", args=[amber.uuid]) in detail
    url = reverse("exchange_forward", args=[amber.uuid])
    form = client.get(url)
    offered = {o.name for o in form.context["form"].fields["organisations"].queryset}
    assert "Cebu Shipping Co" in offered
    assert "Cebu Provincial Police" not in offered and "Manila Interfaith Council" not in offered  # above, elsewhere
    preview = client.post(url, {"organisations": [world.company_org.pk]})
    assert preview.status_code == 200
    assert [u.username for u in preview.context["preview"].new_readers] == ["company"]
    assert "1 more person will be able to read it" in preview.content.decode()
    assert not access.can_see(world.company, amber)  # nothing happens before the confirmation
    done = client.post(url, {"organisations": [world.company_org.pk], "confirm": "on"})
    assert done.status_code == 302
    assert _readers(world, amber) == {"national", "cso", "member", "company"}
    row = amber.recipients.get(organisation=world.company_org)
    assert row.forwarded_by == world.cso and row.forwarded_at is not None
    event = AuditEvent.objects.filter(object_uuid=str(amber.uuid), actor=world.cso).get()
    assert event.changes["forwarded_to_organisations"] == ["Cebu Shipping Co"]
    assert "Tensions" not in str(event.changes)
    # The sender sees who forwarded it to whom.
    client.force_login(world.national)
    page = client.get(reverse("exchange_detail", args=[amber.uuid])).content.decode()
    assert "Cebu Shipping Co" in page and "forwarded by Cso" in page


def test_forwarding_outside_the_forwarders_jurisdiction_is_refused(world, amber):
    for org in (world.police, world.manila_org, world.national_org):  # above, another city, national level
        with pytest.raises(ValidationError) as exc:
            services.item_forward(actor=world.cso, item=amber, organisations=[org], people=[])
        assert "outside your organisation's jurisdiction" in str(exc.value)
    manila = named_person(world, world.outsider, world.manila)
    with pytest.raises(ValidationError):
        services.item_forward(actor=world.cso, item=amber, organisations=[], people=[manila])
    assert _readers(world, amber) == {"national", "cso", "member"}


def test_a_named_person_in_the_forwarders_jurisdiction_may_be_forwarded_to(world, amber):
    viewer = named_person(world, world.viewer)  # in Cebu City
    result = services.item_forward(actor=world.member, item=amber, organisations=[], people=[viewer])
    assert [u.username for u in result.new_readers] == ["viewer"]
    assert "viewer" in _readers(world, amber)


def test_only_direct_recipients_forward_and_only_once(world, client, amber):
    services.item_forward(actor=world.cso, item=amber, organisations=[world.company_org], people=[])
    for user in (world.national, world.company):  # the sender; a recipient through a forward
        assert services.forward_refusal(actor=user, item=amber)
        client.force_login(user)
        response = client.get(reverse("exchange_forward", args=[amber.uuid]))
        assert response.status_code == 403 and 'id="forward-refused"' in response.content.decode()
    client.force_login(world.outsider)
    assert client.get(reverse("exchange_forward", args=[amber.uuid])).status_code == 404


@pytest.mark.parametrize("tlp", ["AMBER_STRICT", "RED"])
def test_amber_strict_and_red_cannot_be_forwarded(world, client, tlp):
    item = send_item(world, tlp=tlp, organisations=[world.cso_org], people=[named_person(world, world.cso)])
    with pytest.raises(services.ForwardRefused):
        services.item_forward(actor=world.cso, item=item, organisations=[world.company_org], people=[])
    client.force_login(world.cso)
    assert (
        reverse("exchange_forward", args=[item.uuid])
        not in client.get(reverse("exchange_detail", args=[item.uuid])).content.decode()
    )
    response = client.post(
        reverse("exchange_forward", args=[item.uuid]), {"organisations": [world.company_org.pk], "confirm": "on"}
    )
    assert response.status_code == 403 and "cannot be forwarded" in response.content.decode()
    token = core_services.api_token_create(actor=world.cso, name="t").secret
    api = client.post(
        f"{BASE}/items/{item.uuid}/forward",
        {"to_organisations": [str(world.company_org.uuid)]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert api.status_code == 403 and "cannot be forwarded" in api.json()["detail"]
    assert not access.can_see(world.company, item)


def test_green_needs_no_forwarding(world):
    item = send_item(world, tlp="GREEN", organisations=[world.cso_org])
    assert "needs no forwarding" in services.forward_refusal(actor=world.cso, item=item)


def test_forwarding_through_the_api_notifies_the_new_readers(world, client, amber, django_capture_on_commit_callbacks):
    world.company.email = "company@example.org"
    world.company.save(update_fields=["email"])
    token = core_services.api_token_create(actor=world.member, name="t").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    body = {"to_organisations": [str(world.company_org.uuid)]}
    preview = client.post(f"{BASE}/items/{amber.uuid}/forward/preview", body, **headers)
    assert preview.status_code == 200 and preview.json()["new_readers_count"] == 1
    outside = client.post(
        f"{BASE}/items/{amber.uuid}/forward", {"to_organisations": [str(world.police.uuid)]}, **headers
    )
    assert outside.status_code == 422
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"{BASE}/items/{amber.uuid}/forward", body, **headers)
    assert done.status_code == 200
    forwarded = [r for r in done.json()["recipients"] if r["forwarded_by"]]
    assert [(r["name"], r["forwarded_by"]) for r in forwarded] == [("Cebu Shipping Co", "Member")]
    assert [m.to for m in mail.outbox] == [["company@example.org"]]
    assert "Forum briefing" not in mail.outbox[0].body
