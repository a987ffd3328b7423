"""Defect 7 (b): every scoped queryset / ``Q`` of the access modules has a direct test.

Each ``visible_*``, ``internal_*``, ``member_*`` and ``*_q`` function of the four access
modules is called on its own (not through a page) with two users: one the rule lets read a
Cebu City record, and an outsider it must not — a user with a role in the same country but
no grant over the record and no membership, wherever the rule is narrower than the country
(rules that are country-wide by design, like a body's existence, are tested with a user of
another country). A function added to these modules without a case here fails
``test_every_access_function_has_a_direct_case``, so a new caller (search, export, API)
cannot be built on an untested rule.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import inspect
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tandem.tests.access_cases import Case, ids, manila_coordinator, q_rows


def _app_modules(suffix: str) -> dict[str, Any]:
    """``tandem.<app>.<suffix>`` for every app of settings.TANDEM_APPS that has one."""
    found = {}
    for app in settings.TANDEM_APPS:
        name = f"tandem.{app}.{suffix}"
        if importlib.util.find_spec(name) is not None:
            found[app] = importlib.import_module(name)
    return found


MODULES = (
    "tandem.core.access",
    "tandem.core.audit_scope",
    *(module.__name__ for module in _app_modules("access").values()),
)
PREFIXES = ("visible_", "internal_", "member_")
SUFFIXES = ("_q",)


def access_functions() -> set[str]:
    names = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if not inspect.isfunction(obj) or obj.__module__ != module_name:
                continue
            if name.startswith(PREFIXES) or name.endswith(SUFFIXES):
                names.add(f"{module_name}.{name}")
    return names


def body(w):
    from tandem.bodies.tests.factories import cebu_body

    return w.body if hasattr(w, "body") else cebu_body(w)


def plans(w):
    from tandem.plans.tests.factories import build_plans

    return build_plans(w)


def amber_item(w, attachment: bool = False):
    """AMBER, sent by Cebu City hall's coordinator to the youth forum (the cso persona acts for it)."""
    from tandem.exchange.tests.matrix_rows import _send

    return _send(w, "AMBER", attachment=attachment)


# --- core ---------------------------------------------------------------------------


def _audit(w, name):
    from tandem.core import audit_scope as s
    from tandem.core.models import AuditEvent, Organisation

    event = AuditEvent.objects.filter(object_uuid=str(w.city_hall.uuid)).order_by("pk").first()
    if name == "visible_audit_events":
        return Case(lambda u: ids(s.visible_audit_events(u)), event, w.local, manila_coordinator(w))
    if name == "record_rule_q":
        return Case(
            lambda u: ids(AuditEvent.objects.filter(s.record_rule_q(u) or Q())), event, w.viewer, manila_coordinator(w)
        )
    if name == "records_q":
        # Not an actor function: the events about the records of a queryset, and none for an empty one.
        rows = lambda qs: ids(AuditEvent.objects.filter(s.records_q("organisation", qs)))  # noqa: E731
        return Case(rows, None, Organisation.objects.filter(pk=w.city_hall.pk), Organisation.objects.none())
    raise KeyError(name)


