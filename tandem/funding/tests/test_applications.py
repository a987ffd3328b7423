"""Calls and applications: eligibility, bad input (nothing written), submit, withdraw, closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tandem.funding import access, services
from tandem.funding.models import Application, ApplicationDocument, ApplicationStatus, BudgetLine, Call

from . import factories as f


def _save(w, **overrides):
    values = {
        "actor": w.cso,
        "call": w.funding_call,
        "organisation": w.cso_org,
        "title": "Dialogues",
        "summary": "Monthly dialogues.",
        "jurisdiction": w.cebu_city,
        "amount_requested": "50000",
        "budget_lines": f.LINES,
    }
    values.update(overrides)
    return services.application_save(**values)


def _rows():
    return (Application.objects.count(), BudgetLine.objects.count())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_requested": "-50000"}, "amount_requested"),
        ({"amount_requested": "50000.001"}, "amount_requested"),
        ({"amount_requested": 50000.0}, "amount_requested"),
        ({"amount_requested": "abc"}, "amount_requested"),
        ({"amount_requested": "5000", "budget_lines": [("Venue", "5000")]}, "amount_requested"),
        ({"amount_requested": "150000", "budget_lines": [("Venue", "150000")]}, "amount_requested"),
        ({"budget_lines": [("Venue", "10")]}, "budget_lines"),
        ({"budget_lines": [("Venue", "-20000"), ("Other", "70000")]}, "budget_lines"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_error_and_nothing_written(fw, overrides, field):
    before = _rows()
    with pytest.raises(ValidationError) as exc:
        _save(fw, **overrides)
    assert field in exc.value.message_dict
    assert _rows() == before


def test_an_organisation_the_user_does_not_act_for_is_refused(fw):
    with pytest.raises(PermissionDenied):
        _save(fw, organisation=fw.company_org)


def test_an_organisation_outside_the_call_is_not_eligible(fw):
    from tandem.core import services as core_services
    from tandem.core.models import Role

    core_services.role_grant(
        actor=None, user=fw.cso, role=Role.PARTNER, jurisdiction=fw.manila, organisation=fw.manila_org
    )
    with pytest.raises(ValidationError) as exc:
        _save(fw, organisation=fw.manila_org)
    assert "organisation" in exc.value.message_dict


def test_the_project_must_be_inside_the_call_subtree(fw):
    with pytest.raises(ValidationError) as exc:
        _save(fw, jurisdiction=fw.manila)
    assert "jurisdiction" in exc.value.message_dict


def test_call_creation_checks_money_dates_and_currency(fw):
    now = timezone.now()
    base = {
        "actor": fw.local,
        "jurisdiction": fw.cebu_city,
        "title": "T",
        "purpose": "P",
        "sources": [fw.fund],
        "budget": "1000",
        "min_grant": "10",
        "max_grant": "100",
        "currency_code": "PHP",
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=3),
        "criteria": [("Relevance", "1", 5)],
    }
    before = Call.objects.count()
    for bad, field in (
        ({"max_grant": "5"}, "max_grant"),
        ({"budget": "50"}, "budget"),
        ({"currency_code": "XYZ"}, "currency"),
        ({"currency_code": "KES"}, "sources"),
        ({"closes_at": now - dt.timedelta(days=1)}, "closes_at"),
        ({"opens_at": dt.datetime(2026, 1, 1), "closes_at": dt.datetime(2026, 2, 1)}, "opens_at"),
        ({"criteria": []}, "criteria"),
        ({"min_grant": "1.005"}, "min_grant"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.call_create(**{**base, **bad})
        assert field in exc.value.message_dict, (bad, exc.value.message_dict)
    assert Call.objects.count() == before
    with pytest.raises(PermissionDenied):
        services.call_create(**{**base, "actor": fw.cso})
    with pytest.raises(PermissionDenied):  # Manila's coordinator does not cover Cebu City
        services.call_create(**{**base, "actor": fw.outsider})


def test_submit_then_withdraw(fw):
    draft = f.draft(fw)
    assert draft.status == ApplicationStatus.DRAFT
    submitted = services.application_submit(actor=fw.cso, application=draft, expected_version=draft.version)
    assert submitted.status == ApplicationStatus.SUBMITTED and submitted.submitted_at
    withdrawn = services.application_withdraw(
        actor=fw.member, application=submitted, expected_version=submitted.version
    )
    assert withdrawn.status == ApplicationStatus.WITHDRAWN


def test_a_submitted_application_cannot_be_edited(fw):
    app = f.submitted(fw)
    with pytest.raises(ValidationError):
        _save(fw, application=app, expected_version=app.version, title="Changed")


def test_after_the_closing_time_nothing_can_be_drafted_edited_or_submitted(fw):
    draft = f.draft(fw)
    with freeze_time(fw.funding_call.closes_at + dt.timedelta(minutes=1)):
        before = _rows()
        with pytest.raises(ValidationError, match="not open"):
            _save(fw)
        with pytest.raises(ValidationError, match="not open"):
            _save(fw, application=draft, expected_version=draft.version, title="Late edit")
        with pytest.raises(ValidationError, match="not open"):
            services.application_submit(actor=fw.cso, application=draft, expected_version=draft.version)
        assert _rows() == before
        # Withdrawing stays possible.
        services.application_withdraw(actor=fw.cso, application=draft, expected_version=draft.version)


def test_a_file_that_fails_the_upload_checker_is_refused_and_nothing_written(fw):
    draft = f.draft(fw)
    with pytest.raises(ValidationError):
        services.document_add(actor=fw.cso, application=draft, file=SimpleUploadedFile("run.pdf", b"MZ\x90\x00rest"))
    assert ApplicationDocument.objects.count() == 0


def test_drafts_are_visible_to_the_applicant_only(fw):
    draft = f.draft(fw)
    assert access.visible_applications(fw.cso).filter(pk=draft.pk).exists()
    assert access.visible_applications(fw.member).filter(pk=draft.pk).exists()  # acts for the forum
    for other in (fw.local, fw.national, fw.company, fw.viewer, fw.outsider):
        assert not access.visible_applications(other).filter(pk=draft.pk).exists(), other


def test_the_page_flow_apply_autosave_submit(fw, as_user):
    client = as_user(fw.cso)
    url = reverse("funding_apply", args=[fw.funding_call.uuid])
    data = {
        "organisation": fw.cso_org.uuid,
        "title": "Page draft",
        "summary": "S",
        "jurisdiction": fw.cebu_city.uuid,
        "amount_requested": "30000",
        "budget_lines": "Venue; 10000\nFood; 20000",
        "co_funding": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    app = Application.objects.get(title="Page draft")
    # Autosave: an htmx post of the edit form answers a fragment with the new version.
    edit = reverse("funding_application_edit", args=[app.uuid])
    response = client.post(edit, {**data, "title": "Autosaved", "version": app.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Draft saved" in response.content
    app.refresh_from_db()
    assert app.title == "Autosaved" and app.version == 2
    response = client.post(reverse("funding_application_submit", args=[app.uuid]), {"version": app.version})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_the_page_shows_a_clear_error_for_a_bad_amount(fw, as_user):
    client = as_user(fw.cso)
    response = client.post(
        reverse("funding_apply", args=[fw.funding_call.uuid]),
        {
            "organisation": fw.cso_org.uuid,
            "title": "Bad",
            "summary": "S",
            "jurisdiction": fw.cebu_city.uuid,
            "amount_requested": "30000.123",
            "budget_lines": "Venue; 30000.123",
        },
    )
    assert response.status_code == 200
    assert "at most two decimal places" in response.content.decode()
    assert not Application.objects.filter(title="Bad").exists()


def test_a_manager_closes_the_call_early_and_then_nothing_is_submitted(fw, as_user):
    draft = f.draft(fw)
    response = as_user(fw.local).post(
        reverse("funding_call_close", args=[fw.funding_call.uuid]), {"version": fw.funding_call.version}
    )
    assert response.status_code == 302
    fw.funding_call.refresh_from_db()
    assert fw.funding_call.closes_at <= timezone.now()
    with pytest.raises(ValidationError, match="not open"):
        services.application_submit(actor=fw.cso, application=draft, expected_version=draft.version)
    # A stale second close is refused with a message, nothing written.
    response = as_user(fw.national).post(reverse("funding_call_close", args=[fw.funding_call.uuid]), {"version": 1})
    assert response.status_code == 302
    assert Call.objects.get(pk=fw.funding_call.pk).version == 2


def test_a_coordinator_records_a_source_in_kind_with_the_places_it_serves(fw, as_user):
    from tandem.funding.models import FundingSource

    response = as_user(fw.local).post(
        reverse("funding_source_create"),
        {
            "name": "Port hall",
            "kind": "company",
            "jurisdiction": fw.cebu_city.uuid,
            "amount": "120000",
            "currency_code": "php",
            "in_kind": "on",
            "in_kind_type": "facilities",
            "in_kind_description": "A hall for 60 people",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "serves": [fw.cebu_city.uuid],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = FundingSource.objects.get(name="Port hall")
    assert source.in_kind and source.currency == "PHP" and source.amount == 120000
    assert list(source.serves.all()) == [fw.cebu_city]
    response = as_user(fw.local).post(
        reverse("funding_source_create"),
        {
            "name": "Bad",
            "kind": "donor",
            "jurisdiction": fw.cebu_city.uuid,
            "amount": "-5",
            "currency_code": "PHP",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 200 and "The amount must be positive." in response.content.decode()
    assert not FundingSource.objects.filter(name="Bad").exists()
