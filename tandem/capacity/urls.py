"""Pages of tandem.capacity (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

urlpatterns = [
    path("training/", views.course_list, name="course_list"),
    path("training/courses/new/", views.course_create, name="course_create"),
    path("training/lookup/hosts/", lookups.capacity_lookup_hosts, name="capacity_lookup_hosts"),
    path("training/courses/<uuid:uuid>/", views.course_detail, name="course_detail"),
    path("training/courses/<uuid:uuid>/edit/", views.course_edit, name="course_edit"),
    path("training/courses/<uuid:uuid>/sessions/new/", views.session_create, name="session_create"),
    path("training/courses/<uuid:uuid>/materials/new/", views.material_add, name="material_add"),
    path("training/materials/<uuid:uuid>/download/", views.material_download, name="material_download"),
    path("training/materials/<uuid:uuid>/remove/", views.material_remove, name="material_remove"),
    path("training/sessions/<uuid:uuid>/", views.session_detail, name="session_detail"),
    path("training/sessions/<uuid:uuid>/edit/", views.session_edit, name="session_edit"),
    path("training/sessions/<uuid:uuid>/cancel/", views.session_cancel, name="session_cancel"),
    path("training/sessions/<uuid:uuid>/archive/", views.session_archive, name="session_archive"),
    path("training/sessions/<uuid:uuid>/request/", views.session_request, name="session_request"),
    path("training/sessions/<uuid:uuid>/nominate/", views.session_nominate, name="session_nominate"),
    path("training/lookup/nominees/", views.capacity_lookup_nominees, name="capacity_lookup_nominees"),
    path("training/sessions/<uuid:uuid>/attendance/", views.session_attendance, name="session_attendance"),
    path("training/sessions/<uuid:uuid>/feedback/", views.feedback_give, name="feedback_give"),
    path("training/sessions/<uuid:uuid>/feedback/summary/", views.feedback_summary, name="feedback_summary"),
    path("training/sessions/<uuid:uuid>/certificates/", views.certificates_issue, name="certificates_issue"),
    path("training/sessions/<uuid:uuid>/calendar.ics", views.session_ics, name="session_ics"),
    path("training/places/<uuid:uuid>/decide/", views.participation_decide, name="participation_decide"),
    path("training/places/<uuid:uuid>/withdraw/", views.participation_withdraw, name="participation_withdraw"),
    path("training/certificates/<uuid:uuid>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("training/verify/", views.certificate_verify, name="certificate_verify"),
    path("training/mine/", views.my_training, name="my_training"),
    path("training/mine/calendar-link/", views.training_feed_rotate, name="training_feed_rotate"),
    path("training/feed/<str:token>.ics", views.training_feed, name="training_feed"),
    path("training/needs/", views.need_list, name="need_list"),
    path("training/needs/new/", views.need_create, name="need_create"),
    path("training/needs/<uuid:uuid>/", views.need_detail, name="need_detail"),
    path("training/needs/<uuid:uuid>/exchange/", views.need_exchange, name="need_exchange"),
    path("training/ready-to-share/", views.sharing_readiness, name="sharing_readiness"),
    path("training/reach/", views.reach, name="reach"),
    path("training/reach/export/<str:fmt>/", views.reach_export, name="reach_export"),
]
