"""The TLP matrix: every label x every persona x every action, plus the leak-prone edges.

Scenario of the matrix: the national coordinator (acting for the Anti-Terrorism
Council) sends an item to the Visayas Youth Forum (the ``cso`` and ``member``
personas' organisation) and names the ``viewer`` persona. Who reads it:

* RED: the sender and the named viewer;
* AMBER+STRICT: + the forum's users (cso, member);
* AMBER: the same as AMBER+STRICT: exactly the recipients the sender chose (issue 10,
  defect 5: the coordinators covering Cebu City, local and regional, no longer read it);
* GREEN: every persona with a role in the Philippines;
* CLEAR: every signed-in user of the network (also the Kenyan outsider and the administrator).

The administrator (a network-wide role only) and the Kenyan outsider read nothing else.
"""

from __future__ import annotations

import io
import time
import uuid
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.conftest import PERSONAS
from tandem.core import services as core_services
from tandem.exchange import access, services
from tandem.exchange.models import Acknowledgement, LabelChange, ReadLog, Status
from tandem.exchange.tests.conftest import PDF, named_person, send_item

ANON = "anonymous"
PH_ALL = {"national", "regional", "local", "member", "cso", "company", "facilitator", "viewer"}
READERS = {
    "RED": {"national", "viewer"},
    "AMBER_STRICT": {"national", "viewer", "cso", "member"},
    "AMBER": {"national", "viewer", "cso", "member"},
    "GREEN": PH_ALL,
    "CLEAR": PH_ALL | {"outsider", "admin"},
}
ACTIONS = ["list", "count", "search", "detail", "download", "reply", "export", "api_list", "api_detail", "api_download"]


def _item(world, tlp, **extra):
    return send_item(
        world,
        tlp=tlp,
        title=f"Matrix item {tlp}",
        body="Tensions reported around the youth centre.",
        organisations=[world.cso_org],
        people=[named_person(world, world.viewer)],
        uploads=[services.Upload(name="briefing.pdf", data=PDF)],
        **extra,
    )


def _observe(client, world, persona, item, token):
    """What ``persona`` can do with ``item``: action -> True (allowed/visible) / False."""
    title = item.title
    box = "outbox" if persona == "national" else "inbox"
    attachment = item.attachments.get()
    seen = {}
    listing = client.get(reverse(f"exchange_{box}"))
    seen["list"] = listing.status_code == 200 and title in listing.content.decode()
    seen["count"] = listing.status_code == 200 and listing.context["page_obj"].paginator.count == 1
    found = client.get(reverse(f"exchange_{box}"), {"q": "youth centre"})
    seen["search"] = found.status_code == 200 and title in found.content.decode()
    seen["detail"] = client.get(reverse("exchange_detail", args=[item.uuid])).status_code == 200
    seen["download"] = client.get(reverse("exchange_attachment", args=[attachment.uuid])).status_code == 200
    replied = client.post(reverse("exchange_reply", args=[item.uuid]), {"body": "Noted."})
    seen["reply"] = replied.status_code == 302 and replied["Location"].startswith(f"/exchange/items/{item.uuid}/")
    export = client.get(reverse("exchange_export", args=["csv"]), {"box": box})
    seen["export"] = export.status_code == 200 and title in b"".join(export.streaming_content).decode("utf-8-sig")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    api_list = client.get("/api/v1/exchange/items", **headers)
    seen["api_list"] = api_list.status_code == 200 and any(i["title"] == title for i in api_list.json()["items"])
    seen["api_detail"] = client.get(f"/api/v1/exchange/items/{item.uuid}", **headers).status_code == 200
    seen["api_download"] = client.get(f"/api/v1/exchange/attachments/{attachment.uuid}", **headers).status_code == 200
    return seen


