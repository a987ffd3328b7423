"""Pages of tandem.plans (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/export/<str:fmt>/", views.plan_export, name="plan_export"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/lookup/jurisdictions/", lookups.plan_lookup_jurisdictions, name="plan_lookup_jurisdictions"),
    path("plans/lookup/national-plans/", lookups.plan_lookup_national_plans, name="plan_lookup_national_plans"),
    path("plans/lookup/regional-plans/", lookups.plan_lookup_regional_plans, name="plan_lookup_regional_plans"),
    path("plans/lookup/bodies/", lookups.plan_lookup_bodies, name="plan_lookup_bodies"),
    path("plans/rollup/", views.plan_rollup, name="plan_rollup"),
    path("plans/matrix/", views.plan_matrix, name="plan_matrix"),
    path("plans/roadmap/", views.plan_roadmap, name="plan_roadmap"),
    path("plans/roadmap/record/", views.roadmap_record, name="plan_roadmap_record"),
    path("plans/<uuid:uuid>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:uuid>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<uuid:uuid>/pillars/new/", views.pillar_create, name="plan_pillar_create"),
    path("plans/<uuid:uuid>/objectives/new/", views.objective_create, name="plan_objective_create"),
    path("plans/<uuid:uuid>/indicators/new/", views.indicator_create, name="plan_indicator_create"),
    path("plans/<uuid:uuid>/activities/new/", views.activity_create, name="plan_activity_create"),
    path("plans/<uuid:uuid>/lookup/organisations/", views.plan_lookup_organisations, name="plan_lookup_organisations"),
    path("plans/<uuid:uuid>/periods/new/", views.period_create, name="plan_period_create"),
    path("plans/<uuid:uuid>/workbook/", views.plan_xlsx, name="plan_workbook"),
    path("plans/<uuid:uuid>/import/", views.plan_import, name="plan_import"),
    path("plans/<uuid:uuid>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plans/objectives/<uuid:uuid>/edit/", views.objective_edit, name="plan_objective_edit"),
    path("plans/objectives/<uuid:uuid>/align/", views.objective_align, name="plan_objective_align"),
    path("plans/indicators/<uuid:uuid>/edit/", views.indicator_edit, name="plan_indicator_edit"),
    path("plans/activities/<uuid:uuid>/edit/", views.activity_edit, name="plan_activity_edit"),
    path("plans/activities/<uuid:uuid>/align/", views.activity_align, name="plan_activity_align"),
    path("plans/periods/<uuid:uuid>/", views.period_progress, name="period_progress"),
    path("plans/periods/<uuid:uuid>/<str:action>/", views.period_action, name="period_action"),
]
