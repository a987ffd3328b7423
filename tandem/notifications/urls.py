from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/badge/", views.notification_badge, name="notification_badge"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/settings/", views.notification_preferences, name="notification_preferences"),
    path("notifications/<uuid:uuid>/", views.notification_open, name="notification_open"),
    path("notifications/<uuid:uuid>/read/", views.notification_mark_read, name="notification_mark_read"),
]
