"""Edits of calls and sources: what may change at each stage of a call, versions, confirmations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.core.versioning import VersionConflict
from tandem.funding import services
from tandem.funding.models import Call, Criterion, FundingSource

from . import factories as f


def _upcoming(w):
    return f.cebu_call(w, actor=w.local, title="Next year's grants", opens_in_days=10, objectives=[w.l1])


def _update(w, call, **values):
    return services.call_update(actor=w.local, call=call, expected_version=call.version, **values)


def test_before_it_opens_everything_may_change(fw):
    call = _upcoming(fw)
    edited = _update(
        fw,
        call,
        max_grant="80000",
        eligible_sectors=["youth"],
        criteria=[("Relevance", "2", 5), ("Reach", "1", 10)],
        objectives=[],
    )
    assert edited.version == call.version + 1
    assert edited.max_grant == Decimal("80000.00")
    assert [(c.name, c.weight, c.max_score) for c in Criterion.objects.filter(call=call)] == [
        ("Relevance", Decimal("2.00"), 5),
        ("Reach", Decimal("1.00"), 10),
    ]
    event = AuditEvent.objects.filter(object_uuid=str(call.uuid), action="update").get()
    assert event.changes["max_grant"] == ["50000.00", "80000.00"]
    assert event.changes["criteria"] == ["Relevance; 2.00; 5", "Reach; 1.00; 10"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"max_grant": "90000"}, "max_grant"),
        ({"min_grant": "5000"}, "min_grant"),
        ({"currency_code": "EUR"}, "currency_code"),
        ({"eligible_sectors": ["youth"]}, "eligible_sectors"),
        ({"criteria": [("Relevance", "1", 5)]}, "criteria"),
        ({"objectives": []}, "objectives"),
        ({"closes_at": "earlier"}, "closes_at"),
    ],
)
def test_an_open_call_keeps_what_applicants_rely_on(fw, values, field):
    call = fw.funding_call
    if values.get("closes_at") == "earlier":
        values = {"closes_at": call.closes_at - dt.timedelta(days=1)}
    with pytest.raises(ValidationError) as exc:
        _update(fw, call, **values)
    assert field in exc.value.message_dict
    fresh = Call.objects.get(pk=call.pk)
    assert fresh.version == call.version
    assert fresh.max_grant == call.max_grant and fresh.closes_at == call.closes_at


def test_an_open_call_takes_new_wording_a_later_closing_and_more_objectives(fw):
    call = fw.funding_call
    later = call.closes_at + dt.timedelta(days=7)
    edited = _update(fw, call, title="Cebu City youth dialogue grants 2026", closes_at=later, objectives=[fw.l1, fw.n1])
    assert edited.title == "Cebu City youth dialogue grants 2026"
    assert edited.closes_at == later
    assert set(edited.plan_objectives.all()) == {fw.l1, fw.n1}


def test_a_closed_call_is_never_reopened_and_its_budget_covers_the_awards(fw):
    f.award(fw)  # 40000 awarded
    call = Call.objects.get(pk=fw.funding_call.pk)
    call = services.call_close(actor=fw.local, call=call, expected_version=call.version)
    with pytest.raises(ValidationError) as exc:
        _update(fw, call, closes_at=timezone.now() + dt.timedelta(days=5))
    assert "closes_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _update(fw, call, budget="30000", max_grant="30000")
    assert "max_grant" in exc.value.message_dict
    edited = _update(fw, call, budget="100000", publishable=False)
    assert edited.budget == Decimal("100000.00") and not edited.publishable


def test_a_stale_version_is_refused_with_what_changed(fw):
    call = fw.funding_call
    _update(fw, call, title="First edit")
    with pytest.raises(VersionConflict) as exc:
        services.call_update(actor=fw.regional, call=call, expected_version=call.version, title="Second edit")
    assert exc.value.changed["title"][1] == "First edit"
    assert Call.objects.get(pk=call.pk).title == "First edit"


def test_only_the_call_managers_edit(fw):
    with pytest.raises(PermissionDenied):
        services.call_update(actor=fw.cso, call=fw.funding_call, expected_version=fw.funding_call.version, title="x")


def test_the_edit_page_greys_what_an_open_call_freezes_and_ignores_it(fw, as_user):
    call = fw.funding_call
    client = as_user(fw.local)
    url = reverse("funding_call_edit", args=[call.uuid])
    page = client.get(url).content.decode()
    assert "greyed fields can no longer change" in page
    assert 'name="max_grant"' in page and "disabled" in page
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if not form.fields[name].disabled}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    data.update(title="Renamed call", version=call.version, max_grant="99999")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    fresh = Call.objects.get(pk=call.pk)
    assert fresh.title == "Renamed call"
    assert fresh.max_grant == call.max_grant  # a disabled field's entry is ignored


def test_sources_keep_their_currency_once_used_and_cover_their_awards(fw):
    f.award(fw)
    fund = FundingSource.objects.get(pk=fw.fund.pk)
    with pytest.raises(ValidationError) as exc:
        services.source_update(actor=fw.national, source=fund, expected_version=fund.version, currency_code="EUR")
    assert "currency_code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.source_update(actor=fw.national, source=fund, expected_version=fund.version, amount="1000")
    assert "amount" in exc.value.message_dict
    edited = services.source_update(
        actor=fw.national, source=fund, expected_version=fund.version, name="National Prevention Fund 2026"
    )
    assert edited.version == fund.version + 1 and edited.name == "National Prevention Fund 2026"
    with pytest.raises(PermissionDenied):  # owned by the country: Cebu City's coordinator may not
        services.source_update(actor=fw.local, source=edited, expected_version=edited.version, name="x")


def test_the_source_edit_page_saves_and_shows_a_conflict(fw, as_user):
    source = f.cebu_source(fw)
    client = as_user(fw.local)
    url = reverse("funding_source_edit", args=[source.uuid])
    data = {
        "name": "Cebu City youth line",
        "kind": "national_budget",
        "amount": "120000",
        "currency_code": "PHP",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "version": source.version,
    }
    assert client.post(url, data).status_code == 302
    assert FundingSource.objects.get(pk=source.pk).amount == Decimal("120000.00")
    stale = client.post(url, {**data, "name": "Another name"})  # the same, now stale, version
    assert stale.status_code == 200
    assert stale.context["conflict"] is not None
    assert FundingSource.objects.get(pk=source.pk).name == "Cebu City youth line"


def test_closing_a_call_or_an_award_asks_for_confirmation_first(fw, as_user):
    award = f.award(fw)
    client = as_user(fw.local)
    call_url = reverse("funding_call_close", args=[fw.funding_call.uuid])
    page = client.get(call_url).content.decode()
    assert "never reopened" in page
    assert Call.objects.get(pk=fw.funding_call.pk).closes_at > timezone.now()  # nothing happened yet
    award_url = reverse("funding_award_close", args=[award.uuid])
    assert "cannot be reopened" in client.get(award_url).content.decode()
    award.refresh_from_db()
    assert award.closed_at is None
    client.post(award_url, {"version": award.version})
    award.refresh_from_db()
    assert award.closed_at is not None
