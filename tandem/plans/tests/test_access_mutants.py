"""Who reads which plan, persona by persona: the tests that kill the mutants of tandem/plans/access.py
(``make mutate``) that the pages and services tests let live.

Besides the test world's plans (the shared national plan, Central Visayas' unshared regional plan,
Cebu City's shared local plan), Cebu City has an internal plan, Cebu province has a shared and an
unshared local plan, the National Capital Region a shared regional plan and Manila an unshared
local plan. A local or provincial plan is read from below by no one: only the national and
regional plans are read by the coordinators (and, when shared, the roles) below them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tandem.core import services as core_services
from tandem.core.models import Role
from tandem.plans import access, services
from tandem.plans.models import PlanLevel
from tandem.plans.tests.factories import build_regional

YEAR = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31)}


def _plan(w, actor, level, jurisdiction, title, shared, **links):
    if level != PlanLevel.NATIONAL:
        links.setdefault("national_plan", w.national_plan)
    return services.plan_create(
        actor=actor, level=level, jurisdiction=jurisdiction, title=title, visible_to_partners=shared, **links, **YEAR
    )


@pytest.fixture
def many(world):
    w = build_regional(world)
    local, regional = PlanLevel.LOCAL, PlanLevel.REGIONAL
    w.internal = _plan(w, w.local, local, w.cebu_city, "Cebu City internal plan", False)
    w.province = _plan(w, w.regional, local, w.cebu, "Cebu province plan", False)
    w.province_shared = _plan(w, w.regional, local, w.cebu, "Cebu province shared plan", True)
    w.ncr_plan = _plan(w, w.national, regional, w.ncr, "NCR regional plan", True)
    w.manila_plan = _plan(w, w.national, local, w.manila, "Manila plan", False)
    return w


def _titles(user):
    return set(access.visible_plans(user).values_list("title", flat=True))


NATIONAL = "National Action Plan on P/CVE"
REGIONAL = "Central Visayas Regional Action Plan"
CEBU = "Cebu City Local Action Plan"
EVERY = {
    NATIONAL,
    REGIONAL,
    CEBU,
    "Cebu City internal plan",
    "Cebu province plan",
    "Cebu province shared plan",
    "NCR regional plan",
    "Manila plan",
}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", EVERY),
        ("national", EVERY),
        # Their region's plans and the national plan above them; not the other region's.
        ("regional", EVERY - {"NCR regional plan", "Manila plan"}),
        # Their city's plans, and the national and regional plans above it (shared or not); not the
        # province's local plans above it (a local plan is not aligned to), shared or not.
        ("local", {NATIONAL, REGIONAL, CEBU, "Cebu City internal plan"}),
        # The shared plans of their city and the shared national plan above it; nothing unshared.
        ("viewer", {NATIONAL, CEBU}),
        ("member", {NATIONAL, CEBU}),
        # A facilitator of Central Visayas: the shared plans of the region's subtree and above it.
        ("facilitator", {NATIONAL, CEBU, "Cebu province shared plan"}),
        ("outsider", set()),
    ],
)
def test_each_persona_reads_exactly_these_plans(many, persona, expected):
    assert _titles(getattr(many, persona)) == expected


def test_a_signed_out_visitor_reads_no_plan(many):
    assert _titles(AnonymousUser()) == set()
    assert _titles(None) == set()


def test_a_shared_regional_plan_is_read_below_it_but_not_from_another_region(many):
    """A viewer of Manila reads the shared NCR plan above Manila, not Cebu's or Visayas' plans."""
    w = many
    viewer = core_services.User.objects.create_user(username="manila-viewer", password="correct-horse-battery-staple")
    core_services.role_grant(actor=None, user=viewer, role=Role.VIEWER, jurisdiction=w.manila)
    assert _titles(viewer) == {NATIONAL, "NCR regional plan"}


def test_a_coordinator_reads_the_objectives_indicators_and_periods_of_exactly_the_plans_they_read(many):
    w = many
    objective = services.objective_create(actor=w.regional, plan=w.province, code="P1", text="Province objective")
    assert not access.visible_objectives(w.local).filter(pk=objective.pk).exists()
    assert access.visible_objectives(w.regional).filter(pk=objective.pk).exists()
    assert access.visible_objectives(w.local).filter(pk=w.r1.pk).exists()
    assert not access.visible_objectives(w.viewer).filter(pk=w.r1.pk).exists()


def test_review_belongs_to_the_level_above(many):
    w = many
    assert access.can_review(w.regional, w.cebu_plan) is True  # over Cebu province, Cebu City's parent
    assert access.can_review(w.regional, w.province) is True
    assert access.can_review(w.national, w.regional_plan) is True
    assert access.can_review(w.local, w.cebu_plan) is False
    assert access.can_review(w.admin, w.national_plan) is True
    assert access.can_review(w.national, w.national_plan) is False  # nobody but an administrator above it
    province_coordinator = core_services.User.objects.create_user(username="cebu-province", password="x-y-z-w-v")
    core_services.role_grant(actor=None, user=province_coordinator, role=Role.LOCAL_COORDINATOR, jurisdiction=w.cebu)
    assert access.can_review(province_coordinator, w.cebu_plan) is True  # a local coordinator one level up
    with pytest.raises(PermissionDenied):
        access.require_review(w.local, w.cebu_plan)
    access.require_review(w.regional, w.province)


def test_ancestor_and_parent_paths():
    assert access.ancestor_paths("/1/7/42/") == ["/1/", "/1/7/", "/1/7/42/"]
    assert access.parent_path("/1/7/42/") == "/1/7/"
    assert access.parent_path("/1/7/") == "/1/"
    assert access.parent_path("/1/") is None


def test_the_api_plan_list_names_the_plans_above_in_a_fixed_number_of_queries(many, client):
    """``GET /api/v1/plans`` names each plan's regional plan: one query for the page whatever the number
    of plans aligned to it (the regional plan comes with the plans, not one query per plan)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = many
    token = core_services.api_token_create(actor=w.national, name="t").secret

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/plans", {"limit": 100}, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        items = response.json()["items"]
        return len(ctx.captured_queries), items

    count()  # the token's first use is recorded once
    before, items = count()
    regional = [i["title"] for i in items if (i["regional_plan"] or {}).get("title") == REGIONAL]
    assert regional == [CEBU]
    for n in range(3):
        _plan(w, w.regional, PlanLevel.LOCAL, w.cebu, f"Aligned plan {n}", False, regional_plan=w.regional_plan)
    after, items = count()
    assert len([i for i in items if i["regional_plan"]]) == 4
    assert after == before


