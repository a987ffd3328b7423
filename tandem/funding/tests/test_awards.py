"""Awards: tranches, payments, spend reports, status; totals (query count pinned); 360Giving."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tandem.core import services as core_services
from tandem.core.models import Sector
from tandem.funding import selectors, services
from tandem.funding.models import Payment, SpendLine, Tranche

from . import factories as f


def test_tranches_never_add_up_to_more_than_the_award(fw):
    award = f.award(fw)  # 40000, a first tranche of 20000
    with pytest.raises(ValidationError) as exc:
        services.tranche_add(actor=fw.local, award=award, amount="20000.01", due_date=timezone.localdate())
    assert "amount" in exc.value.message_dict
    services.tranche_add(actor=fw.local, award=award, amount="20000", due_date=timezone.localdate())
    assert Tranche.objects.filter(award=award).count() == 2


def test_payments_never_go_beyond_the_award_or_the_tranche(fw):
    award = f.award(fw)
    with pytest.raises(ValidationError):
        services.payment_record(
            actor=fw.local, award=award, amount="20000.01", paid_on=timezone.localdate(), tranche=fw.funding_tranche
        )
    services.payment_record(actor=fw.local, award=award, amount="35000", paid_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.payment_record(actor=fw.local, award=award, amount="5000.01", paid_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.payment_record(actor=fw.local, award=award, amount="-1", paid_on=timezone.localdate())
    assert Payment.objects.count() == 1


def test_over_spend_of_a_budget_line_is_refused(fw):
    award = f.award(fw)
    lines = f.budget_ids(award.application)
    with pytest.raises(ValidationError, match="Over-spend"):
        services.report_submit(
            actor=fw.cso, report=fw.funding_report, narrative="n", lines={lines["Venue"]: "20000.01"}
        )
    assert SpendLine.objects.count() == 0
    services.report_submit(actor=fw.cso, report=fw.funding_report, narrative="n", lines={lines["Venue"]: "15000"})
    second = services.report_schedule(actor=fw.local, award=award, due_date=timezone.localdate())
    with pytest.raises(ValidationError, match="Over-spend"):
        services.report_submit(actor=fw.cso, report=second, narrative="n", lines={lines["Venue"]: "5000.01"})


def test_nothing_is_filed_on_a_closed_award(fw):
    award = f.award(fw)
    services.award_close(actor=fw.local, award=award, expected_version=award.version)
    lines = f.budget_ids(award.application)
    with pytest.raises(ValidationError, match="closed"):
        services.report_submit(actor=fw.cso, report=fw.funding_report, narrative="n", lines={lines["Venue"]: "1"})
    with pytest.raises(ValidationError, match="closed"):
        services.payment_record(actor=fw.local, award=award, amount="1", paid_on=timezone.localdate())
    assert selectors.awards_for(fw.local).get(pk=award.pk).state == selectors.CLOSED


def test_status_at_a_glance(fw):
    award = f.award(fw)
    assert selectors.awards_for(fw.cso).get(pk=award.pk).state == selectors.ON_TRACK
    with freeze_time(timezone.now() + dt.timedelta(days=61)):
        assert selectors.awards_for(fw.cso).get(pk=award.pk).state == selectors.OVERDUE
        assert list(selectors.awards_for(fw.cso, state=selectors.OVERDUE)) == [award]


def _more_awards(w, n, start=0):
    """``n`` more awards, each in a new place under Cebu City, with a payment and a spend report
    (numbered from ``start``: places, groups and projects keep distinct names)."""
    from tandem.core.models import JurisdictionKind

    for i in range(start, start + n):
        place = core_services.jurisdiction_create(
            actor=None, name=f"Barangay {i}", kind=JurisdictionKind.DISTRICT, parent=w.cebu_city, audit=False
        )
        org = core_services.organisation_create(
            actor=w.admin, jurisdiction=place, name=f"Youth group {i}", sector=Sector.YOUTH
        )
        from tandem.core.models import Role

        core_services.role_grant(actor=None, user=w.cso, role=Role.PARTNER, jurisdiction=place, organisation=org)
        d = f.draft(w, organisation=org, title=f"Project {i}")
        app = services.application_submit(actor=w.cso, application=d, expected_version=d.version)
        app = services.application_decide(
            actor=w.local,
            application=app,
            expected_version=app.version,
            decision="awarded",
            amount="10000",
            source=w.fund,
        )
        services.payment_record(actor=w.local, award=app.award, amount="5000", paid_on=timezone.localdate())
        report = services.report_schedule(actor=w.local, award=app.award, due_date=timezone.localdate())
        services.report_submit(actor=w.cso, report=report, narrative="n", lines={f.budget_ids(app)["Venue"]: "1000"})


def _count(actor):
    with CaptureQueriesContext(connection) as ctx:
        selectors.totals(actor)
    return len(ctx.captured_queries)


# Two grouped sums over the visible awards (by place, source, call and currency; by objective),
# the names of places, sources, calls and objectives (4), in kind (1); the grants are cached.
TOTALS_QUERIES = 7


def test_totals_roll_up_the_tree_per_currency_and_objective(fw):
    award = f.award(fw)
    services.payment_record(actor=fw.local, award=award, amount="20000", paid_on=timezone.localdate())
    lines = f.budget_ids(award.application)
    services.report_submit(actor=fw.cso, report=fw.funding_report, narrative="n", lines={lines["Venue"]: "7500.50"})
    t = selectors.totals(fw.national)
    by_place = {ln.label: ln for ln in t.by_jurisdiction}
    for name in ("Philippines", "Central Visayas", "Cebu", "Cebu City"):
        line = by_place[name]
        assert (line.currency, line.committed, line.disbursed, line.spent) == (
            "PHP",
            Decimal("40000"),
            Decimal("20000"),
            Decimal("7500.50"),
        )
    assert [(ln.label, ln.committed) for ln in t.by_objective] == [
        ("Youth centres in every barangay", Decimal("40000"))
    ]
    assert [(ln.label, ln.committed) for ln in t.by_source] == [("National Prevention Fund", Decimal("40000"))]
    assert [(ln.currency, ln.committed) for ln in t.by_currency] == [("PHP", Decimal("40000"))]
    # A coordinator of another country, and a partner without a share in the grant, see none of it.
    assert selectors.totals(fw.outsider).by_jurisdiction == []
    assert selectors.totals(fw.company).by_jurisdiction == []


def test_the_totals_query_count_does_not_grow_with_awards_or_jurisdictions(fw):
    f.award(fw)
    selectors.totals(fw.national)  # warm the grants
    first = _count(fw.national)
    _more_awards(fw, 4)
    assert _count(fw.national) == first
    assert first == TOTALS_QUERIES
    t = selectors.totals(fw.national)
    cebu_city = next(ln for ln in t.by_jurisdiction if ln.label == "Cebu City")
    assert cebu_city.committed == Decimal("80000") and cebu_city.spent == Decimal("4000")


def test_the_totals_page_and_export(fw, as_user):
    f.award(fw)
    client = as_user(fw.national)
    assert "Cebu City" in client.get(reverse("funding_totals")).content.decode()
    response = client.get(reverse("funding_totals_export", args=["csv"]))
    body = b"".join(response.streaming_content).decode()
    assert "jurisdiction,Cebu City,PHP,40000.00" in body
    assert client.get(reverse("funding_totals_export", args=["xlsx"])).status_code == 200


def test_360giving_export_of_publishable_calls_only(fw, as_user):
    f.award(fw)
    records = selectors.giving_records(fw.national)
    assert len(records) == 1
    grant = records[0]
    assert grant["currency"] == "PHP" and grant["amountAwarded"] == Decimal("40000.00")
    assert grant["recipientOrganization"][0]["name"] == "Visayas Youth Forum"
    assert grant["fundingOrganization"][0]["name"] == "Anti-Terrorism Council"
    # The place is published at the nearest level with an ISO code (the province), never the city.
    assert grant["beneficiaryLocation"] == [{"name": "Cebu", "geoCode": "PH-CEB", "geoCodeType": "ISO3166-2"}]
    response = as_user(fw.cso).get(reverse("funding_giving", args=["json"]))
    data = json.loads(response.content)
    assert data["grants"][0]["amountAwarded"] == 40000.0
    assert data["grants"][0]["id"].startswith("360G-tandem-")
    csv_body = b"".join(as_user(fw.cso).get(reverse("funding_giving", args=["csv"])).streaming_content).decode()
    assert "Identifier,Title,Description,Currency,Amount Awarded,Award Date" in csv_body
    assert selectors.giving_records(fw.outsider) == []
    fw.funding_call.publishable = False
    fw.funding_call.save(update_fields=["publishable"])
    assert selectors.giving_records(fw.national) == []


def test_the_totals_page_query_count_does_not_grow_either(fw, as_user):
    f.award(fw)
    client = as_user(fw.national)
    client.get(reverse("funding_totals"))  # warm

    def page_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("funding_totals")).status_code == 200
        return len(ctx.captured_queries)

    first = page_queries()
    _more_awards(fw, 3)
    assert page_queries() == first


def test_an_award_keeps_its_running_paid_and_spent_in_step(fw):
    from django.db.models import Sum

    award = f.award(fw)
    services.payment_record(actor=fw.local, award=award, amount="12000.50", paid_on=timezone.localdate())
    services.payment_record(actor=fw.local, award=award, amount="7999.50", paid_on=timezone.localdate())
    lines = f.budget_ids(award.application)
    services.report_submit(
        actor=fw.cso,
        report=fw.funding_report,
        narrative="n",
        lines={lines["Venue"]: "3000", lines["Facilitators"]: "250.25"},
    )
    award.refresh_from_db()
    assert award.paid == Payment.objects.filter(award=award).aggregate(t=Sum("amount"))["t"] == Decimal("20000.00")
    assert award.spent == SpendLine.objects.filter(report__award=award).aggregate(t=Sum("amount"))["t"]
    assert award.spent == Decimal("3250.25")
    with pytest.raises(ValidationError):  # refused: nothing added to the running sum either
        services.payment_record(actor=fw.local, award=award, amount="30000", paid_on=timezone.localdate())
    award.refresh_from_db()
    assert award.paid == Decimal("20000.00")


# The page's queries (the session, the user and their grants included): the awards of the page
# with their status, and their count. Measured with more awards than a page holds.
AWARDS_PAGE_QUERIES = 5


def test_the_awards_list_query_count_does_not_grow_with_awards(fw, as_user, settings, django_assert_max_num_queries):
    settings.TANDEM_PAGE_SIZE = 2
    f.award(fw)
    _more_awards(fw, 2)
    client = as_user(fw.national)
    client.get(reverse("funding_awards"))  # warm
    with django_assert_max_num_queries(AWARDS_PAGE_QUERIES):
        page = client.get(reverse("funding_awards")).content.decode()
    assert "3 results" in page
    _more_awards(fw, 4, start=2)
    with django_assert_max_num_queries(AWARDS_PAGE_QUERIES):
        page = client.get(reverse("funding_awards")).content.decode()
    assert "7 results" in page and page.count('<th scope="row">') == 2
