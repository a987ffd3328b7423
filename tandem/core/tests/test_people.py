"""People pages: list, export, detail (contact details), create, edit, archive, affiliations.

Every endpoint: it works for the right persona, a lower role gets 403, another
jurisdiction's record answers 404 exactly like a missing one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse

from tandem.core import services
from tandem.core.models import Affiliation, Person

# Measured on SQLite: the list is 9 queries with a search and a "within" filter (session,
# user, grants, the "within" unit, its breadcrumb, the count, the filter's options, the page,
# the prefetched affiliations); the export is 7 (session, user, grants, people, affiliations,
# and its audit row: the count of people exported and the insert).
LIST_MAX_QUERIES = 9
EXPORT_MAX_QUERIES = 7


def person_url(name, person):
    return reverse(name, args=[person.uuid])


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def add_people(world, count):
    for i in range(count):
        person = services.person_create(
            actor=world.admin,
            jurisdiction=world.cebu_city,
            full_name=f"Extra person {i:02d}",
            email=f"p{i}@example.org",
        )
        services.affiliation_create(actor=world.admin, person=person, organisation=world.city_hall, title="Clerk")
        services.affiliation_create(actor=world.admin, person=person, organisation=world.cso_org)


# --- List ------------------------------------------------------------------------------


def test_list_shows_only_visible_people(world, as_user):
    response = as_user(world.local).get(reverse("person_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>People</h1>" in page
    assert "Maria Santos" in page and "Visayas Youth Forum (Programme lead)" in page
    assert "Jose Reyes" not in page and "Achieng Otieno" not in page


def test_list_search_by_name_or_visible_organisation(world, as_user):
    client = as_user(world.local)
    assert "Maria Santos" in client.get(reverse("person_list"), {"q": "santos"}).content.decode()
    assert "Maria Santos" in client.get(reverse("person_list"), {"q": "youth forum"}).content.decode()
    # An affiliation with an organisation the user cannot see does not make the person match.
    services.affiliation_create(actor=world.admin, person=world.person_cebu, organisation=world.manila_org)
    page = client.get(reverse("person_list"), {"q": "Interfaith"}).content.decode()
    assert "No person matches these filters." in page
    assert "Manila Interfaith Council" not in client.get(reverse("person_list")).content.decode()


def test_list_within_and_archived_filters(world, as_user):
    client = as_user(world.national)
    page = client.get(reverse("person_list"), {"within": str(world.ncr.uuid)}).content.decode()
    assert "Jose Reyes" in page and "Maria Santos" not in page
    services.person_archive(actor=world.admin, person=world.person_manila)
    assert "Jose Reyes" not in client.get(reverse("person_list")).content.decode()
    assert "Jose Reyes" in client.get(reverse("person_list"), {"archived": "1"}).content.decode()


def test_list_shows_contact_details_only_to_coordinators(world, as_user):
    assert "maria@example.org" in as_user(world.local).get(reverse("person_list")).content.decode()
    page = as_user(world.viewer).get(reverse("person_list")).content.decode()
    assert "Maria Santos" in page and "maria@example.org" not in page and "not shown" in page


def test_htmx_request_gets_only_the_results_partial(world, as_user):
    response = as_user(world.local).get(reverse("person_list"), {"q": "maria"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="person-results"') and "<html" not in page
    assert "Maria Santos" in page
    assert "/people/export.csv?q=maria" in page


def test_list_query_count_does_not_grow_with_rows(world, as_user, settings, django_assert_max_num_queries):
    settings.TANDEM_PAGE_SIZE = 100
    client = as_user(world.admin)
    params = {"q": "e", "within": str(world.ph.uuid)}
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        assert client.get(reverse("person_list"), params).status_code == 200
    add_people(world, 30)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        page = client.get(reverse("person_list"), params).content.decode()
    assert "Extra person 00" in page and "Extra person 29" in page and "Cebu City Hall (Clerk)" in page


# --- Export ----------------------------------------------------------------------------


def test_export_has_visible_rows_and_contact_only_where_visible(world, as_user):
    rows = csv_rows(as_user(world.viewer).get(reverse("person_export", args=["csv"])))
    assert rows[0] == ["UUID", "Full name", "Jurisdiction", "Current organisations", "E-mail", "Phone", "Archived"]
    assert [r[1] for r in rows[1:]] == ["Maria Santos"]
    assert rows[1][3] == "Visayas Youth Forum (Programme lead)"
    assert rows[1][4] == "" and rows[1][5] == ""

    rows = csv_rows(as_user(world.local).get(reverse("person_export", args=["csv"])))
    # A leading "+" is a formula trigger for spreadsheets, so the export keeps it as text.
    assert rows[1][4] == "maria@example.org" and rows[1][5] == "'+63 32 555 0101"

    rows = csv_rows(as_user(world.national).get(reverse("person_export", args=["csv"]), {"q": "reyes"}))
    assert [r[1] for r in rows[1:]] == ["Jose Reyes"]


def test_export_neutralises_formula_cells(world, as_user):
    services.person_create(actor=world.admin, jurisdiction=world.cebu_city, full_name="=1+2")
    rows = csv_rows(as_user(world.local).get(reverse("person_export", args=["csv"])))
    assert "'=1+2" in [r[1] for r in rows[1:]]


def test_export_xlsx_opens_with_openpyxl(world, as_user):
    from openpyxl import load_workbook

    response = as_user(world.local).get(reverse("person_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "Full name" and values[1][1] == "Maria Santos" and values[1][4] == "maria@example.org"


def test_export_unknown_format_is_404(world, as_user):
    assert as_user(world.local).get(reverse("person_export", args=["json"])).status_code == 404


def test_export_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user(world.admin)
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        before = len(csv_rows(client.get(reverse("person_export", args=["csv"]))))
    add_people(world, 30)
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        after = len(csv_rows(client.get(reverse("person_export", args=["csv"]))))
    assert after == before + 30


# --- Detail ----------------------------------------------------------------------------


def test_detail_shows_contact_details_to_the_local_coordinator(world, as_user):
    response = as_user(world.local).get(person_url("person_detail", world.person_cebu))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Maria Santos" in page
    assert "maria@example.org" in page and "+63 32 555 0101" in page
    assert "Programme lead" in page and "Visayas Youth Forum" in page
    assert "Central Visayas" in page  # breadcrumb
    assert person_url("person_edit", world.person_cebu) in page
    assert person_url("affiliation_create", world.person_cebu) in page


def test_detail_hides_contact_details_from_the_viewer(world, as_user):
    response = as_user(world.viewer).get(person_url("person_detail", world.person_cebu))
    assert response.status_code == 200
    page = response.content.decode()
    assert "maria@example.org" not in page and "555 0101" not in page
    assert "Contact details are visible to the coordinators of Cebu City" in page
    assert person_url("person_edit", world.person_cebu) not in page
    assert person_url("person_archive", world.person_cebu) not in page


@pytest.mark.parametrize("url_name", ["person_detail", "person_edit", "person_archive", "affiliation_create"])
def test_other_jurisdictions_answer_404_like_a_missing_record(world, as_user, url_name):
    client = as_user(world.outsider)
    foreign = client.get(reverse(url_name, args=[world.person_cebu.uuid]))
    missing = client.get(reverse(url_name, args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content

    client = as_user(world.local)
    foreign = client.get(reverse(url_name, args=[world.person_manila.uuid]))
    assert foreign.status_code == 404
    assert foreign.content == client.get(reverse(url_name, args=[uuid.uuid4()])).content


# --- Create and edit ---------------------------------------------------------------------


def person_data(world, **overrides):
    data = {"full_name": "Ana Cruz", "jurisdiction": str(world.cebu_city.uuid), "email": "", "phone": "", "notes": ""}
    data.update(overrides)
    return data


def test_local_coordinator_creates_a_person(world, as_user):
    client = as_user(world.local)
    assert client.get(reverse("person_create")).status_code == 200
    response = client.post(reverse("person_create"), person_data(world, email="ana@example.org"))
    person = Person.objects.get(full_name="Ana Cruz")
    assert response.status_code == 302 and response["Location"] == person_url("person_detail", person)
    assert person.jurisdiction == world.cebu_city and person.email == "ana@example.org"


@pytest.mark.parametrize("persona", ["viewer", "cso", "company"])
def test_lower_roles_cannot_create(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(reverse("person_create")).status_code == 403
    assert client.post(reverse("person_create"), person_data(world)).status_code == 403
    assert not Person.objects.filter(full_name="Ana Cruz").exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"full_name": ""}, "This field is required."),
        ({"email": "nope"}, "Enter a valid email address."),
        ({"jurisdiction": "x"}, "is not a valid UUID"),
        ({"phone": "9" * 41}, "at most 40 characters"),
    ],
)
def test_create_bad_input_shows_errors_not_500(world, as_user, overrides, message):
    response = as_user(world.local).post(reverse("person_create"), person_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(full_name="Ana Cruz").exists()


def test_create_refuses_a_jurisdiction_the_user_does_not_manage(world, as_user):
    response = as_user(world.local).post(
        reverse("person_create"), person_data(world, jurisdiction=str(world.manila.uuid))
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(full_name="Ana Cruz").exists()


def edit_data(person, **overrides):
    data = {
        "full_name": person.full_name,
        "jurisdiction": str(person.jurisdiction.uuid),
        "email": person.email,
        "phone": person.phone,
        "notes": person.notes,
        "version": person.version,
    }
    data.update(overrides)
    return data


def test_local_coordinator_edits_a_person(world, as_user):
    client = as_user(world.local)
    assert 'value="maria@example.org"' in client.get(person_url("person_edit", world.person_cebu)).content.decode()
    response = client.post(person_url("person_edit", world.person_cebu), edit_data(world.person_cebu, phone="+63 1"))
    assert response.status_code == 302
    world.person_cebu.refresh_from_db()
    assert world.person_cebu.phone == "+63 1" and world.person_cebu.version == 2


@pytest.mark.parametrize("persona", ["viewer", "cso"])
def test_lower_roles_cannot_edit(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(person_url("person_edit", world.person_cebu)).status_code == 403
    response = client.post(person_url("person_edit", world.person_cebu), edit_data(world.person_cebu, full_name="X"))
    assert response.status_code == 403
    world.person_cebu.refresh_from_db()
    assert world.person_cebu.full_name == "Maria Santos"


def test_stale_edit_shows_the_conflict_and_keeps_the_stored_value(world, as_user):
    stale = edit_data(world.person_cebu, email="mine@example.org")
    services.person_update(actor=world.admin, person=world.person_cebu, expected_version=1, email="theirs@example.org")
    response = as_user(world.local).post(person_url("person_edit", world.person_cebu), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    assert "theirs@example.org" in page and 'value="mine@example.org"' in page
    assert 'name="version" value="2"' in page
    world.person_cebu.refresh_from_db()
    assert world.person_cebu.email == "theirs@example.org"


# --- Archive ---------------------------------------------------------------------------


def test_archive_get_changes_nothing_and_post_archives(world, as_user):
    client = as_user(world.local)
    response = client.get(person_url("person_archive", world.person_cebu))
    assert response.status_code == 200 and "<h1>Archive Maria Santos</h1>" in response.content.decode()
    world.person_cebu.refresh_from_db()
    assert world.person_cebu.archived_at is None

    response = client.post(person_url("person_archive", world.person_cebu), follow=True)
    assert "Maria Santos was archived." in response.content.decode()
    world.person_cebu.refresh_from_db()
    assert world.person_cebu.is_archived
    assert "Maria Santos" not in client.get(reverse("person_list")).content.decode()

    client.post(person_url("person_archive", world.person_cebu), {"restore": "1"})
    world.person_cebu.refresh_from_db()
    assert not world.person_cebu.is_archived


@pytest.mark.parametrize("persona", ["viewer", "member"])
def test_lower_roles_cannot_archive(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(person_url("person_archive", world.person_cebu)).status_code == 403
    assert client.post(person_url("person_archive", world.person_cebu)).status_code == 403
    world.person_cebu.refresh_from_db()
    assert world.person_cebu.archived_at is None


# --- Affiliations ------------------------------------------------------------------------


def test_add_an_affiliation(world, as_user):
    client = as_user(world.local)
    page = client.get(person_url("affiliation_create", world.person_cebu)).content.decode()
    assert "Cebu City Hall (Cebu City)" in page
    assert "Manila Interfaith Council" not in page  # not visible to the local coordinator
    response = client.post(
        person_url("affiliation_create", world.person_cebu),
        {"organisation": str(world.city_hall.uuid), "title": "Adviser", "start_date": "2024-01-15", "end_date": ""},
    )
    assert response.status_code == 302
    aff = Affiliation.objects.get(person=world.person_cebu, organisation=world.city_hall)
    assert aff.title == "Adviser" and aff.start_date == dt.date(2024, 1, 15) and aff.end_date is None
    assert "Adviser" in client.get(person_url("person_detail", world.person_cebu)).content.decode()


def test_affiliation_organisations_are_limited_to_the_persons_country(world, as_user):
    client = as_user(world.admin)
    page = client.get(person_url("affiliation_create", world.person_cebu)).content.decode()
    assert "Manila Interfaith Council" in page and "Nairobi County Government" not in page
    response = client.post(
        person_url("affiliation_create", world.person_cebu), {"organisation": str(world.nairobi_org.uuid)}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Affiliation.objects.filter(organisation=world.nairobi_org).exists()


def test_affiliation_end_before_start_is_a_form_error(world, as_user):
    response = as_user(world.local).post(
        person_url("affiliation_create", world.person_cebu),
        {"organisation": str(world.city_hall.uuid), "start_date": "2024-05-01", "end_date": "2024-04-01"},
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Affiliation.objects.filter(organisation=world.city_hall).exists()


@pytest.mark.parametrize("persona", ["viewer", "cso"])
def test_lower_roles_cannot_add_affiliations(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(person_url("affiliation_create", world.person_cebu)).status_code == 403
    response = client.post(
        person_url("affiliation_create", world.person_cebu), {"organisation": str(world.city_hall.uuid)}
    )
    assert response.status_code == 403
    assert not Affiliation.objects.filter(organisation=world.city_hall).exists()


def current_affiliation(world):
    return Affiliation.objects.get(person=world.person_cebu, organisation=world.cso_org)


def test_end_an_affiliation(world, as_user):
    aff = current_affiliation(world)
    client = as_user(world.local)
    response = client.get(reverse("affiliation_end", args=[aff.uuid]))
    assert response.status_code == 200 and "End the affiliation with Visayas Youth Forum" in response.content.decode()
    aff.refresh_from_db()
    assert aff.end_date is None  # GET changes nothing

    response = client.post(reverse("affiliation_end", args=[aff.uuid]), {"end_date": "2025-03-31"})
    assert response.status_code == 302
    aff.refresh_from_db()
    assert aff.end_date == dt.date(2025, 3, 31)
    page = client.get(person_url("person_detail", world.person_cebu)).content.decode()
    assert "ended" in page


def test_end_date_before_start_is_refused(world, as_user):
    aff = current_affiliation(world)
    Affiliation.objects.filter(pk=aff.pk).update(start_date=dt.date(2024, 6, 1))
    response = as_user(world.local).post(reverse("affiliation_end", args=[aff.uuid]), {"end_date": "2024-01-01"})
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    aff.refresh_from_db()
    assert aff.end_date is None


def test_affiliation_end_permissions(world, as_user):
    aff = current_affiliation(world)
    url = reverse("affiliation_end", args=[aff.uuid])
    for persona in ["viewer", "cso"]:
        client = as_user(world.personas[persona])
        assert client.get(url).status_code == 403
        assert client.post(url, {"end_date": "2025-01-01"}).status_code == 403
    client = as_user(world.outsider)
    foreign, missing = client.get(url), client.get(reverse("affiliation_end", args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404 and foreign.content == missing.content
    assert client.post(url, {"end_date": "2025-01-01"}).status_code == 404
    aff.refresh_from_db()
    assert aff.end_date is None
