"""Access rules of funding (built on :mod:`tandem.core.access`). Everything is filtered in SQL.

* Sources: coordinators whose scope covers the source's owner jurisdiction, and coordinators
  working below it (a county coordinator picks the national fund for a county call).
* Calls: their managers (the call's manager, and coordinators whose scope covers the call's
  jurisdiction) at any time; once open, every role whose grant lies inside the call's
  eligible subtree (the organisations eligible to apply); reviewers assigned to one of its
  applications.
* Applications: the applicant organisation's people (they act for it) and the author; the
  call's managers once submitted; a reviewer only for an assignment where the reviewer
  declared no conflict and has no link to the applicant organisation in the directory.
* Scores: their own reviewer and the call's managers (reviewers never see each other's).
* Awards, tranches, payments, reports: the grantee's people and the call's managers.

A record outside these rules answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tandem.core.access import COORDINATOR_RANK, READ_RANK, Actor, get_access, path_q

from .models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Award,
    Call,
    ConflictDeclaration,
    FundingSource,
    Match,
    Offer,
    Payment,
    Receipt,
    ReviewAssignment,
    Score,
    SpendLine,
    SpendReport,
    Tranche,
)

NOTHING = Q(pk__in=[])


def _ancestor_paths(paths: list[str]) -> list[str]:
    """Every path above and at ``paths``: '/1/7/42/' -> '/1/', '/1/7/', '/1/7/42/'."""
    result: set[str] = set()
    for path in paths:
        parts = path.strip("/").split("/")
        for end in range(1, len(parts) + 1):
            result.add("/" + "/".join(parts[:end]) + "/")
    return sorted(result)


def _managed(actor: Actor, prefix: str = "") -> Q:
    """Q on Call (``prefix`` leads to the call): the actor manages it."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return Q()
    condition = Q(**{f"{prefix}manager_id": access.pk})
    if paths:
        condition |= path_q(paths, f"{prefix}jurisdiction__path")
    return condition


def manager_q(actor: Actor) -> Q:
    """Q on Call: the calls the actor manages."""
    return _managed(actor)


def call_q(actor: Actor) -> Q:
    """Q on Call: managed calls, open calls eligible where the actor works, calls under review."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    managed = _managed(access)
    if not managed:
        return Q()
    eligible = Q(jurisdiction__path__in=_ancestor_paths(access.grant_paths(READ_RANK)), opens_at__lte=timezone.now())
    reviewing = Q(Exists(ReviewAssignment.objects.filter(reviewer_id=access.pk, application__call_id=OuterRef("pk"))))
    return managed | eligible | reviewing


def visible_calls(actor: Actor) -> QuerySet[Call]:
    return Call.objects.filter(call_q(actor)).select_related("jurisdiction", "manager")


def managed_calls(actor: Actor) -> QuerySet[Call]:
    return Call.objects.filter(manager_q(actor)).select_related("jurisdiction", "manager")


def source_q(actor: Actor) -> Q:
    """Q on FundingSource: coordinators over its jurisdiction or working below it."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return Q()
    if not paths:
        return NOTHING
    return path_q(paths, "jurisdiction__path") | Q(jurisdiction__path__in=_ancestor_paths(paths))


def visible_sources(actor: Actor) -> QuerySet[FundingSource]:
    return FundingSource.objects.filter(source_q(actor)).select_related("jurisdiction", "organisation")


def _own(actor: Actor, prefix: str = "") -> Q:
    """Q on Application: the applicant organisation's people and the author."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    return Q(**{f"{prefix}organisation_id__in": access.organisation_ids()}) | Q(
        **{f"{prefix}submitted_by_id": access.pk}
    )


def clear_assignments(actor: Actor) -> QuerySet[ReviewAssignment]:
    """The actor's assignments cleared for reading: declared without conflict, and no current
    directory link between the reviewer and the applicant organisation."""
    access = get_access(actor)
    if not access.is_active:
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(
        reviewer_id=access.pk, declaration__has_conflict=False, application__status__in=REVIEWABLE
    ).exclude(application__organisation_id__in=access.organisation_ids())


REVIEWABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.AWARDED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WAITLISTED,
)


def application_q(actor: Actor) -> Q:
    """Q on Application: own ones; the call's managers once submitted; cleared reviewers."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    managed = _managed(access, "call__")
    if not managed:
        return Q()
    return (
        _own(access)
        | (managed & ~Q(status=ApplicationStatus.DRAFT))
        | Q(id__in=clear_assignments(access).values("application_id"))
    )


def visible_applications(actor: Actor) -> QuerySet[Application]:
    return Application.objects.filter(application_q(actor)).select_related(
        "call", "call__jurisdiction", "organisation", "jurisdiction", "submitted_by"
    )


def visible_documents(actor: Actor) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(application__in=visible_applications(actor).values("id"))


def assignment_q(actor: Actor) -> Q:
    """Q on ReviewAssignment: the reviewer's own, and the call's managers."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    managed = _managed(access, "application__call__")
    if not managed:
        return Q()
    return Q(reviewer_id=access.pk) | managed


def visible_assignments(actor: Actor) -> QuerySet[ReviewAssignment]:
    return ReviewAssignment.objects.filter(assignment_q(actor)).select_related(
        "application", "application__call", "application__organisation", "reviewer"
    )


def visible_scores(actor: Actor) -> QuerySet[Score]:
    """Scores of the actor's own assignments, and all scores of the calls the actor manages."""
    return Score.objects.filter(assignment__in=visible_assignments(actor).values("id")).select_related("criterion")


