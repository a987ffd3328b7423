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
