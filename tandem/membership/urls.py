"""Pages of tandem.membership (included at the site root by tandem/urls.py)."""

from django.urls import path

from . import lookups, views

urlpatterns = [
    path("network/members/", views.membership_public, name="membership_public"),
    path("membership/", views.membership_list, name="membership_list"),
    path("membership/apply/", views.membership_apply, name="membership_apply"),
    path(
        "membership/lookup/jurisdictions/",
        lookups.membership_lookup_jurisdictions,
        name="membership_lookup_jurisdictions",
    ),
    path("membership/<uuid:uuid>/", views.membership_detail, name="membership_detail"),
    path("membership/<uuid:uuid>/decide/", views.membership_decide, name="membership_decide"),
    path("membership/<uuid:uuid>/respond/", views.membership_respond, name="membership_respond"),
]
