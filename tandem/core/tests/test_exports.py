"""Exports an official can open and work with (issue 17): typed XLSX cells with a bold, frozen,
filterable header; CSV that French Excel opens with its columns; headers in the user's language."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from tandem.bodies.tests.factories import cebu_body
from tandem.core import services
from tandem.core.models import Sector


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def _csv(response, delimiter):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_xlsx_has_a_bold_frozen_filterable_header_and_typed_cells(world, as_user):
    services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name='=HYPERLINK("http://x")', sector=Sector.MEDIA
    )
    archived = services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="Old Council", sector=Sector.MEDIA
    )
    services.organisation_archive(actor=world.admin, organisation=archived)
    sheet = _sheet(as_user(world.local).get(reverse("organisation_export", args=["xlsx"]), {"archived": "1"}))
    assert sheet["A1"].font.b and sheet["B1"].value == "Name"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["B"].width >= 10
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    formula = rows['=HYPERLINK("http://x")'][1]
    assert formula.data_type == "s"  # stored as text: shown as typed, never run, no apostrophe
    archived_on = rows["Old Council"][-1].value
    assert isinstance(archived_on, dt.datetime) and archived_on.date() == dt.date.today()  # a date cell


def test_action_item_due_dates_are_date_cells(world, as_user):
    cebu_body(world)
    sheet = _sheet(as_user(world.local).get(reverse("action_item_export", args=["xlsx"])))
    header = [c.value for c in sheet[1]]
    due = header.index("Due date")
    values = [row[due] for row in sheet.iter_rows(min_row=2, values_only=True) if row[due] is not None]
    assert values and all(isinstance(v, dt.datetime) for v in values)


def test_csv_in_french_uses_semicolons_and_french_headers(world, as_user):
    client = as_user(world.local)
    client.cookies["django_language"] = "fr"
    rows = _csv(client.get(reverse("organisation_export", args=["csv"])), ";")
    assert rows[0][1] == "Nom" and len(rows[0]) > 5
    assert "Cebu City Hall" in {r[1] for r in rows[1:]}
    # The separator can be chosen: a comma for a tool that expects one.
    rows = _csv(client.get(reverse("organisation_export", args=["csv"]), {"sep": "comma"}), ",")
    assert rows[0][1] == "Nom"


def test_csv_in_english_uses_commas(world, as_user):
    rows = _csv(as_user(world.local).get(reverse("organisation_export", args=["csv"])), ",")
    assert rows[0][1] == "Name"


def test_audit_csv_has_translated_headers_and_json_changes(world, as_user):
    services.organisation_update(actor=world.admin, organisation=world.city_hall, expected_version=1, name="Cebu Hall")
    client = as_user(world.local)
    client.cookies["django_language"] = "fr"
    rows = _csv(client.get(reverse("audit_export", kwargs={"fmt": "csv"})), ";")
    assert rows[0][0] == "Heure" and rows[0][2] == "Action"
    changes = next(r[6] for r in rows[1:] if r[5] == "Cebu Hall")
    assert json.loads(changes)["name"] == ["Cebu City Hall", "Cebu Hall"]
    assert next(r[2] for r in rows[1:] if r[5] == "Cebu Hall") == "Modification"


def test_figures_read_with_separators_and_without_trailing_zeros():
    from decimal import Decimal

    from django.utils import translation

    from tandem.core.templatetags.tandem import number

    with translation.override("en"):
        assert number(Decimal("1250000.00")) == "1,250,000"
        assert number(Decimal("12.50")) == "12.5"
        assert number(None) == ""
    with translation.override("fr"):
        assert number(Decimal("1250000.00")).replace("\u202f", " ").replace("\xa0", " ") == "1 250 000"
        assert number(Decimal("3.75")) == "3,75"


def test_the_role_list_exports_as_filtered(world, as_user):
    sheet = _sheet(as_user(world.local).get(reverse("role_export", args=["xlsx"]), {"role": "member"}))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["member"] and rows[0][3] == "Cebu City"
    assert isinstance(rows[0][5], dt.datetime)  # the grant date is a date cell
    assert as_user(world.member).get(reverse("role_export", args=["csv"])).status_code == 403


def test_jurisdiction_export_lists_the_units_one_sees_with_french_headers(world, as_user, django_assert_num_queries):
    from tandem.core.models import AuditEvent

    client = as_user(world.local)
    with django_assert_num_queries(4):  # session, user, roles, then the units in one query
        rows = _csv(client.get(reverse("jurisdiction_export", args=["csv"])), ",")
    assert rows[0] == ["UUID", "Name", "Kind", "Level name", "ISO code", "Within", "Depth"]
    names = [r[1] for r in rows[1:]]
    assert "Cebu City" in names and "Nairobi" not in names and "Manila" not in names
    client.cookies["django_language"] = "fr"
    sheet = _sheet(client.get(reverse("jurisdiction_export", args=["xlsx"]), {"within": str(world.cebu_city.uuid)}))
    assert sheet["B1"].value == "Nom" and sheet["F1"].value == "Relève de"
    assert [c.value for c in sheet["B"][1:]] == ["Cebu City"]
    assert isinstance(sheet["G2"].value, int)  # a number, not text
    assert not AuditEvent.objects.filter(action="read", object_type__icontains="jurisdiction").exists()  # units only


def test_inclusivity_export_gives_each_body_its_sector_counts(world, as_user, django_assert_num_queries):
    body = cebu_body(world)
    for n in range(3):  # more bodies, the same number of queries
        cebu_body(world, name=f"Ward forum {n}")
    client = as_user(world.local)
    with django_assert_num_queries(4):  # session, user, roles, then every body with its counts in one query
        rows = _csv(client.get(reverse("body_inclusivity_export", args=["csv"]), {"within": ""}), ",")
    header = rows[0]
    first = next(r for r in rows if r[0] == body.name)
    assert len(rows) == 5
    assert header[:3] == ["Body", "Jurisdiction", "Current members"] and header[-2] == "Security share (%)"
    assert first[:3] == [body.name, "Cebu City", "2"]
    assert first[header.index("Youth")] == "1" and first[header.index("Local government")] == "1"
    assert first[-1] == "Women, Religious"  # the focus sectors the body lacks
    client.cookies["django_language"] = "fr"
    sheet = _sheet(client.get(reverse("body_inclusivity_export", args=["xlsx"]), {"within": ""}))
    assert sheet["C1"].value == "Membres actuels" and sheet["C2"].value == 2
    # Outside their coordination scope: nothing (the outsider coordinates Nairobi).
    outsider = _csv(as_user(world.outsider).get(reverse("body_inclusivity_export", args=["csv"])), ",")
    assert len(outsider) == 1
