"""Who sees a quarterly report, rule by rule (``tandem.dashboards.access``): the cases the mutation run of
defect 7 found untested. A report is its requester's alone, only while they hold exactly the roles they
asked with, and only while the place it is narrowed to is still theirs."""

from __future__ import annotations

import pytest

from tandem.core import access as core_access
from tandem.core import services as core_services
from tandem.core.models import Role, User
from tandem.dashboards import access
from tandem.dashboards.models import QuarterlyReport

pytestmark = pytest.mark.django_db


def _report(user, *, grants: str, within=None) -> QuarterlyReport:
    return QuarterlyReport.objects.create(requester=user, within=within, period="2026-Q1", grants=grants)


def _second_role(world):
    """The local coordinator of Cebu City also becomes a viewer of Manila (two roles)."""
    core_services.role_grant(actor=None, user=world.local, role=Role.VIEWER, jurisdiction=world.manila)
    core_access.forget_grants(world.local)


def test_the_roles_are_stored_one_per_line_sorted(world):
    _second_role(world)
    assert access.grants_text(world.local) == (
        f"{Role.LOCAL_COORDINATOR.value}@{world.cebu_city.path}\n{Role.VIEWER.value}@{world.manila.path}"
    )
    assert access.grants_text(None) == ""


def test_a_report_of_the_whole_scope_and_one_of_a_place_in_it_are_seen(world):
    _second_role(world)
    grants = access.grants_text(world.local)
    whole = _report(world.local, grants=grants)
    city = _report(world.local, grants=grants, within=world.cebu_city)
    manila = _report(world.local, grants=grants, within=world.manila)
    assert set(access.visible_reports(world.local)) == {whole, city, manila}


def test_a_report_narrowed_to_a_place_no_longer_in_scope_is_not_seen(world):
    grants = access.grants_text(world.local)
    elsewhere = _report(world.local, grants=grants, within=world.nairobi)
    above = _report(world.local, grants=grants, within=world.cebu)
    mine = _report(world.local, grants=grants, within=world.cebu_city)
    assert list(access.visible_reports(world.local)) == [mine]
    assert elsewhere.pk and above.pk


def test_another_user_with_the_same_roles_does_not_see_it(world):
    twin = User.objects.create_user(username="twin", password="correct-horse-battery-staple")
    core_services.role_grant(actor=None, user=twin, role=Role.LOCAL_COORDINATOR, jurisdiction=world.cebu_city)
    assert access.grants_text(twin) == access.grants_text(world.local)
    _report(world.local, grants=access.grants_text(world.local))
    assert not access.visible_reports(twin).exists()


def test_a_report_asked_with_other_roles_is_not_seen(world):
    asked_with = access.grants_text(world.local)
    _second_role(world)  # the roles changed since: the figures were counted with other access
    _report(world.local, grants=asked_with)
    assert not access.visible_reports(world.local).exists()


def test_a_deactivated_or_anonymous_requester_sees_none(world):
    """A user without a role asked one (their grants were empty), then their account was deactivated."""
    roleless = User.objects.create_user(username="roleless", password="correct-horse-battery-staple")
    report = _report(roleless, grants="")
    assert list(access.visible_reports(roleless)) == [report]
    roleless.is_active = False
    roleless.save()
    assert not access.visible_reports(roleless).exists()
    assert not access.visible_reports(None).exists()


def test_the_administrator_sees_their_reports_of_any_place(world):
    grants = access.grants_text(world.admin)
    whole = _report(world.admin, grants=grants)
    kenya = _report(world.admin, grants=grants, within=world.nairobi)
    assert set(access.visible_reports(world.admin)) == {whole, kenya}
