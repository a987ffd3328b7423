"""Mapping exercises: who runs and sees them, entries inside the place, the assessments they draw on."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.assessment import access, selectors, services

from .factories import answer_all, cebu_assessment, visayas_mapping


def test_national_coordinator_and_facilitator_map_regional_coordinator_only_reads(world):
    for user in (world.national, world.facilitator):
        assert services.mapping_create(actor=user, jurisdiction=world.visayas, title="Map").lead == user
    for user in (world.regional, world.local, world.outsider):
        with pytest.raises(PermissionDenied):
            services.mapping_create(actor=user, jurisdiction=world.visayas, title="Map")
    mapping = visayas_mapping(world)
    assert access.visible_mappings(world.regional).filter(pk=mapping.pk).exists()
    assert not access.can_run_mapping(world.regional, mapping)
    assert not access.visible_mappings(world.local).exists()
    assert not access.visible_mappings(world.outsider).exists()


def test_entries_must_name_places_inside_the_mapping(world):
    mapping = visayas_mapping(world)
    comp = selectors.competencies(services.tandem_framework())[0]
    with pytest.raises(ValidationError):
        services.mapping_entry_add(
            actor=world.facilitator, exercise=mapping, kind="strength", competency=comp, text="x", places=[world.manila]
        )


def test_mapping_page_draws_on_the_assessments_of_the_places_it_covers(world, client):
    a = cebu_assessment(world)
    answer_all(world.respondent, world.member, lambda i: 3)
    mapping = visayas_mapping(world)
    client.force_login(world.national)
    page = client.get(reverse("mapping_detail", kwargs={"uuid": mapping.uuid})).content.decode()
    assert "City offices hear of national guidance late." in page
    assert reverse("assessment_detail", kwargs={"uuid": a.uuid}) in page
    client.force_login(world.local)  # a city coordinator does not see the regional mapping
    assert client.get(reverse("mapping_detail", kwargs={"uuid": mapping.uuid})).status_code == 404


def test_stale_mapping_edit_is_refused(world):
    from tandem.core.versioning import VersionConflict

    mapping = visayas_mapping(world)
    services.mapping_update(actor=world.facilitator, exercise=mapping, expected_version=1, values={"report": "Draft"})
    with pytest.raises(VersionConflict):
        services.mapping_update(actor=world.national, exercise=mapping, expected_version=1, values={"report": "Other"})


def test_mapping_report_pdf_is_marked_and_shows_the_meeting_only_to_those_who_see_it(world, client):
    import io

    from pypdf import PdfReader

    from tandem.bodies.tests.factories import cebu_body

    mapping = visayas_mapping(world)
    cebu_body(world)
    mapping = services.mapping_update(
        actor=world.national,
        exercise=mapping,
        expected_version=mapping.version,
        values={"validation_meeting": world.meeting, "desk_review": "Read the provincial plans."},
    )

    def text(user):
        client.force_login(user)
        response = client.get(reverse("mapping_pdf", kwargs={"uuid": mapping.uuid}))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)

    national = text(world.national)
    assert "TLP:AMBER" in national and "Read the provincial plans." in national
    assert "City offices hear of national guidance late." in national and "Quarterly meeting" in national
    facilitator = text(world.facilitator)  # the lead sees the exercise, not the council's meetings
    assert "City offices hear" in facilitator and "Quarterly meeting" not in facilitator
    page = client.get(reverse("mapping_detail", kwargs={"uuid": mapping.uuid})).content.decode()
    assert "Quarterly meeting" not in page and reverse("mapping_pdf", kwargs={"uuid": mapping.uuid}) in page
