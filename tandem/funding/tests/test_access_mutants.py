"""Cases that kill mutants of tandem.funding.access (``make mutate``, issue 10).

Each test states what a user would notice: a call, source, application, review, award record or
match they see or not, a permission granted or refused, a list page read in one query.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core import services as core_services
from tandem.core.models import Role
from tandem.funding import access, services
from tandem.tests.access_cases import manila_coordinator

from . import factories as f


def _deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def _titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_a_call_not_yet_open_is_seen_by_its_managers_only(world):
    """Before it opens, a call is listed to its manager and the coordinators above its place, not
    to the people of the city who will apply to it; once open, they see it too."""
    w = world
    open_call = f.call(w).title
    future = f.cebu_call(w, actor=w.local, title="Cebu City sports grants", opens_in_days=5).title
    for user in (w.local, w.regional, w.national, w.admin):
        assert _titles(access.visible_calls(user)) == {open_call, future}, user.username
    for user in (w.cso, w.member, w.viewer):
        assert _titles(access.visible_calls(user)) == {open_call}, user.username
    for user in (w.facilitator, manila_coordinator(w)):  # no grant inside Cebu City, no review yet
        assert _titles(access.visible_calls(user)) == set(), user.username


def test_an_external_reviewer_sees_the_call_they_review_and_no_other(world):
    """A Manila coordinator asked to review a Cebu City application sees that call (and no other
    Cebu City call); nobody else gains it from their assignment; deactivated, they see none."""
    w = world
    reviewer = manila_coordinator(w)
    other = f.cebu_call(w, actor=w.local, title="Cebu City sports grants").title
    assert _titles(access.visible_calls(reviewer)) == set()
    services.reviewer_assign(actor=w.local, application=f.submitted(w), reviewer=reviewer)
    assert _titles(access.visible_calls(reviewer)) == {f.call(w).title}
    assert _titles(access.visible_calls(w.outsider)) == set()
    assert _titles(access.visible_calls(w.cso)) == {f.call(w).title, other}
    _deactivate(reviewer)
    assert _titles(access.visible_calls(reviewer)) == set()


def test_managed_calls_are_the_managers_and_the_coordinators_above(world):
    """The calls a user manages: the ones they manage by name (even outside the places they
    coordinate), and every call of the places they coordinate; never one they merely read."""
    w = world
    cebu = f.call(w).title
    manila = manila_coordinator(w)
    by_facilitator = f.cebu_call(w, actor=w.local, title="Facilitated dialogues", manager=w.facilitator).title
    by_manila = f.cebu_call(w, actor=w.local, title="Managed from Manila", manager=manila).title
    for user in (w.local, w.regional, w.national, w.admin):
        assert _titles(access.managed_calls(user)) == {cebu, by_facilitator, by_manila}, user.username
    assert _titles(access.managed_calls(w.facilitator)) == {by_facilitator}
    assert _titles(access.managed_calls(manila)) == {by_manila}
    for user in (w.cso, w.member, w.viewer, w.outsider, None):
        assert _titles(access.managed_calls(user)) == set()
    _deactivate(w.local)
    assert _titles(access.managed_calls(w.local)) == set()


def test_a_coordinator_of_the_calls_place_manages_a_call_someone_else_opened(world):
    """Cebu City's coordinator manages a call the regional coordinator opened there (by rank, not
    by name); a deactivated manager manages nothing; a city member never does."""
    w = world
    regional_call = f.cebu_call(w, actor=w.regional, title="Regional youth grants")
    assert regional_call.manager_id == w.regional.pk
    assert access.can_manage_call(w.local, regional_call)
    assert access.can_manage_call(w.regional, regional_call)
    assert not access.can_manage_call(w.member, regional_call)
    assert not access.can_manage_call(manila_coordinator(w), regional_call)
    by_facilitator = f.cebu_call(w, actor=w.local, title="Facilitated dialogues", manager=w.facilitator)
    assert access.can_manage_call(w.facilitator, by_facilitator)
    _deactivate(w.facilitator)
    assert not access.can_manage_call(w.facilitator, by_facilitator)


def test_a_coordinator_sees_the_sources_above_and_below_their_place(world):
    """Cebu City's coordinator picks the network's fund and the national fund (above) and the
    city's own source; the regional coordinator sees them all too (the city's source lies below
    Visayas); Manila's coordinator only the ones above Manila; a partner none."""
    w = world
    f.call(w)
    network_fund = f.network_source(w)
    above = {network_fund.name, w.fund.name}
    every = above | {f.cebu_source(w).name}
    assert set(access.visible_sources(w.local).values_list("name", flat=True)) == every
    assert set(access.visible_sources(w.regional).values_list("name", flat=True)) == every
    assert set(access.visible_sources(manila_coordinator(w)).values_list("name", flat=True)) == above
    assert not access.visible_sources(w.cso).exists()


def test_a_member_of_the_applicant_organisation_acts_for_the_application(world):
    """Someone acting for the applicant organisation may change its application although another
    person wrote it; a viewer of the same city may not."""
    w = world
    app = f.submitted(w)
    assert app.submitted_by_id == w.cso.pk
    access.require_applicant(w.cso, app)
    access.require_applicant(w.member, app)
    for user in (w.viewer, w.local, w.company):
        with pytest.raises(PermissionDenied):
            access.require_applicant(user, app)


