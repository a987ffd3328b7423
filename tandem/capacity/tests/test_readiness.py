"""Ready to share: a country's required course gates sending at AMBER and above in the exchange."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.capacity import readiness, services

from .factories import cebu_training


def _require(w, days=365):
    return readiness.requirement_set(actor=w.national, country=w.ph, course=w.course, valid_days=days)


def test_amber_needs_the_course_or_an_exemption_green_does_not(world):
    from tandem.exchange.tests.conftest import send_item

    w = cebu_training(world)
    requirement = _require(w)
    with pytest.raises(ValidationError, match="complete the course"):
        send_item(w, sender=w.national, tlp="AMBER", organisations=[w.city_hall])
    send_item(w, sender=w.national, tlp="GREEN", organisations=[w.city_hall], title="Green goes")
    readiness.exemption_grant(actor=w.national, requirement=requirement, user=w.national, reason="Course author")
    item = send_item(w, sender=w.national, tlp="AMBER", organisations=[w.city_hall], title="Now allowed")
    assert item.sent_at is not None


def test_a_valid_completion_makes_one_ready_and_it_expires(world):
    w = cebu_training(world)
    requirement = _require(w)
    assert readiness.send_gate(w.member, w.cebu_city, "AMBER") is not None
    for day in services.session_days(w.session):
        services.attendance_record(actor=w.local, session=w.session, day=day, present=[w.maria, w.ana])
    services.certificates_issue(actor=w.local, session=w.session)
    assert readiness.send_gate(w.member, w.cebu_city, "AMBER_STRICT") is None
    assert readiness.send_gate(w.member, w.nairobi, "RED") is None  # Kenya requires nothing
    requirement.valid_days = 1
    requirement.save()
    w.ana.certificate.completed_on = w.ana.certificate.completed_on.replace(year=2020)
    w.ana.certificate.save()
    assert readiness.send_gate(w.member, w.cebu_city, "AMBER") is not None


def test_only_the_national_coordinator_sets_the_requirement(world, as_user):
    w = cebu_training(world)
    with pytest.raises(PermissionDenied):
        readiness.requirement_set(actor=w.regional, country=w.ph, course=w.course, valid_days=30)
    client = as_user(w.national)
    response = client.post(
        reverse("sharing_readiness"),
        {"action": "require", "country": str(w.ph.uuid), "course": str(w.course.uuid), "valid_days": "180"},
    )
    assert response.status_code == 302
    page = as_user(w.viewer).get(reverse("sharing_readiness")).content.decode()
    assert w.course.title in page and "Not yet" in page
    assert w.course.title not in as_user(w.outsider).get(reverse("sharing_readiness")).content.decode()


def test_the_exchange_preview_says_what_is_missing(world, as_user):
    from tandem.exchange import services as exchange

    w = cebu_training(world)
    _require(w)
    draft = exchange.draft_save(
        actor=w.national,
        jurisdiction=w.ph,
        sender_organisation=w.national_org,
        kind="report",
        subkind="situation",
        direction="down",
        tlp="AMBER",
        title="Situation",
        body="Text",
        due_date=None,
        addressees=exchange.Addressees(organisations=[w.city_hall], people=[], jurisdictions=[], bodies=[]),
        uploads=[],
    )
    page = as_user(w.national).get(reverse("exchange_preview", kwargs={"uuid": draft.uuid})).content.decode()
    assert "send-refusals" in page and w.course.title in page
