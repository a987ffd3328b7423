"""Importing a framework from a workbook: all or nothing, every error by row, versions never edited."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tandem.assessment import selectors, services
from tandem.assessment.models import Framework


def _workbook(client, world, change):
    services.tandem_framework()
    client.force_login(world.admin)
    wb = load_workbook(io.BytesIO(client.get(reverse("framework_workbook", args=["tandem-nlc", "1.0"])).content))
    change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _set(wb, key, value):
    for row in wb["Framework"].iter_rows(min_row=2):
        if row[0].value == key:
            row[1].value = value


def test_a_new_version_supersedes_the_old_and_keeps_every_statement(world, client):
    raw = _workbook(client, world, lambda wb: _set(wb, "version", "2.0"))
    framework = services.framework_import(actor=world.admin, raw=raw, name="f.xlsx")
    old = Framework.objects.get(slug="tandem-nlc", version="1.0")
    assert framework.supersedes == old and framework.is_official is False
    assert len(selectors.items(framework)) == len(selectors.items(old))
    assert [lv.value for lv in selectors.levels(framework)] == [0, 1, 2, 3, 4]
    assert selectors.items(framework)[0].statement_fr == selectors.items(old)[0].statement_fr


def test_duplicate_codes_missing_levels_and_existing_version_are_refused_by_row_and_nothing_written(world, client):
    def spoil(wb):
        _set(wb, "version", "3.0")
        wb["Statements"].cell(row=3, column=6, value="T1")  # a second T1
        wb["Levels"].delete_rows(4)  # level 2 missing: 0, 1, 3, 4

    raw = _workbook(client, world, spoil)
    before = Framework.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.framework_import(actor=world.admin, raw=raw, name="f.xlsx")
    messages = exc.value.messages
    assert any("row 3" in m and "T1" in m for m in messages)
    assert any("without gaps" in m for m in messages)
    assert Framework.objects.count() == before
    same = _workbook(client, world, lambda wb: None)  # version 1.0 exists: never changed
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.framework_import(actor=world.admin, raw=same, name="f.xlsx")


def test_only_administrators_import_and_the_page_shows_the_errors(world, client):
    raw = _workbook(client, world, lambda wb: _set(wb, "name", None))
    with pytest.raises(PermissionDenied):
        services.framework_import(actor=world.national, raw=raw, name="f.xlsx")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.admin)
    page = client.post(reverse("framework_import"), {"file": SimpleUploadedFile("f.xlsx", raw)})
    assert page.status_code == 200 and "“name” is required" in page.content.decode()


# --- JSON: the export's shape ----------------------------------------------------------------


def _json(client, world, version="1.0"):
    import json

    services.tandem_framework()
    client.force_login(world.admin)
    return json.loads(client.get(reverse("framework_export", args=["tandem-nlc", version])).content)


def _bytes(data) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False).encode()


def test_json_round_trip_a_new_version_exports_to_the_same_shape(world, client):
    data = _json(client, world)
    data["version"] = "2.0"
    framework = services.framework_import(actor=world.admin, raw=_bytes(data), name="framework.json")
    assert framework.supersedes == Framework.objects.get(slug="tandem-nlc", version="1.0")
    assert _json(client, world, "2.0") == data
    page = client.get(reverse("framework_detail", args=["tandem-nlc", "1.0"]))
    assert "Superseded by" in page.content.decode()


def test_json_errors_are_reported_by_entry_and_nothing_is_written(world, client):
    data = _json(client, world)
    data["version"] = "3.0"
    data["levels"] = [lv for lv in data["levels"] if lv["value"] != 2]  # a gap
    data["competencies"][1]["items"][0]["code"] = data["competencies"][0]["items"][0]["code"]  # a duplicate
    data["competencies"].append(dict(data["competencies"][0]))  # a competency twice
    before = Framework.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.framework_import(actor=world.admin, raw=_bytes(data), name="framework.json")
    messages = exc.value.messages
    code = data["competencies"][1]["code"]
    assert any(f"competency {code}, statement 1" in m and "appears twice" in m for m in messages)
    assert any("without gaps" in m for m in messages)
    assert any("competencies, entry 7" in m for m in messages)
    assert Framework.objects.count() == before


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b'{"levels": 3, "competencies": {}}', b"[" * 100000],
    ids=["broken", "list", "wrong-types", "deep"],
)
def test_json_that_is_not_a_framework_is_refused_cleanly(world, raw):
    with pytest.raises(ValidationError):
        services.framework_import(actor=world.admin, raw=raw, name="framework.json")


def test_the_page_imports_json_through_the_upload_checker(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _json(client, world)
    data["version"] = "2.1"
    page = client.post(reverse("framework_import"), {"file": SimpleUploadedFile("f.json", _bytes(data))})
    assert page.status_code == 302 and Framework.objects.filter(version="2.1").exists()
    html = b"<html><script>alert(1)</script></html>"
    page = client.post(reverse("framework_import"), {"file": SimpleUploadedFile("f.json", html)})
    assert page.status_code == 200 and not Framework.objects.filter(version="2.2").exists()
    assert "not accepted" in page.content.decode()