def _core(w, name):
    from tandem.core import access as a
    from tandem.core.models import Jurisdiction, Organisation

    manila = manila_coordinator(w)
    if name == "visible_jurisdictions":
        return Case(lambda u: ids(a.visible_jurisdictions(u)), w.cebu_city, w.viewer, manila)
    if name == "visible_organisations":
        return Case(lambda u: ids(a.visible_organisations(u)), w.city_hall, w.viewer, manila)
    if name == "visible_people":
        return Case(lambda u: ids(a.visible_people(u)), w.person_cebu, w.viewer, manila)
    if name == "visible_affiliations":
        return Case(lambda u: ids(a.visible_affiliations(u)), w.person_cebu.affiliations.get(), w.viewer, manila)
    if name == "visible_invitations":  # coordinators of the subtree; a same-country coordinator elsewhere: none
        from tandem.core import invitations

        issued = invitations.invitation_create(
            actor=w.local, email="new@example.org", full_name="New Member", role="member", jurisdiction=w.cebu_city
        )
        return Case(lambda u: ids(a.visible_invitations(u)), issued.invitation, w.regional, manila_coordinator(w))
    if name == "visible_role_assignments":
        # Coordinators of the subtree see a member's assignment; a same-place viewer sees only their own.
        return Case(lambda u: ids(a.visible_role_assignments(u)), w.member.role_assignments.get(), w.local, w.viewer)
    if name == "visible_users":
        return Case(lambda u: ids(a.visible_users(u)), w.member, w.local, manila)
    if name == "_contact_scope_q":
        # The apps' contact scopes (bodies: fellow members): the member sees the youth forum's representative.
        from tandem.core.models import Person

        body(w)
        return Case(
            lambda u: ids(Person.objects.filter(a._contact_scope_q(a.get_access(u)))), w.person_cebu, w.member, w.viewer
        )
    if name == "scope_q":
        return Case(q_rows(Organisation, a.scope_q), w.city_hall, w.viewer, manila)
    if name == "path_q":
        # Not an actor function: the path filter itself (None: everything; []: nothing).
        def rows(user):
            paths = a.scope_paths(user)
            return ids(Jurisdiction.objects.filter(a.path_q(paths, "path")))

        return Case(rows, w.cebu_city, w.local, manila)
    raise LookupError(name)


# --- bodies -------------------------------------------------------------------------


def _bodies(w, name):
    from tandem.bodies import access as a
    from tandem.bodies.models import Body, Membership

    b = body(w)
    if name == "fellow_member_contacts_q":
        from tandem.core.models import Person

        # The member acts for the youth forum, which w.person_cebu represents; the viewer is in no body.
        return Case(q_rows(Person, a.fellow_member_contacts_q), w.person_cebu, w.member, w.viewer)
    if name == "internals_q":
        return Case(q_rows(Body, a.internals_q), b, w.member, w.viewer)
    if name == "current_membership_q":
        # Not an actor function: a membership that ended yesterday is not current.
        ended = w.body_hall
        Membership.objects.filter(pk=ended.pk).update(end_date=timezone.localdate() - dt.timedelta(days=1))
        current = w.body_youth
        return Case(
            lambda pk: ids(Membership.objects.filter(a.current_membership_q(), pk__in=[pk])),
            None,
            current.pk,
            ended.pk,
        )
    if name == "visible_bodies":  # existence is country-wide by design: the outsider is of another country
        return Case(lambda u: ids(a.visible_bodies(u)), b, w.viewer, w.outsider)
    if name == "internal_bodies":
        return Case(lambda u: ids(a.internal_bodies(u)), b, w.member, w.viewer)
    if name == "member_body_ids":
        return Case(lambda u: set(a.member_body_ids(u).values_list("body_id", flat=True)), b, w.cso, w.viewer)
    if name == "member_candidates":
        # Only those who manage the body are offered organisations to seat.
        return Case(lambda u: ids(a.member_candidates(u, b)), w.company_org, w.local, w.member)
    if name == "visible_memberships":  # member organisations are public in the country
        return Case(lambda u: ids(a.visible_memberships(u)), w.body_hall, w.viewer, w.outsider)
    if name == "visible_seats":
        return Case(lambda u: ids(a.visible_seats(u)), w.seat, w.viewer, w.outsider)
    if name == "visible_seat_holdings":  # read with the seat, country-wide
        return Case(lambda u: ids(a.visible_seat_holdings(u)), w.seat.holdings.get(), w.viewer, w.outsider)
    if name == "visible_meetings":
        return Case(lambda u: ids(a.visible_meetings(u)), w.meeting, w.member, w.viewer)
    if name == "visible_minutes":
        return Case(lambda u: ids(a.visible_minutes(u)), w.minutes, w.member, w.viewer)
    if name == "visible_decisions":
        return Case(lambda u: ids(a.visible_decisions(u)), w.decision, w.member, w.viewer)
    if name == "visible_action_items":
        return Case(lambda u: ids(a.visible_action_items(u)), w.item, w.member, w.viewer)
    if name == "visible_action_item_bodies":  # the bodies whose items the member reads, not the viewer
        return Case(lambda u: ids(a.visible_action_item_bodies(u)), w.item.body, w.member, w.viewer)
    if name == "visible_action_items_at":  # narrowed to the item's own place: the rule still applies
        return Case(
            lambda u: ids(a.visible_action_items_at(u, Q(jurisdiction=w.item.body.jurisdiction))),
            w.item,
            w.member,
            w.viewer,
        )
    raise LookupError(name)


