"""Pages of tandem.search (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [path("search/", views.search, name="search")]
