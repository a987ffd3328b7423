"""Pages of tandem.library (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

urlpatterns = [
    path("library/", views.library_search, name="library_search"),
    path("library/new/", views.library_item_create, name="library_item_create"),
    path("library/lookup/jurisdictions/", lookups.library_lookup_jurisdictions, name="library_lookup_jurisdictions"),
    path("library/lookup/countries/", lookups.library_lookup_countries, name="library_lookup_countries"),
    path("library/lookup/items/", lookups.library_lookup_items, name="library_lookup_items"),
    path("library/review/", views.library_review, name="library_review"),
    path("library/items/<uuid:uuid>/", views.library_item_detail, name="library_item_detail"),
    path("library/items/<uuid:uuid>/edit/", views.library_item_edit, name="library_item_edit"),
    path("library/items/<uuid:uuid>/versions/", views.library_item_versions, name="library_item_versions"),
    path("library/items/<uuid:uuid>/attachments/", views.library_attachment_add, name="library_attachment_add"),
    path("library/items/<uuid:uuid>/<slug:step>/", views.library_item_step, name="library_item_step"),
    path("library/attachments/<uuid:uuid>/", views.library_attachment, name="library_attachment"),
    path("library/checklists/", views.checklist_list, name="checklist_list"),
    path("library/checklists/<slug:code>/", views.checklist_detail, name="checklist_detail"),
    path("library/checklists/<slug:code>/start/", views.checklist_start, name="checklist_start"),
    path("library/checklist-records/<uuid:uuid>/", views.checklist_run, name="checklist_run"),
]
