"""The national-scale dataset and its benchmark, at a tiny scale (figures are printed, never asserted)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.core.models import Jurisdiction, Organisation, Person, RoleAssignment, User
from tandem.core.scale import COUNTRY_CODE


def _generate(scale: float = 0.002, seed: int = 7) -> None:
    call_command("generate_scale", profile="national", scale=scale, seed=seed, stdout=io.StringIO())


@pytest.mark.django_db
def test_generate_scale_builds_a_country_with_four_levels_and_the_personas():
    _generate(seed=2)  # with this seed, a directory spread at random left a municipality without organisation
    country = Jurisdiction.objects.get(iso_code=COUNTRY_CODE)
    depths = set(Jurisdiction.objects.filter(path__startswith=country.path).values_list("depth", flat=True))
    assert depths == {country.depth, country.depth + 1, country.depth + 2, country.depth + 3}
    assert Organisation.objects.filter(jurisdiction__path__startswith=country.path).count() == 40  # 20,000 x 0.002
    assert Person.objects.filter(jurisdiction__path__startswith=country.path).count() >= 120
    roles = dict(
        RoleAssignment.objects.filter(user__username__startswith="scale.").values_list("user__username", "role")
    )
    assert roles == {
        "scale.national": "national_coordinator",
        "scale.regional": "regional_coordinator",
        "scale.local": "local_coordinator",
        "scale.member": "member",
    }
    # Every unit has an organisation of its own: a body's members and a persona's organisation are local,
    # never one organisation borrowed by every unit that had none (it sat on 1,499 bodies at x10).
    units = Jurisdiction.objects.filter(path__startswith=country.path)
    assert not units.exclude(pk__in=Organisation.objects.values("jurisdiction_id")).exists()
    from tandem.bodies.models import Membership

    members = Membership.objects.filter(body__jurisdiction__path__startswith=country.path)
    assert members.exists()
    assert not members.exclude(organisation__jurisdiction_id=F("body__jurisdiction_id")).exists()
    for grant in RoleAssignment.objects.filter(user__username__startswith="scale."):
        assert grant.organisation.jurisdiction_id == grant.jurisdiction_id


def _indexes_and_constraints() -> set[tuple[str, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace"
        )
        # A partial index's predicate is printed again in an equivalent form once rebuilt
        # (``IN (...)`` as ``= ANY (ARRAY[...])``): compare what it indexes, and that it is partial.
        return {(table, name, definition.split(" WHERE ")[0]) for table, name, definition in cursor.fetchall()}


@pytest.mark.django_db
def test_generate_scale_leaves_every_index_and_constraint_as_it_found_them():
    """On PostgreSQL the secondary indexes and unique constraints are dropped for the load and
    built again after it; the indicator values come from one INSERT ... SELECT. Both backends
    give the same values (hashed from the seed and the ids)."""
    from django.db import connection

    from tandem.plans.models import IndicatorValue

    before = _indexes_and_constraints() if connection.vendor == "postgresql" else set()
    _generate()
    if connection.vendor == "postgresql":
        assert _indexes_and_constraints() == before
    values = IndicatorValue.objects.count()
    assert values > 0
    from tandem.core.scale import hashed

    for value in IndicatorValue.objects.all()[:20]:
        assert value.value == hashed(f"7:{value.period_id}:{value.indicator_id}") % 200


@pytest.mark.django_db
def test_generate_scale_refuses_a_second_country_unless_asked_to_skip():
    _generate()
    with pytest.raises(CommandError, match="exists already"):
        _generate()
    out = io.StringIO()
    call_command("generate_scale", scale=0.002, if_missing=True, stdout=out)
    assert "nothing to do" in out.getvalue()


@pytest.mark.django_db
def test_bench_scale_signs_in_with_the_second_factor_and_prints_the_table():
    _generate()
    out = io.StringIO()
    call_command("bench_scale", persona=["scale.national", "scale.member"], repeat=1, warm=0, stdout=out)
    text = out.getvalue()
    rows = {tuple(line.split()[:4]) for line in text.splitlines()}
    # Pages, not the second-factor prompt: the national coordinator (who must use it) gets 200s.
    assert ("scale.national", "exchange_inbox", "list", "200") in rows
    assert ("scale.national", "plan_matrix", "dashboard", "200") in rows
    assert ("scale.national", "api/exchange/items", "list", "200") in rows
    assert ("scale.member", "audit_list", "list", "403") in rows
    # The global search, page and API, against its own target.
    assert ("scale.national", "search?q=report", "search", "200") in rows
    assert ("scale.member", "api/search?q=network", "search", "200") in rows
    # Detail pages, found through the links of their lists.
    for detail in ("organisation_detail", "person_detail", "body_detail", "meeting_detail", "action_item_detail"):
        assert ("scale.national", detail, "list", "200") in rows, detail
    for detail in ("plan_detail", "exchange_detail"):
        assert ("scale.national", detail, "list", "200") in rows, detail
    assert any(line.startswith("scale.national  floor") for line in text.splitlines())
    assert "within target" in text
    assert TOTPDevice.objects.filter(user=User.objects.get(username="scale.national"), name="bench").exists()


@pytest.mark.django_db
def test_generate_scale_writes_the_audit_trail_of_the_records_and_the_events_app():
    """A few audit events per record, of types the apps register, each naming a record at its
    jurisdiction; the same times and uuids on both backends (hashed from the seed and the ids).
    The national coordinator's home feed then has something to show."""
    from tandem.bodies.models import ActionItem
    from tandem.core.audit_scope import activity_feed, registered_types
    from tandem.core.models import AuditEvent
    from tandem.core.scale import _audit_time, hashed
    from tandem.events.models import Commitment, Event, Participant
    from tandem.funding.models import Application, Call

    _generate()
    types = set(AuditEvent.objects.values_list("object_type", flat=True).distinct())
    assert {"organisation", "person", "body", "meeting", "actionitem", "activity", "exchangeitem"} <= types
    assert {"event", "participant", "commitment", "call", "application", "libraryitem", "trainingneed"} <= types
    assert types <= set(registered_types())
    assert Event.objects.count() == 2 and Participant.objects.exists() and Commitment.objects.exists()
    assert Call.objects.exists() and Application.objects.exists()
    item = ActionItem.objects.select_related("body__jurisdiction").order_by("pk").first()
    trail = list(AuditEvent.objects.filter(object_type="actionitem", object_uuid=str(item.uuid)).order_by("created_at"))
    assert 1 <= len(trail) <= 3
    assert [e.action for e in trail] == ["create"] + ["update"] * (len(trail) - 1)
    assert {e.jurisdiction_path for e in trail} == {item.body.jurisdiction.path}
    assert trail[0].object_repr == item.title and trail[0].actor_id is not None
    assert trail[0].created_at == _audit_time(hashed(f"7:actionitem:{item.pk}"), 1)
    assert activity_feed(User.objects.get(username="scale.national"))


