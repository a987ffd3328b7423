"""Pages of tandem.bodies (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/export/<str:fmt>/", views.body_export, name="body_export"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/inclusivity/", views.body_inclusivity_overview, name="body_inclusivity_overview"),
    path("bodies/inclusivity/export/<str:fmt>/", views.body_inclusivity_export, name="body_inclusivity_export"),
    path("bodies/meetings/", views.meeting_list, name="meeting_list"),
    path("bodies/meetings/export/<str:fmt>/", views.meeting_export, name="meeting_export"),
    path("bodies/meetings/<uuid:uuid>/", views.meeting_detail, name="meeting_detail"),
    path("bodies/meetings/<uuid:uuid>/edit/", views.meeting_edit, name="meeting_edit"),
    path("bodies/meetings/<uuid:uuid>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("bodies/meetings/<uuid:uuid>/invitations/", views.meeting_invitations, name="meeting_invitations"),
    path("bodies/meetings/<uuid:uuid>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("bodies/meetings/<uuid:uuid>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("bodies/meetings/<uuid:uuid>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path("bodies/meetings/<uuid:uuid>/minutes/amend/", views.minutes_amend, name="minutes_amend"),
    path("bodies/meetings/<uuid:uuid>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("bodies/meetings/<uuid:uuid>/decisions/", views.decision_create, name="decision_create"),
    path("bodies/action-items/", views.action_item_list, name="action_item_list"),
    path("bodies/action-items/mine/", views.action_item_mine, name="action_item_mine"),
    path("bodies/action-items/export/<str:fmt>/", views.action_item_export, name="action_item_export"),
    path("bodies/action-items/<uuid:uuid>/", views.action_item_detail, name="action_item_detail"),
    path("bodies/action-items/<uuid:uuid>/edit/", views.action_item_edit, name="action_item_edit"),
    path("bodies/memberships/<uuid:uuid>/end/", views.membership_end, name="membership_end"),
    path("bodies/<uuid:uuid>/lookup/organisations/", views.body_lookup_organisations, name="body_lookup_organisations"),
    path("bodies/seats/<uuid:uuid>/holder/", views.seat_assign, name="seat_assign"),
    path("bodies/<uuid:uuid>/", views.body_detail, name="body_detail"),
    path("bodies/<uuid:uuid>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<uuid:uuid>/archive/", views.body_archive, name="body_archive"),
    path("bodies/<uuid:uuid>/members/new/", views.membership_create, name="membership_create"),
    path("bodies/<uuid:uuid>/seats/new/", views.seat_create, name="seat_create"),
    path("bodies/<uuid:uuid>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("bodies/<uuid:uuid>/action-items/new/", views.action_item_create, name="action_item_create"),
    path("bodies/<uuid:uuid>/calendar/rotate/", views.body_calendar_rotate, name="body_calendar_rotate"),
    path("bodies/<uuid:uuid>/calendar/<str:token>.ics", views.body_calendar_feed, name="body_calendar_feed"),
]