@pytest.mark.parametrize("tlp", list(READERS))
def test_tlp_matrix(world, client, tlp):
    """5 labels x 11 personas (with anonymous) x 10 actions = 550 cases."""
    from django.db import transaction

    tokens = {p: core_services.api_token_create(actor=world.personas[p], name="m").secret for p in PERSONAS}
    item = _item(world, tlp)
    mismatches = []
    for persona in [ANON, *PERSONAS]:
        with transaction.atomic():
            client.logout()
            if persona != ANON:
                client.force_login(world.personas[persona])
            seen = _observe(client, world, persona, item, tokens.get(persona))
            expected = persona in READERS[tlp]
            mismatches += [f"{persona} {a}: expected {expected}" for a in ACTIONS if seen[a] != expected]
            transaction.set_rollback(True)
    assert not mismatches, f"{tlp}:\n" + "\n".join(mismatches)
    audience = set(access.item_audience(item).values_list("username", flat=True))
    assert audience == READERS[tlp]


def test_amber_strict_recipient_org_user_reads_but_same_city_coordinator_of_other_org_does_not(world, client):
    item = send_item(world, tlp="AMBER_STRICT", title="Strict", organisations=[world.cso_org])
    client.force_login(world.cso)
    assert client.get(reverse("exchange_detail", args=[item.uuid])).status_code == 200
    client.force_login(world.local)  # coordinator of Cebu City, acting for Cebu City Hall
    assert client.get(reverse("exchange_detail", args=[item.uuid])).status_code == 404
    assert "Strict" not in client.get(reverse("exchange_inbox")).content.decode()


def test_national_coordinator_does_not_see_lateral_red_between_two_cities_unless_named(world, client):
    from tandem.core.models import Role, User

    manila_user = User.objects.create_user(username="manila", password="x" * 20, email="manila@example.org")
    core_services.role_grant(actor=None, user=manila_user, role=Role.LOCAL_COORDINATOR, jurisdiction=world.manila)
    manila_person = named_person(world, manila_user, world.manila)
    item = send_item(
        world, sender=world.local, tlp="RED", title="Lateral red", direction="lateral", people=[manila_person]
    )
    assert access.can_see(manila_user, item)
    assert not access.can_see(world.national, item)
    client.force_login(world.national)
    assert client.get(reverse("exchange_detail", args=[item.uuid])).status_code == 404
    assert "Lateral red" not in client.get(reverse("exchange_open_requests")).content.decode()
    national_person = named_person(world, world.national, world.ph)
    named = send_item(world, sender=world.local, tlp="RED", title="Named", direction="up", people=[national_person])
    assert client.get(reverse("exchange_detail", args=[named.uuid])).status_code == 200


