"""Funding records for the test world: a Cebu City call funded by a national fund.

Idempotent (``w.funding_call`` and the like are set once), so the permission matrices can call
these from their row lambdas and the tests through fixtures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tandem.funding import services
from tandem.plans.tests.factories import build_plans

LINES = [("Venue", "20000.00"), ("Facilitators", "30000.00")]


def call(w: Any) -> Any:
    if hasattr(w, "funding_call"):
        return w.funding_call
    build_plans(w)
    now = timezone.now()
    w.fund = services.source_create(
        actor=w.national,
        name="National Prevention Fund",
        kind="national_budget",
        jurisdiction=w.ph,
        amount="5000000",
        currency_code="PHP",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31),
        organisation=w.national_org,
    )
    w.funding_call = services.call_create(
        actor=w.local,
        jurisdiction=w.cebu_city,
        title="Cebu City youth dialogue grants",
        purpose="Local youth dialogue initiatives.",
        sources=[w.fund],
        budget="500000",
        min_grant="10000",
        max_grant="100000",
        currency_code="PHP",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        criteria=[("Relevance", "3", 5), ("Feasibility", "2", 5)],
        objectives=[w.l1],
        publishable=True,
    )
    return w.funding_call


def cebu_call(w: Any, *, actor: Any, title: str, opens_in_days: int = -1, **values: Any) -> Any:
    """Another call over Cebu City funded by the national fund, open for 30 days from
    ``opens_in_days`` days from now (``values``: other arguments of ``call_create``)."""
    call(w)
    now = timezone.now()
    fields = {
        "purpose": "Youth dialogues.",
        "budget": "300000",
        "min_grant": "10000",
        "max_grant": "50000",
        "criteria": [("Relevance", "3", 5)],
        **values,
    }
    return services.call_create(
        actor=actor,
        jurisdiction=w.cebu_city,
        title=title,
        sources=[w.fund],
        currency_code="PHP",
        opens_at=now + dt.timedelta(days=opens_in_days),
        closes_at=now + dt.timedelta(days=opens_in_days + 30),
        **fields,
    )


def draft(w: Any, *, user: Any = None, organisation: Any = None, title: str = "Barangay youth dialogues") -> Any:
    c = call(w)
    return services.application_save(
        actor=user or w.cso,
        call=c,
        organisation=organisation or w.cso_org,
        title=title,
        summary="Monthly dialogues in five barangays.",
        jurisdiction=w.cebu_city,
        amount_requested="50000",
        budget_lines=LINES,
        objectives=[w.l1],
    )


def draft_app(w: Any) -> Any:
    if not hasattr(w, "funding_draft"):
        w.funding_draft = draft(w, title="A draft")
    return w.funding_draft


def submitted(w: Any) -> Any:
    if hasattr(w, "funding_app"):
        return w.funding_app
    d = draft(w)
    w.funding_app = services.application_submit(actor=w.cso, application=d, expected_version=d.version)
    return w.funding_app


def assignment(w: Any, *, declared: bool = False) -> Any:
    if not hasattr(w, "funding_assignment"):
        w.funding_assignment = services.reviewer_assign(actor=w.local, application=submitted(w), reviewer=w.facilitator)
    if declared and not hasattr(w, "funding_declared"):
        w.funding_declared = services.conflict_declare(
            actor=w.facilitator, assignment=w.funding_assignment, has_conflict=False
        )
    return w.funding_assignment


def award(w: Any) -> Any:
    if hasattr(w, "funding_award"):
        return w.funding_award
    app = submitted(w)
    decided = services.application_decide(
        actor=w.local,
        application=app,
        expected_version=app.version,
        decision="awarded",
        amount="40000",
        source=w.fund,
        conditions="Quarterly reports",
    )
    w.funding_app = decided
    w.funding_award = decided.award
    w.funding_tranche = services.tranche_add(
        actor=w.local, award=w.funding_award, amount="20000", due_date=timezone.localdate()
    )
    w.funding_report = services.report_schedule(
        actor=w.local, award=w.funding_award, due_date=timezone.localdate() + dt.timedelta(days=60)
    )
    return w.funding_award


def report(w: Any) -> Any:
    award(w)
    return w.funding_report


def budget_ids(application: Any) -> dict[str, int]:
    from tandem.funding import selectors

    return {b.category: b.pk for b in selectors.budget_lines(application)}


D = Decimal


def offer(w: Any) -> Any:
    if not hasattr(w, "funding_offer"):
        from tandem.funding.services import offers

        w.funding_offer = offers.offer_create(
            actor=w.company,
            organisation=w.company_org,
            kind="jobs",
            title="Apprenticeships at the port",
            description="Ten apprenticeships a year for young people of Cebu City.",
            sectors=["youth"],
        )
    return w.funding_offer


def match(w: Any) -> Any:
    if not hasattr(w, "funding_match"):
        from tandem.funding.services import offers

        w.funding_match = offers.match_propose(
            actor=w.local, offer=offer(w), jurisdiction=w.cebu_city, need="Jobs for the youth centre's graduates"
        )
    return w.funding_match


def document(w: Any) -> Any:
    """A document of a submitted application (the applicants and the call's managers read it)."""
    if not hasattr(w, "funding_document"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tandem.exchange.tests.conftest import PDF

        d = draft(w, title="Youth dialogues with a plan")
        w.funding_document = services.document_add(
            actor=w.cso, application=d, file=SimpleUploadedFile("work-plan.pdf", PDF)
        )
        services.application_submit(actor=w.cso, application=d, expected_version=d.version)
    return w.funding_document


def receipt(w: Any) -> Any:
    """A receipt filed with a submitted spend report of the Cebu City award."""
    if not hasattr(w, "funding_receipt"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tandem.exchange.tests.conftest import PDF

        a = award(w)
        report = services.report_schedule(actor=w.local, award=a, due_date=timezone.localdate())
        lines = budget_ids(a.application)
        services.report_submit(
            actor=w.cso,
            report=report,
            narrative="First dialogues held.",
            lines={lines["Venue"]: "5000"},
            receipts=[SimpleUploadedFile("venue-receipt.pdf", PDF)],
        )
        w.funding_receipt = report.receipts.get()
    return w.funding_receipt


def bearer(user: Any) -> dict[str, str]:
    """Request headers with a fresh API token of ``user``."""
    from tandem.core import services as core_services

    return {"HTTP_AUTHORIZATION": f"Bearer {core_services.api_token_create(actor=user, name='t').secret}"}


def cebu_source(w: Any) -> Any:
    """A source owned by Cebu City (its coordinators and those above edit it)."""
    if not hasattr(w, "funding_cebu_source"):
        w.funding_cebu_source = _source_2026(
            actor=w.local, name="Cebu City youth budget line", jurisdiction=w.cebu_city, amount="100000"
        )
    return w.funding_cebu_source


def network_source(w: Any) -> Any:
    """A fund owned by the whole network (every coordinator below picks it)."""
    if not hasattr(w, "funding_network_source"):
        w.funding_network_source = _source_2026(
            actor=w.admin, name="Network peace fund", jurisdiction=w.network, amount="1000000"
        )
    return w.funding_network_source


def _source_2026(*, actor: Any, name: str, jurisdiction: Any, amount: str) -> Any:
    return services.source_create(
        actor=actor,
        name=name,
        kind="national_budget",
        jurisdiction=jurisdiction,
        amount=amount,
        currency_code="PHP",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )


def exchange_request(
    w: Any, *, tlp: str = "GREEN", title: str = "Support for the youth centre", organisations: Any = ()
) -> Any:
    """A request for support sent by Cebu City's coordinator through the exchange."""
    from tandem.exchange import services as exchange_services

    draft = exchange_services.draft_save(
        actor=w.local,
        jurisdiction=w.cebu_city,
        sender_organisation=w.city_hall,
        kind="request",
        subkind="support",
        direction="lateral",
        tlp=tlp,
        title=title,
        body="Mentors and a venue for twenty young people.",
        due_date=timezone.localdate() + dt.timedelta(days=14),
        addressees=exchange_services.Addressees(organisations=list(organisations) or [w.national_org]),
        uploads=[],
    )
    return exchange_services.item_send(
        actor=w.local,
        draft=draft,
        expected_version=draft.version,
        confirm_personal_data=True,
        no_agreement_reason="Test channel",
    )


def request_match(w: Any) -> Any:
    """A match of the company's offer to an AMBER request addressed to the company."""
    if not hasattr(w, "funding_request_match"):
        from tandem.funding.services import offers

        item = exchange_request(w, tlp="AMBER", title="Apprentices wanted", organisations=[w.company_org])
        w.funding_request_match = offers.match_propose(
            actor=w.local, offer=offer(w), jurisdiction=w.cebu_city, request=item
        )
    return w.funding_request_match


def accepted_match(w: Any) -> Any:
    """The Cebu City match, accepted by the company."""
    if not hasattr(w, "funding_accepted_match"):
        from tandem.funding.services import offers

        m = match(w)
        w.funding_accepted_match = offers.match_respond(
            actor=w.company, match=m, expected_version=m.version, accept=True
        )
    return w.funding_accepted_match
