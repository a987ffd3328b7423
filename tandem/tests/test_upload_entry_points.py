"""Every entry point that accepts a file refuses the same bad files, clearly, and writes nothing.

For each page form and each API operation that takes a file (the list below; a test fails when a
new one appears that is not in it), four kinds of bad file are submitted: a zip bomb (a very high
compression ratio), a renamed program (ELF and PE bytes named like the expected document), an
oversized archive (too many entries, too large unpacked; the ``TANDEM_UPLOAD_MAX_*`` settings are
lowered so the files stay small) and a polyglot (a file that is two formats at once). Each must be
refused with the upload checker's message (a form error on a page, a 422 JSON error in the API),
with no row created or changed and no file stored. A good file passes every entry point, so the
refusals are not an entry point that refuses everything.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import IntegerField, Sum
from django.urls import reverse

import tandem
from tandem.capacity.tests import upload_entry_points as capacity_uploads
from tandem.funding.tests import upload_entry_points as funding_uploads

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 96
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 64
PE += b"PE\x00\x00\x4c\x01" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MIB = 1024 * 1024


def _with_entries(archive: bytes, entries: dict[str, bytes]) -> bytes:
    """``archive`` with more (deflated) entries."""
    buffer = io.BytesIO(archive)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    return _with_entries(b"", entries)


def _entries(archive: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return z.infolist()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>Situation</w:document>"})


# --- The entry points ---------------------------------------------------------------------


@dataclass
class Submitted:
    status: int
    messages: str  # what the user reads: the page's text or the API's error messages


@dataclass
class EntryPoint:
    id: str
    form: str | None  # "module.FormClass" of a page; None for an API operation
    operation: tuple[str, str] | None  # (method, OpenAPI path) of an API operation
    prepare: Callable[[Any, Any], dict]  # (world, client) -> context, with the user signed in
    submit: Callable[[Any, dict, str, bytes], Any]  # (client, context, name, data) -> response
    archive: Callable[[dict], tuple[str, bytes]]  # a good archive this entry point would take (or any zip)
    document: str  # the name a good file has here (".pdf", ".xlsx", ".csv")
    good: Callable[[dict], tuple[str, bytes]]  # a good file
    accepted: Callable[[Any], bool]  # the response of a good file


def _page(response) -> Submitted:
    text = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return Submitted(response.status_code, " ".join(text.split()))


def _api(response) -> Submitted:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    return Submitted(response.status_code, " ".join(m for ms in body.get("errors", {}).values() for m in ms))


def _compose_data(world) -> dict:
    return {
        "sender": f"{world.cebu_city.uuid}|{world.city_hall.uuid}",
        "kind": "alert",
        "direction": "lateral",
        "tlp": "GREEN",
        "title": "Road closed",
        "body": "The bridge is closed.",
        "organisations": [world.cso_org.pk],
    }


def _new_draft(world):
    from tandem.exchange import services

    return services.draft_save(
        actor=world.local,
        jurisdiction=world.cebu_city,
        sender_organisation=world.city_hall,
        kind="alert",
        subkind="",
        direction="lateral",
        tlp="GREEN",
        title="Road closed",
        body="The bridge is closed.",
        due_date=None,
        addressees=services.Addressees(organisations=[world.cso_org]),
    )


def _signed_in(client, user) -> None:
    client.force_login(user)


def _prepare_compose(world, client) -> dict:
    _signed_in(client, world.local)
    return {"world": world}


def _prepare_draft_edit(world, client) -> dict:
    _signed_in(client, world.local)
    return {"world": world, "draft": _new_draft(world)}


def _prepare_reply(world, client) -> dict:
    from tandem.exchange.tests.conftest import send_item

    item = send_item(world, sender=world.local, tlp="GREEN", organisations=[world.cso_org], direction="lateral")
    _signed_in(client, world.cso)
    return {"world": world, "item": item}


def _prepare_api_attach(world, client) -> dict:
    from tandem.core import services as core_services

    token = core_services.api_token_create(actor=world.local, name="uploads").secret
    return {"world": world, "draft": _new_draft(world), "token": token}


def _prepare_plan_import(world, client) -> dict:
    from openpyxl import load_workbook

    from tandem.plans.tests.factories import build_plans

    build_plans(world)
    _signed_in(client, world.local)
    exported = client.get(reverse("plan_workbook", args=[world.cebu_plan.uuid]))
    assert exported.status_code == 200
    workbook = load_workbook(io.BytesIO(exported.content))
    sheet = workbook["Activities"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Budget") + 1, value=123456)  # a change the import would write
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {"world": world, "workbook": buffer.getvalue()}


def _prepare_directory_import(world, client) -> dict:
    _signed_in(client, world.local)
    return {"world": world}


def _post_compose(client, ctx, name, data):
    payload = {**_compose_data(ctx["world"]), "attachments": [SimpleUploadedFile(name, data)]}
    return client.post(reverse("exchange_compose"), payload)


def _post_draft_edit(client, ctx, name, data):
    payload = {**_compose_data(ctx["world"]), "attachments": [SimpleUploadedFile(name, data)]}
    return client.post(reverse("exchange_draft_edit", args=[ctx["draft"].uuid]), payload)


def _post_reply(client, ctx, name, data):
    payload = {"body": "Noted, thank you.", "attachments": [SimpleUploadedFile(name, data)]}
    return client.post(reverse("exchange_reply", args=[ctx["item"].uuid]), payload)


def _post_api_attach(client, ctx, name, data, **headers):
    return client.post(
        f"/api/v1/exchange/drafts/{ctx['draft'].uuid}/attachments",
        {"file": SimpleUploadedFile(name, data)},
        HTTP_AUTHORIZATION=f"Bearer {ctx['token']}",
        **headers,
    )


def _prepare_framework_import(world, client) -> dict:
    """Tandem's framework as its XLSX download, renamed to a new version (what an import would add)."""
    from openpyxl import load_workbook

    from tandem.assessment import services as assessment_services

    assessment_services.tandem_framework()
    _signed_in(client, world.admin)
    exported = client.get(reverse("framework_workbook", args=["tandem-nlc", "1.0"]))
    assert exported.status_code == 200
    workbook = load_workbook(io.BytesIO(exported.content))
    for row in workbook["Framework"].iter_rows(min_row=2):
        if row[0].value == "version":
            row[1].value = "9.0"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {"world": world, "workbook": buffer.getvalue()}


