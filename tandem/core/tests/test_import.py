"""CSV import of organisations: all rows validated first, all or nothing, a per-row report."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core import imports
from tandem.core.models import AuditEvent, Organisation

URL = "/organisations/import/"


def upload(client, text, *, name="orgs.csv", encoding="utf-8", follow=False):
    raw = text.encode(encoding) if isinstance(text, str) else text
    return client.post(URL, {"file": SimpleUploadedFile(name, raw, content_type="text/csv")}, follow=follow)


def report_rows(response):
    """(row, column, message) of the error report table, as the user sees it."""
    page = response.content.decode()
    table = page.split("Problems by row", 1)[1].split("</table>", 1)[0]
    return [
        (int(row), col, msg)
        for row, col, msg in re.findall(r'<tr><th scope="row">(\d+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>', table)
    ]


def good_csv(world):
    return (
        "name,sector,jurisdiction,parent,description,website,email,phone,address\n"
        f"Cebu Peace Desk,Community / civil society,{world.cebu_city.uuid},,Mediation,https://peace.example.org,desk@example.org,,\n"
        f"Peace Desk Youth Unit,youth,{world.cebu_city.uuid},Cebu Peace Desk,,,,,\n"
        f'Barangay Watch,COMMUNITY,{world.cebu_city.uuid},Cebu City Hall,,,,+63 32 000,"Osmeña Blvd, Cebu"\n'
    )


def test_import_page_and_template_for_coordinators(world, as_user):
    client = as_user(world.local)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Import organisations from a CSV file</h1>" in html
    assert '<label for="id_file">' in html and str(world.cebu_city.uuid) in html  # managed units are listed
    template = client.get(URL, {"template": "1"})
    assert template.status_code == 200
    body = b"".join(template.streaming_content).decode("utf-8-sig").strip()
    assert body == "name,sector,jurisdiction,parent,description,website,email,phone,address"


@pytest.mark.parametrize("persona", ["viewer", "cso", "company", "member", "facilitator"])
def test_lower_roles_cannot_import(world, as_user, persona):
    client = as_user(world.personas[persona])
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"template": "1"}).status_code == 403
    assert upload(client, good_csv(world)).status_code == 403
    assert not Organisation.objects.filter(name="Cebu Peace Desk").exists()


def test_good_import_creates_every_row_and_one_audit_event(world, as_user):
    client = as_user(world.local)
    before_events = AuditEvent.objects.count()
    response = upload(client, good_csv(world), follow=True)
    assert response.status_code == 200
    assert "3 organisations were imported." in response.content.decode()
    desk = Organisation.objects.get(name="Cebu Peace Desk")
    unit = Organisation.objects.get(name="Peace Desk Youth Unit")
    watch = Organisation.objects.get(name="Barangay Watch")
    assert (
        desk.sector == "community" and desk.website == "https://peace.example.org" and desk.email == "desk@example.org"
    )
    assert unit.parent == desk and unit.sector == "youth"
    assert watch.parent == world.city_hall and watch.address == "Osmeña Blvd, Cebu"
    assert {desk.jurisdiction, unit.jurisdiction, watch.jurisdiction} == {world.cebu_city}
    events = AuditEvent.objects.all()[: AuditEvent.objects.count() - before_events]
    assert [e.action for e in events] == ["import"]
    event = events[0]
    assert event.actor == world.local and event.jurisdiction == world.cebu_city
    assert event.changes["created"] == 3


def test_semicolons_bom_iso_codes_and_row_order(world, as_user):
    # A spreadsheet export: BOM, semicolons, the child before its parent, an ISO code.
    text = (
        "\ufeffName;Sector;Jurisdiction;Parent\n"
        "Provincial Desk Unit;Youth;PH-CEB;Provincial Desk\n"
        "Provincial Desk;police_security;ph-ceb;\n"
    )
    response = upload(as_user(world.regional), text)
    assert response.status_code == 302
    unit = Organisation.objects.get(name="Provincial Desk Unit")
    assert unit.parent.name == "Provincial Desk" and unit.jurisdiction == world.cebu


def test_bad_rows_write_nothing_and_are_each_reported(world, as_user):
    text = (
        "name,sector,jurisdiction,parent,email,website\n"
        f"Fine Organisation,youth,{world.cebu_city.uuid},,,\n"  # row 2: fine on its own
        f"Cebu City Hall,local_government,{world.cebu_city.uuid},,,\n"  # row 3: name taken
        f"No Sector Org,pirates,{world.cebu_city.uuid},,,\n"  # row 4: unknown sector
        f"Manila Branch,youth,{world.manila.uuid},,,\n"  # row 5: not managed by the local coordinator
        f"Bad Mail,youth,{world.cebu_city.uuid},,not-an-email,\n"  # row 6
        f"Fine Organisation,media,{world.cebu_city.uuid},,,\n"  # row 7: duplicate of row 2
        f"Orphan,youth,{world.cebu_city.uuid},Nobody Knows,,\n"  # row 8: unknown parent
        f",youth,{world.cebu_city.uuid},,,ftp//bad\n"  # row 9: no name, bad website
    )
    client = as_user(world.local)
    before_orgs, before_events = Organisation.objects.count(), AuditEvent.objects.count()
    response = upload(client, text)
    assert response.status_code == 200
    assert Organisation.objects.count() == before_orgs
    assert AuditEvent.objects.count() == before_events
    page = response.content.decode()
    assert "Nothing was imported" in page
    rows = report_rows(response)
    by_row = {}
    for row, column, message in rows:
        by_row.setdefault(row, []).append((column, message))
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert by_row[3] == [("name", "An active organisation called “Cebu City Hall” already exists in Cebu City.")]
    assert by_row[4] == [("sector", "Unknown sector “pirates”.")]
    assert (
        by_row[5][0][0] == "jurisdiction"
        and "is not the ISO code or UUID of a jurisdiction you manage" in by_row[5][0][1]
    )
    assert by_row[6] == [("email", "Enter a valid email address.")]
    assert by_row[7] == [("name", "“Fine Organisation” in Cebu City is already on row 2 of this file.")]
    assert by_row[8][0][0] == "parent" and "Nobody Knows" in by_row[8][0][1]
    assert ("name", "The name is required.") in by_row[9]
    assert ("website", "Enter a valid URL.") in by_row[9]


def test_parent_rules(world, as_user):
    text = (
        "name,sector,jurisdiction,parent\n"
        f"Loop A,youth,{world.cebu_city.uuid},Loop B\n"
        f"Loop B,youth,{world.cebu_city.uuid},Loop A\n"
        f"Selfish,youth,{world.cebu_city.uuid},Selfish\n"
        f"Abroad,youth,{world.cebu_city.uuid},Nairobi County Government\n"
    )
    response = upload(as_user(world.admin), text)
    rows = report_rows(response)
    assert (2, "parent", "The parents in this file form a cycle.") in rows
    assert (3, "parent", "The parents in this file form a cycle.") in rows
    assert (4, "parent", "An organisation cannot be its own parent.") in rows
    assert (5, "parent", "The parent organisation must be in the same country.") in rows
    assert not Organisation.objects.filter(name__in=["Loop A", "Loop B", "Selfish", "Abroad"]).exists()


@pytest.mark.parametrize(
    "raw, message",
    [
        ("name;sector\nX;youth\n".encode("utf-16"), "not UTF-8"),
        (b"name,sector,jurisdiction\xff\n", "not UTF-8"),
        (b"", "The submitted file is empty."),
        (b"name,sector\nX,youth\n", "Missing columns: jurisdiction."),
        (b"name,sector,jurisdiction,colour\nX,youth,PH,red\n", "Unknown columns: colour."),
        (b"name,sector,jurisdiction\n", "has a header row but no data rows"),
        (b'name,sector,jurisdiction\n"unterminated,youth,PH\n', "could not be read as CSV"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(world, as_user, raw, message):
    before = Organisation.objects.count()
    response = upload(as_user(world.local), raw)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == before


def test_row_and_size_limits(world, as_user, settings):
    client = as_user(world.local)
    settings.TANDEM_IMPORT_MAX_ROWS = 2
    response = upload(client, good_csv(world))
    assert "The file has 3 rows; the limit is 2." in response.content.decode()
    settings.TANDEM_IMPORT_MAX_ROWS = 5000
    settings.TANDEM_IMPORT_MAX_BYTES = 100
    response = upload(client, good_csv(world))
    assert "The file is too large" in response.content.decode()
    assert not Organisation.objects.filter(name="Cebu Peace Desk").exists()


def test_only_managed_jurisdictions_even_for_a_valid_uuid(world, as_user):
    # The regional coordinator sees Cebu but does not manage Manila: refused, not created.
    response = upload(as_user(world.regional), f"name,sector,jurisdiction\nX,youth,{world.manila.uuid}\n")
    assert [(r, c) for r, c, _m in report_rows(response)] == [(2, "jurisdiction")]
    assert not Organisation.objects.filter(name="X").exists()


def test_read_csv_numbers_rows_like_a_spreadsheet():
    rows = imports.read_csv(b"name,sector,jurisdiction\n\nA,youth,PH\n  \nB,youth,PH\n")
    assert [(n, cells["name"]) for n, cells in rows] == [(3, "A"), (5, "B")]
