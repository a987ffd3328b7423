"""Demo data of tandem.plans, built by ``manage.py load_demo`` after the core directory.

* Kenya: a national strategy with nine pillars (psychosocial, education,
  political, security, faith-based and ideological, training and capacity
  building, arts and culture, legal and policy, media and online) and county
  action plans for Mombasa, Kwale, Kilifi and Lamu at different roadmap stages,
  with two years of quarterly progress (older quarters accepted, recent ones
  submitted or in draft).
* Indonesia: a national action plan 2020–2024 with three pillars, regional plans
  of four provinces (East Java, Central Java, West Java, South Sulawesi) and
  Surabaya's city plan, aligned to East Java's regional plan.
* The Philippines: a national plan, Central Visayas' regional plan and all 17
  regions on the localisation roadmap.
* North Macedonia: a national strategy and the Centar municipality's plan with its
  progress, both shared with partners (the viewer persona's content).

Plan titles and objectives are written for the demo; they are not the official
texts. Everything goes through :mod:`tandem.plans.services` (audited).
Deterministic: ``random.Random(seed)``; no dates depend on today.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from tandem.core.models import Jurisdiction, Organisation, User

from . import services
from .models import ActionPlan, PlanLevel, RoadmapStage

KENYA_PILLARS = [
    (
        "P1",
        "Psychosocial",
        ["Psychosocial support for returnees, families and victims", "Community mental-health referral pathways"],
    ),
    (
        "P2",
        "Education",
        [
            "Resilience and critical thinking in schools and madrasas",
            "Keep at-risk young people in education and training",
        ],
    ),
    (
        "P3",
        "Political",
        ["Inclusive local governance and youth participation", "Address grievances through county dialogue"],
    ),
    (
        "P4",
        "Security",
        ["Community policing grounded in human rights", "Early warning shared between county and national actors"],
    ),
    (
        "P5",
        "Faith-based and ideological",
        ["Religious leaders counter extremist narratives", "Interfaith councils in every county"],
    ),
    (
        "P6",
        "Training and capacity building",
        ["Train frontline workers on P/CVE", "Build county coordination capacity"],
    ),
    (
        "P7",
        "Arts and culture",
        ["Use arts, sport and culture to build belonging", "Celebrate local heritage and diversity"],
    ),
    (
        "P8",
        "Legal and policy",
        ["Align county laws and policies with the strategy", "Access to justice and legal aid for affected families"],
    ),
    ("P9", "Media and online", ["Credible counter-messaging online", "Media literacy for young people"]),
]
KENYA_INDICATORS = [
    ("People reached by P/CVE awareness activities", "people", True),
    ("Community dialogue forums held", "count", True),
    ("Frontline workers trained", "people", True),
    ("Residents who trust the police (survey)", "percent", False),
]

# county ISO code -> (roadmap history, has a plan, number of progress quarters, accepted up to)
KENYA_COUNTIES: dict[str, tuple[list[tuple[str, dt.date]], bool]] = {
    "KE-28": (
        [
            ("consultation", dt.date(2023, 3, 6)),
            ("drafted", dt.date(2023, 9, 18)),
            ("adopted", dt.date(2024, 2, 12)),
            ("implementing", dt.date(2024, 7, 1)),
        ],
        True,
    ),
    "KE-19": (
        [
            ("consultation", dt.date(2023, 5, 2)),
            ("drafted", dt.date(2023, 11, 20)),
            ("adopted", dt.date(2024, 4, 8)),
            ("implementing", dt.date(2024, 8, 5)),
        ],
        True,
    ),
    "KE-14": (
        [("consultation", dt.date(2023, 8, 14)), ("drafted", dt.date(2024, 3, 4)), ("adopted", dt.date(2024, 9, 30))],
        True,
    ),
    "KE-21": ([("consultation", dt.date(2024, 1, 22)), ("drafted", dt.date(2024, 10, 14))], True),
    "KE-07": ([("consultation", dt.date(2024, 6, 10))], False),
    "KE-30": ([("consultation", dt.date(2025, 2, 17))], False),
}

QUARTERS = [(2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]


def _quarter(year: int, q: int) -> tuple[str, dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return f"{year}-Q{q}", start, end


def _user(username: str, fallback: User) -> User:
    return User.objects.filter(username=username, is_active=True).first() or fallback


def _place(code: str) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(iso_code=code).first()


def _body(jurisdiction: Jurisdiction) -> Any:
    from tandem.bodies.models import Body

    return Body.objects.filter(jurisdiction=jurisdiction, archived_at__isnull=True).order_by("id").first()


def _orgs(jurisdiction: Jurisdiction) -> list[Organisation]:
    """Organisations of the unit, else of its country (for responsible and partner choices)."""
    local = list(
        Organisation.objects.filter(
            jurisdiction__path__startswith=jurisdiction.path, archived_at__isnull=True
        ).order_by("name")
    )
    if local:
        return local
    return list(
        Organisation.objects.filter(
            jurisdiction__path__startswith=jurisdiction.country_path, archived_at__isnull=True
        ).order_by("name")[:12]
    )


class _Builder:
    def __init__(self, admin: User, seed: int) -> None:
        self.admin = admin
        self.rng = random.Random(seed)
        self.counts = {"plans": 0, "activities": 0, "periods": 0, "values": 0, "roadmap_changes": 0}

    def national(
        self,
        *,
        actor: User,
        country: Jurisdiction,
        title: str,
        instrument: str,
        start: dt.date,
        end: dt.date,
        pillars: list[tuple[str, str, list[str]]],
        indicators: list[tuple[str, str, bool]],
    ) -> ActionPlan:
        plan = services.plan_create(
            actor=actor,
            level=PlanLevel.NATIONAL,
            jurisdiction=country,
            title=title,
            legal_instrument=instrument,
            period_start=start,
            period_end=end,
            visible_to_partners=True,
            summary="Demo data: the structure follows the national strategy; the wording is written for this demo.",
        )
        self.counts["plans"] += 1
        for position, (code, name, objectives) in enumerate(pillars, start=1):
            pillar = services.pillar_create(actor=actor, plan=plan, code=code, title=name, position=position)
            for n, text in enumerate(objectives, start=1):
                services.objective_create(actor=actor, plan=plan, code=f"{position}.{n}", text=text, pillar=pillar)
        for name, unit, additive in indicators:
            services.indicator_create(
                actor=actor, plan=plan, name=name, unit=unit, additive=additive, frequency="quarterly"
            )
        return plan

    def local(
        self,
        *,
        actor: User,
        reviewer: User,
        national: ActionPlan,
        place: Jurisdiction,
        title: str,
        start: dt.date,
        end: dt.date,
        quarters: list[tuple[int, int]],
        accepted: int,
        submitted: int,
        unaligned: int = 0,
        visible: bool = True,
        level: str = PlanLevel.LOCAL,
        regional: ActionPlan | None = None,
    ) -> ActionPlan:
        rng = self.rng
        plan = services.plan_create(
            actor=actor,
            level=level,
            jurisdiction=place,
            national_plan=national,
            regional_plan=regional,
            title=title,
            period_start=start,
            period_end=end,
            owner_body=_body(place),
            visible_to_partners=visible,
            legal_instrument=f"Adopted by the {place.name} assembly",
        )
        self.counts["plans"] += 1
        national_objectives = list(national.objectives.order_by("code"))
        # Leave the last national objective unaddressed everywhere: a visible gap in the matrix.
        pool = national_objectives[:-1]
        chosen = rng.sample(pool, k=min(4, len(pool)))
        # A local plan under a regional plan aligns to the regional objective that localises a
        # national one where there is one (the national matrix still counts it, through the region).
        regional_of = {
            a.national_objective_id: a.local_objective
            for a in (regional.alignments.filter(local_objective__isnull=False) if regional else [])
            if a.national_objective_id
        }
        locals_ = []
        for n, target in enumerate(chosen, start=1):
            objective = services.objective_create(
                actor=actor, plan=plan, code=f"L{n}", text=f"{place.name}: {target.text}"
            )
            aims = [regional_of.get(target.pk, target)]
            services.alignment_set(actor=actor, plan=plan, local_objective=objective, national_objectives=aims)
            locals_.append((objective, target))
        innovation = services.objective_create(
            actor=actor,
            plan=plan,
            code=f"L{len(chosen) + 1}",
            text=f"{place.name}: neighbourhood peace committees (local innovation)",
        )
        services.alignment_set(actor=actor, plan=plan, local_objective=innovation, local_innovation=True)
        orgs = _orgs(place)
        activity_titles = [
            "Youth mentorship programme",
            "Interfaith dialogue series",
            "Training of community health volunteers",
            "Radio call-in show on resilience",
            "School clubs on critical thinking",
            "Community policing barazas",
            "Arts and sports festival",
            "Returnee family support desk",
        ]
        activities = []
        for i, activity_title in enumerate(rng.sample(activity_titles, k=6)):
            objective, target = locals_[i % len(locals_)]
            budget = Decimal(rng.randrange(5, 80) * 50_000) if place.country_path else None
            activity = services.activity_create(
                actor=actor,
                plan=plan,
                title=activity_title,
                objective=objective,
                responsible_org=orgs[i % len(orgs)] if orgs else None,
                partner_orgs=[orgs[(i + 1) % len(orgs)]] if len(orgs) > 1 else [],
                budget=budget,
                budget_source=rng.choice(
                    ["County budget", "National grant", "Donor programme", "Private sector partner"]
                ),
                start_date=start + dt.timedelta(days=30 * i),
                end_date=end - dt.timedelta(days=30 * i),
                status=rng.choice(["planned", "ongoing", "ongoing", "ongoing", "completed"]),
            )
            targets = [regional_of.get(target.pk, target)] + (
                [national_objectives[(national_objectives.index(target) + 1) % (len(national_objectives) - 1)]]
                if i % 3 == 0
                else []
            )
            services.alignment_set(actor=actor, plan=plan, activity=activity, national_objectives=targets)
            activities.append(activity)
        for j in range(unaligned):
            activities.append(
                services.activity_create(
                    actor=actor,
                    plan=plan,
                    title=f"Community clean-up day {j + 1}",
                    description="Residents, youth groups and the ward office clean the market and the beach "
                    "together; not yet aligned to a national objective.",
                    responsible_org=orgs[0] if orgs else None,
                    start_date=start + dt.timedelta(days=90 * (j + 1)),
                    end_date=start + dt.timedelta(days=90 * (j + 1)),
                    status="planned",
                )
            )
        self.counts["activities"] += len(activities)
        indicators = [
            services.indicator_create(
                actor=actor,
                plan=plan,
                inherited_from=nat,
                target=Decimal(rng.randrange(20, 400) * 10) if nat.unit != "percent" else Decimal(70),
                baseline=Decimal(0) if nat.unit != "percent" else Decimal(rng.randrange(35, 55)),
            )
            for nat in national.indicators.order_by("name")
        ]
        for index, (year, q) in enumerate(quarters):
            label, qstart, qend = _quarter(year, q)
            period = services.period_create(actor=actor, plan=plan, label=label, start=qstart, end=qend)
            self.counts["periods"] += 1
            values = {
                ind: (
                    Decimal(rng.randrange(40, 90))
                    if ind.unit == "percent"
                    else Decimal(rng.randrange(3, 60) * (5 if ind.unit == "people" else 1)),
                    "",
                )
                for ind in indicators
            }
            statuses = {
                a: (rng.choice(["on_track", "on_track", "at_risk", "off_track"]), "")
                for a in activities
                if a.status != "planned"
            }
            self.counts["values"] += len(values)
            submit = index < accepted + submitted
            period = services.progress_save(
                actor=actor,
                period=period,
                expected_version=period.version,
                values=values,
                statuses=statuses,
                submit=submit,
            )
            if index < accepted:
                if index % 2 == 0:
                    period = services.period_review(actor=reviewer, period=period, expected_version=period.version)
                period = services.period_accept(actor=reviewer, period=period, expected_version=period.version)
            if index == 1 and accepted > 2:  # one correction on record: reopened, fixed, accepted again
                period = services.period_reopen(
                    actor=reviewer,
                    period=period,
                    expected_version=period.version,
                    reason="Dialogue forums were double-counted.",
                )
                first = indicators[0]
                period = services.progress_save(
                    actor=actor,
                    period=period,
                    expected_version=period.version,
                    values={first: (values[first][0] - 1 if values[first][0] > 0 else values[first][0], "Corrected")},
                    statuses={},
                    submit=True,
                )
                period = services.period_accept(actor=reviewer, period=period, expected_version=period.version)
        return plan

    def roadmap(self, actor: User, place: Jurisdiction, history: list[tuple[str, dt.date]]) -> None:
        for stage, date in history:
            services.roadmap_record(actor=actor, jurisdiction=place, stage=stage, date=date)
            self.counts["roadmap_changes"] += 1


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    b = _Builder(admin, seed)
    kenya = _place("KE")
    if kenya is not None:
        national_ke = _user("national.ke", admin)
        strategy = b.national(
            actor=national_ke,
            country=kenya,
            title="National Strategy to Counter Violent Extremism",
            instrument="National strategy (demo wording)",
            start=dt.date(2024, 7, 1),
            end=dt.date(2028, 6, 30),
            pillars=KENYA_PILLARS,
            indicators=KENYA_INDICATORS,
        )
        settings = {  # county: (accepted quarters, submitted quarters, quarters reported, unaligned activities)
            "KE-28": (6, 1, 8, 1),
            "KE-19": (5, 2, 8, 0),
            "KE-14": (3, 1, 5, 2),
            "KE-21": (0, 1, 2, 0),
        }
        for code, (history, has_plan) in KENYA_COUNTIES.items():
            county = _place(code)
            if county is None:
                continue
            b.roadmap(national_ke, county, history)
            if not has_plan:
                continue
            accepted, submitted, reported, unaligned = settings[code]
            actor = _user("local.mombasa", admin) if code == "KE-28" else national_ke
            b.local(
                actor=actor,
                reviewer=national_ke,
                national=strategy,
                place=county,
                title=f"{county.name} County Action Plan on P/CVE",
                start=dt.date(2024, 7, 1),
                end=dt.date(2028, 6, 30),
                quarters=QUARTERS[:reported],
                accepted=accepted,
                submitted=submitted,
                unaligned=unaligned,
            )
    indonesia = _place("ID")
    if indonesia is not None:
        ran = b.national(
            actor=admin,
            country=indonesia,
            title="National Action Plan on Preventing and Countering Violent Extremism that Leads to Terrorism 2020–2024",
            instrument="Presidential Regulation No. 7 of 2020",
            start=dt.date(2020, 1, 1),
            end=dt.date(2024, 12, 31),
            pillars=[
                (
                    "P1",
                    "Prevention: preparedness, counter-radicalisation and deradicalisation",
                    [
                        "Community preparedness and early warning",
                        "Counter-radicalisation in schools, campuses and online",
                        "Reintegration of former detainees and returnees",
                    ],
                ),
                (
                    "P2",
                    "Law enforcement, protection of witnesses and victims, legislative framework",
                    ["Victim and witness protection", "Regional regulations supporting the plan"],
                ),
                (
                    "P3",
                    "Partnership and international cooperation",
                    ["Partnerships with civil society and the private sector", "Regional and international exchange"],
                ),
            ],
            indicators=[
                ("People reached by prevention activities", "people", True),
                ("Regional regulations adopted", "count", True),
            ],
        )
        id_quarters = [(2023, 1), (2023, 2), (2023, 3), (2023, 4), (2024, 1), (2024, 2), (2024, 3), (2024, 4)]
        provinces = [
            (
                "ID-JI",
                7,
                1,
                [
                    ("consultation", dt.date(2021, 2, 1)),
                    ("drafted", dt.date(2021, 8, 2)),
                    ("adopted", dt.date(2022, 1, 17)),
                    ("implementing", dt.date(2022, 3, 1)),
                    ("evaluated", dt.date(2025, 2, 10)),
                ],
            ),
            (
                "ID-JT",
                6,
                1,
                [
                    ("consultation", dt.date(2021, 4, 5)),
                    ("drafted", dt.date(2021, 11, 8)),
                    ("adopted", dt.date(2022, 5, 9)),
                    ("implementing", dt.date(2022, 7, 1)),
                ],
            ),
            (
                "ID-JB",
                4,
                2,
                [
                    ("consultation", dt.date(2021, 6, 7)),
                    ("drafted", dt.date(2022, 2, 14)),
                    ("adopted", dt.date(2022, 9, 5)),
                    ("implementing", dt.date(2023, 1, 2)),
                ],
            ),
            (
                "ID-SN",
                2,
                2,
                [
                    ("consultation", dt.date(2022, 3, 7)),
                    ("drafted", dt.date(2022, 10, 3)),
                    ("adopted", dt.date(2023, 2, 6)),
                    ("implementing", dt.date(2023, 4, 3)),
                ],
            ),
        ]
        regional_plans = {}
        for code, accepted, submitted, history in provinces:
            province = _place(code)
            if province is None:
                continue
            b.roadmap(admin, province, history)
            regional_plans[code] = b.local(
                level=PlanLevel.REGIONAL,
                actor=admin,
                reviewer=admin,
                national=ran,
                place=province,
                title=f"Regional Action Plan of {province.name}",
                start=dt.date(2022, 1, 1),
                end=dt.date(2024, 12, 31),
                quarters=id_quarters,
                accepted=accepted,
                submitted=submitted,
            )
        surabaya = Jurisdiction.objects.filter(name="Surabaya", parent__iso_code="ID-JI").first()
        if surabaya is not None:
            b.roadmap(
                admin,
                surabaya,
                [
                    ("consultation", dt.date(2022, 6, 6)),
                    ("adopted", dt.date(2023, 1, 9)),
                    ("implementing", dt.date(2023, 3, 1)),
                ],
            )
            b.local(
                actor=_user("local.surabaya", admin),
                reviewer=admin,
                national=ran,
                regional=regional_plans.get("ID-JI"),
                place=surabaya,
                title="Surabaya City Action Plan",
                start=dt.date(2023, 1, 1),
                end=dt.date(2024, 12, 31),
                quarters=id_quarters,
                accepted=5,
                submitted=2,
            )
    philippines = _place("PH")
    if philippines is not None:
        nap = b.national(
            actor=admin,
            country=philippines,
            title="National Action Plan on Preventing and Countering Violent Extremism",
            instrument="Anti-Terrorism Council resolution (demo wording)",
            start=dt.date(2023, 1, 1),
            end=dt.date(2028, 12, 31),
            pillars=[
                (
                    "P1",
                    "Awareness and capacity building",
                    ["Awareness campaigns in every region", "Train local government units on P/CVE"],
                ),
                (
                    "P2",
                    "Community resilience",
                    ["Youth and women as peace builders", "Interfaith and intercultural dialogue"],
                ),
                (
                    "P3",
                    "Reintegration and rehabilitation",
                    ["Programmes for former violent extremists", "Support for affected communities"],
                ),
            ],
            indicators=[
                ("Local government units trained", "count", True),
                ("People reached by awareness campaigns", "people", True),
            ],
        )
        regions = list(Jurisdiction.objects.filter(parent=philippines).order_by("iso_code", "name"))
        ladder = [s.value for s in RoadmapStage if s != RoadmapStage.NOT_STARTED]
        for i, region in enumerate(regions):
            reached = (i * 7) % 6  # 0..5 stages reached, spread over the 17 regions
            history = [(ladder[k], dt.date(2023, 3, 1) + dt.timedelta(days=120 * k + 11 * i)) for k in range(reached)]
            b.roadmap(admin, region, history)
        visayas = _place("PH-07")
        if visayas is not None:
            b.local(
                level=PlanLevel.REGIONAL,
                actor=_user("regional.ph", admin),
                reviewer=admin,
                national=nap,
                place=visayas,
                title="Central Visayas Regional Action Plan",
                start=dt.date(2025, 1, 1),
                end=dt.date(2027, 12, 31),
                quarters=QUARTERS[1:7],
                accepted=3,
                submitted=1,
            )
    _north_macedonia(b, admin)
    return {f"plans_{k}": v for k, v in b.counts.items()}


def _north_macedonia(b: _Builder, admin: User) -> None:
    """North Macedonia's strategy and Centar's local plan, both shared with partners: the viewer persona
    (a member of Centar's community action team) reads a national plan, a local plan and its progress."""
    macedonia = _place("MK")
    if macedonia is None:
        return
    strategy = b.national(
        actor=admin,
        country=macedonia,
        title="National Strategy for Countering Violent Extremism",
        instrument="Government decision (demo wording)",
        start=dt.date(2023, 1, 1),
        end=dt.date(2027, 12, 31),
        pillars=[
            ("P1", "Prevention", ["Community action teams in every municipality", "Resilience in schools"]),
            ("P2", "Intervention", ["Referral of people at risk to multi-agency teams", "Support to families"]),
            ("P3", "Reintegration", ["Reintegration of returnees and their families", "Work with prisons"]),
        ],
        indicators=[
            ("People reached by community action teams", "people", True),
            ("Referrals handled by multi-agency teams", "count", True),
        ],
    )
    centar = _place("MK-814")
    if centar is None:
        return
    b.roadmap(
        admin,
        centar,
        [
            ("consultation", dt.date(2023, 4, 3)),
            ("adopted", dt.date(2023, 10, 2)),
            ("implementing", dt.date(2024, 1, 8)),
        ],
    )
    b.local(
        actor=admin,
        reviewer=admin,
        national=strategy,
        place=centar,
        title="Centar Municipality Local Prevention Plan",
        start=dt.date(2024, 1, 1),
        end=dt.date(2027, 12, 31),
        quarters=QUARTERS[:6],
        accepted=4,
        submitted=1,
    )
