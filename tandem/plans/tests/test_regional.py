"""The regional tier and budget currencies, as coordinators and partners meet them.

A region localises the national plan (its objectives align to national ones); a local plan
below may align to the regional plan, and its activities to the regional objectives. The
national matrix counts such an activity under the national objective the regional one serves.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core import services as core_services
from tandem.core.models import Role
from tandem.plans import access, selectors, services
from tandem.plans.models import ActionPlan, Activity, PlanLevel
from tandem.plans.tests.factories import build_regional


@pytest.fixture
def regional(world):
    return build_regional(world)


def _ncr_coordinator(w):
    """A regional coordinator of the other region (National Capital Region)."""
    user = core_services.User.objects.create_user(username="ncr", password="correct-horse-battery-staple")
    core_services.role_grant(actor=None, user=user, role=Role.REGIONAL_COORDINATOR, jurisdiction=w.ncr)
    return user


def test_the_region_manages_its_plan_the_local_coordinator_reads_it_other_regions_do_not_see_it(regional):
    w = regional
    plan = w.regional_plan
    assert access.can_edit_plan(w.regional, plan) and access.can_edit_plan(w.national, plan)
    assert access.visible_plans(w.local).filter(pk=plan.pk).exists()
    assert not access.can_edit_plan(w.local, plan)
    ncr = _ncr_coordinator(w)
    assert not access.visible_plans(ncr).filter(pk=plan.pk).exists()
    assert not access.visible_objectives(ncr).filter(pk=w.r1.pk).exists()
    for persona in ("member", "cso", "viewer", "facilitator", "outsider"):
        assert not access.visible_plans(getattr(w, persona)).filter(pk=plan.pk).exists(), persona


def test_plan_links_are_checked(regional):
    w = regional
    with pytest.raises(ValidationError) as exc:  # a regional plan implements the national plan
        services.plan_create(
            actor=w.regional,
            level=PlanLevel.REGIONAL,
            jurisdiction=w.visayas,
            title="No national plan",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
    assert "national_plan" in exc.value.message_dict
    manila = core_services.jurisdiction_create(actor=None, name="Pasig", kind="city", parent=w.ncr, audit=False)
    with pytest.raises(ValidationError) as exc:  # the regional plan of another region
        services.plan_create(
            actor=w.national,
            level=PlanLevel.LOCAL,
            jurisdiction=manila,
            national_plan=w.national_plan,
            regional_plan=w.regional_plan,
            title="Pasig plan",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
    assert "regional_plan" in exc.value.message_dict
    assert not ActionPlan.objects.filter(title="Pasig plan").exists()


def test_a_local_plan_aligns_to_regional_objectives_only_once_it_names_the_regional_plan(regional):
    w = regional
    other = services.plan_create(
        actor=w.local,
        level=PlanLevel.LOCAL,
        jurisdiction=w.cebu_city,
        national_plan=w.national_plan,
        title="Cebu City youth plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    objective = services.objective_create(actor=w.local, plan=other, code="Y1", text="Youth hubs")
    with pytest.raises(ValidationError):
        services.alignment_set(actor=w.local, plan=other, local_objective=objective, national_objectives=[w.r1])
    assert not objective.alignments.exists()
    # Choosing the regional plan opens its objectives; leaving it is refused while something aligns to it.
    other = services.plan_update(
        actor=w.local, plan=other, expected_version=other.version, regional_plan=w.regional_plan
    )
    services.alignment_set(actor=w.local, plan=other, local_objective=objective, national_objectives=[w.r1])
    with pytest.raises(ValidationError) as exc:
        services.plan_update(actor=w.local, plan=other, expected_version=other.version, regional_plan=None)
    assert "regional_plan" in exc.value.message_dict
    assert [o.code for o in access.alignment_targets(w.local, other)] == ["1.1", "1.2", "1.3", "R1"]


def test_national_matrix_counts_activities_through_the_region_and_the_regional_matrix_directly(regional):
    w = regional
    regional_activity = services.activity_create(actor=w.regional, plan=w.regional_plan, title="Interfaith caravan")
    services.alignment_set(
        actor=w.regional, plan=w.regional_plan, activity=regional_activity, national_objectives=[w.n3]
    )
    national = selectors.matrix(w.national, w.national_plan, w.ph, w.ph.depth + 1)
    totals = {o.code: national.objective_totals.get(o.pk, 0) for o in national.objectives}
    # The Cebu activity: 1.1 directly and 1.2 through R1; the region's own activity: 1.3.
    assert totals == {"1.1": 1, "1.2": 1, "1.3": 1}
    visayas_column = next(c for c in national.columns if c.pk == w.visayas.pk)
    assert national.cells[(w.n2.pk, visayas_column.pk)] == {"ongoing": 1}
    regional_matrix = selectors.matrix(w.regional, w.regional_plan, w.visayas, w.visayas.depth + 1)
    assert regional_matrix.objective_totals == {w.r1.pk: 1}
    assert [p.title for p in selectors.matrix_plans(w.local)] == [w.national_plan.title, w.regional_plan.title]


def test_matrix_page_of_a_regional_plan_hides_empty_rows_on_request(regional, as_user):
    w = regional
    services.objective_create(actor=w.regional, plan=w.regional_plan, code="R2", text="Nothing yet")
    client = as_user(w.regional)
    params = {"plan": str(w.regional_plan.uuid), "within": str(w.visayas.uuid), "depth": w.visayas.depth + 2}
    body = client.get(reverse("plan_matrix"), params).content.decode()
    assert "R2 Nothing yet" in body and "Cebu City" in body
    hidden = client.get(reverse("plan_matrix"), {**params, "empty": "hide"}).content.decode()
    assert "R2 Nothing yet" not in hidden and "R1 Interfaith councils" in hidden
    assert 'name="empty" value="hide" checked' in hidden  # the choice stays in the form (and the URL)
    response = client.get(reverse("plan_matrix"), {**params, "empty": "hide", "export": "csv"})
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "R2" not in export and "R1" in export and "Regional objective" in export


def test_partner_reading_the_local_plan_gets_no_regional_plan(regional, client):
    w = regional
    for user, expected in ((w.member, None), (w.local, "Central Visayas Regional Action Plan")):
        token = core_services.api_token_create(actor=user, name="t").secret
        response = client.get(f"/api/v1/plans/{w.cebu_plan.uuid}", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        regional_plan = response.json()["regional_plan"]
        assert (regional_plan and regional_plan["title"]) == expected
    listed = client.get(
        "/api/v1/plans?level=local",
        HTTP_AUTHORIZATION=f"Bearer {core_services.api_token_create(actor=w.member, name='l').secret}",
    ).json()
    assert all(p["regional_plan"] is None for p in listed["items"])


def test_objective_alignment_through_the_api(regional, client):
    w = regional
    token = core_services.api_token_create(actor=w.local, name="t").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    path = f"/api/v1/plans/objectives/{w.l1.uuid}/alignment"
    response = client.put(path, data=json.dumps({"national_objectives": [str(w.r1.uuid)]}), **headers)
    assert response.status_code == 200, response.content
    assert [a["national_objective"]["code"] for a in response.json()["alignments"]] == ["R1"]
    foreign = client.put(path, data=json.dumps({"national_objectives": [str(w.l1.uuid)]}), **headers)
    assert foreign.status_code == 422
    assert [a.national_objective.code for a in w.l1.alignments.all()] == ["R1"]


def test_create_a_regional_plan_and_align_a_local_plan_on_the_pages(world, as_user):
    from tandem.plans.tests.factories import build_plans

    w = build_plans(world)
    client = as_user(w.regional)
    response = client.post(
        reverse("plan_create"),
        {
            "level": "regional",
            "jurisdiction": str(w.visayas.uuid),
            "national_plan": str(w.national_plan.uuid),
            "title": "Visayas plan",
            "period_start": "2026-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert response.status_code == 302, response.content.decode()
    plan = ActionPlan.objects.get(title="Visayas plan")
    assert plan.level == PlanLevel.REGIONAL
    client = as_user(w.local)
    edit = client.get(reverse("plan_edit", args=[w.cebu_plan.uuid])).content.decode()
    assert "Visayas plan" in edit  # offered as the regional plan to align to
    data = {
        "version": w.cebu_plan.version,
        "title": w.cebu_plan.title,
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "visible_to_partners": "on",
        "regional_plan": str(plan.uuid),
    }
    assert client.post(reverse("plan_edit", args=[w.cebu_plan.uuid]), data).status_code == 302
    detail = client.get(reverse("plan_detail", args=[plan.uuid])).content.decode()
    assert "Local plans aligned to this regional plan" in detail and w.cebu_plan.title in detail


# --- Currency -------------------------------------------------------------------------------------


def test_a_budget_takes_the_country_currency_unless_given_and_bad_codes_are_refused(world):
    from tandem.plans.tests.factories import build_plans

    w = build_plans(world)
    assert Activity.objects.get(pk=w.activity.pk).currency == "PHP"  # the Philippines' peso by default
    usd = services.activity_create(actor=w.local, plan=w.cebu_plan, title="Donor", budget=Decimal(10), currency="usd")
    assert usd.currency == "USD"
    with pytest.raises(ValidationError) as exc:
        services.activity_create(actor=w.local, plan=w.cebu_plan, title="Bad", budget=Decimal(10), currency="ZZZ")
    assert "currency" in exc.value.message_dict
    assert not Activity.objects.filter(title="Bad").exists()
    unbudgeted = services.activity_create(actor=w.local, plan=w.cebu_plan, title="No money")
    assert unbudgeted.currency == ""


def test_currency_is_shown_with_the_budget_and_sent_by_the_api(world, as_user, client):
    from tandem.plans.tests.factories import build_plans

    w = build_plans(world)
    body = as_user(w.member).get(reverse("plan_detail", args=[w.cebu_plan.uuid])).content.decode()
    assert "150,000 PHP" in body
    token = core_services.api_token_create(actor=w.local, name="t").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    listed = client.get(f"/api/v1/plans/{w.cebu_plan.uuid}/activities", **headers).json()
    assert listed[0]["currency"] == "PHP"
    bad = client.patch(
        f"/api/v1/plans/activities/{w.activity.uuid}",
        data=json.dumps({"version": w.activity.version, "currency": "EURO"}),
        **headers,
    )
    assert bad.status_code == 422
    ok = client.patch(
        f"/api/v1/plans/activities/{w.activity.uuid}",
        data=json.dumps({"version": w.activity.version, "currency": "eur"}),
        **headers,
    )
    assert ok.status_code == 200 and ok.json()["currency"] == "EUR"


def test_a_budget_in_a_country_without_a_default_currency_asks_for_the_code(world):
    from tandem.core.models import JurisdictionKind
    from tandem.plans.tests.factories import build_plans

    w = build_plans(world)
    antarctica = core_services.jurisdiction_create(
        actor=None, name="Antarctica", kind=JurisdictionKind.COUNTRY, parent=w.network, iso_code="AQ", audit=False
    )
    national = services.plan_create(
        actor=w.admin,
        level=PlanLevel.NATIONAL,
        jurisdiction=antarctica,
        title="Antarctic plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    local = services.plan_create(
        actor=w.admin,
        level=PlanLevel.LOCAL,
        jurisdiction=core_services.jurisdiction_create(
            actor=None, name="McMurdo", kind=JurisdictionKind.OTHER, parent=antarctica, audit=False
        ),
        national_plan=national,
        title="McMurdo plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_create(actor=w.admin, plan=local, title="Station", budget=Decimal(5))
    assert "currency" in exc.value.message_dict and not Activity.objects.filter(title="Station").exists()
    given = services.activity_create(actor=w.admin, plan=local, title="Station", budget=Decimal(5), currency="USD")
    assert given.currency == "USD"


def test_national_matrix_places_each_plan_under_its_unit_at_the_chosen_depth(regional):
    """Columns by province (Cebu City's plan lies one level below its column) and by city (its own
    unit): the region's own activity is counted in the totals but in no column (its plan lies above
    the columns), Cebu City's in Cebu province's column and then in Cebu City's, nowhere else."""
    w = regional
    regional_activity = services.activity_create(actor=w.regional, plan=w.regional_plan, title="Interfaith caravan")
    services.alignment_set(
        actor=w.regional, plan=w.regional_plan, activity=regional_activity, national_objectives=[w.n3]
    )
    for unit, depth in ((w.cebu, w.ph.depth + 2), (w.cebu_city, w.ph.depth + 3)):
        m = selectors.matrix(w.national, w.national_plan, w.ph, depth)
        assert {o.code: m.objective_totals.get(o.pk, 0) for o in m.objectives} == {"1.1": 1, "1.2": 1, "1.3": 1}
        assert unit.pk in [c.pk for c in m.columns]
        assert m.cells == {(w.n1.pk, unit.pk): {"ongoing": 1}, (w.n2.pk, unit.pk): {"ongoing": 1}}
        assert m.objective_cells == {(w.n1.pk, unit.pk): 1}  # Cebu City's C1; the region's R1 lies above
        assert m.objective_alignment_totals == {w.n1.pk: 1, w.n2.pk: 1}


