"""Demo data of tandem.events: the South-East Asia regional workshop held in Manila in July 2023,
with mayors, governors and national officials from Indonesia, Malaysia and the Philippines,
country breakouts with their challenges and areas of collaboration, a commitment followed up as an
action item of a coordination body, and the published report. The text is written for Tandem.

Malaysia is not among the demo's countries: it is loaded here from ISO 3166 (as
``manage.py load_jurisdictions MY`` would), and Manila is added under the National Capital Region.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from tandem.core import seeding
from tandem.core import services as core_services
from tandem.core.models import GovernmentLevel, Jurisdiction, JurisdictionKind, Organisation, Person, Sector

from . import selectors, services
from .models import OutcomeKind, ParticipantStatus

MANILA = zoneinfo.ZoneInfo("Asia/Manila")

# (name, role, organisation, country ISO, level, sector)
GUESTS = [
    (
        "Rosalinda Dimaculangan",
        "Mayor",
        "City Government of Marikina",
        "PH",
        GovernmentLevel.LOCAL,
        Sector.LOCAL_GOVERNMENT,
    ),
    (
        "Eduardo Panganiban",
        "Governor",
        "Provincial Government of Cebu",
        "PH",
        GovernmentLevel.REGIONAL,
        Sector.LOCAL_GOVERNMENT,
    ),
    ("Marivic Soliman", "Mayor", "Marawi City Government", "PH", GovernmentLevel.LOCAL, Sector.LOCAL_GOVERNMENT),
    (
        "Ferdinand Lacson",
        "Undersecretary",
        "Department of the Interior and Local Government",
        "PH",
        GovernmentLevel.NATIONAL,
        Sector.NATIONAL_GOVERNMENT,
    ),
    ("Teresita Abad", "Director", "Anti-Terrorism Council", "PH", GovernmentLevel.NATIONAL, Sector.NATIONAL_GOVERNMENT),
    ("Hendra Wibisono", "Mayor", "Pemerintah Kota Makassar", "ID", GovernmentLevel.LOCAL, Sector.LOCAL_GOVERNMENT),
    (
        "Sri Lestari",
        "Vice governor",
        "Pemerintah Provinsi Jawa Timur",
        "ID",
        GovernmentLevel.REGIONAL,
        Sector.LOCAL_GOVERNMENT,
    ),
    ("Agus Prasetyo", "Regent", "Pemerintah Kabupaten Poso", "ID", GovernmentLevel.LOCAL, Sector.LOCAL_GOVERNMENT),
    (
        "Dewi Anggraini",
        "Deputy director",
        "Badan Nasional Penanggulangan Terorisme",
        "ID",
        GovernmentLevel.NATIONAL,
        Sector.NATIONAL_GOVERNMENT,
    ),
    (
        "Rizal Hakim",
        "Senior official",
        "Kementerian Dalam Negeri",
        "ID",
        GovernmentLevel.NATIONAL,
        Sector.NATIONAL_GOVERNMENT,
    ),
    (
        "Ahmad Faizal Ismail",
        "Mayor",
        "Majlis Bandaraya Johor Bahru",
        "MY",
        GovernmentLevel.LOCAL,
        Sector.LOCAL_GOVERNMENT,
    ),
    (
        "Nurul Huda Rahman",
        "Mayor",
        "Majlis Bandaraya Kuching Selatan",
        "MY",
        GovernmentLevel.LOCAL,
        Sector.LOCAL_GOVERNMENT,
    ),
    (
        "Tan Wei Ming",
        "State executive councillor",
        "Kerajaan Negeri Sabah",
        "MY",
        GovernmentLevel.REGIONAL,
        Sector.LOCAL_GOVERNMENT,
    ),
    (
        "Kamal Ariffin",
        "Principal assistant secretary",
        "Kementerian Dalam Negeri Malaysia",
        "MY",
        GovernmentLevel.NATIONAL,
        Sector.NATIONAL_GOVERNMENT,
    ),
    (
        "Siti Aminah Yusof",
        "Director",
        "Kementerian Perpaduan Negara",
        "MY",
        GovernmentLevel.NATIONAL,
        Sector.NATIONAL_GOVERNMENT,
    ),
    ("Lim Mei Ling", "Councillor", "Majlis Perbandaran Sandakan", "MY", GovernmentLevel.LOCAL, Sector.LOCAL_GOVERNMENT),
    (
        "Josefina Ramos",
        "Governor",
        "Provincial Government of Lanao del Sur",
        "PH",
        GovernmentLevel.REGIONAL,
        Sector.LOCAL_GOVERNMENT,
    ),
    ("Bambang Sutrisno", "Mayor", "Pemerintah Kota Bekasi", "ID", GovernmentLevel.LOCAL, Sector.LOCAL_GOVERNMENT),
]

BREAKOUTS = {
    "PH": (
        "Philippines",
        [
            "Barangay officials rarely hear what national agencies decide, and feedback seldom travels back up.",
            "Peace and order councils meet, but prevention is one agenda item among many and gets little time.",
        ],
        [
            "A shared calendar of council meetings so that provinces and cities can join each other's sessions.",
            "Pairing cities in Mindanao with cities in the Visayas to trade practice on youth engagement.",
        ],
    ),
    "ID": (
        "Indonesia",
        [
            "Local budgets for prevention depend on one-year programmes and stop when a donor leaves.",
            "Interfaith forums exist in most cities but are not linked to the regional action plans.",
        ],
        [
            "Connecting city interfaith forums to the provincial coordination teams with a standing invitation.",
            "Exchanging training material for village heads with Malaysian and Philippine partners.",
        ],
    ),
    "MY": (
        "Malaysia",
        [
            "Municipal councils have no formal role in national prevention plans and act case by case.",
            "Community leaders ask for clear rules on what information they may share with councils.",
        ],
        [
            "A short guide on information sharing between councils and community leaders, tested in two cities.",
            "Joining the network's peer exchange on safe spaces for discussion between residents and officials.",
        ],
    ),
}

SUMMARY = (
    "Mayors, governors and national officials from Indonesia, Malaysia and the Philippines met in Manila for "
    "two days to compare how cities and provinces take part in preventing violent extremism.\n\n"
    "Each country group named the obstacles its local governments meet and drafted areas where the three "
    "countries can work together. The groups agreed to keep in touch through the network and to report back "
    "on their commitments at the next regional meeting."
)


def _country(code: str) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(iso_code=code, kind=JurisdictionKind.COUNTRY).first()


def _manila(admin: Any) -> Jurisdiction | None:
    ncr = Jurisdiction.objects.filter(iso_code="PH-00").first()
    if ncr is None:
        return None
    existing = Jurisdiction.objects.filter(parent=ncr, name="Manila").first()
    return existing or core_services.jurisdiction_create(
        actor=admin, name="Manila", kind=JurisdictionKind.CITY, parent=ncr, level_name="City"
    )


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    network = Jurisdiction.objects.filter(depth=0).order_by("id").first()
    if network is None or _country("PH") is None or _country("ID") is None:
        return {}
    seeding.load_countries(["MY"])
    countries = {code: _country(code) for code in ("PH", "ID", "MY")}
    manila = _manila(admin)
    host = Organisation.objects.filter(name="Department of the Interior and Local Government").first()
    partners = tuple(Organisation.objects.filter(name__in=["Nusantara Resilience Programme"]))
    funders = tuple(Organisation.objects.filter(name__in=["Mindanao Peacebuilding Partnership Fund"]))
    event = services.event_create(
        actor=admin,
        jurisdiction=network,
        data=services.EventData(
            title="South-East Asia regional workshop on local prevention",
            kind="workshop",
            starts_at=dt.datetime(2023, 7, 18, 8, 30, tzinfo=MANILA),
            ends_at=dt.datetime(2023, 7, 19, 17, 0, tzinfo=MANILA),
            time_zone="Asia/Manila",
            visibility="green",
            place=manila,
            venue="Conference hall, Intramuros",
            host=host,
            language="en",
            languages="English, Filipino, Bahasa Indonesia, Bahasa Melayu",
            objectives="\n".join(
                [
                    "Compare how local governments in the three countries coordinate prevention work.",
                    "Name the main obstacles cities and provinces meet.",
                    "Draft areas of collaboration between the three countries.",
                ]
            ),
            organisers=(host,) if host else (),
            partners=partners,
            funders=funders,
        ),
    )
    day1, day2 = dt.date(2023, 7, 18), dt.date(2023, 7, 19)
    agenda = [
        (day1, (8, 30), (9, 30), "Opening and introductions", "Ferdinand Lacson", "Main hall"),
        (day1, (9, 45), (12, 0), "How cities coordinate prevention today: three country panels", "", "Main hall"),
        (day1, (13, 30), (16, 30), "Country breakouts: challenges", "", "Rooms A, B and C"),
        (day2, (9, 0), (12, 0), "Country breakouts: areas of collaboration", "", "Rooms A, B and C"),
        (day2, (13, 30), (16, 0), "Plenary: reports of the groups and commitments", "Group rapporteurs", "Main hall"),
        (day2, (16, 0), (17, 0), "Closing", "Teresita Abad", "Main hall"),
    ]
    for day, (h1, m1), (h2, m2), title, speakers, room in agenda:
        services.session_add(
            actor=admin,
            event=event,
            title=title,
            starts_at=dt.datetime.combine(day, dt.time(h1, m1), MANILA),
            ends_at=dt.datetime.combine(day, dt.time(h2, m2), MANILA),
            speakers=speakers,
            room=room,
        )
    by_country: dict[str, list[Any]] = {"PH": [], "ID": [], "MY": []}
    for name, role, org, code, level, sector in GUESTS:
        p = services.participant_add_guest(
            actor=admin,
            event=event,
            name=name,
            role=role,
            organisation_name=org,
            country=countries[code],
            level=level,
            sector=sector,
            status=ParticipantStatus.ATTENDED,
        )
        by_country[code].append(p)
    # Two people from the directory, invited and attending: the Surabaya coordinator and Cebu City's.
    for org_name in ("Pemerintah Kota Surabaya", "Cebu City Government"):
        org = Organisation.objects.filter(name=org_name).first()
        person = (
            Person.objects.filter(affiliations__organisation=org, user__isnull=False).order_by("id").first()
            or Person.objects.filter(affiliations__organisation=org).order_by("id").first()
        )
        if org is None or person is None:
            continue
        p = services.participant_invite(
            actor=admin,
            event=event,
            person=person,
            level=GovernmentLevel.LOCAL,
            role="Prevention coordinator",
            organisation=org,
        )
        p = services.participant_set_status(actor=admin, participant=p, status=ParticipantStatus.ATTENDED)
        by_country["ID" if "Surabaya" in org_name else "PH"].append(p)
    commitments = 0
    follow_ups = 0
    for code, (name, challenges, collaboration) in BREAKOUTS.items():
        members = tuple(by_country[code])
        group = services.breakout_create(
            actor=admin,
            event=event,
            name=f"{name} group",
            country=countries[code],
            members=members,
            rapporteur=members[0] if members else None,
        )
        for text in challenges:
            services.outcome_add(actor=admin, breakout=group, kind=OutcomeKind.CHALLENGE, text=text)
        for text in collaboration:
            services.outcome_add(actor=admin, breakout=group, kind=OutcomeKind.COLLABORATION, text=text)
        if code == "PH":
            commitment = services.commitment_add(
                actor=admin,
                breakout=group,
                text="Put prevention on the agenda of every quarterly meeting of the council and invite a youth "
                "representative.",
                owner="Cebu City peace and order council",
                owner_organisation=Organisation.objects.filter(name="Cebu City Government").first(),
                due_date=dt.date(2023, 12, 31),
            )
            commitments += 1
            body = _body_in(countries["PH"])
            if body is not None:
                services.commitment_to_action_item(
                    actor=admin, commitment=commitment, body=body, expected_version=commitment.version
                )
                follow_ups += 1
        if code == "MY":
            services.commitment_add(
                actor=admin,
                breakout=group,
                text="Draft the information-sharing guide with two municipal councils and share it with the network.",
                owner="Kementerian Perpaduan Negara",
                due_date=dt.date(2024, 3, 31),
            )
            commitments += 1
    report = services.report_start(actor=admin, event=event, summary=SUMMARY)
    data = selectors.report_data(admin, event, report)
    report = services.report_publish(
        actor=admin, report=report, expected_version=report.version, body_html=selectors.report_html(data)
    )
    return {
        "events": 1,
        "event participants": len(GUESTS) + 2,
        "event commitments": commitments,
        "commitment follow-ups": follow_ups,
        "event reports": 1,
    }


def _body_in(country: Jurisdiction) -> Any:
    from tandem.bodies.models import Body

    return (
        Body.objects.filter(jurisdiction__path__startswith=country.path, archived_at__isnull=True)
        .order_by("jurisdiction__path", "id")
        .first()
    )
