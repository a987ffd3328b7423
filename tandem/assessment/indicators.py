"""Evidence from activity: what Tandem already records for an assessed jurisdiction and round.

Each indicator is computed from the records the *reader* may see, and links to the list of those
records (filtered to the assessed jurisdiction) only when the reader may open it (the bodies', plans' and
exchange's own access rules), in the assessed jurisdiction and the units below it, during the
round (a round named by a year is that calendar year; otherwise the twelve months before the
assessment opened). An indicator whose source does not exist in Tandem yet is "not measured".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.access import Actor

from .models import Assessment

if TYPE_CHECKING:
    from tandem.plans.models import ActionPlan


@dataclass
class Indicator:
    label: str
    value: str | None  # None: not measured (no source in Tandem yet)
    url: str | None = None
    weak: bool | None = None  # True: little activity on record; False: clear activity; None: not judged

    @property
    def measured(self) -> bool:
        return self.value is not None


def divergence(median: float | None, found: list[Indicator]) -> str | None:
    """A note where the self-score and the records point in different directions."""
    if median is None:
        return None
    judged = [i for i in found if i.measured and i.weak is not None]
    if median >= 3 and any(i.weak for i in judged):
        return _("Respondents rate this high, but the records show little of it.")
    if median <= 1 and judged and not any(i.weak for i in judged):
        return _("Respondents rate this low, but the records show activity.")
    return None


def _link(actor: Actor, url_name: str, permission: str, found: int, **query: str) -> str | None:
    """A link to the list of the records behind an indicator, filtered to the assessed jurisdiction; only
    when the reader may open that list and sees at least one such record (nothing is linked otherwise)."""
    from urllib.parse import urlencode

    from tandem.core import permissions

    user = getattr(actor, "user", actor)
    if not found or not permissions.get(permission).allows(user):
        return None
    url = reverse(url_name)
    return f"{url}?{urlencode(query)}" if query else url


def round_period(assessment: Assessment) -> tuple[dt.date, dt.date]:
    label = assessment.round_label.strip()
    if len(label) == 4 and label.isdigit():
        year = int(label)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    end = timezone.localdate(assessment.created_at) if assessment.created_at else timezone.localdate()
    return end - dt.timedelta(days=365), end


def place_plans(actor: Actor, assessment: Assessment) -> list[ActionPlan]:
    """The plans of the assessed jurisdiction the reader may see, latest period first (one query; the
    detail page reads both its "Action plan" indicator and its follow-up links from it)."""
    from tandem.plans import access as plans_access

    return list(
        plans_access.visible_plans(actor)
        .filter(jurisdiction_id=assessment.jurisdiction_id)
        .order_by("-period_end", "id")
    )


def _counts(
    actor: Actor, assessment: Assessment, start: dt.date, end: dt.date, plans: list[ActionPlan] | None
) -> dict[str, Any]:
    """The figures behind the indicators, as the reader may see them: numbers, the latest plan's uuid and
    title, the roadmap stage's value (no label, no link: those are built per request, in the reader's
    language and permissions). Six queries; five when ``plans`` are given."""
    from tandem.bodies import access as bodies_access
    from tandem.bodies.models import ActionStatus, MeetingStatus
    from tandem.exchange import access as exchange_access
    from tandem.plans import access as plans_access

    path = assessment.jurisdiction.path
    within = {"body__jurisdiction__path__startswith": path}
    meetings = bodies_access.visible_meetings(actor).filter(
        status=MeetingStatus.HELD, starts_at__date__gte=start, starts_at__date__lte=end, **within
    )
    # Two numbers, not a row per body: the bodies that held one, and the meetings held.
    seen = meetings.order_by().aggregate(bodies=Count("body_id", distinct=True), held=Count("id"))
    # The rule and the place tested once per body, then the items of those bodies: from the items
    # due in the year, it tested each of them against the whole rule (x1: 56,555 items read for 38).
    due = bodies_access.visible_action_items_at(actor, Q(jurisdiction__path__startswith=path)).filter(
        due_date__gte=start, due_date__lte=end
    )
    counts = due.aggregate(
        total=Count("id"),
        on_time=Count("id", filter=Q(status=ActionStatus.DONE, completed_on__lte=F("due_date"))),
    )
    members = bodies_access.visible_memberships(actor).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end, **within
    )
    # ``order_by()``: the memberships' default ordering would otherwise join into the DISTINCT.
    sectors = sorted(set(members.order_by().values_list("sector", flat=True).distinct()))
    items = exchange_access.visible_sent_items(actor).filter(
        jurisdiction__path__startswith=path, sent_at__date__gte=start, sent_at__date__lte=end
    )
    directions = dict(items.values_list("direction").annotate(n=Count("id")).order_by())
    agreements = exchange_access.visible_agreements(actor).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=end), jurisdiction__path__startswith=path, valid_from__lte=end
    )
    if plans is None:
        plans = place_plans(actor, assessment)
    stage = (
        plans_access.visible_roadmap_changes(actor)
        .filter(jurisdiction_id=assessment.jurisdiction_id, date__lte=end)
        .order_by("-date", "-id")
        .values_list("stage", flat=True)
        .first()
    )
    return {
        "bodies": seen["bodies"],
        "held": seen["held"],
        "due": counts["total"],
        "on_time": counts["on_time"],
        "sectors": sectors,
        "directions": directions,
        "agreements": agreements.count(),
        "plan": (str(plans[0].uuid), plans[0].title) if plans else None,
        "stage": stage,
    }


def indicators(
    actor: Actor, assessment: Assessment, *, plans: list[ActionPlan] | None = None
) -> dict[str, list[Indicator]]:
    """The indicators of ``assessment`` for ``actor``. ``plans``: :func:`place_plans` of the same reader,
    when the caller has read them already.

    The figures are the reader's cache entry while it is valid (``tandem.dashboards.cache.place_entry``:
    per user and roles, the assessed place and the round's dates), dropped by any write of the apps'
    records (bodies, plans, ...) at the assessed place, below it or above it, by any exchange write, and
    by any change of who sees what; they count only records at the assessed place and below it."""
    from tandem.bodies.models import MeetingStatus
    from tandem.core.models import SECURITY_SECTORS, Sector
    from tandem.dashboards.cache import EXCHANGE, RECORDS, place_entry
    from tandem.plans.models import RoadmapStage

    start, end = round_period(assessment)
    place = assessment.jurisdiction
    found = place_entry(
        actor,
        "assessment-indicators",
        place.path,
        f"{place.pk}|{start.isoformat()}|{end.isoformat()}",
        lambda: _counts(actor, assessment, start, end, plans),
        topics=(RECORDS, EXCHANGE),
    )
    within_uuid = str(place.uuid)
    result: dict[str, list[Indicator]] = {}

    # coordination
    bodies_seen, held = found["bodies"], found["held"]
    quarters = max(1, round(((end - start).days + 1) / 91.25))
    meeting_value = f"{held / bodies_seen / quarters:.1f}" if bodies_seen else _("none recorded")
    total, on_time_count = found["due"], found["on_time"]
    on_time = f"{100 * on_time_count / total:.0f}% ({on_time_count}/{total})" if total else _("none recorded")
    result["coordination"] = [
        Indicator(
            _("Meetings held per body per quarter"),
            meeting_value,
            _link(actor, "meeting_list", "bodies.view", held, within=within_uuid, status=MeetingStatus.HELD),
            weak=not bodies_seen or held / bodies_seen / quarters < 1,
        ),
        Indicator(
            _("Action items due in the round done on time"),
            on_time,
            _link(actor, "action_item_list", "bodies.view", total, within=within_uuid),
            weak=(on_time_count / total < 0.5) if total else None,
        ),
    ]

    # inclusivity
    sectors = set(found["sectors"])
    security = len(sectors & set(SECURITY_SECTORS))
    result["inclusivity"] = [
        Indicator(
            _("Sectors represented in the jurisdiction's bodies"),
            str(len(sectors)) if sectors else _("none recorded"),
            _link(actor, "body_list", "bodies.view", len(sectors), within=within_uuid),
            weak=len(sectors) < 3,
        ),
        Indicator(
            _("Security / non-security sectors seated"),
            f"{security} / {len(sectors) - security}" if sectors else _("none recorded"),
        ),
        Indicator(
            _("Women's and youth organisations seated"),
            str(len(sectors & {Sector.WOMEN, Sector.YOUTH})) if sectors else _("none recorded"),
            weak=not sectors & {Sector.WOMEN, Sector.YOUTH},
        ),
    ]

    # communication and trust (the exchange)
    directions = found["directions"]
    exchange_url = _link(actor, "exchange_inbox", "exchange.read", sum(directions.values()))
    result["communication"] = [
        Indicator(
            _("Exchange items sent up / down"),
            f"{directions.get('up', 0)} / {directions.get('down', 0)}",
            exchange_url,
            weak=not directions.get("up") or not directions.get("down"),
        ),
        Indicator(_("Median time to acknowledge a request"), None),
    ]
    agreement_count = found["agreements"]
    result["trust"] = [
        Indicator(
            _("Lateral exchange items"),
            str(directions.get("lateral", 0)),
            exchange_url,
            weak=not directions.get("lateral"),
        ),
        Indicator(_("Sharing agreements in force"), str(agreement_count), weak=not agreement_count),
    ]

    # sustainability (plans)
    plan, stage = found["plan"], found["stage"]
    result["sustainability"] = [
        Indicator(
            _("Action plan"),
            plan[1] if plan is not None else _("none recorded"),
            reverse("plan_detail", kwargs={"uuid": plan[0]}) if plan is not None else None,  # a plan the reader sees
            weak=plan is None,
        ),
        Indicator(
            _("Roadmap stage"),
            str(RoadmapStage(stage).label) if stage is not None else _("none recorded"),
            weak=stage is None or stage in (RoadmapStage.NOT_STARTED, RoadmapStage.CONSULTATION),
        ),
    ]

    # capacity: no source in Tandem yet
    result["capacity"] = [Indicator(_("Training and staffing"), None)]
    return result