def test_a_deactivated_partner_no_longer_sees_the_companys_matches(world):
    """The company's partner sees the match proposed to its offer, until their account is closed."""
    w = world
    f.match(w)
    assert set(access.visible_matches(w.company)) == {w.funding_match}
    _deactivate(w.company)
    assert not access.visible_matches(w.company).exists()


def test_a_partner_who_also_coordinates_elsewhere_still_sees_the_companys_match(world):
    """A company's person who also coordinates Manila sees the Cebu City match of the company's
    offer (it concerns the company), besides the matches of Manila."""
    w = world
    f.match(w)
    core_services.role_grant(
        actor=None, user=w.company, role=Role.LOCAL_COORDINATOR, jurisdiction=w.manila, organisation=w.company_org
    )
    core_access.forget_grants(w.company)
    assert set(access.visible_matches(w.company)) == {w.funding_match}
    assert not access.visible_matches(manila_coordinator(w)).exists()


def test_the_administrator_sees_a_match_on_a_clear_request(world):
    """A match behind a CLEAR exchange request is listed to the administrator, who reads it."""
    from tandem.funding.services import offers

    w = world
    item = f.exchange_request(w, tlp="CLEAR", title="Mentors wanted")
    match = offers.match_propose(actor=w.local, offer=f.offer(w), jurisdiction=w.cebu_city, request=item)
    assert match in set(access.visible_matches(w.admin))
    assert match in set(access.visible_matches(w.local))
    assert match not in set(access.visible_matches(w.outsider))


def test_a_cleared_review_opens_the_application_to_its_reviewer_only(world):
    """Once the reviewer declares no conflict, they read the application; nobody else reads it
    through that review (a coordinator of another city does not); when the applicant withdraws
    it, the reviewer no longer reads it either."""
    w = world
    app = f.submitted(w)
    other = manila_coordinator(w)
    f.assignment(w, declared=True)
    assert set(access.visible_applications(w.facilitator)) == {app}
    assert app not in set(access.visible_applications(other))
    app.refresh_from_db()
    services.application_withdraw(actor=w.cso, application=app, expected_version=app.version)
    assert not access.visible_applications(w.facilitator).exists()


def test_the_funding_lists_read_their_related_records_with_the_rows(world, django_assert_num_queries):
    """A list page of calls, sources, applications, reviews, scores, tranches, reports, receipts or
    matches is one query, however many rows: the names it shows come with the rows."""
    w = world
    f.call(w)
    assignment = f.assignment(w, declared=True)
    criteria = {c.pk: (4, "Good") for c in f.call(w).criteria.all()}
    services.scores_save(actor=w.facilitator, assignment=assignment, scores=criteria)
    f.receipt(w)
    services.payment_record(
        actor=w.local, award=w.funding_award, amount="20000", paid_on=timezone.localdate(), tranche=w.funding_tranche
    )
    f.request_match(w)
    cases = [
        (access.visible_calls(w.cso), lambda c: (c.jurisdiction.name, c.manager.username)),
        (access.managed_calls(w.local), lambda c: (c.jurisdiction.name, c.manager.username)),
        (access.visible_sources(w.local), lambda s: (s.jurisdiction.name, s.organisation and s.organisation.name)),
        (
            access.visible_applications(w.cso),
            lambda a: (
                a.call.title,
                a.call.jurisdiction.name,
                a.organisation.name,
                a.jurisdiction.name,
                a.submitted_by.username,
            ),
        ),
        (
            access.visible_assignments(w.facilitator),
            lambda r: (r.application.title, r.application.call.title, r.application.organisation.name, r.reviewer.pk),
        ),
        (access.visible_scores(w.facilitator), lambda s: s.criterion.name),
        (access.visible_tranches(w.cso), lambda t: t.award.amount),
        (
            access.visible_awards(w.cso),
            lambda a: (a.application.organisation.name, a.call.title, a.jurisdiction.name, a.source.name),
        ),
        (access.visible_payments(w.cso), lambda p: (p.award.amount, p.tranche.amount)),
        (access.visible_reports(w.cso), lambda r: r.award.amount),
        (access.visible_receipts(w.cso), lambda r: r.report.award.jurisdiction.name),
        (
            access.visible_matches(w.company),
            lambda m: (m.offer.title, m.offer.organisation.name, m.jurisdiction.name, m.request and m.request.title),
        ),
    ]
    for queryset, row in cases:
        list(queryset)  # the actor's grants and organisations are resolved once per request
        with django_assert_num_queries(1):
            rows = [row(x) for x in queryset.all()]
        assert rows, queryset.model.__name__
    titles = [m.request.title for m in access.visible_matches(w.company) if m.request_id]
    assert titles == ["Apprentices wanted"]
    assert len(list(access.visible_scores(w.facilitator))) == 2


# Mutants of tandem/funding/access.py recorded as equivalent (no behaviour a user can notice changes):
# - visible_applications 6 (no select_related("call")): "call__jurisdiction" joins the call anyway.
# - visible_assignments 5 (no select_related("application")): "application__call" joins it anyway.
# - _ancestor_paths 5 (strip("XX/XX")): a jurisdiction's path holds ids and slashes only, never an "X".
# - _ancestor_paths 9 (range from 0): adds the path "//", which no jurisdiction has.
# - _ancestor_paths 13 (range to len + 2): the last slice is the whole path again, already in the set.
# - visible_awards 6 (no select_related("application")): "application__organisation" joins it anyway.
# - visible_matches 5 (no select_related("offer")): "offer__organisation" joins the offer anyway.