@pytest.mark.django_db
def test_generate_scale_fills_the_search_index_notifications_answers_awards_and_versions():
    """The newer apps' records the pages read: the global search index (what a rebuild makes of
    every record), the accounts' notifications (about records they may open), every statement
    answered, a final round's findings, awards with their payments, library versions and
    translations."""
    from django.db.models import Count, Sum

    from tandem.assessment.models import Answer, Assessment, Finding, Item, Respondent, Status
    from tandem.funding.models import Application, ApplicationStatus, Award, Payment, Tranche
    from tandem.library.models import ItemVersion, LibraryItem
    from tandem.notifications import selectors
    from tandem.notifications.models import Notification
    from tandem.search import index
    from tandem.search.models import SearchEntry

    _generate()
    fields = ("kind", "object_id", "url_uuid", "title", "summary", "body", "config", "jurisdiction_path", "year")
    generated = set(SearchEntry.objects.values_list(*fields))
    assert {"person", "action_item", "exchange_item", "event", "funding_call", "library_item", "assessment"} <= {
        entry[0] for entry in generated
    }
    index.rebuild()
    assert set(SearchEntry.objects.values_list(*fields)) == generated

    national = User.objects.get(username="scale.national")
    mine = Notification.objects.filter(recipient=national)
    assert {"exchange.item_received", "bodies.meeting_invitation"} <= set(mine.values_list("kind", flat=True))
    assert selectors.notifications(national).count() == mine.count()
    assert 0 < selectors.unread_count(national) < mine.count()
    assert not Notification.objects.filter(label__in=["TLP:RED", "TLP:AMBER+STRICT"]).exists()

    items = Item.objects.filter(competency__framework__assessments__isnull=False).distinct().count()
    answered = Respondent.objects.filter(submitted_at__isnull=False)
    assert answered.exists()
    assert set(answered.annotate(n=Count("answers")).values_list("n", flat=True)) == {items}
    assert not Answer.objects.filter(respondent__submitted_at__isnull=True).exists()
    assert set(Finding.objects.values_list("assessment__status", flat=True)) == {Status.FINAL}
    assert Assessment.objects.filter(status=Status.FINAL, findings__isnull=True).count() == 0

    awards = Award.objects.all()
    assert awards.count() == Application.objects.filter(status=ApplicationStatus.AWARDED).count() > 0
    for award in awards:
        assert Tranche.objects.filter(award=award).aggregate(s=Sum("amount"))["s"] == award.amount
        assert Payment.objects.filter(award=award).aggregate(s=Sum("amount"))["s"] == award.paid
        assert award.application.decided_at is not None and award.jurisdiction_id == award.application.jurisdiction_id

    for item in LibraryItem.objects.all():
        steps = list(ItemVersion.objects.filter(item=item).order_by("number").values_list("number", "status"))
        assert steps == [(1, "draft"), (2, "review"), (3, "published")] and item.version == 3
    groups = LibraryItem.objects.values("translation_group").annotate(n=Count("id"))
    assert {g["n"] for g in groups} == {1, 2}


