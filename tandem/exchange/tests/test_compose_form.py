"""The compose form as a French-speaking county officer meets it (issue 17)."""

from __future__ import annotations


def test_the_compose_form_names_its_two_kind_fields_apart_in_french_and_lists_errors_at_the_top(world, client):
    from django.urls import reverse

    client.force_login(world.local)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("exchange_compose")).content.decode()
    assert '<label for="id_kind">Nature' in page and '<label for="id_subkind">Catégorie' in page
    assert "novalidate" in page  # the server's messages speak, not the browser's pop-ups
    refused = client.post(reverse("exchange_compose"), {"kind": "request"}).content.decode()
    assert "Rien n'a été enregistré. Corrigez d'abord ceci :" in refused
    assert '<a href="#id_title">Titre' in refused


def _compose(world, **extra):
    sender = f"{world.cebu_city.uuid}|{world.city_hall.uuid}"
    return {
        "sender": sender,
        "kind": "report",
        "subkind": "situation",
        "direction": "up",
        "tlp": "AMBER",
        "title": "Tension after the market fire",
        "body": "Rumours are spreading in two barangays.",
        **extra,
    }


def test_an_upward_item_with_no_recipient_proposes_the_level_above_and_the_sender_can_change_it(world, client):
    from django.urls import reverse

    from tandem.exchange import services
    from tandem.exchange.models import ExchangeItem

    client.force_login(world.local)
    form = client.get(reverse("exchange_compose")).content.decode()
    assert "the coordinators of the level above yours are proposed" in form
    response = client.post(reverse("exchange_compose"), _compose(world), follow=True)
    page = response.content.decode()
    draft = ExchangeItem.objects.get(title="Tension after the market fire")
    # Cebu City's parent is the province of Cebu: its coordinators are proposed and shown in the preview.
    assert [j.name for j in services.addressees_of(draft).jurisdictions] == ["Cebu"]
    assert "the coordinators of Cebu, the level above, are proposed" in page
    assert response.redirect_chain[-1][0] == reverse("exchange_preview", args=[draft.uuid])
    # The sender changes them: the region instead. Nothing is proposed over a choice.
    changed = client.post(
        reverse("exchange_draft_edit", args=[draft.uuid]),
        _compose(world, jurisdictions=[world.visayas.pk]),
        follow=True,
    ).content.decode()
    assert [j.name for j in services.addressees_of(draft).jurisdictions] == ["Central Visayas"]
    assert "are proposed" not in changed
    # Lateral and downward items are never given recipients: the sender must choose.
    refused = client.post(reverse("exchange_compose"), _compose(world, direction="lateral", title="Other"))
    assert "Choose at least one recipient." in refused.content.decode()


def test_a_national_sender_upward_gets_no_proposal_above_the_country(world):
    from tandem.exchange import services

    assert services.level_above(world.national, world.ph) is None
    assert services.level_above(world.local, world.cebu_city) == world.cebu
