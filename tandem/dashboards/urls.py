"""Pages of tandem.dashboards (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/report/", views.dashboard_report, name="dashboard_report"),
    path("dashboard/report/<uuid:uuid>/", views.dashboard_report_status, name="dashboard_report_status"),
    path("dashboard/report/<uuid:uuid>/pdf/", views.dashboard_report_download, name="dashboard_report_download"),
    path("dashboard/<slug:key>/", views.dashboard_figure, name="dashboard_figure"),
    path("dashboard/<slug:key>/export/<str:fmt>/", views.dashboard_export, name="dashboard_export"),
]