# --- plans --------------------------------------------------------------------------


def _plans(w, name):
    from tandem.plans import access as a
    from tandem.plans import services
    from tandem.plans.models import ActionPlan

    plans(w)
    manila = manila_coordinator(w)
    if name == "plan_read_q":
        return Case(q_rows(ActionPlan, a.plan_read_q), w.cebu_plan, w.viewer, manila)
    if name == "visible_plans":
        return Case(lambda u: ids(a.visible_plans(u)), w.cebu_plan, w.viewer, manila)
    if name == "visible_national_plans":  # the national plan is read country-wide by design
        return Case(lambda u: ids(a.visible_national_plans(u)), w.national_plan, w.viewer, w.outsider)
    if name == "visible_pillars":  # the national plan's pillars, read country-wide like the plan
        return Case(lambda u: ids(a.visible_pillars(u)), w.pillar, w.viewer, w.outsider)
    if name == "visible_objectives":
        return Case(lambda u: ids(a.visible_objectives(u)), w.l1, w.viewer, manila)
    if name == "visible_indicators":
        return Case(lambda u: ids(a.visible_indicators(u)), w.cebu_indicator, w.viewer, manila)
    if name == "visible_activities":
        return Case(lambda u: ids(a.visible_activities(u)), w.activity, w.viewer, manila)
    if name == "visible_alignments":
        return Case(lambda u: ids(a.visible_alignments(u)), w.cebu_plan.alignments.first(), w.viewer, manila)
    if name == "readable_target_q":  # Cebu City's alignment to the regional objective R1: not for its viewer
        from tandem.plans.models import Alignment
        from tandem.plans.tests.factories import build_regional

        build_regional(w)
        to_r1 = w.cebu_plan.alignments.get(national_objective=w.r1)
        return Case(q_rows(Alignment, a.readable_target_q), to_r1, w.local, w.viewer)
    if name == "visible_periods":
        return Case(lambda u: ids(a.visible_periods(u)), w.period, w.viewer, manila)
    if name == "visible_values":
        services.progress_save(
            actor=w.local,
            period=w.period,
            expected_version=w.period.version,
            values={w.cebu_indicator: (Decimal(7), "")},
            statuses={},
        )
        value = w.cebu_indicator.values.get()
        return Case(lambda u: ids(a.visible_values(u)), value, w.viewer, manila)
    if name == "visible_roadmap_changes":  # the roadmap names no one: country-wide by design
        change = services.roadmap_record(
            actor=w.local, jurisdiction=w.cebu_city, stage="consultation", date=timezone.localdate()
        )
        return Case(lambda u: ids(a.visible_roadmap_changes(u)), change, w.viewer, w.outsider)
    raise LookupError(name)


# --- exchange -----------------------------------------------------------------------


def _exchange(w, name):
    from tandem.exchange import access as a
    from tandem.exchange.models import ExchangeItem
    from tandem.exchange.tests.matrix_rows import _agreement

    # The viewer holds a role in Cebu City itself but acts for no recipient organisation.
    if name == "item_q":
        return Case(q_rows(ExchangeItem, a.item_q), amber_item(w), w.cso, w.viewer)
    if name == "visible_items":
        return Case(lambda u: ids(a.visible_items(u)), amber_item(w), w.cso, w.viewer)
    if name == "visible_sent_items":
        return Case(lambda u: ids(a.visible_sent_items(u)), amber_item(w), w.cso, w.viewer)
    if name == "visible_attachments":
        attachment = amber_item(w, attachment=True).attachments.get()
        return Case(lambda u: ids(a.visible_attachments(u)), attachment, w.cso, w.viewer)
    if name == "visible_replies":
        from tandem.exchange.services import reply_create

        item = amber_item(w)
        reply = reply_create(actor=w.cso, item=item, body="Received, thank you.")
        return Case(lambda u: ids(a.visible_replies(u)), reply, w.local, w.viewer)
    if name == "visible_agreements":  # agreements are registered for the country
        from tandem.exchange.models import SharingAgreement

        agreement = SharingAgreement.objects.get(uuid=_agreement(w)["uuid"])
        return Case(lambda u: ids(a.visible_agreements(u)), agreement, w.viewer, w.outsider)
    raise LookupError(name)