def test_matrix_counts_activities_aligned_to_nothing_beside_the_aligned_ones(regional):
    """Twenty-one activities aligned to nothing are counted (twenty listed); a local innovation and an
    activity aligned only to a regional objective are aligned; the counts of the aligned ones do not
    move, and the list is not read when nothing is unaligned."""
    w = regional
    innovation = services.activity_create(actor=w.local, plan=w.cebu_plan, title="Street art")
    services.alignment_set(actor=w.local, plan=w.cebu_plan, activity=innovation, local_innovation=True)
    through_region = services.activity_create(actor=w.local, plan=w.cebu_plan, title="Interfaith youth camp")
    services.alignment_set(actor=w.local, plan=w.cebu_plan, activity=through_region, national_objectives=[w.r1])
    with CaptureQueriesContext(connection) as aligned:
        m = selectors.matrix(w.national, w.national_plan, w.ph, w.ph.depth + 1)
    assert (m.unaligned_count, m.unaligned) == (0, [])
    assert {o.code: m.objective_totals.get(o.pk, 0) for o in m.objectives} == {"1.1": 1, "1.2": 2, "1.3": 0}
    for i in range(21):
        services.activity_create(actor=w.local, plan=w.cebu_plan, title=f"Loose end {i:02d}")
    with CaptureQueriesContext(connection) as loose:
        m = selectors.matrix(w.national, w.national_plan, w.ph, w.ph.depth + 1)
    assert m.unaligned_count == 21 and len(m.unaligned) == 20
    assert all(a.title.startswith("Loose end") for a in m.unaligned)
    assert {o.code: m.objective_totals.get(o.pk, 0) for o in m.objectives} == {"1.1": 1, "1.2": 2, "1.3": 0}
    assert len(loose.captured_queries) == len(aligned.captured_queries) + 1  # the list, read only now
    regional_matrix = selectors.matrix(w.regional, w.regional_plan, w.visayas, w.visayas.depth + 1)
    assert regional_matrix.unaligned_count == 21 and regional_matrix.objective_totals == {w.r1.pk: 2}
