"""Network membership: apply, duplicates refused, decisions with history, the public list."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.core.versioning import VersionConflict
from tandem.membership import services
from tandem.membership.models import NetworkMembership, Status, StatusChange

pytestmark = pytest.mark.django_db


def _apply(w, actor=None, **kw):
    values = {
        "jurisdiction": w.cebu_city,
        "organisation": w.city_hall,
        "focal_point": w.person_cebu,
        "commitments": "Hold a quarterly coordination meeting.",
    }
    values.update(kw)
    return services.membership_apply(actor=actor or w.local, **values)


def test_apply_accept_and_history(world):
    m = _apply(world)
    assert m.status == Status.APPLIED and m.joined_on is None
    with pytest.raises(PermissionDenied):
        services.membership_decide(actor=world.national, membership=m, decision="accept", expected_version=m.version)
    m = services.membership_decide(
        actor=world.facilitator,
        membership=m,
        decision="request_info",
        reason="Who is the focal point's deputy?",
        expected_version=m.version,
    )
    assert m.status == Status.INFO_REQUESTED
    with pytest.raises(VersionConflict):
        services.membership_decide(actor=world.facilitator, membership=m, decision="accept", expected_version=1)
    m = services.membership_decide(actor=world.facilitator, membership=m, decision="accept", expected_version=m.version)
    assert m.status == Status.MEMBER and m.joined_on is not None
    m = services.membership_decide(actor=world.admin, membership=m, decision="lapse", expected_version=m.version)
    history = list(StatusChange.objects.filter(membership=m).values_list("status", flat=True))
    assert history == ["applied", "info_requested", "member", "lapsed"]


def test_decline_and_request_info_need_a_reason(world):
    m = _apply(world)
    for decision in ("decline", "request_info"):
        with pytest.raises(ValidationError):
            services.membership_decide(actor=world.facilitator, membership=m, decision=decision, expected_version=1)
    m.refresh_from_db()
    assert m.status == Status.APPLIED and m.version == 1


def test_a_second_application_for_the_same_jurisdiction_is_refused(world):
    m = _apply(world)
    with pytest.raises(ValidationError, match="already applied"):
        _apply(world)
    services.membership_decide(actor=world.facilitator, membership=m, decision="accept", expected_version=m.version)
    with pytest.raises(ValidationError, match="already a member"):
        _apply(world)
    assert NetworkMembership.objects.count() == 1


def test_only_coordinators_of_the_jurisdiction_apply_and_inputs_are_checked(world):
    with pytest.raises(PermissionDenied):
        _apply(world, actor=world.member)
    with pytest.raises(PermissionDenied):
        _apply(world, actor=world.outsider)
    with pytest.raises(ValidationError):
        _apply(world, organisation=world.manila_org)  # not of Cebu City
    with pytest.raises(ValidationError):
        _apply(world, commitments="   ")
    with pytest.raises(ValidationError):
        _apply(world, actor=world.national, jurisdiction=world.ph)  # a country is not a local authority
    assert not NetworkMembership.objects.exists()


def test_public_page_lists_members_by_country_with_year_only(world, client):
    m = _apply(world)
    _apply(
        world,
        actor=world.admin,
        jurisdiction=world.manila,
        organisation=world.manila_org,
        focal_point=world.person_manila,
    )
    services.membership_decide(actor=world.facilitator, membership=m, decision="accept", expected_version=m.version)
    response = client.get(reverse("membership_public"))  # no sign-in
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cebu City Hall" in html and "Philippines" in html and str(m.joined_on.year if m.joined_on else "") in html
    assert "Manila Interfaith Council" not in html  # applied, not a member
    assert "Maria Santos" not in html and "quarterly" not in html  # no focal point, no commitments


def test_pages_apply_and_decide(world, client):
    client.force_login(world.local)
    response = client.post(
        reverse("membership_apply"),
        {
            "jurisdiction": world.cebu_city.uuid,
            "organisation": world.city_hall.uuid,
            "focal_point": world.person_cebu.uuid,
            "commitments": "Share lessons.",
        },
    )
    assert response.status_code == 302
    m = NetworkMembership.objects.get()
    again = client.post(
        reverse("membership_apply"),
        {
            "jurisdiction": world.cebu_city.uuid,
            "organisation": world.city_hall.uuid,
            "focal_point": world.person_cebu.uuid,
            "commitments": "Share lessons.",
        },
    )
    assert again.status_code == 200 and "already applied" in again.content.decode()
    client.force_login(world.facilitator)
    response = client.post(
        reverse("membership_decide", args=[m.uuid]), {"decision": "decline", "reason": "", "version": m.version}
    )
    assert response.status_code == 200 and "Give a reason" in response.content.decode()
    response = client.post(
        reverse("membership_decide", args=[m.uuid]), {"decision": "accept", "reason": "", "version": m.version}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == Status.MEMBER


def test_member_page_lists_the_library_items_it_contributed(world, client):
    from tandem.library.tests.factories import make_item

    item = make_item(world, title="Our listening sessions")
    item.author_organisation = world.city_hall
    item.save(update_fields=["author_organisation"])
    hidden = make_item(world, title="Draft by the city", publish=False)
    hidden.author_organisation = world.city_hall
    hidden.save(update_fields=["author_organisation"])
    m = _apply(world)
    client.force_login(world.viewer)
    html = client.get(reverse("membership_detail", args=[m.uuid])).content.decode()
    assert "Our listening sessions" in html and "Draft by the city" not in html


def test_the_applicant_answers_a_request_for_information(world):
    m = _apply(world)
    with pytest.raises(ValidationError):
        services.membership_respond(actor=world.local, membership=m, commitments="More.", expected_version=m.version)
    m = services.membership_decide(
        actor=world.facilitator, membership=m, decision="request_info", reason="Name a deputy.", expected_version=1
    )
    with pytest.raises(PermissionDenied):
        services.membership_respond(actor=world.member, membership=m, commitments="x", expected_version=m.version)
    m = services.membership_respond(
        actor=world.local, membership=m, commitments="Deputy: the city administrator.", expected_version=m.version
    )
    assert m.status == Status.APPLIED and m.commitments == "Deputy: the city administrator."
    assert list(StatusChange.objects.filter(membership=m).values_list("status", flat=True)) == [
        "applied",
        "info_requested",
        "applied",
    ]


def test_membership_list_query_count_is_constant(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.core import services as core_services

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("membership_list")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(world.national)
    _apply(world)
    few = count()
    for n in range(4):
        unit = core_services.jurisdiction_create(
            actor=None, name=f"Town {n}", kind="city", parent=world.cebu, audit=False
        )
        org = core_services.organisation_create(
            actor=world.admin, jurisdiction=unit, name=f"Town hall {n}", sector="local_government"
        )
        person = core_services.person_create(actor=world.admin, jurisdiction=unit, full_name=f"Focal {n}")
        _apply(world, actor=world.national, jurisdiction=unit, organisation=org, focal_point=person)
    assert count() == few == 5  # session, user, grants, applicable units, the list (one query)


def test_a_regional_coordinator_applies_for_their_region_and_below_never_the_country(world):
    from tandem.membership import access

    assert set(access.applicable_jurisdictions(world.regional)) == {world.visayas, world.cebu, world.cebu_city}
    national = set(access.applicable_jurisdictions(world.national))
    assert world.ph not in national and {world.visayas, world.ncr, world.manila} <= national
    assert not access.applicable_jurisdictions(world.viewer).exists()