def test_foreign_item_is_byte_identical_to_missing(world, client):
    item = _item(world, "AMBER")
    client.force_login(world.outsider)
    foreign = client.get(reverse("exchange_detail", args=[item.uuid]))
    missing = client.get(reverse("exchange_detail", args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    att = item.attachments.get()
    foreign = client.get(reverse("exchange_attachment", args=[att.uuid]))
    missing = client.get(reverse("exchange_attachment", args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404 and foreign.content == missing.content
    token = core_services.api_token_create(actor=world.outsider, name="t").secret
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    foreign = client.get(f"/api/v1/exchange/items/{item.uuid}", **h)
    missing = client.get(f"/api/v1/exchange/items/{uuid.uuid4()}", **h)
    assert foreign.status_code == missing.status_code == 404 and foreign.content == missing.content


def test_replies_inherit_the_items_audience(world):
    item = send_item(world, tlp="AMBER_STRICT", title="Thread", organisations=[world.cso_org])
    services.reply_create(actor=world.cso, item=item, body="Answer with details")
    with pytest.raises(Exception):  # noqa: B017 - Http404: not a reader
        services.reply_create(actor=world.local, item=item, body="Intruding")
    assert item.replies.count() == 1


def _with_emails(world):
    for name in PERSONAS:
        user = world.personas[name]
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])


@pytest.mark.parametrize("tlp", ["RED", "AMBER_STRICT", "AMBER"])
def test_notifications_never_carry_amber_content(world, django_capture_on_commit_callbacks, tlp):
    _with_emails(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = _item(world, tlp)
    recipients = sorted(m.to[0].split("@")[0] for m in mail.outbox)
    assert recipients == sorted(READERS[tlp] - {"national"})
    for message in mail.outbox:
        text = message.subject + message.body
        assert item.title not in text and "youth centre" not in text and "briefing" not in text
        assert str(item.uuid) in message.body


def test_green_notification_may_carry_the_title_only(world, django_capture_on_commit_callbacks):
    _with_emails(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = _item(world, "GREEN")
    assert len(mail.outbox) == len(PH_ALL) - 1
    assert all(item.title in m.body and "youth centre" not in m.body for m in mail.outbox)


# --- Personal data --------------------------------------------------------------------------


def test_personal_data_patterns():
    found = services.personal_data_matches(
        "Call +63 32 555 0101 or write to ana.cruz@example.org. Passport P1234567, born on 12/03/1990. "
        "Meeting on 2024-05-01 at 10:00 for 25 people."
    )
    kinds = {(m["kind"], m["match"]) for m in found}
    assert ("phone", "+63 32 555 0101") in kinds
    assert ("email", "ana.cruz@example.org") in kinds
    assert ("id_number", "P1234567") in kinds
    assert any(k == "date_of_birth" for k, _ in kinds)
    assert not any("2024-05-01" in m for _, m in kinds)
    assert services.personal_data_matches("A quiet week in the district; 3 meetings held.") == []


def test_preview_warns_and_sending_anyway_records_the_override(world, client):
    client.force_login(world.local)
    draft = services.draft_save(
        actor=world.local,
        jurisdiction=world.cebu_city,
        sender_organisation=world.city_hall,
        kind="report",
        subkind="concern",
        direction="up",
        tlp="AMBER",
        title="Concern",
        body="Call the imam on 0917 555 1234.",
        addressees=services.Addressees(organisations=[world.national_org]),
    )
    page = client.get(reverse("exchange_preview", args=[draft.uuid])).content.decode()
    assert "0917 555 1234" in page and "phone number" in page
    assert "No sharing agreement covers this channel" in page
    url = reverse("exchange_preview", args=[draft.uuid])
    refused = client.post(url, {"version": draft.version})
    assert refused.status_code == 200 and refused.context["form"].errors
    draft.refresh_from_db()
    assert draft.sent_at is None
    sent = client.post(
        url, {"version": draft.version, "confirm_personal_data": "on", "no_agreement_reason": "Imminent risk"}
    )
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.sent_at is not None and draft.no_agreement_reason == "Imminent risk"
    assert draft.personal_data_override == [{"kind": "phone", "match": "0917 555 1234"}]


def test_preview_lists_the_exact_audience_and_the_covering_agreement(world, client):
    import datetime as dt

    services.agreement_save(
        actor=world.admin,
        agreement=None,
        values={
            "title": "Cebu youth protocol",
            "jurisdiction": world.cebu_city,
            "legal_basis": "Ordinance 12",
            "categories": "Community concerns",
            "retention": "1 year",
            "contact": "dpo@cebu.example",
            "valid_from": dt.date(2024, 1, 1),
            "valid_to": None,
        },
        organisations=[world.city_hall, world.cso_org],
        jurisdictions=[],
    )
    draft = services.draft_save(
        actor=world.local,
        jurisdiction=world.cebu_city,
        sender_organisation=world.city_hall,
        kind="alert",
        direction="lateral",
        tlp="AMBER_STRICT",
        title="Alert",
        body="Nothing personal.",
        addressees=services.Addressees(organisations=[world.cso_org]),
    )
    client.force_login(world.local)
    response = client.get(reverse("exchange_preview", args=[draft.uuid]))
    audience = response.context["preview"].audience
    assert sorted(u.username for u in audience) == ["cso", "local", "member"]
    page = response.content.decode()
    assert "3 people will be able to read it" in page and "Cebu youth protocol" in page
    assert not response.context["preview"].reason_required
    # What is sent is what was previewed: a stale version is refused.
    services.draft_save(
        actor=world.local,
        draft=draft,
        jurisdiction=world.cebu_city,
        sender_organisation=world.city_hall,
        kind="alert",
        direction="lateral",
        tlp="GREEN",
        title="Alert",
        body="Changed elsewhere.",
        addressees=services.Addressees(organisations=[world.cso_org]),
    )
    stale = client.post(reverse("exchange_preview", args=[draft.uuid]), {"version": draft.version})
    assert stale.status_code == 200 and "changed after this preview" in stale.content.decode()


# --- Attachments --------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _content_type(name: str, data: bytes) -> str:
    from tandem.core import uploads

    return uploads.check_bytes(data, name=name, allowed=services.ATTACHMENT_TYPES).content_type


def _read_upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.read_upload(SimpleUploadedFile(name, data))


def test_allowed_types_are_detected_by_content():
    assert _content_type("a.pdf", PDF) == "application/pdf"
    assert _content_type("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10) == "image/png"
    assert _content_type("x.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10) == "image/jpeg"
    assert _content_type("r.docx", DOCX).endswith("wordprocessingml.document")
    assert _content_type("t.csv", "a,b\n1,é\n".encode()) == "text/csv"


@pytest.mark.parametrize(
    "name,data",
    [
        ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("note.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows program renamed
        ("data.txt", b"\xff\xfe\x00b\x00a\x00d"),
        ("archive.docx", _zip({"readme.txt": b"not an office file"})),
    ],
)
def test_other_types_are_refused_with_a_message(name, data):
    with pytest.raises(ValidationError) as exc:
        _read_upload(name, data)
    assert exc.value.code == "attachment"
    assert "not accepted" in exc.value.messages[0] or "not UTF-8" in exc.value.messages[0]


def _bomb() -> bytes:
    """A valid small zip whose central directory announces 4 GB of content."""
    data = bytearray(DOCX)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 24 : at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def test_zip_bomb_and_entry_flood_are_refused_fast(settings):
    settings.TANDEM_UPLOAD_MAX_ARCHIVE_ENTRIES = 50
    for payload, words in (
        (_bomb(), "unpacks to more than"),
        (_zip({f"f{i}.xml": b"" for i in range(51)}), "too many"),
    ):
        start = time.perf_counter()
        with pytest.raises(ValidationError) as exc:
            _read_upload("x.docx", payload)
        assert time.perf_counter() - start < 1.0
        assert words in exc.value.messages[0]


def test_upload_size_limit(settings, world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TANDEM_UPLOAD_MAX_BYTES = 100
    client.force_login(world.local)
    response = client.post(
        reverse("exchange_compose"),
        {
            "sender": f"{world.cebu_city.uuid}|{world.city_hall.uuid}",
            "kind": "alert",
            "direction": "lateral",
            "tlp": "GREEN",
            "title": "Big",
            "body": "File",
            "organisations": [world.cso_org.pk],
            "attachments": [SimpleUploadedFile("big.pdf", PDF + b"0" * 200)],
        },
    )
    assert response.status_code == 200
    assert "too large" in response.content.decode()


def test_download_headers_and_media_not_served(world, client):
    item = _item(world, "AMBER")
    att = item.attachments.get()
    client.force_login(world.cso)
    response = client.get(reverse("exchange_attachment", args=[att.uuid]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;") and "briefing.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == PDF
    assert att.sha256 and att.size == len(PDF)
    assert client.get(f"/media/exchange/{att.storage_name}").status_code == 404


# --- Labels, read log, requests ---------------------------------------------------------------


def test_label_lowering_is_recorded_and_raising_refused(world, client):
    item = _item(world, "AMBER")
    with pytest.raises(ValidationError):
        services.item_change_label(actor=world.national, item=item, tlp="RED", reason="Oops")
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: not the sender
        services.item_change_label(actor=world.cso, item=item, tlp="GREEN", reason="Mine")
    client.force_login(world.national)
    response = client.post(reverse("exchange_label", args=[item.uuid]), {"tlp": "GREEN", "reason": "Now public"})
    assert response.status_code == 302
    change = LabelChange.objects.get(item=item)
    assert (change.from_tlp, change.to_tlp, change.by, change.reason) == (
        "AMBER",
        "GREEN",
        world.national,
        "Now public",
    )
    assert access.can_see(world.company, item)


def test_reads_of_amber_items_are_logged_and_shown_to_sender_and_auditors(world, client):
    item = _item(world, "AMBER")
    client.force_login(world.cso)
    client.get(reverse("exchange_detail", args=[item.uuid]))
    client.get(reverse("exchange_attachment", args=[item.attachments.get().uuid]))
    b"".join(client.get(reverse("exchange_export", args=["csv"])).streaming_content)
    actions = sorted(ReadLog.objects.filter(item=item, user=world.cso).values_list("action", flat=True))
    assert actions == ["detail", "download", "export"]
    assert "read-log" not in client.get(reverse("exchange_detail", args=[item.uuid])).content.decode()
    client.force_login(world.national)
    assert "read-log" in client.get(reverse("exchange_detail", args=[item.uuid])).content.decode()
    assert access.can_see_read_log(world.national, item) and not access.can_see_read_log(world.cso, item)
    green = _item(world, "GREEN")
    client.force_login(world.company)
    client.get(reverse("exchange_detail", args=[green.uuid]))
    assert not ReadLog.objects.filter(item=green).exists()


def test_request_lifecycle_and_overdue(world, client):
    import datetime as dt

    item = send_item(
        world,
        sender=world.local,
        tlp="AMBER",
        kind="request",
        title="Need trainers",
        organisations=[world.national_org],
        direction="up",
    )
    services.item_acknowledge(actor=world.national, item=item)
    item.refresh_from_db()
    assert item.status == Status.ACKNOWLEDGED and Acknowledgement.objects.filter(item=item).count() == 1
    with pytest.raises(ValidationError):
        services.request_set_status(actor=world.national, item=item, status="declined")
    services.request_set_status(actor=world.national, item=item, status="declined", reason="No budget")
    item.refresh_from_db()
    assert item.status == Status.DECLINED and item.decline_reason == "No budget"
    with pytest.raises(ValidationError):
        services.request_set_status(actor=world.local, item=item, status="answered")
    services.request_set_status(actor=world.local, item=item, status="open")
    type(item).objects.filter(pk=item.pk).update(due_date=dt.date.today() - dt.timedelta(days=3))
    for user in (world.local, world.national):
        client.force_login(user)
        overdue = client.get(reverse("exchange_outbox" if user == world.local else "exchange_inbox"), {"overdue": "1"})
        assert "Need trainers" in overdue.content.decode() and "overdue" in overdue.content.decode()
    client.force_login(world.national)
    assert "Need trainers" in client.get(reverse("exchange_open_requests")).content.decode()
    client.force_login(world.regional)  # the request went to the national level, not to the region
    assert "Need trainers" not in client.get(reverse("exchange_open_requests")).content.decode()


def test_body_recipients_are_frozen_at_send_time(world):
    import datetime as dt

    from tandem.bodies.models import Body, Membership

    body = Body.objects.create(
        name="Cebu prevention network", kind="local_prevention_network", jurisdiction=world.cebu_city
    )
    Membership.objects.create(body=body, organisation=world.cso_org, sector="youth", start_date=dt.date(2024, 1, 1))
    item = send_item(world, tlp="AMBER_STRICT", title="Body item", bodies=[body], direction="lateral")
    assert access.can_see(world.cso, item) and not access.can_see(world.company, item)
    Membership.objects.create(
        body=body, organisation=world.company_org, sector="private_sector", start_date=dt.date(2024, 1, 1)
    )
    assert not access.can_see(world.company, item)


def test_inbox_query_count_is_constant(world, client, django_assert_max_num_queries):
    client.force_login(world.cso)
    for i in range(3):
        send_item(world, tlp="GREEN", title=f"Item {i}", organisations=[world.cso_org])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("exchange_inbox"))
    for i in range(20):
        send_item(world, tlp="AMBER", title=f"More {i}", organisations=[world.cso_org])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exchange_inbox"))


def test_only_clear_items_may_be_publishable(world):
    addressees = services.Addressees(organisations=[world.cso_org])
    common = {
        "actor": world.national,
        "jurisdiction": world.ph,
        "sender_organisation": world.national_org,
        "kind": "guidance",
        "direction": "down",
        "title": "Toolkit",
        "body": "Free to share.",
        "addressees": addressees,
    }
    with pytest.raises(ValidationError):
        services.draft_save(tlp="GREEN", publishable=True, **common)
    assert services.draft_save(tlp="CLEAR", publishable=True, **common).publishable


def test_agreement_party_changes_are_audited(world):
    import datetime as dt

    from tandem.core.models import AuditEvent

    values = {
        "title": "Protocol",
        "jurisdiction": world.cebu_city,
        "legal_basis": "Ordinance",
        "categories": "All",
        "retention": "1 year",
        "contact": "dpo@example.org",
        "valid_from": dt.date(2024, 1, 1),
        "valid_to": None,
    }
    agreement = services.agreement_save(
        actor=world.local, agreement=None, values=values, organisations=[world.city_hall], jurisdictions=[]
    )
    services.agreement_save(
        actor=world.local,
        agreement=agreement,
        values=values,
        organisations=[world.city_hall, world.cso_org],
        jurisdictions=[],
        expected_version=agreement.version,
    )
    events = AuditEvent.objects.filter(object_uuid=str(agreement.uuid)).values_list("action", flat=True)
    assert sorted(events) == ["create", "update"]
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: the outsider does not coordinate Cebu City
        services.agreement_save(actor=world.outsider, agreement=None, values=values, organisations=[], jurisdictions=[])


def test_direction_must_match_the_recipients(world):
    common = {
        "actor": world.local,
        "jurisdiction": world.cebu_city,
        "sender_organisation": world.city_hall,
        "kind": "alert",
        "tlp": "GREEN",
        "title": "Alert",
        "body": "Text",
    }
    with pytest.raises(ValidationError) as exc:
        services.draft_save(direction="up", addressees=services.Addressees(organisations=[world.manila_org]), **common)
    assert "Manila Interfaith Council" in str(exc.value)
    with pytest.raises(ValidationError):
        services.draft_save(direction="down", addressees=services.Addressees(jurisdictions=[world.ph]), **common)
    assert services.draft_save(direction="up", addressees=services.Addressees(jurisdictions=[world.ph]), **common)
    assert services.draft_save(
        direction="lateral", addressees=services.Addressees(organisations=[world.manila_org]), **common
    )


def test_audit_log_never_carries_item_content(world):
    """Coordinators read the audit log of their subtree whatever the label: it must not leak content."""
    import json

    from tandem.core.models import AuditEvent

    item = send_item(
        world,
        sender=world.local,
        tlp="RED",
        title="Secret title",
        body="Secret body",
        people=[named_person(world, world.national, world.ph)],
        direction="up",
    )
    services.reply_create(actor=world.national, item=item, body="Secret reply")
    services.item_change_label(actor=world.local, item=item, tlp="AMBER_STRICT", reason="Secret reason")
    events = AuditEvent.objects.filter(object_uuid=str(item.uuid))
    assert events.count() == 3
    dumped = json.dumps([[e.object_repr, e.changes] for e in events])
    assert "Secret" not in dumped


def test_preview_warns_that_red_ignores_organisations(world, client):
    draft = services.draft_save(
        actor=world.local,
        jurisdiction=world.cebu_city,
        sender_organisation=world.city_hall,
        kind="alert",
        direction="lateral",
        tlp="RED",
        title="Red",
        body="Only named.",
        addressees=services.Addressees(organisations=[world.cso_org]),
    )
    client.force_login(world.local)
    response = client.get(reverse("exchange_preview", args=[draft.uuid]))
    assert [u.username for u in response.context["preview"].audience] == ["local"]
    assert 'id="red-note"' in response.content.decode()
