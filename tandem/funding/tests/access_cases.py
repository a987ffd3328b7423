"""Direct cases of tandem.funding.access (see tandem/tests/test_access_functions.py): the rightful
user gets the Cebu City record, a coordinator of Manila (same country, no grant over Cebu City,
not the applicant, not a reviewer) does not."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tandem.funding import access, services
from tandem.funding.models import Application, Award, Call, FundingSource, ReviewAssignment
from tandem.tests.access_cases import Case, ids, manila_coordinator, q_rows

from . import factories as f

COVERED = [
    "application_q",
    "assignment_q",
    "award_q",
    "call_q",
    "manager_q",
    "match_q",
    "offer_q",
    "readable_request_q",
    "source_q",
    "visible_applications",
    "visible_assignments",
    "visible_awards",
    "visible_calls",
    "visible_documents",
    "visible_matches",
    "visible_offers",
    "visible_payments",
    "visible_receipts",
    "visible_reports",
    "visible_scores",
    "visible_sources",
    "visible_spend_lines",
    "visible_tranches",
]


def _document(w):
    from tandem.exchange.tests.conftest import PDF

    return services.document_add(actor=w.cso, application=f.draft_app(w), file=SimpleUploadedFile("plan.pdf", PDF))


def _score(w):
    assignment = f.assignment(w, declared=True)
    criteria = {c.pk: (4, "Good") for c in f.call(w).criteria.all()}
    return services.scores_save(actor=w.facilitator, assignment=assignment, scores=criteria)[0]


def _payment(w):
    award = f.award(w)
    return services.payment_record(
        actor=w.local, award=award, amount="20000", paid_on=timezone.localdate(), tranche=w.funding_tranche
    )


def _spend_line(w):
    award = f.award(w)
    lines = f.budget_ids(award.application)
    report = services.report_submit(
        actor=w.cso, report=w.funding_report, narrative="Two dialogues held.", lines={lines["Venue"]: "5000"}
    )
    return report.lines.get()


def build(w, name: str) -> Case:
    outsider = manila_coordinator(w)
    if name in ("call_q", "visible_calls"):
        rows = q_rows(Call, access.call_q) if name == "call_q" else (lambda u: ids(access.visible_calls(u)))
        return Case(rows, f.call(w), w.cso, outsider)
    if name == "manager_q":
        return Case(q_rows(Call, access.manager_q), f.call(w), w.local, outsider)
    if name in ("source_q", "visible_sources"):
        rows = (
            q_rows(FundingSource, access.source_q) if name == "source_q" else (lambda u: ids(access.visible_sources(u)))
        )
        return Case(rows, f.cebu_source(w), w.local, outsider)
    if name in ("application_q", "visible_applications"):
        rows = (
            q_rows(Application, access.application_q)
            if name == "application_q"
            else (lambda u: ids(access.visible_applications(u)))
        )
        return Case(rows, f.submitted(w), w.cso, outsider)
    if name == "visible_documents":
        return Case(lambda u: ids(access.visible_documents(u)), _document(w), w.cso, outsider)
    if name in ("assignment_q", "visible_assignments"):
        rows = (
            q_rows(ReviewAssignment, access.assignment_q)
            if name == "assignment_q"
            else (lambda u: ids(access.visible_assignments(u)))
        )
        return Case(rows, f.assignment(w), w.facilitator, outsider)
    if name == "visible_scores":
        return Case(lambda u: ids(access.visible_scores(u)), _score(w), w.facilitator, outsider)
    if name in ("award_q", "visible_awards"):
        rows = q_rows(Award, access.award_q) if name == "award_q" else (lambda u: ids(access.visible_awards(u)))
        return Case(rows, f.award(w), w.cso, outsider)
    if name == "visible_tranches":
        f.award(w)
        return Case(lambda u: ids(access.visible_tranches(u)), w.funding_tranche, w.cso, outsider)
    if name == "visible_payments":
        return Case(lambda u: ids(access.visible_payments(u)), _payment(w), w.cso, outsider)
    if name == "visible_reports":
        return Case(lambda u: ids(access.visible_reports(u)), f.report(w), w.cso, outsider)
    if name == "visible_receipts":
        return Case(lambda u: ids(access.visible_receipts(u)), f.receipt(w), w.cso, outsider)
    if name == "visible_spend_lines":
        return Case(lambda u: ids(access.visible_spend_lines(u)), _spend_line(w), w.cso, outsider)
    if name in ("offer_q", "visible_offers"):
        from tandem.funding.models import Offer

        # Offers are listed country-wide by design: the outsider is of another country.
        rows = q_rows(Offer, access.offer_q) if name == "offer_q" else (lambda u: ids(access.visible_offers(u)))
        return Case(rows, f.offer(w), w.cso, w.outsider)
    if name in ("match_q", "visible_matches"):
        from tandem.funding.models import Match

        rows = q_rows(Match, access.match_q) if name == "match_q" else (lambda u: ids(access.visible_matches(u)))
        return Case(rows, f.match(w), w.company, outsider)
    if name == "readable_request_q":
        from tandem.funding.models import Match

        return Case(q_rows(Match, access.readable_request_q), f.request_match(w), w.company, outsider)
    raise KeyError(name)
