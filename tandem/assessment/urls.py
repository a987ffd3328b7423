"""Pages of tandem.assessment (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

urlpatterns = [
    path("assessment/", views.assessment_list, name="assessment_list"),
    path("assessment/new/", views.assessment_create, name="assessment_create"),
    path("assessment/frameworks/", views.framework_list, name="framework_list"),
    path("assessment/frameworks/import/", views.framework_import, name="framework_import"),
    path("assessment/frameworks/<slug:slug>/<str:version>/", views.framework_detail, name="framework_detail"),
    path(
        "assessment/frameworks/<slug:slug>/<str:version>/export.xlsx",
        views.framework_workbook,
        name="framework_workbook",
    ),
    path(
        "assessment/frameworks/<slug:slug>/<str:version>/export.json",
        views.framework_export,
        name="framework_export",
    ),
    path("assessment/mapping/", views.mapping_list, name="mapping_list"),
    path("assessment/mapping/new/", views.mapping_create, name="mapping_create"),
    path("assessment/mapping/<uuid:uuid>/", views.mapping_detail, name="mapping_detail"),
    path("assessment/mapping/<uuid:uuid>/report.pdf", views.mapping_pdf, name="mapping_pdf"),
    path("assessment/mapping/<uuid:uuid>/edit/", views.mapping_edit, name="mapping_edit"),
    path("assessment/mapping/<uuid:uuid>/entries/new/", views.mapping_entry_add, name="mapping_entry_add"),
    path("assessment/mapping/<uuid:uuid>/lookup/places/", lookups.mapping_lookup_places, name="mapping_lookup_places"),
    path(
        "assessment/lookup/jurisdictions/",
        lookups.assessment_lookup_jurisdictions,
        name="assessment_lookup_jurisdictions",
    ),
    path("assessment/lookup/bodies/", lookups.assessment_lookup_bodies, name="assessment_lookup_bodies"),
    path("assessment/compare/", views.comparison, name="assessment_comparison"),
    path("assessment/compare/export/<str:fmt>/", views.comparison_export, name="assessment_comparison_export"),
    path("assessment/respondents/<uuid:uuid>/", views.respondent_answers, name="respondent_answers"),
    path("assessment/respondents/<uuid:uuid>/remove/", views.respondent_remove, name="respondent_remove"),
    path("assessment/evidence/<uuid:uuid>/remove/", views.evidence_remove, name="evidence_remove"),
    path("assessment/findings/<uuid:uuid>/", views.finding_record, name="finding_record"),
    path("assessment/recommendations/<uuid:uuid>/action/", views.recommendation_action, name="recommendation_action"),
    path(
        "assessment/recommendations/<uuid:uuid>/lookup/bodies/",
        lookups.recommendation_lookup_bodies,
        name="recommendation_lookup_bodies",
    ),
    path(
        "assessment/recommendations/<uuid:uuid>/activity/",
        views.recommendation_activity,
        name="recommendation_activity",
    ),
    path("assessment/<uuid:uuid>/", views.assessment_detail, name="assessment_detail"),
    path("assessment/<uuid:uuid>/status/", views.assessment_transition, name="assessment_transition"),
    path("assessment/<uuid:uuid>/respondents/new/", views.respondent_invite, name="respondent_invite"),
    path("assessment/<uuid:uuid>/answer/", views.assessment_answer, name="assessment_answer"),
    path("assessment/<uuid:uuid>/evidence/", views.evidence_add, name="evidence_add"),
    path("assessment/<uuid:uuid>/validation/", views.validation_meeting, name="validation_meeting"),
    path("assessment/<uuid:uuid>/findings/new/", views.finding_create, name="finding_create"),
    path("assessment/<uuid:uuid>/recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("assessment/<uuid:uuid>/report.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("assessment/<uuid:uuid>/responses.xlsx", views.assessment_export, name="assessment_export"),
]