@pytest.mark.django_db
def test_generate_scale_gives_every_item_its_type_and_sends_some_laterally_inside_one_level():
    """Reports and requests carry a type of their kind, as the compose form requires (guidance none);
    open requests for support are there for the funding app's needs; about one upward item in twenty
    goes sideways, to a neighbouring unit of the sender's level and an organisation in it, and passes
    the checks the exchange's services make of a sent item."""
    from django.db.models import Count

    from tandem.exchange.models import REPORT_SUBKINDS, REQUEST_SUBKINDS, Direction, ExchangeItem, Kind
    from tandem.exchange.services.addressing import _check_direction, addressees_of
    from tandem.exchange.services.drafts import _validate_content
    from tandem.funding.selectors import exchange_needs

    _generate(scale=0.005)
    subkinds = {
        (row["kind"], row["subkind"]): row["n"]
        for row in ExchangeItem.objects.values("kind", "subkind").annotate(n=Count("id"))
    }
    assert {s for k, s in subkinds if k == Kind.REQUEST} == set(REQUEST_SUBKINDS)
    assert {s for k, s in subkinds if k == Kind.REPORT} == set(REPORT_SUBKINDS)
    assert {s for k, s in subkinds if k == Kind.GUIDANCE} == {""}
    national = User.objects.get(username="scale.national")
    assert exchange_needs(national).filter(subkind="support").exists()
    # Needs carry every label in turn, as the other requests do: a partner's offer page shows the
    # GREEN and CLEAR ones to every coordinator of the country, not only AMBER ones to their addressees.
    need_labels = set(ExchangeItem.objects.filter(subkind__in=["support", "resources"]).values_list("tlp", flat=True))
    assert {"AMBER", "GREEN", "CLEAR"} <= need_labels, need_labels
    assert exchange_needs(User.objects.get(username="scale.regional")).filter(tlp="GREEN").exists()

    items = ExchangeItem.objects.select_related("jurisdiction")
    lateral = list(items.filter(direction=Direction.LATERAL).prefetch_related("recipients__organisation"))
    share = len(lateral) / items.exclude(direction=Direction.DOWN).count()
    assert 0.03 < share < 0.07, share
    assert {item.kind for item in lateral} == {Kind.REPORT, Kind.REQUEST}
    assert len({item.sender_id for item in lateral}) > 1
    for item in lateral:
        to = {r.kind: r for r in item.recipients.all()}
        assert set(to) == {"jurisdiction", "organisation"}
        unit = to["jurisdiction"].jurisdiction
        assert unit.depth == item.jurisdiction.depth and unit.pk != item.jurisdiction_id
        assert to["organisation"].organisation.jurisdiction_id == unit.pk
    for item in [*lateral[:20], *items.exclude(direction=Direction.LATERAL).order_by("id")[:60]]:
        errors = _validate_content(kind=item.kind, subkind=item.subkind, due_date=item.due_date, tlp=item.tlp)
        if item.kind == Kind.REQUEST:  # old requests' due dates lie in the past: only that is refused
            assert item.due_date is not None and set(errors) <= {"due_date"}, item.pk
        else:
            assert not errors, item.pk
        _check_direction(direction=item.direction, jurisdiction=item.jurisdiction, addressees=addressees_of(item))
        item.full_clean()


