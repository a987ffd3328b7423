"""Pages of tandem.exchange (included at the site root by tandem/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
