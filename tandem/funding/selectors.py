"""Reads of funding, built on :mod:`tandem.funding.access`: lists, ranking, totals, open data.

Totals are sums computed by the database, grouped by (key, currency): a fixed number of
queries whatever the number of jurisdictions, calls or awards. The roll-up up the
jurisdiction tree adds the grouped rows of each path to its ancestors (in Python, over at most
one row per jurisdiction and currency).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core.access import Actor

from . import access
from .models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Award,
    BudgetLine,
    Call,
    Criterion,
    FundingSource,
    Payment,
    Receipt,
    ReviewAssignment,
    Score,
    SpendReport,
    Tranche,
)

MONEY_FIELD = DecimalField(max_digits=20, decimal_places=4)
CENT = Decimal("0.01")


# --- calls and applications ----------------------------------------------------------------


def calls_for(actor: Actor, *, state: str = "") -> QuerySet[Call]:
    """The calls the actor sees; ``state``: "open", "closed", "upcoming" or everything."""
    now = timezone.now()
    qs = access.visible_calls(actor)
    if state == "open":
        qs = qs.filter(opens_at__lte=now, closes_at__gt=now)
    elif state == "closed":
        qs = qs.filter(closes_at__lte=now)
    elif state == "upcoming":
        qs = qs.filter(opens_at__gt=now)
    return qs.annotate(is_managed=Exists(access.managed_calls(actor).filter(pk=OuterRef("pk")))).order_by(
        "closes_at", "id"
    )


def applications_for(actor: Actor, *, call: Call | None = None, mine: bool = False) -> QuerySet[Application]:
    qs = access.visible_applications(actor)
    if call is not None:
        qs = qs.filter(call=call)
    if mine:
        a = core_access.get_access(actor)
        qs = qs.filter(Q(organisation_id__in=a.organisation_ids()) | Q(submitted_by_id=a.pk))
    return qs.order_by("-created_at", "id")


def criteria_of(call: Call) -> QuerySet[Criterion]:
    """A call's criteria (a part of the call: whoever sees the call sees them)."""
    return Criterion.objects.filter(call=call).order_by("position", "id")  # access-ok: part of a visible call


def max_points(call: Call) -> Decimal:
    total = criteria_of(call).aggregate(t=Sum(F("weight") * F("max_score"), output_field=MONEY_FIELD))["t"]
    return Decimal(total or 0)


def ranking(actor: Actor, call: Call) -> QuerySet[Application]:
    """The call's reviewed applications with, computed by the database, ``average`` (mean of the
    reviewers' weighted totals), ``high`` and ``low`` (the spread between reviewers), ``reviewers``.
    Only for the call's managers (the page checks it); ordered best first."""
    per_reviewer = (
        Score.objects.filter(assignment__application=OuterRef("pk"))  # access-ok: correlated to visible rows
        .values("assignment_id")
        .annotate(total=Sum(F("value") * F("criterion__weight"), output_field=MONEY_FIELD))
        .values("total")
    )
    weighted = Sum(
        F("assignments__scores__value") * F("assignments__scores__criterion__weight"), output_field=MONEY_FIELD
    )
    reviewers = Count("assignments", filter=Q(assignments__completed_at__isnull=False), distinct=True)
    return (
        access.visible_applications(actor)
        .filter(call=call)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .annotate(
            weighted=weighted,
            reviewers=reviewers,
            high=Subquery(per_reviewer.order_by("-total")[:1], output_field=MONEY_FIELD),
            low=Subquery(per_reviewer.order_by("total")[:1], output_field=MONEY_FIELD),
        )
        .annotate(
            # A mean of scores is not money: a float (SQLite would divide integers otherwise).
            average=ExpressionWrapper(
                Cast(F("weighted"), FloatField()) / NullIf(F("reviewers"), 0), output_field=FloatField()
            ),
            spread=F("high") - F("low"),
        )
        .order_by(F("average").desc(nulls_last=True), "id")
    )


# --- awards --------------------------------------------------------------------------------

ON_TRACK, OVERDUE, CLOSED = "on_track", "report_overdue", "closed"


