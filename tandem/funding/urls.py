"""Pages of funding (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

u = "funding/"
urlpatterns = [
    path(u, views.funding_calls, name="funding_calls"),
    path(f"{u}sources/", views.funding_sources, name="funding_sources"),
    path(f"{u}sources/new/", views.funding_source_create, name="funding_source_create"),
    path(f"{u}sources/<uuid:uuid>/edit/", views.funding_source_edit, name="funding_source_edit"),
    path(f"{u}calls/new/", views.funding_call_create, name="funding_call_create"),
    path(f"{u}lookup/objectives/", lookups.funding_lookup_objectives, name="funding_lookup_objectives"),
    path(
        f"{u}lookup/unfunded-activities/",
        lookups.funding_lookup_unfunded_activities,
        name="funding_lookup_unfunded_activities",
    ),
    path(f"{u}lookup/needs/", lookups.funding_lookup_exchange_needs, name="funding_lookup_exchange_needs"),
    path(f"{u}calls/<uuid:uuid>/", views.funding_call_detail, name="funding_call_detail"),
    path(f"{u}calls/<uuid:uuid>/edit/", views.funding_call_edit, name="funding_call_edit"),
    path(f"{u}calls/<uuid:uuid>/apply/", views.funding_apply, name="funding_apply"),
    path(f"{u}calls/<uuid:uuid>/lookup/places/", lookups.funding_lookup_call_places, name="funding_lookup_call_places"),
    path(
        f"{u}calls/<uuid:uuid>/lookup/activities/",
        lookups.funding_lookup_call_activities,
        name="funding_lookup_call_activities",
    ),
    path(f"{u}calls/<uuid:uuid>/ranking/", views.funding_ranking, name="funding_ranking"),
    path(f"{u}calls/<uuid:uuid>/close/", views.funding_call_close, name="funding_call_close"),
    path(f"{u}calls/<uuid:uuid>/release-comments/", views.funding_call_release, name="funding_call_release"),
    path(f"{u}applications/<uuid:uuid>/", views.funding_application_detail, name="funding_application_detail"),
    path(f"{u}applications/<uuid:uuid>/edit/", views.funding_application_edit, name="funding_application_edit"),
    path(f"{u}applications/<uuid:uuid>/submit/", views.funding_application_submit, name="funding_application_submit"),
    path(
        f"{u}applications/<uuid:uuid>/withdraw/",
        views.funding_application_withdraw,
        name="funding_application_withdraw",
    ),
    path(f"{u}applications/<uuid:uuid>/documents/", views.funding_document_add, name="funding_document_add"),
    path(f"{u}documents/<uuid:uuid>/", views.funding_document_download, name="funding_document_download"),
    path(f"{u}receipts/<uuid:uuid>/", views.funding_receipt_download, name="funding_receipt_download"),
    path(f"{u}applications/<uuid:uuid>/reviewers/", views.funding_assign, name="funding_assign"),
    path(f"{u}applications/<uuid:uuid>/decide/", views.funding_decide, name="funding_decide"),
    path(f"{u}reviews/<uuid:uuid>/declare/", views.funding_declare, name="funding_declare"),
    path(f"{u}reviews/<uuid:uuid>/score/", views.funding_score, name="funding_score"),
    path(f"{u}awards/", views.funding_awards, name="funding_awards"),
    path(f"{u}awards/<uuid:uuid>/", views.funding_award_detail, name="funding_award_detail"),
    path(f"{u}awards/<uuid:uuid>/close/", views.funding_award_close, name="funding_award_close"),
    path(f"{u}awards/<uuid:uuid>/tranches/", views.funding_tranche_add, name="funding_tranche_add"),
    path(f"{u}awards/<uuid:uuid>/payments/", views.funding_payment_add, name="funding_payment_add"),
    path(f"{u}awards/<uuid:uuid>/reports/", views.funding_report_schedule, name="funding_report_schedule"),
    path(f"{u}reports/<uuid:uuid>/", views.funding_report_submit, name="funding_report_submit"),
    path(f"{u}totals/", views.funding_totals, name="funding_totals"),
    path(f"{u}totals.<str:fmt>", views.funding_totals_export, name="funding_totals_export"),
    path(f"{u}360giving.<str:fmt>", views.funding_giving, name="funding_giving"),
    path(f"{u}partners/", views.funding_offers, name="funding_offers"),
    path(f"{u}partners/new/", views.funding_offer_create, name="funding_offer_create"),
    path(f"{u}partners/offers/<uuid:uuid>/", views.funding_offer_detail, name="funding_offer_detail"),
    path(f"{u}partners/offers/<uuid:uuid>/matches/", views.funding_match_propose, name="funding_match_propose"),
    path(f"{u}partners/matches/<uuid:uuid>/answer/", views.funding_match_respond, name="funding_match_respond"),
    path(f"{u}partners/matches/<uuid:uuid>/delivered/", views.funding_match_deliver, name="funding_match_deliver"),
]
