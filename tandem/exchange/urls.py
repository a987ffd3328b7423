"""Pages of tandem.exchange (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

urlpatterns = [
    path("exchange/", views.exchange_inbox, name="exchange_inbox"),
    path("exchange/sent/", views.exchange_outbox, name="exchange_outbox"),
    path("exchange/export.<str:fmt>", views.exchange_export, name="exchange_export"),
    path("exchange/open-requests/", views.exchange_open_requests, name="exchange_open_requests"),
    path(
        "exchange/open-requests/export/<str:fmt>/",
        views.exchange_open_requests_export,
        name="exchange_open_requests_export",
    ),
    path("exchange/new/", views.exchange_compose, name="exchange_compose"),
    path("exchange/lookup/organisations/", lookups.exchange_lookup_organisations, name="exchange_lookup_organisations"),
    path("exchange/lookup/bodies/", lookups.exchange_lookup_bodies, name="exchange_lookup_bodies"),
    path("exchange/lookup/people/", lookups.exchange_lookup_people, name="exchange_lookup_people"),
    path("exchange/lookup/jurisdictions/", lookups.exchange_lookup_jurisdictions, name="exchange_lookup_jurisdictions"),
    path(
        "exchange/lookup/forward/organisations/",
        lookups.exchange_lookup_forward_organisations,
        name="exchange_lookup_forward_organisations",
    ),
    path(
        "exchange/lookup/forward/people/",
        lookups.exchange_lookup_forward_people,
        name="exchange_lookup_forward_people",
    ),
    path("exchange/drafts/<uuid:uuid>/edit/", views.exchange_draft_edit, name="exchange_draft_edit"),
    path("exchange/drafts/<uuid:uuid>/preview/", views.exchange_preview, name="exchange_preview"),
    path("exchange/drafts/<uuid:uuid>/discard/", views.exchange_draft_discard, name="exchange_draft_discard"),
    path("exchange/items/<uuid:uuid>/", views.exchange_detail, name="exchange_detail"),
    path("exchange/items/<uuid:uuid>/reply/", views.exchange_reply, name="exchange_reply"),
    path("exchange/items/<uuid:uuid>/acknowledge/", views.exchange_acknowledge, name="exchange_acknowledge"),
    path("exchange/items/<uuid:uuid>/status/", views.exchange_status, name="exchange_status"),
    path("exchange/items/<uuid:uuid>/label/", views.exchange_label, name="exchange_label"),
    path("exchange/items/<uuid:uuid>/forward/", views.exchange_forward, name="exchange_forward"),
    path("exchange/attachments/<uuid:uuid>/", views.exchange_attachment, name="exchange_attachment"),
    path("exchange/agreements/", views.agreement_list, name="agreement_list"),
    path("exchange/agreements/export/<str:fmt>/", views.agreement_export, name="agreement_export"),
    path("exchange/agreements/new/", views.agreement_create, name="agreement_create"),
    path("exchange/agreements/<uuid:uuid>/", views.agreement_detail, name="agreement_detail"),
    path("exchange/agreements/<uuid:uuid>/edit/", views.agreement_edit, name="agreement_edit"),
]