@pytest.mark.django_db
def test_generate_scale_adds_regional_plans_aligned_upward_and_leaves_some_activities_unaligned():
    """A regional plan in each region, its objectives aligned to national ones; every other local plan
    aligns to its region's plan and some of its activities to that plan's objectives (which the
    national matrix counts through the region); one local activity in twenty is aligned to nothing,
    and the matrix lists it as such."""
    from django.db.models import F, Q

    from tandem.plans import selectors
    from tandem.plans.models import ActionPlan, Activity, Alignment, IndicatorValue, PlanLevel

    _generate()
    country = Jurisdiction.objects.get(iso_code=COUNTRY_CODE)
    national = ActionPlan.objects.get(level=PlanLevel.NATIONAL, jurisdiction=country)
    regions = Jurisdiction.objects.filter(parent=country)
    regional = ActionPlan.objects.filter(level=PlanLevel.REGIONAL)
    assert sorted(regional.values_list("jurisdiction_id", flat=True)) == sorted(regions.values_list("pk", flat=True))
    assert set(regional.values_list("national_plan_id", flat=True)) == {national.pk}
    for plan in regional:
        aims = Alignment.objects.filter(plan=plan, local_objective__isnull=False)
        assert aims.count() == plan.objectives.count() > 0
        assert set(aims.values_list("national_objective__plan_id", flat=True)) == {national.pk}
    # The plan totals stay as the profile sets them (6 x 0.002 ... 3,000 at x1): the regions' plans count in them.
    assert ActionPlan.objects.count() == 6

    local = ActionPlan.objects.filter(level=PlanLevel.LOCAL)
    linked = local.filter(regional_plan__isnull=False).select_related("jurisdiction", "regional_plan__jurisdiction")
    assert 0 < linked.count() < local.count()
    for plan in linked:
        assert plan.jurisdiction.path.startswith(plan.regional_plan.jurisdiction.path)
    # Activities align only to objectives of their plan's national or regional plan (as alignment_set allows).
    stray = Alignment.objects.filter(activity__isnull=False).exclude(
        Q(national_objective__plan=F("plan__national_plan")) | Q(national_objective__plan=F("plan__regional_plan"))
    )
    assert not stray.exists()
    to_regional = Alignment.objects.filter(
        activity__plan__level=PlanLevel.LOCAL, national_objective__plan__level=PlanLevel.REGIONAL
    )
    assert to_regional.exists()

    activities = Activity.objects.filter(plan__level=PlanLevel.LOCAL)
    unaligned = activities.filter(alignments__isnull=True)
    assert 0.03 < unaligned.count() / activities.count() < 0.07
    assert not Activity.objects.filter(plan__level=PlanLevel.REGIONAL, alignments__isnull=True).exists()
    assert IndicatorValue.objects.filter(period__plan__level=PlanLevel.REGIONAL).exists()

    user = User.objects.get(username="scale.national")
    result = selectors.matrix(user, national, country, country.depth + 1)
    assert result.unaligned_count == unaligned.count()
    assert {a.pk for a in result.unaligned} <= set(unaligned.values_list("pk", flat=True)) and result.unaligned
    aligned = Activity.objects.filter(plan__national_plan=national, alignments__isnull=False).distinct().count()
    assert sum(result.objective_totals.values()) == aligned


class _Undo(Exception):
    pass


def _shape() -> dict[str, list[tuple]]:
    """What the benchmark reads of the exchange and the plans, by uuid and name (ids differ between runs)."""
    from tandem.exchange.models import ExchangeItem, ItemRecipient
    from tandem.plans.models import ActionPlan, Activity, Alignment

    def rows(queryset, *fields: str) -> list[tuple]:
        return sorted(queryset.values_list(*fields), key=repr)

    return {
        "items": rows(
            ExchangeItem.objects,
            "uuid",
            "kind",
            "subkind",
            "direction",
            "tlp",
            "title",
            "status",
            "sent_at",
            "jurisdiction__name",
        ),
        "recipients": rows(ItemRecipient.objects, "item__uuid", "kind", "jurisdiction__name", "organisation__name"),
        "plans": rows(ActionPlan.objects, "uuid", "level", "title", "jurisdiction__name", "regional_plan__uuid"),
        "activities": rows(Activity.objects, "uuid", "plan__uuid", "objective__uuid", "status"),
        "alignments": rows(Alignment.objects, "activity__uuid", "local_objective__uuid", "national_objective__uuid"),
    }


@pytest.mark.django_db
def test_generate_scale_gives_the_same_exchange_and_plans_on_every_run():
    """Two runs with one seed (the first undone) make the same items, recipients, plans and alignments."""
    import contextlib

    from django.db import transaction

    runs = []
    for _run in range(2):
        with contextlib.suppress(_Undo), transaction.atomic():
            _generate()
            runs.append(_shape())
            raise _Undo
    assert runs[0]["alignments"] and runs[0]["items"]
    assert runs[0] == runs[1]
