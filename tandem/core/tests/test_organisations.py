"""Organisation pages: list, export, detail, create, edit, archive.

Every endpoint: it works for the right persona, a lower role gets 403, another
jurisdiction's record answers 404 exactly like a missing one.
"""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.urls import reverse

from tandem.core import services
from tandem.core.models import AuditEvent, Organisation, Sector

# Measured on SQLite: the list is 8 queries with a "within" filter (session, user, grants,
# the "within" unit, its breadcrumb, the count, the filter's options, the page) and the
# export is 4 (session, user, grants, one streamed query). Neither grows with the rows.
LIST_MAX_QUERIES = 8
EXPORT_MAX_QUERIES = 4


def org_url(name, org):
    return reverse(name, args=[org.uuid])


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def add_orgs(world, count, jurisdiction=None, prefix="Extra org"):
    for i in range(count):
        parent = world.city_hall if i % 2 else None
        services.organisation_create(
            actor=world.admin,
            jurisdiction=jurisdiction or world.cebu_city,
            name=f"{prefix} {i:02d}",
            sector=Sector.COMMUNITY,
            parent=parent,
        )


# --- List ------------------------------------------------------------------------------


def test_list_shows_only_visible_organisations(world, as_user):
    response = as_user(world.local).get(reverse("organisation_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Organisations</h1>" in page
    for name in ["Cebu City Hall", "Cebu Shipping Co", "Visayas Youth Forum"]:
        assert name in page
    assert "Manila Interfaith Council" not in page
    assert "Nairobi County Government" not in page
    assert "3 results" in page


def test_list_search_sector_and_within_filters(world, as_user):
    client = as_user(world.regional)
    page = client.get(reverse("organisation_list"), {"q": "cebu"}).content.decode()
    assert "Cebu City Hall" in page and "Cebu Provincial Police" in page
    assert "Visayas Youth Forum" not in page

    page = client.get(reverse("organisation_list"), {"sector": Sector.POLICE_SECURITY}).content.decode()
    assert "Cebu Provincial Police" in page and "Cebu City Hall" not in page

    # "within" a province includes the city below it, but not the province's siblings' records.
    page = client.get(reverse("organisation_list"), {"within": str(world.cebu_city.uuid)}).content.decode()
    assert "Cebu City Hall" in page and "Cebu Provincial Police" not in page
    page = client.get(reverse("organisation_list"), {"within": str(world.cebu.uuid)}).content.decode()
    assert "Cebu City Hall" in page and "Cebu Provincial Police" in page
    # The breadcrumb shows where the list is narrowed to.
    assert 'aria-current="location">Cebu</span>' in page


def test_list_ignores_foreign_or_malformed_filters(world, as_user):
    client = as_user(world.local)
    for params in ({"within": str(world.nairobi.uuid)}, {"within": "not-a-uuid"}, {"sector": "bogus"}, {"page": "x"}):
        response = client.get(reverse("organisation_list"), params)
        assert response.status_code == 200
        assert "Cebu City Hall" in response.content.decode()
        assert "Nairobi County Government" not in response.content.decode()


def test_list_archived_toggle(world, as_user):
    services.organisation_archive(actor=world.admin, organisation=world.company_org)
    client = as_user(world.local)
    assert "Cebu Shipping Co" not in client.get(reverse("organisation_list")).content.decode()
    page = client.get(reverse("organisation_list"), {"archived": "1"}).content.decode()
    assert "Cebu Shipping Co" in page and "archived" in page


def test_list_empty_state_and_export_links_carry_filters(world, as_user):
    page = as_user(world.local).get(reverse("organisation_list"), {"q": "zzz", "sector": "youth"}).content.decode()
    assert "No organisation matches these filters." in page
    assert "/organisations/export.csv?q=zzz&amp;sector=youth" in page
    assert "/organisations/export.xlsx?q=zzz&amp;sector=youth" in page


def test_list_paginates(world, as_user, settings):
    settings.TANDEM_PAGE_SIZE = 2
    client = as_user(world.local)
    page = client.get(reverse("organisation_list")).content.decode()
    assert "Page 1 of 2" in page and "3 results" in page
    page = client.get(reverse("organisation_list"), {"page": 2}).content.decode()
    assert "Visayas Youth Forum" in page and "Cebu City Hall" not in page


def test_htmx_request_gets_only_the_results_partial(world, as_user):
    response = as_user(world.local).get(reverse("organisation_list"), {"q": "hall"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="organisation-results"')
    assert "<html" not in page and "Cebu City Hall" in page and "Cebu Shipping Co" not in page
    assert "HX-Request" in response["Vary"]
    # The full page includes the same partial and the htmx-enhanced filter form.
    full = as_user(world.local).get(reverse("organisation_list")).content.decode()
    assert 'id="organisation-results"' in full and 'hx-get="/organisations/"' in full and 'hx-push-url="true"' in full


def test_list_query_count_does_not_grow_with_rows(world, as_user, settings, django_assert_max_num_queries):
    settings.TANDEM_PAGE_SIZE = 100
    client = as_user(world.admin)
    params = {"within": str(world.ph.uuid)}
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        first = client.get(reverse("organisation_list"), params)
    assert first.status_code == 200 and "Extra org" not in first.content.decode()
    add_orgs(world, 30)
    for person_no in range(5):
        person = services.person_create(actor=world.admin, jurisdiction=world.cebu_city, full_name=f"P {person_no}")
        services.affiliation_create(actor=world.admin, person=person, organisation=world.city_hall)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        second = client.get(reverse("organisation_list"), params)
    page = second.content.decode()
    assert "Extra org 00" in page and "Extra org 29" in page


# --- Export ----------------------------------------------------------------------------


def test_export_csv_contains_exactly_the_visible_rows(world, as_user):
    response = as_user(world.local).get(reverse("organisation_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["UUID", "Name", "Sector"]
    assert sorted(r[1] for r in rows[1:]) == ["Cebu City Hall", "Cebu Shipping Co", "Visayas Youth Forum"]


def test_export_applies_the_list_filters_over_all_pages(world, as_user, settings):
    settings.TANDEM_PAGE_SIZE = 1
    rows = csv_rows(as_user(world.regional).get(reverse("organisation_export", args=["csv"]), {"q": "cebu"}))
    assert sorted(r[1] for r in rows[1:]) == ["Cebu City Hall", "Cebu Provincial Police", "Cebu Shipping Co"]


def test_export_neutralises_formula_cells(world, as_user):
    services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name='=HYPERLINK("http://x")', sector=Sector.MEDIA
    )
    rows = csv_rows(as_user(world.local).get(reverse("organisation_export", args=["csv"])))
    names = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names
    assert not any(n.startswith("=") for n in names)


def test_export_xlsx_opens_with_openpyxl(world, as_user):
    from openpyxl import load_workbook

    response = as_user(world.local).get(reverse("organisation_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "Name"
    assert sorted(v[1] for v in values[1:]) == ["Cebu City Hall", "Cebu Shipping Co", "Visayas Youth Forum"]


def test_export_unknown_format_is_404(world, as_user):
    assert as_user(world.local).get(reverse("organisation_export", args=["pdf"])).status_code == 404


def test_export_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user(world.admin)
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        before = len(csv_rows(client.get(reverse("organisation_export", args=["csv"]))))
    add_orgs(world, 30)
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        after = len(csv_rows(client.get(reverse("organisation_export", args=["csv"]))))
    assert after == before + 30


# --- Detail ----------------------------------------------------------------------------


def test_detail_shows_the_organisation_in_context(world, as_user):
    unit = services.organisation_create(
        actor=world.admin,
        jurisdiction=world.cebu_city,
        name="City Youth Desk",
        sector=Sector.YOUTH,
        parent=world.cso_org,
    )
    page = as_user(world.local).get(org_url("organisation_detail", world.cso_org)).content.decode()
    assert "<h1>Visayas Youth Forum" in page
    assert "Youth" in page
    # Breadcrumb of the jurisdiction path, current people and units.
    for crumb in ["Philippines", "Central Visayas", "Cebu", "Cebu City"]:
        assert crumb in page
    assert "Maria Santos" in page and "Programme lead" in page
    assert unit.name in page
    assert org_url("organisation_edit", world.cso_org) in page

    page = as_user(world.local).get(org_url("organisation_detail", unit)).content.decode()
    assert "Visayas Youth Forum" in page  # the parent


def test_detail_hides_manage_buttons_from_lower_roles(world, as_user):
    response = as_user(world.viewer).get(org_url("organisation_detail", world.city_hall))
    assert response.status_code == 200
    page = response.content.decode()
    assert org_url("organisation_edit", world.city_hall) not in page
    assert org_url("organisation_archive", world.city_hall) not in page


@pytest.mark.parametrize("url_name", ["organisation_detail", "organisation_edit", "organisation_archive"])
def test_other_jurisdictions_answer_404_like_a_missing_record(world, as_user, url_name):
    client = as_user(world.outsider)
    foreign = client.get(reverse(url_name, args=[world.city_hall.uuid]))
    missing = client.get(reverse(url_name, args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content

    client = as_user(world.local)
    foreign = client.get(reverse(url_name, args=[world.manila_org.uuid]))
    missing = client.get(reverse(url_name, args=[uuid.uuid4()]))
    assert foreign.status_code == 404
    assert foreign.content == missing.content


def test_post_to_foreign_record_is_404_and_changes_nothing(world, as_user):
    client = as_user(world.local)
    response = client.post(
        org_url("organisation_edit", world.manila_org),
        {"name": "Hijacked", "sector": "media", "jurisdiction": str(world.cebu_city.uuid), "version": 1},
    )
    assert response.status_code == 404
    assert client.post(org_url("organisation_archive", world.manila_org)).status_code == 404
    world.manila_org.refresh_from_db()
    assert world.manila_org.name == "Manila Interfaith Council" and world.manila_org.archived_at is None


# --- Create ----------------------------------------------------------------------------


def create_data(world, **overrides):
    data = {
        "name": "Cebu Women's Network",
        "sector": Sector.WOMEN,
        "jurisdiction": str(world.cebu_city.uuid),
        "parent": "",
        "description": "",
        "website": "",
        "email": "",
        "phone": "",
        "address": "",
    }
    data.update(overrides)
    return data


def test_local_coordinator_creates_an_organisation(world, as_user):
    client = as_user(world.local)
    form = client.get(reverse("organisation_create"))
    assert form.status_code == 200
    page = form.content.decode()
    assert '<label for="id_name">' in page
    assert str(world.cebu_city.uuid) in page and str(world.manila.uuid) not in page  # managed only

    response = client.post(
        reverse("organisation_create"), create_data(world, parent=str(world.city_hall.uuid), website="cebuwomen.org")
    )
    org = Organisation.objects.get(name="Cebu Women's Network")
    assert response.status_code == 302 and response["Location"] == org_url("organisation_detail", org)
    assert org.jurisdiction == world.cebu_city and org.parent == world.city_hall
    assert AuditEvent.objects.filter(action="create", object_uuid=str(org.uuid)).count() == 1


@pytest.mark.parametrize("persona", ["viewer", "cso", "member", "facilitator"])
def test_lower_roles_cannot_create(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(reverse("organisation_create")).status_code == 403
    assert client.post(reverse("organisation_create"), create_data(world)).status_code == 403
    assert not Organisation.objects.filter(name="Cebu Women's Network").exists()


def test_create_refuses_a_jurisdiction_the_user_does_not_manage(world, as_user):
    response = as_user(world.outsider).post(reverse("organisation_create"), create_data(world))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Organisation.objects.filter(name="Cebu Women's Network").exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "Cebu City Hall"}, "already exists in Cebu City"),
        ({"name": "   "}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"sector": "pirates"}, "Select a valid choice"),
        ({"jurisdiction": "nonsense"}, "is not a valid UUID"),
        ({"parent": str(uuid.uuid4())}, "Select a valid choice"),
    ],
)
def test_create_bad_input_shows_errors_not_500(world, as_user, overrides, message):
    before = Organisation.objects.count()
    response = as_user(world.local).post(reverse("organisation_create"), create_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == before


def test_create_with_parent_in_another_country_shows_the_service_error(world, as_user):
    response = as_user(world.admin).post(
        reverse("organisation_create"), create_data(world, parent=str(world.nairobi_org.uuid))
    )
    assert response.status_code == 200
    assert "The parent organisation must be in the same country." in response.content.decode()


# --- Edit ------------------------------------------------------------------------------


def edit_data(org, **overrides):
    data = {
        "name": org.name,
        "sector": org.sector,
        "jurisdiction": str(org.jurisdiction.uuid),
        "parent": str(org.parent.uuid) if org.parent else "",
        "description": org.description,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "address": org.address,
        "version": org.version,
    }
    data.update(overrides)
    return data


def test_local_coordinator_edits_an_organisation(world, as_user):
    client = as_user(world.local)
    page = client.get(org_url("organisation_edit", world.city_hall)).content.decode()
    assert 'name="version" value="1"' in page and 'value="Cebu City Hall"' in page
    response = client.post(org_url("organisation_edit", world.city_hall), edit_data(world.city_hall, phone="+63 32 1"))
    assert response.status_code == 302
    world.city_hall.refresh_from_db()
    assert world.city_hall.phone == "+63 32 1" and world.city_hall.version == 2


@pytest.mark.parametrize("persona", ["viewer", "cso", "company", "member"])
def test_lower_roles_cannot_edit(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(org_url("organisation_edit", world.city_hall)).status_code == 403
    response = client.post(org_url("organisation_edit", world.city_hall), edit_data(world.city_hall, name="X"))
    assert response.status_code == 403
    world.city_hall.refresh_from_db()
    assert world.city_hall.name == "Cebu City Hall"


def test_stale_edit_shows_the_conflict_and_keeps_the_stored_value(world, as_user):
    stale = edit_data(world.city_hall, name="City Hall of Cebu (mine)")
    services.organisation_update(
        actor=world.regional, organisation=world.city_hall, expected_version=1, name="Cebu City Government"
    )
    response = as_user(world.local).post(org_url("organisation_edit", world.city_hall), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    assert "Cebu City Government" in page  # what is saved now
    assert 'value="City Hall of Cebu (mine)"' in page  # the user's entry is kept in the form
    assert 'name="version" value="2"' in page  # ready to save again on top of the new version
    world.city_hall.refresh_from_db()
    assert world.city_hall.name == "Cebu City Government" and world.city_hall.version == 2


@pytest.mark.parametrize("version", ["", "abc", "0"])
def test_edit_with_bad_version_is_a_form_error(world, as_user, version):
    response = as_user(world.local).post(
        org_url("organisation_edit", world.city_hall), edit_data(world.city_hall, name="New", version=version)
    )
    assert response.status_code == 200
    world.city_hall.refresh_from_db()
    assert world.city_hall.name == "Cebu City Hall"


def test_edit_cannot_make_an_organisation_its_own_ancestor(world, as_user):
    unit = services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="Desk", sector=Sector.YOUTH, parent=world.cso_org
    )
    response = as_user(world.local).post(
        org_url("organisation_edit", world.cso_org), edit_data(world.cso_org, parent=str(unit.uuid))
    )
    assert response.status_code == 200
    assert "This parent would create a cycle." in response.content.decode()
    world.cso_org.refresh_from_db()
    assert world.cso_org.parent is None


# --- Archive ---------------------------------------------------------------------------


def test_archive_get_confirms_and_changes_nothing(world, as_user):
    response = as_user(world.local).get(org_url("organisation_archive", world.company_org))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Archive Cebu Shipping Co</h1>" in page and 'method="post"' in page
    world.company_org.refresh_from_db()
    assert world.company_org.archived_at is None and world.company_org.version == 1


def test_archive_and_restore(world, as_user):
    client = as_user(world.local)
    response = client.post(org_url("organisation_archive", world.company_org))
    assert response.status_code == 302
    world.company_org.refresh_from_db()
    assert world.company_org.is_archived
    assert "Cebu Shipping Co was archived." in client.get(response["Location"]).content.decode()
    assert "Cebu Shipping Co" not in client.get(reverse("organisation_list")).content.decode()

    assert "Restore Cebu Shipping Co" in client.get(org_url("organisation_archive", world.company_org)).content.decode()
    client.post(org_url("organisation_archive", world.company_org), {"restore": "1"})
    world.company_org.refresh_from_db()
    assert not world.company_org.is_archived
    assert (
        AuditEvent.objects.filter(object_uuid=str(world.company_org.uuid), action__in=["archive", "restore"]).count()
        == 2
    )


def test_restore_clashing_with_an_active_name_is_refused_politely(world, as_user):
    client = as_user(world.local)
    client.post(org_url("organisation_archive", world.company_org))
    services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="Cebu Shipping Co", sector=Sector.PRIVATE_SECTOR
    )
    response = client.post(org_url("organisation_archive", world.company_org), {"restore": "1"}, follow=True)
    assert response.status_code == 200
    assert "cannot be restored" in response.content.decode()
    world.company_org.refresh_from_db()
    assert world.company_org.is_archived


@pytest.mark.parametrize("persona", ["viewer", "cso"])
def test_lower_roles_cannot_archive(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(org_url("organisation_archive", world.company_org)).status_code == 403
    assert client.post(org_url("organisation_archive", world.company_org)).status_code == 403
    world.company_org.refresh_from_db()
    assert world.company_org.archived_at is None


def test_working_in_switch_is_the_default_within_filter(world, as_user):
    from tandem.core.models import Role

    services.role_grant(actor=None, user=world.regional, role=Role.VIEWER, jurisdiction=world.cebu_city)
    client = as_user(world.regional)
    client.post(reverse("jurisdiction_switch"), {"jurisdiction": str(world.cebu_city.uuid), "next": "/"})
    page = client.get(reverse("organisation_list")).content.decode()
    assert "Cebu City Hall" in page and "Cebu Provincial Police" not in page
    assert f"export.csv?within={world.cebu_city.uuid}" in page  # the export holds what the list shows
    # An explicit empty "within" (the "Clear filters" link) shows everything again.
    page = client.get(reverse("organisation_list"), {"within": ""}).content.decode()
    assert "Cebu City Hall" in page and "Cebu Provincial Police" in page


def test_edit_keeps_an_archived_parent(world, as_user):
    unit = services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="Desk", sector=Sector.YOUTH, parent=world.cso_org
    )
    services.organisation_archive(actor=world.admin, organisation=world.cso_org)
    unit.refresh_from_db()
    client = as_user(world.local)
    page = client.get(org_url("organisation_edit", unit)).content.decode()
    assert f'<option value="{world.cso_org.uuid}" selected>' in page
    assert client.post(org_url("organisation_edit", unit), edit_data(unit, phone="1")).status_code == 302
    unit.refresh_from_db()
    assert unit.parent == world.cso_org and unit.phone == "1"