def _post_framework_import(client, ctx, name, data):
    return client.post(reverse("framework_import"), {"file": SimpleUploadedFile(name, data)})


def _post_plan_import(client, ctx, name, data):
    return client.post(
        reverse("plan_import", args=[ctx["world"].cebu_plan.uuid]), {"file": SimpleUploadedFile(name, data)}
    )


def _post_directory_import(client, ctx, name, data):
    return client.post(
        reverse("organisation_import"), {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )


def _prepare_library_attach(world, client) -> dict:
    from tandem.library.tests.factories import make_item

    _signed_in(client, world.local)
    return {"world": world, "item": make_item(world, actor=world.local, publish=False)}


def _post_library_attach(client, ctx, name, data):
    return client.post(
        reverse("library_attachment_add", args=[ctx["item"].uuid]), {"file": SimpleUploadedFile(name, data)}
    )


def _good_csv(ctx) -> tuple[str, bytes]:
    return "orgs.csv", f"name,sector,jurisdiction\nUpload Test Desk,youth,{ctx['world'].cebu_city.uuid}\n".encode()


def _redirect(response) -> bool:
    return response.status_code == 302


ENTRY_POINTS = [
    EntryPoint(
        id="page:exchange_compose",
        form="tandem.exchange.forms.ComposeForm",
        operation=None,
        prepare=_prepare_compose,
        submit=_post_compose,
        archive=lambda ctx: ("report.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("report.pdf", PDF),
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:exchange_draft_edit",
        form="tandem.exchange.forms.ComposeForm",
        operation=None,
        prepare=_prepare_draft_edit,
        submit=_post_draft_edit,
        archive=lambda ctx: ("report.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("report.pdf", PDF),
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:exchange_reply",
        form="tandem.exchange.forms.ReplyForm",
        operation=None,
        prepare=_prepare_reply,
        submit=_post_reply,
        archive=lambda ctx: ("report.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("report.pdf", PDF),
        accepted=_redirect,
    ),
    EntryPoint(
        id="api:exchange_draft_attach",
        form=None,
        operation=("post", "/api/v1/exchange/drafts/{uuid}/attachments"),
        prepare=_prepare_api_attach,
        submit=_post_api_attach,
        archive=lambda ctx: ("report.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("report.pdf", PDF),
        accepted=lambda response: response.status_code == 201,
    ),
    EntryPoint(
        id="page:plan_import",
        form="tandem.plans.forms.PlanImportForm",
        operation=None,
        prepare=_prepare_plan_import,
        submit=_post_plan_import,
        archive=lambda ctx: ("plan.xlsx", ctx["workbook"]),
        document=".xlsx",
        good=lambda ctx: ("plan.xlsx", ctx["workbook"]),
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:framework_import",
        form="tandem.assessment.forms.FrameworkImportForm",
        operation=None,
        prepare=_prepare_framework_import,
        submit=_post_framework_import,
        archive=lambda ctx: ("framework.xlsx", ctx["workbook"]),
        document=".xlsx",
        good=lambda ctx: ("framework.xlsx", ctx["workbook"]),
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:organisation_import",
        form="tandem.core.forms_directory.OrganisationImportForm",
        operation=None,
        prepare=_prepare_directory_import,
        submit=_post_directory_import,
        archive=lambda ctx: ("orgs.csv", _zip({"orgs.csv": _good_csv(ctx)[1]})),
        document=".csv",
        good=_good_csv,
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:library_attachment_add",
        form="tandem.library.forms.AttachmentForm",
        operation=None,
        prepare=_prepare_library_attach,
        submit=_post_library_attach,
        archive=lambda ctx: ("guide.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("guide.pdf", PDF),
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:funding_document_add",
        form="tandem.funding.forms.DocumentForm",
        operation=None,
        prepare=funding_uploads.prepare_document,
        submit=funding_uploads.post_document,
        archive=lambda ctx: ("budget.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("budget.pdf", PDF),
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:funding_report_submit",
        form="tandem.funding.forms.ReceiptForm",
        operation=None,
        prepare=funding_uploads.prepare_report,
        submit=funding_uploads.post_report,
        archive=lambda ctx: ("receipt.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("receipt.pdf", PDF),
        accepted=_redirect,
    ),
    EntryPoint(
        id="page:material_add",
        form="tandem.capacity.forms.MaterialForm",
        operation=None,
        prepare=capacity_uploads.prepare_material,
        submit=capacity_uploads.post_material,
        archive=lambda ctx: ("handout.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("handout.pdf", PDF),
        accepted=_redirect,
    ),
    EntryPoint(
        id="api:capacity_material_add",
        form=None,
        operation=("post", "/api/v1/capacity/courses/{uuid}/materials"),
        prepare=capacity_uploads.prepare_api_material,
        submit=capacity_uploads.post_api_material,
        archive=lambda ctx: ("handout.docx", DOCX),
        document=".pdf",
        good=lambda ctx: ("handout.pdf", PDF),
        accepted=lambda response: response.status_code == 201,
    ),
]


# --- The bad files ------------------------------------------------------------------------


def _zip_bomb(entry: EntryPoint, ctx: dict, settings) -> tuple[str, bytes, str]:
    name, archive = entry.archive(ctx)
    bomb = _with_entries(archive, {"media/zeros.bin": b"\x00" * (2 * MIB)})  # ~1000:1
    assert len(bomb) < len(archive) + 8 * 1024
    return name, bomb, "possible zip bomb"


def _program(blob: bytes) -> Callable:
    def build(entry: EntryPoint, ctx: dict, settings) -> tuple[str, bytes, str]:
        return f"report{entry.document}", blob, "Programs and scripts are not accepted"

    return build


def _too_many_entries(entry: EntryPoint, ctx: dict, settings) -> tuple[str, bytes, str]:
    name, archive = entry.archive(ctx)
    archive = _with_entries(archive, {f"media/{i}.txt": b"x" for i in range(3)})
    settings.TANDEM_UPLOAD_MAX_ARCHIVE_ENTRIES = len(_entries(archive)) - 1
    return name, archive, "The archive has too many files"


def _too_large_unpacked(entry: EntryPoint, ctx: dict, settings) -> tuple[str, bytes, str]:
    name, archive = entry.archive(ctx)
    archive = _with_entries(archive, {"media/noise.bin": random.Random(10).randbytes(40_000)})
    settings.TANDEM_UPLOAD_MAX_UNCOMPRESSED_BYTES = sum(i.file_size for i in _entries(archive)) - 1
    return name, archive, "The archive unpacks to more than"


def _polyglot(entry: EntryPoint, ctx: dict, settings) -> tuple[str, bytes, str]:
    message = "second file of another type"
    if entry.document == ".csv":  # a CSV that PDF readers open: its PDF header within the first kilobyte
        name, text = entry.good(ctx)
        return name, text + PDF, message
    if entry.document == ".pdf":  # a PDF with an archive appended
        return "report.pdf", PDF + entry.archive(ctx)[1], message
    name, archive = entry.archive(ctx)  # an archive that is also a PDF (the PDF first)
    return name, PDF + archive, message


BAD_FILES: dict[str, Callable] = {
    "zip-bomb": _zip_bomb,
    "elf-renamed": _program(ELF),
    "pe-renamed": _program(PE),
    "too-many-entries": _too_many_entries,
    "too-large-unpacked": _too_large_unpacked,
    "polyglot": _polyglot,
}


# --- Nothing written ----------------------------------------------------------------------


def _state(settings) -> dict:
    """Rows of every model (and the sum of versions where records carry one), and stored files."""
    state: dict[str, Any] = {}
    for model in apps.get_models():
        if model._meta.label in {"sessions.Session"}:
            continue
        manager = model._default_manager
        state[model._meta.label] = manager.count()
        # The edit counter of versioned records (a framework's "version" is a label, not a counter).
        if any(f.name == "version" and isinstance(f, IntegerField) for f in model._meta.concrete_fields):
            state[f"{model._meta.label}.version"] = manager.aggregate(v=Sum("version"))["v"]
    root = Path(settings.MEDIA_ROOT)
    state["files"] = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return state


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def _ids(entry: EntryPoint) -> str:
    return entry.id


@pytest.mark.parametrize("bad", list(BAD_FILES))
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=_ids)
def test_each_entry_point_refuses_the_bad_file_and_writes_nothing(world, client, media, entry, bad):
    ctx = entry.prepare(world, client)
    name, data, message = BAD_FILES[bad](entry, ctx, media)
    assert len(data) < 64 * 1024
    before = _state(media)
    response = entry.submit(client, ctx, name, data)
    seen = _api(response) if entry.operation else _page(response)
    assert seen.status == (422 if entry.operation else 200), response.content[:500]
    assert message in seen.messages, seen.messages[:2000]
    assert _state(media) == before


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=_ids)
def test_a_good_file_passes_each_entry_point(world, client, media, entry):
    ctx = entry.prepare(world, client)
    name, data = entry.good(ctx)
    before = _state(media)
    response = entry.submit(client, ctx, name, data)
    assert entry.accepted(response), response.content[:2000]
    assert _state(media) != before


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=_ids)
def test_the_refusal_is_translated(world, client, media, entry):
    ctx = entry.prepare(world, client)
    client.cookies["django_language"] = "fr"  # the pages' language switch
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"  # the API's
    response = entry.submit(client, ctx, f"rapport{entry.document}", ELF)
    seen = _api(response) if entry.operation else _page(response)
    assert "Les programmes et les scripts ne sont pas acceptés" in seen.messages, seen.messages[:2000]


# --- No entry point is missing ------------------------------------------------------------


def _forms_with_a_file_field() -> set[str]:
    found = set()
    for module_info in pkgutil.walk_packages(tandem.__path__, "tandem."):
        if ".tests" in module_info.name or "forms" not in module_info.name.rsplit(".", 1)[-1]:
            continue
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                continue
            if any(isinstance(f, forms.FileField) for f in cls.base_fields.values()):
                found.add(f"{module.__name__}.{name}")
    return found


def _api_operations_with_a_file() -> set[tuple[str, str]]:
    from tandem.tests.openapi import openapi_schema

    found = set()
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            for body in content.values():
                schema = body.get("schema", {})
                if any(p.get("format") == "binary" for p in schema.get("properties", {}).values()):
                    found.add((method, path))
    return found


def test_every_form_and_api_operation_taking_a_file_is_tested_here():
    assert _forms_with_a_file_field() == {e.form for e in ENTRY_POINTS if e.form}
    assert _api_operations_with_a_file() == {e.operation for e in ENTRY_POINTS if e.operation}


def test_only_the_checker_and_checked_importers_open_archives_and_workbooks():
    """zipfile and openpyxl read a file only after the checker: in core/uploads.py and the checked importers
    (plans/files.py, assessment/files.py)."""
    root = Path(tandem.__file__).parent
    readers = re.compile(r"\bload_workbook\(|\bZipFile\(|\bzipfile\.|\bPdfReader\(|\btarfile\.")
    found = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and readers.search(path.read_text())
    }
    assert found <= {"core/uploads.py", "plans/files.py", "assessment/files.py"}, found
