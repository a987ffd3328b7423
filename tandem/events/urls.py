"""Pages of tandem.events (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/lookup/jurisdictions/", lookups.event_lookup_jurisdictions, name="event_lookup_jurisdictions"),
    path("events/lookup/places/", lookups.event_lookup_places, name="event_lookup_places"),
    path("events/lookup/countries/", lookups.event_lookup_countries, name="event_lookup_countries"),
    path("events/<uuid:uuid>/", views.event_detail, name="event_detail"),
    path("events/<uuid:uuid>/edit/", views.event_edit, name="event_edit"),
    path("events/<uuid:uuid>/sessions/", views.session_add, name="event_session_add"),
    path("events/<uuid:uuid>/calendar.ics", views.event_ics, name="event_ics"),
    path("events/<uuid:uuid>/participants/", views.participant_list, name="participant_list"),
    path("events/<uuid:uuid>/participants/export/<str:fmt>/", views.participant_export, name="participant_export"),
    path("events/participants/<uuid:uuid>/status/", views.participant_status, name="participant_status"),
    path("events/<uuid:uuid>/breakouts/new/", views.breakout_create, name="breakout_create"),
    path("events/breakouts/<uuid:uuid>/", views.breakout_detail, name="breakout_detail"),
    path("events/breakouts/<uuid:uuid>/outcomes/", views.outcome_add, name="outcome_add"),
    path("events/breakouts/<uuid:uuid>/commitments/", views.commitment_add, name="commitment_add"),
    path("events/commitments/<uuid:uuid>/follow-up/", views.commitment_follow_up, name="commitment_follow_up"),
    path("events/commitments/<uuid:uuid>/exchange/", views.commitment_exchange, name="commitment_exchange"),
    path("events/<uuid:uuid>/report/", views.report_detail, name="event_report"),
    path("events/<uuid:uuid>/report/edit/", views.report_edit, name="event_report_edit"),
    path("events/<uuid:uuid>/report.pdf", views.report_pdf, name="event_report_pdf"),
    path("events/<uuid:uuid>/report/publish/", views.report_publish, name="event_report_publish"),
]
