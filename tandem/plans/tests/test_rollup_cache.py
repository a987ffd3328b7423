"""The national roll-up is cached per reader (``selectors.cached_rollup``, on the dashboards' version
tokens, as the alignment matrix is): the cached page and API answer are those counted afresh, a value
reported, a period accepted or a new local plan shows on the next request, and readers of other roles
never get each other's entry."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tandem.core import services as core_services
from tandem.core.models import JurisdictionKind
from tandem.dashboards import cache
from tandem.dashboards.tests.test_cache import cached  # noqa: F401  (the fixture: the cache on, emptied)
from tandem.plans import services
from tandem.plans.tests.test_matrix_cache import _comparable
from tandem.plans.tests.test_rollup_levels import _four_levels, _report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached")]


def _page(client, **params: Any) -> str:
    response = client.get(reverse("plan_rollup"), params)
    assert response.status_code == 200
    return response.content.decode()


def _national_total(page: str) -> str:
    found = re.search(r'<strong id="national-total">([^<]*)</strong>', page)
    assert found, "the page shows no national total"
    return found.group(1)


@pytest.mark.parametrize(("persona", "params"), [("national", {}), ("regional", {}), ("national", {"accepted": "1"})])
def test_the_cached_page_and_api_answer_are_those_counted_afresh(world, as_user, settings, persona, params):
    w = _four_levels(world)
    user = w.personas[persona]
    token = core_services.api_token_create(actor=user, name="test").secret
    client = as_user(user)

    def api() -> dict[str, Any]:
        answer = client.get("/api/v1/plans/rollup", params, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert answer.status_code == 200
        return answer.json()

    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 0
    afresh, afresh_api = _page(client, **params), api()
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    assert _comparable(_page(client, **params)) == _comparable(afresh)  # counted and stored
    assert _comparable(_page(client, **params)) == _comparable(afresh)  # from the entry
    assert api() == afresh_api
    assert api() == afresh_api


def test_the_warm_page_reads_no_value(world, as_user, django_assert_num_queries):
    w = _four_levels(world)
    client = as_user(w.national)
    first = _page(client)
    # Session, user, grants, the indicators to choose from: the periods, values and units come from the entry.
    with django_assert_num_queries(4):
        again = _page(client)
    assert _comparable(again) == _comparable(first)
    assert _national_total(first) == "115.00"


def test_the_warm_api_answer_reads_no_value(world, client, django_assert_num_queries):
    w = _four_levels(world)
    token = core_services.api_token_create(actor=w.national, name="test").secret
    first = client.get("/api/v1/plans/rollup", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    # The token with its user, grants, the first indicator: the periods, values and units from the entry.
    with django_assert_num_queries(3):
        again = client.get("/api/v1/plans/rollup", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert again == first and first["total"] == "115.00"


def _new_value(w):
    _report(w, w.manila, "Manila second plan", Decimal(7))
    return "122.00"


def _new_unit_and_plan(w):
    bohol = core_services.jurisdiction_create(
        actor=None, name="Bohol", kind=JurisdictionKind.PROVINCE, parent=w.visayas, audit=False
    )
    _report(w, bohol, "Bohol plan", Decimal(3))
    return "118.00"


def _value_changed(w):
    from tandem.plans.models import IndicatorValue

    value = IndicatorValue.objects.get(period__plan__title="Manila plan")
    period = value.period
    services.period_reopen(actor=w.national, period=period, expected_version=period.version, reason="Typo")
    period.refresh_from_db()
    services.progress_save(
        actor=w.national,
        period=period,
        expected_version=period.version,
        values={value.indicator: (Decimal(20), "")},
        statuses={},
        submit=True,
    )
    return "75.00"


@pytest.mark.parametrize("write", [_new_value, _new_unit_and_plan, _value_changed])
def test_a_write_shows_on_the_next_request(world, as_user, write):
    w = _four_levels(world)
    client = as_user(w.national)
    assert _national_total(_page(client)) == "115.00"
    expected = write(w)
    assert _national_total(_page(client)) == expected


def test_a_new_period_label_shows_in_the_choice_on_the_next_request(world, as_user):
    w = _four_levels(world)
    client = as_user(w.national)
    assert "2026-Q2" not in _page(client)
    _report(w, w.manila, "Manila second plan", Decimal(7), label="2026-Q2")
    assert "2026-Q2" in _page(client)
    assert _national_total(_page(client, period="2026-Q2")) == "7.00"  # each period has its own entry
    assert _national_total(_page(client, period="2026-Q1")) == "115.00"


def test_the_regional_reader_never_gets_the_national_entry(world, as_user):
    w = _four_levels(world)
    assert _national_total(_page(as_user(w.national))) == "115.00"
    assert _national_total(_page(as_user(w.regional))) == "55.00"
    assert _national_total(_page(as_user(w.national))) == "115.00"


def test_an_accepted_period_shows_under_accepted_only(world, as_user):
    from tandem.plans.models import ReportingPeriod

    w = _four_levels(world)
    client = as_user(w.national)
    assert _national_total(_page(client)) == "115.00"  # submitted and accepted: a separate entry
    assert _national_total(_page(client, accepted="1")) == "—"
    period = ReportingPeriod.objects.get(plan__title="Manila plan")
    services.period_accept(actor=w.national, period=period, expected_version=period.version)
    assert _national_total(_page(client, accepted="1")) == "60.00"
