"""Participants hear of a cancelled session; organisers record attendance through the API; courses name
the framework items they address (and assessments suggest them); a training need is raised as an
exchange request."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.capacity import raising, services
from tandem.capacity.models import AttendanceDay, PlaceStatus, TrainingNeed
from tandem.core import services as core_services
from tandem.notifications.models import Notification

from .factories import cebu_course, cebu_need, cebu_session, cebu_training, member_person

pytestmark = pytest.mark.django_db


# --- Cancelled sessions -----------------------------------------------------------------------


def test_cancelling_tells_the_registered_and_wait_listed_once_in_their_language(
    world, django_capture_on_commit_callbacks
):
    from tandem.notifications.emails import notification_email

    w = world
    member_person(w)
    w.member.language = "fr"
    w.member.save(update_fields=["language"])
    session = cebu_session(w, cebu_course(w), places=1, start=timezone.now() + dt.timedelta(days=10))
    services.participation_add(actor=w.local, session=session, person=w.person_cebu)
    ana = services.participation_request(actor=w.member, session=session)
    services.participation_decide(actor=w.local, participation=ana, status=PlaceStatus.WAITLISTED)
    # A person record tied to the Kenyan outsider, who cannot see the session: never told.
    stranger = core_services.person_create(actor=w.admin, jurisdiction=w.cebu_city, full_name="Odhiambo Otieno")
    stranger.user = w.outsider
    stranger.save(update_fields=["user"])
    services.participation_nominate(actor=w.local, session=session, person=stranger)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.session_cancel(actor=w.local, session=session, expected_version=session.version, reason="Flood")
    assert callbacks  # created on commit
    cancelled = Notification.objects.filter(kind="capacity.session_cancelled")
    assert list(cancelled.values_list("recipient__username", flat=True)) == [w.member.username]
    note = cancelled.get()
    assert note.url == reverse("session_detail", args=[session.uuid])
    assert "annulée" in notification_email(note).subject  # the member reads French
    # Cancelling again is refused; nobody hears twice.
    from django.core.exceptions import ValidationError

    session.refresh_from_db()
    with pytest.raises(ValidationError, match="cancelled"):
        services.session_cancel(actor=w.local, session=session, expected_version=session.version, reason="Again")
    assert cancelled.count() == 1


# --- Recording attendance through the API ------------------------------------------------------


def _api(client, user):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {core_services.api_token_create(actor=user, name='t').secret}"}

    def post(path, body):
        return client.post(path, data=json.dumps(body), content_type="application/json", **headers)

    return post


def test_the_organiser_records_a_day_through_the_api_with_the_pages_rules(world, client):
    w = cebu_training(world)
    post = _api(client, w.local)
    url = f"/api/v1/capacity/sessions/{w.session.uuid}/attendance"
    day = services.session_days(w.session)[1]
    response = post(url, {"day": day.isoformat(), "present": [str(w.ana.uuid)]})
    assert response.status_code == 200, response.content
    rows = {r["person"]: r["days_present"] for r in response.json()["participants"]}
    assert day.isoformat() in rows["Ana Cruz"] and day.isoformat() not in rows["Maria Santos"]
    before = list(AttendanceDay.objects.order_by("id").values_list("participation_id", "day", "present"))
    outside = w.session.ends_at.date() + dt.timedelta(days=3)
    refused = post(url, {"day": outside.isoformat(), "present": [str(w.ana.uuid)]})
    assert refused.status_code == 422 and "not a day of this session" in refused.content.decode()
    services.participation_decide(actor=w.local, participation=w.ana, status=PlaceStatus.DECLINED)
    not_accepted = post(url, {"day": day.isoformat(), "present": [str(w.ana.uuid), str(w.maria.uuid)]})
    assert not_accepted.status_code == 422 and "Only accepted participants" in not_accepted.content.decode()
    assert list(AttendanceDay.objects.order_by("id").values_list("participation_id", "day", "present")) == before
    assert _api(client, w.viewer)(url, {"day": day.isoformat(), "present": []}).status_code == 403


# --- Framework items ---------------------------------------------------------------------------


def _items(*codes):
    from tandem.assessment.models import Item

    return list(Item.objects.filter(competency__framework__slug="tandem-nlc", code__in=codes).order_by("code"))


def test_a_course_names_framework_items_on_its_page_and_in_the_api(world, as_user, client):
    w = cebu_training(world)
    m1, t2 = _items("M1", "T2")
    edit = as_user(w.local)
    form = edit.get(reverse("course_edit", args=[w.course.uuid])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        objectives="\n".join(data["objectives"].splitlines()),
        competencies=data["competencies"],
        sectors=data["sectors"],
        framework_items=[str(t2.pk), str(m1.pk)],
    )
    assert edit.post(reverse("course_edit", args=[w.course.uuid]), data).status_code == 302
    page = as_user(w.viewer).get(reverse("course_detail", args=[w.course.uuid])).content.decode()
    assert "M1 —" in page and "T2 —" in page
    api = client.get(
        f"/api/v1/capacity/courses/{w.course.uuid}",
        HTTP_AUTHORIZATION=f"Bearer {core_services.api_token_create(actor=w.viewer, name='t').secret}",
    ).json()
    assert sorted(i["code"] for i in api["framework_items"]) == ["M1", "T2"]


def test_the_api_refuses_an_unknown_framework_item_and_writes_nothing(world, client):
    from tandem.capacity.models import Course

    w = cebu_training(world)
    framework = _items("T2")[0].competency.framework
    before = Course.objects.count()

    def create(code):
        body = {
            "title": "Sharing with care",
            "jurisdiction": str(w.cebu_city.uuid),
            "level": "local",
            "delivery": "online",
            "visibility": "subtree",
            "framework_items": [{"framework": str(framework.uuid), "code": code}],
        }
        return _api(client, w.local)("/api/v1/capacity/courses", body)

    response = create("Z9")
    assert response.status_code == 422 and "Z9" in response.content.decode()
    assert Course.objects.count() == before
    good = create("T2")
    assert good.status_code == 201 and [i["code"] for i in good.json()["framework_items"]] == ["T2"]


def test_a_weak_item_suggests_the_courses_that_address_it(world):
    from tandem.assessment import support

    w = cebu_training(world)
    (t2,) = _items("T2")
    services.course_update(actor=w.local, course=w.course, expected_version=w.course.version, framework_items=[t2])
    assert support.courses_for_items(w.viewer, [t2]) == {t2.pk: [{"uuid": w.course.uuid, "title": w.course.title}]}
    assert support.courses_for_items(w.outsider, [t2]) == {}  # a course the reader does not see is not named


# --- A need raised as an exchange request ------------------------------------------------------


def test_a_need_is_raised_as_an_exchange_request_to_the_level_above(world, as_user):
    from tandem.exchange.models import ExchangeItem

    w = world
    need = cebu_need(w)
    client = as_user(w.local)
    detail = client.get(reverse("need_detail", args=[need.uuid])).content.decode()
    assert reverse("need_exchange", args=[need.uuid]) in detail
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = client.post(reverse("need_exchange", args=[need.uuid]), {"version": need.version, "due_date": due})
    need = TrainingNeed.objects.get(pk=need.pk)
    draft = ExchangeItem.objects.get(pk=need.exchange_item_id)
    assert response.status_code == 302 and response["Location"] == reverse("exchange_preview", args=[draft.uuid])
    assert (draft.kind, draft.direction, draft.sent_at, draft.jurisdiction_id) == (
        "request",
        "up",
        None,
        w.cebu_city.pk,
    )
    assert "Youth workers ask for trust-building" in draft.body
    # Raised once: the page now links to the draft, and a second raise is refused.
    detail = client.get(reverse("need_detail", args=[need.uuid])).content.decode()
    assert reverse("exchange_preview", args=[draft.uuid]) in detail
    assert client.get(reverse("need_exchange", args=[need.uuid])).status_code == 403
    assert not raising.can_raise(w.local, need)


def test_a_need_is_not_raised_with_a_past_due_date_nor_by_the_level_above(world, as_user):
    w = world
    need = cebu_need(w)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = as_user(w.local).post(
        reverse("need_exchange", args=[need.uuid]), {"version": need.version, "due_date": past}
    )
    assert response.status_code == 200 and "cannot be in the past" in response.content.decode()
    assert TrainingNeed.objects.get(pk=need.pk).exchange_item_id is None
    assert not raising.can_raise(w.regional, need)  # the level above answers; it does not raise