def test_alignment_targets_list_the_national_objectives_by_code_then_the_regional_ones(many):
    """The "aligned to" choices of Cebu City's plan: its national plan's objectives by code, then those of
    the regional plan it aligns to (a regional code that sorts first still comes after them)."""
    w = many
    late = services.objective_create(actor=w.national, plan=w.national_plan, code="0.5", text="Added later")
    early = services.objective_create(actor=w.regional, plan=w.regional_plan, code="0.1", text="Regional first")
    codes = [o.code for o in access.alignment_targets(w.local, w.cebu_plan)]
    assert codes == [late.code, "1.1", "1.2", "1.3", early.code, "R1"]
    # The viewer reads the national plan but not the unshared regional plan: only the national choices.
    assert [o.code for o in access.alignment_targets(w.viewer, w.cebu_plan)] == ["0.5", "1.1", "1.2", "1.3"]


def _body(w, name, jurisdiction):
    from tandem.bodies import services as bodies

    return bodies.body_create(actor=w.admin, name=name, kind="coordination_committee", jurisdiction=jurisdiction)


def test_the_owning_body_choices_are_the_active_bodies_where_the_user_may_create_plans_by_name(many):
    from tandem.bodies import services as bodies

    w = many
    zeta = _body(w, "Zeta council", w.cebu_city)
    alpha = _body(w, "Alpha council", w.cebu_city)
    archived = _body(w, "Archived council", w.cebu_city)
    bodies.body_archive(actor=w.admin, body=archived, archived=True)
    province = _body(w, "Beta provincial council", w.cebu)
    manila = _body(w, "Manila council", w.manila)
    assert list(access.owner_body_choices(w.local)) == [alpha, zeta]
    assert list(access.owner_body_choices(w.regional)) == [alpha, province, zeta]
    assert manila not in access.owner_body_choices(w.regional)
    assert list(access.owner_body_choices(w.viewer)) == []
    # The bodies offered on the plan's own edit page: its jurisdiction's active ones, by name.
    assert list(access.plan_bodies(w.cebu_city)) == [alpha, zeta]
    assert list(access.plan_bodies(w.cebu)) == [province]


