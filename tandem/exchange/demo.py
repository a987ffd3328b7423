"""Demo data of tandem.exchange, built by ``manage.py load_demo`` after the core directory.

A year of exchanges between Kenyan counties and the National Counter Terrorism
Centre, and between Surabaya and Indonesia's national agency, across all labels
and directions, with replies, acknowledgements, some overdue requests and a few
sharing agreements (one expired). AMBER reaches exactly the chosen recipients;
Mombasa's coordinator forwards one AMBER bulletin to a youth network of the county.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from tandem.core.models import Jurisdiction, Organisation, Person, User

from . import access, services
from .models import ExchangeItem, Kind, Status

# (sender, sending organisation, sender unit, kind, subkind, direction, label, title, text, addressees)
# addressees: {"orgs": [...names], "units": [...ISO codes or names], "people": [...usernames]}
# fmt: off
SCRIPT: list[tuple[str, str, str, str, str, str, str, str, str, dict[str, list[str]]]] = [
    ("local.mombasa", "Mombasa County Government", "KE-28", "request", "support", "up", "AMBER",
     "Support to review the county action plan",
     "The county engagement forum asks the Centre for two facilitators to review the action plan's youth pillar.",
     {"orgs": ["National Counter Terrorism Centre"]}),
    ("national.ke", "National Counter Terrorism Centre", "KE", "guidance", "", "down", "GREEN",
     "Updated template for county action plans",
     "The template now asks for an annual review of indicators and a budget line per pillar.",
     {"units": ["KE-28", "KE-30", "KE-07", "KE-17", "KE-21"]}),
    ("national.ke", "National Counter Terrorism Centre", "KE", "alert", "", "down", "AMBER_STRICT",
     "Recruitment messages circulating on local channels",
     "Messages inviting young people to 'paid training' abroad were reported in three wards. Brief the forum.",
     {"orgs": ["Mombasa County Government"]}),
    ("local.mombasa", "Mombasa County Government", "KE-28", "report", "concern", "lateral", "RED",
     "Concern raised at the interfaith meeting",
     "Leaders reported tensions after an incident at a market; the details stay with the named people.",
     {"people": ["member.mombasa"]}),
    ("local.mombasa", "Mombasa County Government", "KE-28", "report", "trend", "lateral", "AMBER",
     "Trend: online hate speech before the by-election",
     "Monitoring by the community radio shows a rise in hostile posts in two sub-counties.",
     {"orgs": ["Nairobi City County Government", "Garissa County Government"]}),
    ("national.ke", "National Counter Terrorism Centre", "KE", "guidance", "", "down", "CLEAR",
     "Prevention week toolkit",
     "Posters, radio scripts and a discussion guide for schools, free to share.",
     {"units": ["KE"]}),
    ("local.mombasa", "Mombasa County Government", "KE-28", "request", "information", "up", "GREEN",
     "Figures on returnees for the county plan",
     "How many returnees completed reintegration programmes in the coast region last year?",
     {"orgs": ["National Counter Terrorism Centre"]}),
    ("local.mombasa", "Mombasa County Government", "KE-28", "request", "resources", "up", "AMBER",
     "Funding for the youth mentoring scheme",
     "The county requests co-funding for 40 mentors for six months.",
     {"orgs": ["National Counter Terrorism Centre"]}),
    ("local.surabaya", "Pemerintah Kota Surabaya", "surabaya", "request", "guidance", "up", "AMBER",
     "Guidance on school-based prevention",
     "The city asks the national agency for its current guidance on school-based programmes.",
     {"orgs": ["Badan Nasional Penanggulangan Terorisme"]}),
    ("facilitator", "Nusantara Resilience Programme", "ID", "report", "situation", "down", "GREEN",
     "Situation report: community resilience pilots",
     "Six neighbourhood pilots are running; attendance is highest where religious leaders co-host.",
     {"orgs": ["Pemerintah Kota Surabaya"]}),
    ("local.surabaya", "Pemerintah Kota Surabaya", "surabaya", "report", "need", "lateral", "AMBER_STRICT",
     "Need: trained counsellors for returnee families",
     "The social services office lacks counsellors trained for families of returnees.",
     {"orgs": ["Dinas Sosial Kota Surabaya", "Pemerintah Provinsi Jawa Timur"]}),
]
# fmt: on

FOLLOW_UPS = {
    # title -> (final status, reply from the recipient side, decline reason)
    "Support to review the county action plan": (Status.OPEN, "", ""),  # overdue
    "Figures on returnees for the county plan": (Status.ANSWERED, "312 people completed the programme.", ""),
    "Funding for the youth mentoring scheme": (Status.DECLINED, "", "No budget left in this financial year."),
    "Guidance on school-based prevention": (Status.ACKNOWLEDGED, "", ""),  # overdue
}

RECURRING = [
    (
        "local.mombasa",
        "Mombasa County Government",
        "KE-28",
        "report",
        "situation",
        "up",
        "Monthly situation report",
        {"orgs": ["National Counter Terrorism Centre"]},
    ),
    (
        "national.ke",
        "National Counter Terrorism Centre",
        "KE",
        "guidance",
        "",
        "down",
        "Monthly bulletin to counties",
        {"units": ["KE-28", "KE-30", "KE-07"]},
    ),
    (
        "local.surabaya",
        "Pemerintah Kota Surabaya",
        "surabaya",
        "report",
        "situation",
        "up",
        "Laporan bulanan (monthly report)",
        {"orgs": ["Badan Nasional Penanggulangan Terorisme"]},
    ),
]
LABELS = ["GREEN", "GREEN", "AMBER", "AMBER", "AMBER_STRICT", "CLEAR", "RED"]


def _unit(code: str) -> Jurisdiction:
    found = Jurisdiction.objects.filter(iso_code=code).first()  # access-ok: demo builder
    return found or Jurisdiction.objects.get(name__iexact={"surabaya": "Surabaya"}.get(code, code))


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name, archived_at__isnull=True)


def _addressees(spec: dict[str, list[str]]) -> services.Addressees:
    return services.Addressees(
        organisations=[_org(n) for n in spec.get("orgs", [])],
        jurisdictions=[_unit(c) for c in spec.get("units", [])],
        people=[Person.objects.get(user__username=u) for u in spec.get("people", [])],
    )


def _send(
    *,
    sender: User,
    org: str,
    unit: str,
    kind: str,
    subkind: str,
    direction: str,
    tlp: str,
    title: str,
    body: str,
    spec: dict[str, list[str]],
    when: dt.datetime,
    due: dt.date | None,
) -> ExchangeItem:
    draft = services.draft_save(
        actor=sender,
        jurisdiction=_unit(unit),
        sender_organisation=_org(org),
        kind=kind,
        subkind=subkind,
        direction=direction,
        tlp=tlp,
        title=title,
        body=body,
        due_date=timezone.localdate() + dt.timedelta(days=30) if kind == Kind.REQUEST else None,
        addressees=_addressees(spec),
    )
    item = services.item_send(
        actor=sender,
        draft=draft,
        expected_version=draft.version,
        confirm_personal_data=True,
        no_agreement_reason="Demo: shared under the county engagement framework.",
        notify=False,
    )
    ExchangeItem.objects.filter(pk=item.pk).update(sent_at=when, due_date=due)
    item.refresh_from_db()
    return item


def _agreements(admin: User) -> int:
    today = timezone.localdate()
    rows = [
        (
            "NCTC – Mombasa County information-sharing protocol",
            "KE",
            ["National Counter Terrorism Centre", "Mombasa County Government"],
            ["KE-28"],
            "Prevention of Terrorism Act, s. 40; county engagement framework",
            "Situation reports, trends, requests for support; no personal data",
            dt.date(today.year - 1, 1, 1),
            None,
        ),
        (
            "Kenya national–county prevention data framework",
            "KE",
            ["National Counter Terrorism Centre", "Nairobi City County Government", "Garissa County Government"],
            [],
            "National Strategy to Counter Violent Extremism",
            "Aggregated figures and guidance",
            dt.date(today.year - 1, 7, 1),
            None,
        ),
        (
            "BNPT – Kota Surabaya cooperation agreement",
            "ID",
            ["Badan Nasional Penanggulangan Terorisme", "Pemerintah Kota Surabaya"],
            [],
            "Perpres 7/2021 (RAN PE)",
            "Reports, requests for guidance, programme data",
            dt.date(today.year - 1, 3, 1),
            None,
        ),
        (
            "Garissa pilot data sharing (expired)",
            "KE",
            ["National Counter Terrorism Centre", "Garissa County Government"],
            [],
            "Pilot memorandum",
            "Pilot monitoring data",
            dt.date(today.year - 3, 1, 1),
            dt.date(today.year - 2, 1, 1),
        ),
    ]
    for title, where, orgs, units, basis, categories, start, end in rows:
        services.agreement_save(
            actor=admin,
            agreement=None,
            values={
                "title": title,
                "jurisdiction": _unit(where),
                "legal_basis": basis,
                "categories": categories,
                "retention": "Two years after the end of the programme",
                "contact": "data.protection@example.org",
                "valid_from": start,
                "valid_to": end,
            },
            organisations=[_org(n) for n in orgs],
            jurisdictions=[_unit(c) for c in units],
        )
    return len(rows)


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    rng = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(username__in={r[0] for r in SCRIPT})}
    now = timezone.now()
    today = timezone.localdate()
    agreements = _agreements(admin)
    items = []
    for month in range(12, 0, -1):
        for sender, org, unit, kind, subkind, direction, title, spec in RECURRING:
            if sender not in users:
                continue
            tlp = LABELS[rng.randrange(len(LABELS))]
            if tlp == "RED":
                tlp = "AMBER_STRICT"  # recurring reports go to organisations, not named people
            when = now - dt.timedelta(days=30 * month + rng.randrange(5))
            items.append(
                _send(
                    sender=users[sender],
                    org=org,
                    unit=unit,
                    kind=kind,
                    subkind=subkind,
                    direction=direction,
                    tlp=tlp,
                    title=f"{title} — {when:%B %Y}",
                    body="Activities, incidents and needs of the month, in aggregate.",
                    spec=spec,
                    when=when,
                    due=None,
                )
            )
    for index, (sender, org, unit, kind, subkind, direction, tlp, title, body, spec) in enumerate(SCRIPT):
        if sender not in users:
            continue
        when = now - dt.timedelta(days=60 - index * 5)
        due = today - dt.timedelta(days=10 - index) if kind == Kind.REQUEST else None
        item = _send(
            sender=users[sender],
            org=org,
            unit=unit,
            kind=kind,
            subkind=subkind,
            direction=direction,
            tlp=tlp,
            title=title,
            body=body,
            spec=spec,
            when=when,
            due=due,
        )
        items.append(item)
        status, reply, reason = FOLLOW_UPS.get(title, (None, "", ""))
        recipient = next((u for u in access.item_audience(item) if u.pk != item.sender_id), None)
        if status is None or recipient is None:
            continue
        services.item_acknowledge(actor=recipient, item=item)
        item.refresh_from_db()
        if reply:
            services.reply_create(actor=recipient, item=item, body=reply)
        elif status in (Status.DECLINED, Status.OPEN):
            if status == Status.DECLINED:
                services.request_set_status(actor=recipient, item=item, status=status, reason=reason)
            else:
                ExchangeItem.objects.filter(pk=item.pk).update(status=Status.OPEN)
    forwarded = _forward_a_bulletin(users, [i for i in items if i.tlp == "AMBER"])
    overdue = ExchangeItem.objects.filter(
        kind=Kind.REQUEST, status__in=[Status.OPEN, Status.ACKNOWLEDGED], due_date__lt=today
    ).count()
    return {
        "exchange items": len(items),
        "overdue requests": overdue,
        "sharing agreements": agreements,
        "forwarded items": forwarded,
    }


def _forward_a_bulletin(users: dict[str, User], amber_items: list[ExchangeItem]) -> int:
    """Mombasa's coordinator forwards the latest AMBER bulletin to a youth network of the county
    (a recipient sharing AMBER inside its own jurisdiction): member.mombasa then reads it."""
    forwarder = User.objects.filter(username="local.mombasa").first()
    bulletins = [i for i in amber_items if i.title.startswith("Monthly bulletin") and "national.ke" in users]
    if forwarder is None or not bulletins:
        return 0
    services.item_forward(
        actor=forwarder,
        item=bulletins[-1],
        organisations=[_org("Coast Youth Peace Network")],
        people=[],
        notify=False,
    )
    return 1