def award_q(actor: Actor, prefix: str = "") -> Q:
    """Q on Award: the grantee's people and the call's managers.

    Written as two ``IN (subquery)`` conditions on the award's own columns (the managed calls,
    the actor's own applications) rather than joins: the database reads the award table alone,
    which keeps the totals one scan at 50,000 awards (see ``manage.py bench_funding``)."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    managed = _managed(access)
    if not managed:
        return Q()
    return Q(**{f"{prefix}call_id__in": Call.objects.filter(managed).values("id")}) | Q(
        **{f"{prefix}application_id__in": Application.objects.filter(_own(access)).values("id")}
    )


def visible_awards(actor: Actor) -> QuerySet[Award]:
    return Award.objects.filter(award_q(actor)).select_related(
        "application", "application__organisation", "call", "jurisdiction", "source"
    )


def visible_tranches(actor: Actor) -> QuerySet[Tranche]:
    return Tranche.objects.filter(award_q(actor, "award__")).select_related("award")


def visible_payments(actor: Actor) -> QuerySet[Payment]:
    return Payment.objects.filter(award_q(actor, "award__")).select_related("award", "tranche")


def visible_reports(actor: Actor) -> QuerySet[SpendReport]:
    return SpendReport.objects.filter(award_q(actor, "award__")).select_related("award")


def visible_receipts(actor: Actor) -> QuerySet[Receipt]:
    """Receipts of the spend reports the actor may read (the grantee's people, the call's managers)."""
    return Receipt.objects.filter(award_q(actor, "report__award__")).select_related("report__award__jurisdiction")


def visible_spend_lines(actor: Actor) -> QuerySet[SpendLine]:
    """Lines of the spend reports the actor may read (submitted or not)."""
    return SpendLine.objects.filter(award_q(actor, "report__award__"))


# --- Private-sector offers and matches --------------------------------------------------------


def offer_q(actor: Actor) -> Q:
    """Q on Offer: a partner's offers are listed to every role of the offer's country."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    return path_q(access.country_paths(), "jurisdiction__path")


def visible_offers(actor: Actor) -> QuerySet[Offer]:
    return Offer.objects.filter(offer_q(actor)).select_related("organisation", "jurisdiction")


def readable_request_q(actor: Actor, prefix: str = "") -> Q:
    """Q on Match: no exchange request behind it, or one the actor reads by the exchange's rule
    (TLP label and audience, :mod:`tandem.exchange.access`)."""
    from tandem.exchange import access as exchange_access

    readable = exchange_access.visible_sent_items(get_access(actor).user).values("id")
    return Q(**{f"{prefix}request__isnull": True}) | Q(**{f"{prefix}request_id__in": readable})


def partner_may_read(organisation_id: int, item: Any) -> bool:
    """Someone acting for the organisation may read the exchange item (by the exchange's rule):
    a match on a request is proposed to a partner only then."""
    from tandem.exchange import access as exchange_access

    acting = exchange_access.acting_users_condition([organisation_id], timezone.localdate())
    return bool(exchange_access.item_audience(item).filter(acting).exists())


def match_q(actor: Actor) -> Q:
    """Q on Match: the coordinators of the need's place, and the offering organisation's people
    (the company sees only what concerns it) — and, for a match on an exchange request, only
    those who may read that request: one they may not read never shows, not even its title."""
    access = get_access(actor)
    if not access.is_active:
        return NOTHING
    paths = access.scope_paths(COORDINATOR_RANK)
    if paths is None:
        return readable_request_q(access)
    condition = Q(offer__organisation_id__in=access.organisation_ids())
    if paths:
        condition |= path_q(paths, "jurisdiction__path")
    return condition & readable_request_q(access)


def visible_matches(actor: Actor) -> QuerySet[Match]:
    return Match.objects.filter(match_q(actor)).select_related(
        "offer", "offer__organisation", "jurisdiction", "request"
    )


# --- object rules (403 inside the scope) ---------------------------------------------------


def can_manage_call(actor: Actor, call: Call) -> bool:
    access = get_access(actor)
    return access.is_active and (call.manager_id == access.pk or access.rank_at(call.jurisdiction) >= COORDINATOR_RANK)


def require_manage_call(actor: Actor, call: Call) -> None:
    if not can_manage_call(actor, call):
        raise PermissionDenied


def can_open_call(actor: Actor, jurisdiction: Any) -> bool:
    return get_access(actor).rank_at(jurisdiction) >= COORDINATOR_RANK


def acts_for(actor: Actor, organisation_id: int) -> bool:
    """The actor acts for the organisation (current affiliation or a role on its behalf)."""
    access = get_access(actor)
    return access.is_active and access.organisation_ids().filter(id=organisation_id).exists()


def require_applicant(actor: Actor, application: Application) -> None:
    access = get_access(actor)
    if not (application.submitted_by_id == access.pk or acts_for(access, application.organisation_id)):
        raise PermissionDenied


def require_reviewer(actor: Actor, assignment: ReviewAssignment) -> None:
    if assignment.reviewer_id != get_access(actor).pk:
        raise PermissionDenied


def declaration_of(assignment: ReviewAssignment) -> ConflictDeclaration | None:
    try:
        return assignment.declaration
    except ConflictDeclaration.DoesNotExist:
        return None


__all__ = [
    "application_q",
    "assignment_q",
    "award_q",
    "call_q",
    "match_q",
    "offer_q",
    "readable_request_q",
    "clear_assignments",
    "manager_q",
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
