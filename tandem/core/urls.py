from django.urls import path

from .views import audit, home, invitations, jurisdictions, lookups, organisations, people, roles, tokens

urlpatterns = [
    path("", home.home, name="home"),
    path("switch/", home.jurisdiction_switch, name="jurisdiction_switch"),
    # Jurisdictions
    path("jurisdictions/", jurisdictions.jurisdiction_list, name="jurisdiction_list"),
    path("jurisdictions/export.<str:fmt>", jurisdictions.jurisdiction_export, name="jurisdiction_export"),
    path("jurisdictions/<uuid:uuid>/", jurisdictions.jurisdiction_detail, name="jurisdiction_detail"),
    path("jurisdictions/<uuid:uuid>/edit/", jurisdictions.jurisdiction_edit, name="jurisdiction_edit"),
    path("jurisdictions/<uuid:uuid>/add/", jurisdictions.jurisdiction_add_child, name="jurisdiction_add_child"),
    # Organisations
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/export.<str:fmt>", organisations.organisation_export, name="organisation_export"),
    path("organisations/import/", organisations.organisation_import, name="organisation_import"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<uuid:uuid>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:uuid>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<uuid:uuid>/archive/", organisations.organisation_archive, name="organisation_archive"),
    # People
    path("people/", people.person_list, name="person_list"),
    path("people/export.<str:fmt>", people.person_export, name="person_export"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<uuid:uuid>/", people.person_detail, name="person_detail"),
    path("people/<uuid:uuid>/edit/", people.person_edit, name="person_edit"),
    path("people/<uuid:uuid>/archive/", people.person_archive, name="person_archive"),
    path("people/<uuid:uuid>/affiliations/new/", people.affiliation_create, name="affiliation_create"),
    path("affiliations/<uuid:uuid>/end/", people.affiliation_end, name="affiliation_end"),
    # Roles
    path("roles/", roles.role_list, name="role_list"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/export/<str:fmt>/", roles.role_export, name="role_export"),
    path("roles/<uuid:uuid>/revoke/", roles.role_revoke, name="role_revoke"),
    # Audit
    path("invitations/", invitations.invitation_list, name="invitation_list"),
    path("invitations/new/", invitations.invitation_create, name="invitation_create"),
    path("invitations/<uuid:uuid>/resend/", invitations.invitation_resend, name="invitation_resend"),
    path("invitations/<uuid:uuid>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path("join/<str:secret>/", invitations.invitation_accept, name="invitation_accept"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export.<str:fmt>", audit.audit_export, name="audit_export"),
    # Lookups (search-as-you-type choices)
    path("lookup/organisations/", lookups.lookup_organisations, name="lookup_organisations"),
    path("lookup/people/", lookups.lookup_people, name="lookup_people"),
    path("lookup/jurisdictions/", lookups.lookup_jurisdictions, name="lookup_jurisdictions"),
    path("lookup/jurisdictions/managed/", lookups.lookup_managed_jurisdictions, name="lookup_managed_jurisdictions"),
    path(
        "lookup/people/<uuid:uuid>/organisations/",
        lookups.lookup_affiliation_organisations,
        name="lookup_affiliation_organisations",
    ),
    # Account
    path("account/tokens/", tokens.token_list, name="token_list"),
    path("account/tokens/<uuid:uuid>/revoke/", tokens.token_revoke, name="token_revoke"),
]
