"""Notifications as a user meets them: the centre, the header count, e-mails, settings, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from tandem.core import events
from tandem.notifications.models import Notification

from .conftest import amber_request

pytestmark = pytest.mark.django_db


def _send(world, capture, **kwargs):
    with capture(execute=True):
        return amber_request(world, **kwargs)


def test_amber_request_reaches_the_national_coordinator_without_its_text(
    cast, client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    item = _send(cast, django_capture_on_commit_callbacks)
    client.force_login(cast.national)
    page = client.get(reverse("notification_list"))
    assert "1 unread notification" in page.content.decode()
    assert "Flood shelter needs" in page.content.decode()  # in the app, to someone who may read it
    [message] = [m for m in mail.outbox if m.to == ["national@example.org"]]
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "Flood shelter needs" not in text and "Secret shelter" not in text
    assert "You have a new TLP:AMBER item: open Tandem to read it." in message.body
    assert f"https://tandem.test/exchange/{item.uuid}/" in message.body or str(item.uuid) in message.body
    # The sender is never notified of their own item; outside the audience nobody hears of it.
    assert not Notification.objects.filter(recipient=cast.local).exists()
    assert not Notification.objects.filter(recipient__in=[cast.outsider, cast.company, cast.viewer]).exists()


def test_opening_a_notification_marks_it_read_and_leads_to_the_record(cast, client, django_capture_on_commit_callbacks):
    item = _send(cast, django_capture_on_commit_callbacks)
    note = Notification.objects.get(recipient=cast.national)
    client.force_login(cast.national)
    answer = client.get(reverse("notification_open", args=[note.uuid]))
    assert answer.status_code == 302 and str(item.uuid) in answer["Location"]
    assert "0 unread notifications" in client.get(reverse("notification_list")).content.decode()
    # Another user cannot open it: the same 404 as a missing one.
    client.force_login(cast.regional)
    assert client.get(reverse("notification_open", args=[note.uuid])).status_code == 404


def test_never_twice_for_the_same_event(cast, django_capture_on_commit_callbacks):
    item = _send(cast, django_capture_on_commit_callbacks)
    event = events.Event(
        kind="exchange.item_received",
        object_type="exchangeitem",
        object_uuid=str(item.uuid),
        recipient_ids=(cast.national.pk,),
        key=str(item.uuid),
        title=item.title,
    )
    events.dispatch(event)
    events.dispatch(event)
    assert Notification.objects.filter(recipient=cast.national).count() == 1


def test_a_recipient_who_cannot_see_the_record_gets_nothing(cast, django_capture_on_commit_callbacks):
    item = _send(cast, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("exchange.item_received", item, recipient_ids=[cast.company.pk, cast.outsider.pk], title=item.title)
    assert not Notification.objects.filter(recipient__in=[cast.company, cast.outsider]).exists()
    assert mail.outbox == []


def test_a_notification_disappears_when_its_record_is_no_longer_visible(
    cast, client, django_capture_on_commit_callbacks
):
    from tandem.core import services as core_services
    from tandem.core.models import RoleAssignment

    _send(cast, django_capture_on_commit_callbacks)
    client.force_login(cast.national)
    assert "1 unread notification" in client.get(reverse("notification_list")).content.decode()
    for grant in RoleAssignment.objects.filter(user=cast.national):
        core_services.role_revoke(actor=cast.admin, assignment=grant)
    page = client.get(reverse("notification_list")).content.decode()
    assert "0 unread notifications" in page and "Flood shelter needs" not in page


def test_email_in_the_recipients_language(cast, django_capture_on_commit_callbacks):
    cast.national.language = "fr"
    cast.national.save(update_fields=["language"])
    mail.outbox.clear()
    _send(cast, django_capture_on_commit_callbacks)
    [message] = [m for m in mail.outbox if m.to == ["national@example.org"]]
    assert "Vous avez" in message.body


def test_daily_digest_and_never(cast, client, django_capture_on_commit_callbacks):
    from tandem.notifications import tasks

    client.force_login(cast.national)
    client.post(
        reverse("notification_preferences"),
        {"exchange.item_received:in_app": "immediately", "exchange.item_received:email": "daily"},
    )
    client.force_login(cast.cso)
    client.post(
        reverse("notification_preferences"),
        {"exchange.item_received:in_app": "never", "exchange.item_received:email": "never"},
    )
    mail.outbox.clear()
    _send(cast, django_capture_on_commit_callbacks, title="First")
    _send(cast, django_capture_on_commit_callbacks, title="Second")
    assert not [m for m in mail.outbox if m.to == ["national@example.org"]]
    assert Notification.objects.filter(recipient=cast.national).count() == 2
    mail.outbox.clear()
    assert tasks.send_daily_digests.enqueue().return_value == 1
    [digest] = [m for m in mail.outbox if m.to == ["national@example.org"]]
    assert "2 notifications since your last digest" in digest.body
    assert "First" not in digest.body and "Second" not in digest.body  # AMBER titles stay in Tandem
    mail.outbox.clear()
    assert tasks.send_daily_digests.enqueue().return_value == 0  # sent once only


def test_deadline_scan_announces_due_soon_then_overdue_to_both(cast, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with freeze_time("2026-03-02 08:00"):
        item = _send(cast, django_capture_on_commit_callbacks, due_date=dt.date(2026, 3, 5))
    with freeze_time("2026-03-02 09:00"), django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled")
    assert set(Notification.objects.filter(kind="exchange.request_due_soon").values_list("recipient", flat=True)) == {
        cast.national.pk
    }
    mail.outbox.clear()
    for _ in range(2):  # the scheduled job runs every hour: still one notification each
        with freeze_time("2026-03-06 09:00"), django_capture_on_commit_callbacks(execute=True):
            call_command("run_scheduled")
    overdue = Notification.objects.filter(kind="exchange.request_overdue", object_uuid=item.uuid)
    assert set(overdue.values_list("recipient", flat=True)) == {cast.national.pk, cast.local.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["local@example.org", "national@example.org"]


def test_answered_request_tells_the_sender(cast, django_capture_on_commit_callbacks):
    from tandem.exchange import services

    item = _send(cast, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(actor=cast.national, item=item, body="Here is what we can do")
    assert Notification.objects.filter(recipient=cast.local, kind="exchange.request_answered").count() == 1


def test_a_failing_email_is_retried_then_shown_as_failed(cast, client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tandem.notifications.tests.broken_mail.EmailBackend"
    settings.TANDEM_TASK_MAX_ATTEMPTS = 3
    _send(cast, django_capture_on_commit_callbacks)
    note = Notification.objects.get(recipient=cast.national)
    assert note.email_status == "failed" and note.email_attempts == 3
    assert "SMTP is down" in note.email_error
    client.force_login(cast.national)
    assert "The e-mail about this could not be sent." in client.get(reverse("notification_list")).content.decode()


def test_filter_by_kind_and_mark_all_read(cast, client, django_capture_on_commit_callbacks):
    from tandem.exchange import services

    item = _send(cast, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(actor=cast.national, item=item, body="Answer")
    client.force_login(cast.local)
    page = client.get(reverse("notification_list"), {"kind": "exchange.request_answered"}).content.decode()
    assert "1 notification" in page
    assert (
        "0 notifications"
        in client.get(reverse("notification_list"), {"kind": "exchange.item_received"}).content.decode()
    )
    client.post(reverse("notification_read_all"))
    assert "0 unread notifications" in client.get(reverse("notification_list")).content.decode()


def test_email_only_notifications_stay_out_of_the_centre(cast, client, django_capture_on_commit_callbacks):
    """Someone who chose "by e-mail only" gets the e-mail and nothing in the centre or the header count."""
    client.force_login(cast.national)
    client.post(
        reverse("notification_preferences"),
        {"exchange.item_received:in_app": "never", "exchange.item_received:email": "immediately"},
    )
    mail.outbox.clear()
    _send(cast, django_capture_on_commit_callbacks)
    assert [m for m in mail.outbox if m.to == ["national@example.org"]]
    page = client.get(reverse("notification_list")).content.decode()
    assert "0 unread notifications" in page and "Flood shelter needs" not in page


def test_anonymous_has_no_notifications_nor_preferences(cast, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import AnonymousUser

    from tandem.notifications import access

    _send(cast, django_capture_on_commit_callbacks)
    assert not access.visible_notifications(AnonymousUser()).exists()
    assert not access.visible_preferences(AnonymousUser()).exists()


def test_a_notification_is_opened_by_its_own_records_rule(cast, client, django_capture_on_commit_callbacks):
    """A notification about a meeting is shown only if that meeting is visible, not because an
    exchange item the recipient may read happens to carry the same identifier."""
    item = _send(cast, django_capture_on_commit_callbacks)
    note = Notification.objects.get(recipient=cast.national)
    Notification.objects.filter(pk=note.pk).update(object_type="meeting")  # no such meeting exists
    client.force_login(cast.national)
    page = client.get(reverse("notification_list")).content.decode()
    assert "0 unread notifications" in page and str(item.uuid) not in page
