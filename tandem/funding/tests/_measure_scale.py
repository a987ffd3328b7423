"""Not collected: run by path to measure the totals at scale (50,000 awards)."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core import services as core_services
from tandem.core.models import JurisdictionKind
from tandem.funding import selectors
from tandem.funding.models import Application, Award, BudgetLine, Payment, SpendLine, SpendReport

N = 50_000
PLACES = 200


def test_totals_at_scale(fw):
    places = [
        core_services.jurisdiction_create(
            actor=None, name=f"Barangay {i}", kind=JurisdictionKind.DISTRICT, parent=fw.cebu_city, audit=False
        )
        for i in range(PLACES)
    ]
    now = timezone.now()
    apps = Application.objects.bulk_create(
        Application(
            call=fw.funding_call,
            organisation=fw.cso_org,
            submitted_by=fw.cso,
            title=f"P{i}",
            summary="s",
            jurisdiction=places[i % PLACES],
            amount_requested=10000,
            status="awarded",
        )
        for i in range(N)
    )
    Application.plan_objectives.through.objects.bulk_create(
        Application.plan_objectives.through(application_id=a.pk, objective_id=fw.l1.pk) for a in apps
    )
    lines = BudgetLine.objects.bulk_create(BudgetLine(application=a, category="Venue", amount=10000) for a in apps)
    awards = Award.objects.bulk_create(
        Award(
            application=a,
            source=fw.fund,
            call=fw.funding_call,
            jurisdiction=a.jurisdiction,
            amount=10000,
            currency="PHP",
            awarded_at=now,
        )
        for a in apps
    )
    Payment.objects.bulk_create(Payment(award=w, amount=5000, paid_on=now.date(), recorded_by=fw.local) for w in awards)
    reports = SpendReport.objects.bulk_create(
        SpendReport(award=w, due_date=now.date(), submitted_at=now) for w in awards
    )
    SpendLine.objects.bulk_create(
        SpendLine(report=r, budget_line=b, amount=1000) for r, b in zip(reports, lines, strict=True)
    )
    selectors.totals(fw.national)  # warm
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        t = selectors.totals(fw.national)
        elapsed = time.perf_counter() - start
    ph = next(ln for ln in t.by_jurisdiction if ln.label == "Philippines")
    print(f"\nSCALE {N} awards, {PLACES} places: {len(ctx.captured_queries)} queries, {elapsed:.2f} s; {ph}")
    assert ph.committed == 10000 * N


def test_totals_on_the_demo(demo_world):
    from tandem.core.models import User

    national = User.objects.get(username="national.ke")
    selectors.totals(national)
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        selectors.totals(national)
        elapsed = time.perf_counter() - start
    print(f"\nDEMO totals: {len(ctx.captured_queries)} queries, {elapsed * 1000:.0f} ms")
