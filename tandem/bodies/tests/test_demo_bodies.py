"""The bodies demo: what the demo personas will find."""

from __future__ import annotations

from django.utils import timezone

from tandem.bodies import access, selectors
from tandem.bodies.models import ActionStatus, Body, SeatKind
from tandem.core.models import Jurisdiction, User


def test_demo_bodies_give_every_persona_something_to_see(demo_world):
    for code in ("KE", "PH", "ID", "MK"):
        country = Jurisdiction.objects.get(iso_code=code)
        assert Body.objects.filter(jurisdiction__path__startswith=country.path).count() >= 2, code

    forum = Body.objects.get(name="Mombasa County Engagement Forum")
    seats = {s.title: s for s in selectors.body_seats(forum)}
    assert {s.kind for s in seats.values()} == {SeatKind.CO_CHAIR, SeatKind.SECRETARIAT}
    assert seats["Co-chair (county commissioner)"].current.organisation.name == "Mombasa County Commissioner's Office"

    member = User.objects.get(username="member.mombasa")
    mine = access.my_action_items(member)
    overdue = mine.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], due_date__lt=timezone.localdate())
    assert overdue.exists() and access.can_see_internals(member, forum)
    local = User.objects.get(username="local.mombasa")
    assert access.visible_action_items(local).filter(body=forum).count() > 10

    health = selectors.body_health(forum)
    assert health.held_365 >= 8 and health.overdue >= 1
    national = User.objects.get(username="national.ke")
    overview = selectors.inclusivity_overview(national, None, "youth")
    assert overview.body_count >= 2
    assert any(b.jurisdiction.path.startswith(Jurisdiction.objects.get(iso_code="KE").path) for b in Body.objects.all())
    overall = selectors.inclusivity_overview(User.objects.get(username="admin"), None, "women")
    assert overall.bodies_missing, "some demo bodies deliberately lack women's groups"


def test_the_demo_secretariat_keeps_the_mombasa_forum_action_log(demo_world):
    """Pwani Community Dialogue Trust holds the forum's Secretariat seat: its director (partner.cso)
    adds action items to the forum and runs nothing else; the co-chairs' member persona keeps no log."""
    forum = Body.objects.get(name="Mombasa County Engagement Forum")
    secretariat = User.objects.get(username="partner.cso")
    assert access.can_keep_action_log(secretariat, forum) and not access.can_manage_body(secretariat, forum)
    assert list(access.visible_bodies(secretariat).filter(access.action_item_writer_q(secretariat))) == [forum]
    assert not access.can_keep_action_log(User.objects.get(username="member.mombasa"), forum)