def with_status(awards: QuerySet[Award]) -> QuerySet[Award]:
    """Annotate ``state``: closed, report overdue (a report past due and not submitted), on track;
    and ``paid`` (sum of payments) — all in the same query."""
    today = timezone.localdate()
    overdue = SpendReport.objects.filter(  # access-ok: correlated to visible awards
        award=OuterRef("pk"), submitted_at__isnull=True, due_date__lt=today
    )
    return awards.annotate(
        overdue=Exists(overdue),
        state=Case(
            When(closed_at__isnull=False, then=Value(CLOSED)),
            When(Exists(overdue), then=Value(OVERDUE)),
            default=Value(ON_TRACK),
            output_field=CharField(),
        ),
        closed=Case(When(closed_at__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def awards_for(actor: Actor, *, state: str = "") -> QuerySet[Award]:
    qs = with_status(access.visible_awards(actor))
    if state:
        qs = qs.filter(state=state)  # type: ignore[misc]
    return qs.order_by("-awarded_at", "id")


# --- totals --------------------------------------------------------------------------------


@dataclass
class Line:
    key: str
    label: str
    currency: str
    committed: Decimal = Decimal("0.00")
    disbursed: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    depth: int = 0


@dataclass
class Totals:
    by_jurisdiction: list[Line] = field(default_factory=list)
    by_source: list[Line] = field(default_factory=list)
    by_objective: list[Line] = field(default_factory=list)
    by_call: list[Line] = field(default_factory=list)
    in_kind: list[Line] = field(default_factory=list)
    by_currency: list[Line] = field(default_factory=list)


def _cents(value: Any) -> Decimal:
    """A database sum as a Decimal with two places (SQLite gives 40000 for 40000.00)."""
    return Decimal(value or 0).quantize(CENT)


def totals(actor: Actor) -> Totals:
    """Committed (awards), disbursed (payments) and spent (submitted spend reports) in the actor's
    view, per jurisdiction rolled up the tree, per source, per plan objective, per call, per currency;
    in-kind sources apart.

    Two scans of the visible awards, each one grouped sum in the database: one by (jurisdiction,
    source, call, currency), from which the jurisdiction, source, call and currency tables are
    added up here (at most one row per combination), and one by (plan objective, currency). The
    award carries its running ``paid`` and ``spent`` (kept by the payment and spend-report services
    under the award's row lock), so no payment or spend line is read. Then the names (jurisdictions,
    sources, calls, objectives) and the in-kind sums: a constant number of queries, pinned by a test."""
    awards: QuerySet[Any] = access.visible_awards(actor).select_related(None).order_by()
    sums = {"committed": Sum("amount"), "disbursed": Sum("paid"), "spent": Sum("spent")}
    combos: list[dict[str, Any]] = list(
        awards.values("jurisdiction__path", "source_id", "call_id", "currency").annotate(**sums)
    )
    by_objective: list[dict[str, Any]] = list(
        awards.filter(application__plan_objectives__isnull=False)
        .values("currency", objective_id=F("application__plan_objectives"))
        .annotate(**sums)
    )
    tables: dict[str, dict[tuple[Any, str], Line]] = {"jurisdiction": {}, "source": {}, "call": {}, "currency": {}}
    for row in combos:
        for name, key in (
            ("jurisdiction", row["jurisdiction__path"]),
            ("source", row["source_id"]),
            ("call", row["call_id"]),
            ("currency", row["currency"]),
        ):
            _add(tables[name], (key, row["currency"]), row)
    objectives: dict[tuple[Any, str], Line] = {}
    for objective_row in by_objective:
        _add(objectives, (objective_row["objective_id"], objective_row["currency"]), objective_row)
    result = Totals()
    result.by_jurisdiction = _roll_up(actor, tables["jurisdiction"])
    result.by_source = _labelled(tables["source"], _source_labels({k for k, _c in tables["source"]}))
    result.by_call = _labelled(tables["call"], _call_labels({k for k, _c in tables["call"]}))
    result.by_objective = _labelled(objectives, _objective_labels({k for k, _c in objectives}))
    result.by_currency = _labelled(tables["currency"], {c: (c, c) for c, _c in tables["currency"]})
    result.in_kind = [
        Line(row["in_kind_type"], row["in_kind_type"], row["currency"], committed=_cents(row["total"]))
        for row in access.visible_sources(actor)
        .select_related(None)
        .filter(in_kind=True)
        .values("in_kind_type", "currency")
        .annotate(total=Sum("amount"))
        .order_by("in_kind_type", "currency")
    ]
    return result


def _add(table: dict[tuple[Any, str], Line], key: tuple[Any, str], row: dict[str, Any]) -> None:
    line = table.setdefault(key, Line(str(key[0]), "", key[1]))
    line.committed += _cents(row["committed"])
    line.disbursed += _cents(row["disbursed"])
    line.spent += _cents(row["spent"])


def _labelled(table: dict[tuple[Any, str], Line], labels: dict[Any, tuple[str, str]]) -> list[Line]:
    """The lines with their public key (a uuid) and label, sorted by label then currency."""
    lines = []
    for (key, _currency), line in table.items():
        line.key, line.label = labels.get(key, (str(key), str(key)))
        lines.append(line)
    return sorted(lines, key=lambda x: (x.label, x.currency))


def _source_labels(ids: set[int]) -> dict[Any, tuple[str, str]]:
    rows = FundingSource.objects.filter(id__in=ids).values_list(
        "id", "uuid", "name"
    )  # access-ok: named by visible awards
    return {pk: (str(u), name) for pk, u, name in rows}


def _call_labels(ids: set[int]) -> dict[Any, tuple[str, str]]:
    rows = Call.objects.filter(id__in=ids).values_list("id", "uuid", "title")  # access-ok: named by visible awards
    return {pk: (str(u), title) for pk, u, title in rows}


def _objective_labels(ids: set[int]) -> dict[Any, tuple[str, str]]:
    from tandem.plans.models import Objective

    rows = Objective.objects.filter(id__in=ids).values_list("id", "uuid", "text")  # access-ok: named by visible awards
    return {pk: (str(u), text) for pk, u, text in rows}


def _roll_up(actor: Actor, table: dict[tuple[str, str], Line]) -> list[Line]:
    """Add each jurisdiction's sums to every ancestor the actor may see (one query for the names)."""
    ids: set[int] = set()
    for path, _cur in table:
        ids.update(int(part) for part in path.strip("/").split("/") if part)
    names = {j.path: j.name for j in core_access.visible_jurisdictions(actor).filter(id__in=ids).only("path", "name")}
    rolled: dict[tuple[str, str], Line] = {}
    for (path, cur), line in table.items():
        parts = path.strip("/").split("/")
        for end in range(1, len(parts) + 1):
            ancestor = "/" + "/".join(parts[:end]) + "/"
            if ancestor not in names:
                continue
            target = rolled.setdefault((ancestor, cur), Line(ancestor, names[ancestor], cur, depth=end))
            target.committed += line.committed
            target.disbursed += line.disbursed
            target.spent += line.spent
    return sorted(rolled.values(), key=lambda x: (x.key, x.currency))


def totals_rows(result: Totals) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for dimension, lines in (
        ("jurisdiction", result.by_jurisdiction),
        ("source", result.by_source),
        ("objective", result.by_objective),
        ("call", result.by_call),
        ("currency", result.by_currency),
    ):
        rows.extend([dimension, ln.label, ln.currency, ln.committed, ln.disbursed, ln.spent] for ln in lines)
    rows.extend(["in kind", ln.label, ln.currency, ln.committed, "", ""] for ln in result.in_kind)
    return rows


# --- 360Giving -----------------------------------------------------------------------------

GIVING_PREFIX = "360G-tandem-"
GIVING_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Beneficiary Location:Name",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
]


def giving_awards(actor: Actor) -> QuerySet[Award]:
    """Awards of publishable calls in the actor's view."""
    return (
        access.visible_awards(actor)
        .filter(call__publishable=True)
        .select_related("application__organisation", "source__organisation", "jurisdiction")
        .order_by("awarded_at", "id")
    )


def _coded_places(actor: Actor, awards: list[Award]) -> dict[int, Any]:
    """For each jurisdiction id on the awards' paths, the jurisdiction if it has an ISO code."""
    ids: set[int] = set()
    for award in awards:
        ids.update(int(p) for p in award.jurisdiction.path.strip("/").split("/") if p)
    return {j.pk: j for j in core_access.visible_jurisdictions(actor).filter(id__in=ids, iso_code__isnull=False)}


def giving_records(actor: Actor) -> list[dict[str, Any]]:
    """One 360Giving grant per award (the JSON package's field names). The beneficiary location is
    the nearest jurisdiction with an ISO 3166-2 code at or above the project's place (a county, not
    a village), so small localities are never published."""
    awards = list(giving_awards(actor))
    coded = _coded_places(actor, awards)
    grants = []
    for award in awards:
        application = award.application
        place = None
        for part in reversed([int(p) for p in award.jurisdiction.path.strip("/").split("/") if p]):
            if part in coded:
                place = coded[part]
                break
        funder = award.source.organisation
        grant: dict[str, Any] = {
            "id": f"{GIVING_PREFIX}{award.uuid}",
            "title": application.title,
            "description": application.summary,
            "currency": award.currency,
            "amountAwarded": award.amount,
            "awardDate": timezone.localtime(award.awarded_at).date().isoformat(),
            "recipientOrganization": [
                {"id": f"{GIVING_PREFIX}org-{application.organisation.uuid}", "name": application.organisation.name}
            ],
            "fundingOrganization": [
                {
                    "id": f"{GIVING_PREFIX}org-{funder.uuid}"
                    if funder
                    else f"{GIVING_PREFIX}source-{award.source.uuid}",
                    "name": funder.name if funder else award.source.name,
                }
            ],
        }
        if place is not None:
            grant["beneficiaryLocation"] = [{"name": place.name, "geoCode": place.iso_code, "geoCodeType": "ISO3166-2"}]
        grants.append(grant)
    return grants


def giving_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for g in records:
        location = (g.get("beneficiaryLocation") or [{}])[0]
        rows.append(
            [
                g["id"],
                g["title"],
                g["description"],
                g["currency"],
                g["amountAwarded"],
                g["awardDate"],
                g["recipientOrganization"][0]["id"],
                g["recipientOrganization"][0]["name"],
                g["fundingOrganization"][0]["id"],
                g["fundingOrganization"][0]["name"],
                location.get("name", ""),
                location.get("geoCode", ""),
                location.get("geoCodeType", ""),
            ]
        )
    return rows


def today() -> dt.date:
    return timezone.localdate()


# --- parts of records (read with their visible parent) -------------------------------------


def budget_lines(application: Application) -> QuerySet[BudgetLine]:
    """An application's budget lines with what was spent on each (submitted reports), one query."""
    spent = Sum("spend__amount", filter=Q(spend__report__submitted_at__isnull=False))
    return BudgetLine.objects.filter(application=application).annotate(spent=spent).order_by("id")  # access-ok: part


def documents(application: Application) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(application=application).defer("data")  # access-ok: part


def call_objectives(actor: Actor, call: Call) -> QuerySet[Any]:
    """The call's plan objectives the actor may read in the plans app."""
    from tandem.plans import access as plans_access

    linked = Call.plan_objectives.through.objects.filter(call_id=call.pk).values(
        "objective_id"
    )  # access-ok: link table
    return plans_access.visible_objectives(actor).filter(id__in=linked)


def call_activities(actor: Actor, call: Call) -> QuerySet[Any]:
    """The plan activities an application to ``call`` may name: those the actor may read under the
    call's objectives (the form's choices and its lookup's)."""
    from tandem.plans import access as plans_access

    return (
        plans_access.visible_activities(actor)
        .filter(objective__in=call_objectives(actor, call).values("id"))
        .order_by("title", "id")
    )


def application_activities(actor: Actor, application: Application) -> QuerySet[Any]:
    from tandem.plans import access as plans_access

    linked = Application.plan_activities.through.objects.filter(application_id=application.pk).values("activity_id")
    return plans_access.visible_activities(actor).filter(id__in=linked)


def application_objectives(actor: Actor, application: Application) -> QuerySet[Any]:
    from tandem.plans import access as plans_access

    linked = Application.plan_objectives.through.objects.filter(application_id=application.pk).values("objective_id")
    return plans_access.visible_objectives(actor).filter(id__in=linked)


def call_sources(actor: Actor, call: Call) -> QuerySet[FundingSource]:
    """The call's sources: names to whoever sees the call (a call states who funds it)."""
    linked = Call.sources.through.objects.filter(call_id=call.pk).values("fundingsource_id")  # access-ok: link
    return FundingSource.objects.filter(id__in=linked).order_by("name")  # access-ok: named by a visible call


def source_places(actor: Actor, source: FundingSource) -> QuerySet[Any]:
    """The jurisdictions a source may serve, as far as the actor sees them."""
    linked = FundingSource.serves.through.objects.filter(fundingsource_id=source.pk).values(
        "jurisdiction_id"
    )  # access-ok: link table
    return core_access.visible_jurisdictions(actor).filter(id__in=linked).order_by("path")


def assignments_of(actor: Actor, application: Application) -> QuerySet[ReviewAssignment]:
    return access.visible_assignments(actor).filter(application=application).select_related("declaration")


def my_assignments(actor: Actor) -> QuerySet[ReviewAssignment]:
    a = core_access.get_access(actor)
    return access.visible_assignments(a).filter(reviewer_id=a.pk).select_related("declaration").order_by("-id")


def scores_of(actor: Actor, assignment: ReviewAssignment) -> QuerySet[Score]:
    return access.visible_scores(actor).filter(assignment=assignment)


def released_comments(application: Application) -> list[str]:
    """Anonymised reviewer comments, when the call's manager released them (no reviewer names)."""
    if not application.call.release_comments or application.status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
    ):
        return []
    rows = Score.objects.filter(assignment__application=application).exclude(comment="")  # access-ok: released
    return [s.comment for s in rows.order_by("?")]


def tranches_of(actor: Actor, award: Award) -> QuerySet[Tranche]:
    paid = Sum("payments__amount")
    return access.visible_tranches(actor).filter(award=award).annotate(paid=paid).order_by("due_date", "id")


def payments_of(actor: Actor, award: Award) -> QuerySet[Payment]:
    return access.visible_payments(actor).filter(award=award).order_by("paid_on", "id")


def reports_of(actor: Actor, award: Award) -> QuerySet[SpendReport]:
    return access.visible_reports(actor).filter(award=award).order_by("due_date", "id")


def receipts_of(actor: Actor, award: Award) -> QuerySet[Receipt]:
    """The receipts filed with the award's spend reports (names only; the bytes stay behind)."""
    return (
        access.visible_receipts(actor)
        .filter(report__award=award)
        .select_related("report")
        .defer("data")
        .order_by("report__due_date", "id")
    )


def award_paid(actor: Actor, award: Award) -> Decimal:
    return _cents(payments_of(actor, award).aggregate(t=Sum("amount"))["t"])


# --- offers -------------------------------------------------------------------------------


def offers_for(actor: Actor, *, organisation: Any = None) -> QuerySet[Any]:
    qs = access.visible_offers(actor).filter(active=True)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("organisation__name", "title", "id")


def matches_for(actor: Actor, *, offer: Any = None) -> QuerySet[Any]:
    qs = access.visible_matches(actor)
    if offer is not None:
        qs = qs.filter(offer=offer)
    return qs.order_by("-created_at", "id")


def unfunded_activities(actor: Actor) -> QuerySet[Any]:
    """Plan activities in the actor's view without a budget: local needs an offer may meet."""
    from tandem.plans import access as plans_access

    return (
        plans_access.visible_activities(actor)
        .filter(budget__isnull=True)
        .exclude(status="cancelled")
        .order_by("title", "id")
    )


def exchange_needs(actor: Actor) -> QuerySet[Any]:
    """Open requests for support or resources of the exchange that the actor reads (by the
    exchange's own rule): needs a partner's offer may meet."""
    from tandem.exchange import access as exchange_access
    from tandem.exchange.models import NEED_SUBKINDS, OPEN_STATUSES, Kind

    user = core_access.get_access(actor).user
    return (
        exchange_access.visible_sent_items(user)
        .filter(kind=Kind.REQUEST, subkind__in=NEED_SUBKINDS, status__in=OPEN_STATUSES)
        .order_by("-sent_at", "-id")
    )
