"""The CSRF failure page: Tandem's own, without inline style, in the user's language."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tandem.tests.test_security_headers import assert_security_headers


def test_a_form_without_its_token_gets_tandems_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "local", "password": "correct-horse-battery-staple"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "The form could not be sent" in body
    assert "Nothing was saved." in body
    assert "style=" not in body and "<style" not in body
    assert_security_headers(response)
    assert settings.CSRF_FAILURE_VIEW == "tandem.core.views.errors.csrf_failure"


def test_the_csrf_page_in_french(world):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(reverse("login"), {})
    assert response.status_code == 403
    assert "Le formulaire n&#x27;a pas pu être envoyé" in response.content.decode() or (
        "Le formulaire n'a pas pu être envoyé" in response.content.decode()
    )


def test_a_signed_in_user_without_the_token_is_refused_and_nothing_changes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.local)
    response = client.post(reverse("organisation_create"), {"name": "Forged"})
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
    assert not world.city_hall.__class__.objects.filter(name="Forged").exists()


def test_permissions_policy_on_every_response(db, client):
    for url in (reverse("login"), reverse("healthz"), "/api/v1/me"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy
