"""Password storage and policy (ASVS V2.1, V2.4) and the post-sign-in redirect."""

from __future__ import annotations

import argon2
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.tests.production import production_value


def _codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


def test_production_hashes_with_argon2id():
    first, sample = production_value(
        "[settings.PASSWORD_HASHERS[0], __import__('django.contrib.auth.hashers', fromlist=['x'])"
        ".make_password('a long passphrase for the test')]"
    )
    assert first == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert sample.startswith("argon2$argon2id$")


def test_argon2_hasher_uses_the_id_variant():
    hasher = Argon2PasswordHasher()
    assert hasher.params().type == argon2.Type.ID
    assert hasher.encode("a long passphrase for the test", hasher.salt()).startswith("argon2$argon2id$")


def test_eleven_characters_are_refused():
    assert "password_too_short" in _codes("Qz7!kW2#pLm")


def test_twelve_characters_are_accepted():
    assert _codes("Qz7!kW2#pLmx") == set()


@pytest.mark.parametrize(
    "password",
    [
        "a calm river runs past the old mill every spring morning in cebu",  # 64 characters
        "x7" * 64,  # 128 characters
        "mot de passe très sûr ✓ 2026",
        "パスワードはとても長くて安全です2026",
    ],
)
def test_long_and_unicode_passphrases_are_accepted(password):
    assert len(password) >= 12
    assert _codes(password) == set()


def test_common_password_is_refused():
    assert "password_too_common" in _codes("password1234")


def test_all_digit_password_is_refused():
    assert "password_entirely_numeric" in _codes("730194825561")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "https:evil.example",
        "/\\evil.example",
        "http://testserver.evil.example/",
    ],
)
def test_sign_in_never_redirects_off_site(world, client, target):
    response = client.post(
        reverse("login"), {"username": "local", "password": "correct-horse-battery-staple", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_in_follows_a_local_next(world, client):
    response = client.post(
        reverse("login"),
        {"username": "local", "password": "correct-horse-battery-staple", "next": "/organisations/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