BUILDERS = {
    "tandem.core.access": _core,
    "tandem.core.audit_scope": _audit,
    "tandem.bodies.access": _bodies,
    "tandem.plans.access": _plans,
    "tandem.exchange.access": _exchange,
}

# Every function with a case below (kept explicit so a new function is noticed).
COVERED = {
    "tandem.core.audit_scope": ["visible_audit_events", "record_rule_q", "records_q"],
    "tandem.core.access": [
        "visible_jurisdictions",
        "visible_organisations",
        "visible_people",
        "visible_affiliations",
        "visible_role_assignments",
        "visible_invitations",
        "visible_users",
        "_contact_scope_q",
        "scope_q",
        "path_q",
    ],
    "tandem.bodies.access": [
        "fellow_member_contacts_q",
        "internals_q",
        "current_membership_q",
        "visible_bodies",
        "internal_bodies",
        "member_body_ids",
        "member_candidates",
        "visible_memberships",
        "visible_seats",
        "visible_seat_holdings",
        "visible_meetings",
        "visible_minutes",
        "visible_decisions",
        "visible_action_items",
        "visible_action_item_bodies",
        "visible_action_items_at",
    ],
    "tandem.plans.access": [
        "plan_read_q",
        "visible_plans",
        "visible_national_plans",
        "visible_pillars",
        "visible_objectives",
        "visible_indicators",
        "visible_activities",
        "visible_alignments",
        "readable_target_q",
        "visible_periods",
        "visible_values",
        "visible_roadmap_changes",
    ],
    "tandem.exchange.access": [
        "item_q",
        "visible_items",
        "visible_sent_items",
        "visible_attachments",
        "visible_replies",
        "visible_agreements",
    ],
}
# Apps added later keep their cases beside them: ``tandem/<app>/tests/access_cases.py`` with
# ``COVERED: list[str]`` (function names of ``tandem.<app>.access``) and ``build(world, name) -> Case``.
# An app whose older cases are above (bodies) adds its newer ones beside it the same way.


def _chained(first, second, names):
    return lambda w, name: second(w, name) if name in names else first(w, name)


for _app, _cases in _app_modules("tests.access_cases").items():
    _module = f"tandem.{_app}.access"
    if _module in BUILDERS:
        BUILDERS[_module] = _chained(BUILDERS[_module], _cases.build, set(_cases.COVERED))
        COVERED[_module] = [*COVERED[_module], *_cases.COVERED]
    else:
        BUILDERS[_module] = _cases.build
        COVERED[_module] = list(_cases.COVERED)

CASES = [f"{module}.{name}" for module, names in COVERED.items() for name in names]


def test_every_access_function_has_a_direct_case():
    found = access_functions()
    assert len(found) >= 30, "the introspection found too few functions: is it broken?"
    missing = sorted(found - set(CASES))
    assert missing == [], f"access functions without a direct test (add a case to COVERED): {missing}"
    gone = sorted(set(CASES) - found)
    assert gone == [], f"cases for functions that no longer exist: {gone}"


@pytest.mark.parametrize("qualified", CASES)
def test_rightful_user_gets_the_record_the_outsider_does_not(world, qualified):
    module, _, name = qualified.rpartition(".")
    case = BUILDERS[module](world, name)
    if case.record is None:  # not an actor function: rightful/outsider are the two inputs
        assert case.rows(case.rightful), f"{name}: the current row is not matched"
        assert not case.rows(case.outsider), f"{name}: the non-current row is matched"
        return
    assert case.record is not None and case.record.pk is not None
    assert case.record.pk in case.rows(case.rightful), f"{name}: {case.rightful} should get {case.record}"
    assert case.record.pk not in case.rows(case.outsider), f"{name}: {case.outsider} must not get {case.record}"