def test_the_roadmap_offers_each_user_the_countries_they_hold_a_role_in(many):
    from tandem.plans import selectors

    w = many
    assert [c.name for c in selectors.roadmap_countries(w.viewer)] == ["Philippines"]
    assert [c.name for c in selectors.roadmap_countries(w.outsider)] == ["Kenya"]
    assert [c.name for c in selectors.roadmap_countries(w.admin)] == ["Kenya", "Philippines"]
    assert [u.name for u in selectors.roadmap(w.outsider, w.ph, w.cebu_city.depth)] == []
    assert "Cebu City" in [u.name for u in selectors.roadmap(w.viewer, w.ph, w.cebu_city.depth)]


def test_a_reader_sees_local_innovations_and_the_alignments_to_plans_they_read_only(many):
    """The alignments of Cebu City's plan as its viewer sees them: the local innovation and the alignment to
    national 1.1 (the national plan is shared), not the one to R1 (the regional plan is not)."""
    from tandem.plans.models import Alignment

    w = many
    objective = services.objective_create(actor=w.local, plan=w.cebu_plan, code="C2", text="A city idea")
    (innovation,) = services.alignment_set(
        actor=w.local, plan=w.cebu_plan, local_objective=objective, local_innovation=True
    )
    to_n1 = w.cebu_plan.alignments.get(local_objective=w.l1, national_objective=w.n1)
    to_r1 = w.cebu_plan.alignments.get(activity=w.activity, national_objective=w.r1)

    def shown(user):
        return set(Alignment.objects.filter(plan=w.cebu_plan).filter(access.readable_target_q(user)))

    assert {innovation, to_n1} <= shown(w.viewer) and to_r1 not in shown(w.viewer)
    assert {innovation, to_n1, to_r1} <= shown(w.local)
    assert shown(w.admin) == set(Alignment.objects.filter(plan=w.cebu_plan))


def test_the_plans_above_are_named_only_to_a_reader_who_may_open_them(many):
    """The workbook and PDF name the national and regional plans above a plan only for a reader of each:
    from a plan as the pages load it (annotated) or as a caller holds it (read again)."""
    w = many
    from tandem.plans.models import ActionPlan

    plain = ActionPlan.objects.get(pk=w.cebu_plan.pk)
    assert access.plans_above_visible(w.viewer, plain) == (True, False)
    assert access.plans_above_visible(w.local, plain) == (True, True)
    loaded = access.get_plan_or_404(w.viewer, uuid=w.cebu_plan.uuid)
    assert access.plans_above_visible(w.viewer, loaded) == (True, False)


# Mutants of tandem/plans/access.py recorded as equivalent (no behaviour a user can notice changes):
# - alignment_targets 8 (order_by without "id"): (plan level, code) is already unique among the objectives
#   of a plan's national and regional plans (plans_objective_unique_code), so "id" never breaks a tie.
# - owner_body_choices 6 (order_by without "id"): "id" only orders bodies of equal names; without it SQL
#   gives their order no rule a test could compare against.
# - plans_above_visible 2, 6, 7 (the flags read again although the plan carries them): same answer, one
#   more query, on a PDF or workbook download.
# - with_plans_above 10 (no select_related("national_plan")): every caller passes visible_plans(), which
#   already joins the national plan.


# What each list of plan records shows beside a row (the plan, its place, the objective or organisation it
# names): read with the rows, never one query per row.
RELATED = {
    "visible_plans": ("jurisdiction", "national_plan", "owner_body"),
    "visible_pillars": ("plan",),
    "visible_objectives": ("plan__jurisdiction", "pillar"),
    "visible_indicators": ("plan__jurisdiction", "inherited_from"),
    "visible_activities": ("plan__jurisdiction", "responsible_org"),
    "visible_alignments": ("plan__jurisdiction", "activity", "local_objective", "national_objective"),
    "visible_periods": ("plan__jurisdiction",),
}


@pytest.mark.parametrize("name", sorted(RELATED))
def test_a_list_of_plan_records_reads_what_each_row_names_in_one_query(many, name, django_assert_num_queries):
    from tandem.plans.models import ActionPlan

    w = many
    body = _body(w, "Cebu City peace and order council", w.cebu_city)
    ActionPlan.objects.filter(pk=w.cebu_plan.pk).update(owner_body=body)
    function = getattr(access, name)
    function(w.national).exists()  # the reader's grants, read once per request
    with django_assert_num_queries(1):
        rows = list(function(w.national))
    assert rows
    named = set()
    with django_assert_num_queries(0):
        for row in rows:
            for path in RELATED[name]:
                value = row
                for step in path.split("__"):
                    value = getattr(value, step)
                if value is not None:
                    named.add(path)
    assert named == set(RELATED[name]), "the test data names each related record at least once"
