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
