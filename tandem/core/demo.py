"""The demo world: four countries, their directory and one login per persona.

``build_demo()`` is deterministic (``random.Random(2026)``) and only runs on a
database without organisations. It loads Kenya, the Philippines, Indonesia and
North Macedonia from ISO 3166 (see :mod:`tandem.core.seeding`), adds a few
local units (Surabaya, Makassar, Cebu City, Marawi City, Davao City, two Mombasa
sub-counties), organisations of every sector in every country, invented people
with affiliations, and one account per persona of the product brief. All
writes go through :mod:`tandem.core.services`, in one transaction.

Organisation names are realistic: public bodies carry the names of their kind
of institution; civil-society groups, companies and media are invented. Every
person is invented; e-mail addresses use the reserved ``example.org`` domain.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from . import bulk, registry, seeding, services
from .models import (
    AuditAction,
    Jurisdiction,
    JurisdictionKind,
    Organisation,
    Role,
    RoleAssignment,
    Sector,
    User,
)

DEMO_PASSWORD = "tandem-demo-2026"
SEED = 2026
COUNTRIES = ("KE", "PH", "ID", "MK")
NETWORK = "network"

K = JurisdictionKind
S = Sector

# Local units added below ISO subdivisions: key -> (name, kind, level name, parent ISO code).
LOCAL_UNITS: dict[str, tuple[str, str, str, str]] = {
    "kisauni": ("Kisauni", K.DISTRICT, "Sub-county", "KE-28"),
    "likoni": ("Likoni", K.DISTRICT, "Sub-county", "KE-28"),
    "cebu-city": ("Cebu City", K.CITY, "City", "PH-CEB"),
    "marawi": ("Marawi City", K.CITY, "City", "PH-LAS"),
    "davao": ("Davao City", K.CITY, "City", "PH-DAS"),
    "surabaya": ("Surabaya", K.CITY, "City", "ID-JI"),
    "makassar": ("Makassar", K.CITY, "City", "ID-SN"),
}


@dataclass(frozen=True)
class Org:
    place: str  # an ISO code or a LOCAL_UNITS key
    name: str
    sector: str
    description: str = ""
    parent: str | None = None  # name of another demo organisation in the same country


# fmt: off
ORGANISATIONS: dict[str, list[Org]] = {
    "KE": [
        Org("KE", "National Counter Terrorism Centre", S.NATIONAL_GOVERNMENT,
            "Coordinates the national strategy for countering violent extremism and supports county action plans."),
        Org("KE", "Ministry of Interior and National Administration", S.NATIONAL_GOVERNMENT,
            "National administration, including the county commissioners."),
        Org("KE", "National Police Service", S.POLICE_SECURITY, "National police service."),
        Org("KE", "Office of the Director of Public Prosecutions", S.JUSTICE, "Public prosecutions."),
        Org("KE", "Kenya Inclusive Communities Programme", S.INTERNATIONAL,
            "Donor-funded programme supporting county engagement forums and local initiatives."),
        Org("KE-28", "Mombasa County Government", S.LOCAL_GOVERNMENT,
            "Elected county government; co-chairs the county engagement forum."),
        Org("KE-28", "Mombasa County Department of Youth, Gender and Sports", S.LOCAL_GOVERNMENT,
            "County department running youth and gender programmes.", parent="Mombasa County Government"),
        Org("KE-28", "Mombasa County Department of Health", S.HEALTH,
            "County health services, including psychosocial support.", parent="Mombasa County Government"),
        Org("KE-28", "Mombasa County Commissioner's Office", S.NATIONAL_GOVERNMENT,
            "Nationally appointed county commissioner; co-chairs the county engagement forum.",
            parent="Ministry of Interior and National Administration"),
        Org("KE-28", "Mombasa County Police Command", S.POLICE_SECURITY,
            "County police command and community policing.", parent="National Police Service"),
        Org("KE-28", "Mombasa Court Users Committee", S.JUSTICE,
            "Brings the courts, prosecution, probation and prisons together."),
        Org("KE-28", "Mombasa Family Support Centre", S.SOCIAL_SERVICES,
            "Family counselling and case management."),
        Org("KE-28", "Coast Interfaith Council", S.RELIGIOUS, "Muslim, Christian and Hindu leaders of the coast."),
        Org("KE-28", "Coast Youth Peace Network", S.YOUTH, "Youth-led network running dialogue and mentoring."),
        Org("KE-28", "Mombasa Women for Peace Forum", S.WOMEN, "Women's groups working on community safety."),
        Org("KE-28", "Pwani Community Dialogue Trust", S.COMMUNITY,
            "Non-governmental organisation facilitating community dialogue."),
        Org("KE-28", "Bandari Logistics Ltd", S.PRIVATE_SECTOR,
            "Port logistics company; runs an apprenticeship scheme for young people."),
        Org("KE-28", "Coast Institute of Peace and Social Research", S.ACADEMIA,
            "Research on social cohesion on the coast."),
        Org("KE-28", "Sauti ya Pwani Community Radio", S.MEDIA, "Community radio station."),
        Org("kisauni", "Kisauni Mixed Day Secondary School", S.EDUCATION, "Public day secondary school."),
        Org("likoni", "Likoni Youth Resource Centre", S.YOUTH, "Drop-in centre for young people."),
        Org("KE-30", "Nairobi City County Government", S.LOCAL_GOVERNMENT, "Elected county government."),
        Org("KE-30", "Eastleigh Youth Empowerment Centre", S.YOUTH, "Skills and mentoring for young people."),
        Org("KE-30", "Nairobi Centre for Conflict Research", S.ACADEMIA, "Independent research centre."),
        Org("KE-30", "Mtaa Media Collective", S.MEDIA, "Community journalists."),
        Org("KE-07", "Garissa County Government", S.LOCAL_GOVERNMENT, "Elected county government."),
        Org("KE-07", "Garissa Interfaith Peace Committee", S.RELIGIOUS, "Religious leaders' peace committee."),
        Org("KE-07", "North Eastern Women's Network", S.WOMEN, "Network of women's groups."),
        Org("KE-17", "Kisumu County Government", S.LOCAL_GOVERNMENT, "Elected county government."),
        Org("KE-17", "Lake Region Business Association", S.PRIVATE_SECTOR, "Association of local businesses."),
        Org("KE-21", "Lamu County Government", S.LOCAL_GOVERNMENT, "Elected county government."),
    ],
    "PH": [
        Org("PH", "Anti-Terrorism Council", S.NATIONAL_GOVERNMENT,
            "Owns the national action plan on preventing and countering violent extremism."),
        Org("PH", "Department of the Interior and Local Government", S.NATIONAL_GOVERNMENT,
            "Supervises local government units; leads the localisation of the national action plan."),
        Org("PH", "Philippine National Police", S.POLICE_SECURITY, "National police."),
        Org("PH", "Department of Justice", S.JUSTICE, "National justice department."),
        Org("PH", "Department of Social Welfare and Development", S.SOCIAL_SERVICES, "National social welfare."),
        Org("PH", "Mindanao Peacebuilding Partnership Fund", S.INTERNATIONAL,
            "Multi-donor fund for local peacebuilding initiatives."),
        Org("PH-07", "DILG Region VII Office", S.NATIONAL_GOVERNMENT, "Regional office for Central Visayas.",
            parent="Department of the Interior and Local Government"),
        Org("PH-07", "Police Regional Office 7", S.POLICE_SECURITY, "Regional police office.",
            parent="Philippine National Police"),
        Org("PH-07", "DSWD Field Office VII", S.SOCIAL_SERVICES, "Regional social welfare office.",
            parent="Department of Social Welfare and Development"),
        Org("PH-CEB", "Provincial Government of Cebu", S.LOCAL_GOVERNMENT, "Provincial government."),
        Org("cebu-city", "Cebu City Government", S.LOCAL_GOVERNMENT, "City government; chairs the peace and order council."),
        Org("cebu-city", "Cebu City Health Department", S.HEALTH, "City health services.",
            parent="Cebu City Government"),
        Org("cebu-city", "Cebu Interfaith Dialogue Forum", S.RELIGIOUS, "Interfaith dialogue forum."),
        Org("cebu-city", "Visayas Women's Collective", S.WOMEN, "Women's organisations of the Visayas."),
        Org("cebu-city", "Sugbo Youth for Peace", S.YOUTH, "Youth volunteers for peace education."),
        Org("cebu-city", "Central Visayas Centre for Peace Studies", S.ACADEMIA, "University research centre."),
        Org("cebu-city", "Cebu Port Services Corporation", S.PRIVATE_SECTOR, "Port services company."),
        Org("cebu-city", "Sugbo Community Radio", S.MEDIA, "Community radio station."),
        Org("cebu-city", "Lahug Community High School", S.EDUCATION, "Public high school."),
        Org("PH-LAS", "Provincial Government of Lanao del Sur", S.LOCAL_GOVERNMENT, "Provincial government."),
        Org("marawi", "Marawi City Government", S.LOCAL_GOVERNMENT, "City government."),
        Org("marawi", "Lanao Ulama Peace Council", S.RELIGIOUS, "Council of religious scholars."),
        Org("marawi", "Ranao Women's Solidarity Network", S.WOMEN, "Women's network."),
        Org("marawi", "Marawi Youth Peace Advocates", S.YOUTH, "Youth peace advocates."),
        Org("marawi", "Lake Lanao Community Development Foundation", S.COMMUNITY, "Community development NGO."),
        Org("davao", "Davao City Government", S.LOCAL_GOVERNMENT, "City government."),
        Org("davao", "Mindanao Peace Media Centre", S.MEDIA, "Training and reporting on conflict-sensitive journalism."),
        Org("davao", "Southern Mindanao Business Council", S.PRIVATE_SECTOR, "Business association."),
        Org("davao", "Davao Community Schools Network", S.EDUCATION, "Network of public schools."),
    ],
    "ID": [
        Org("ID", "Badan Nasional Penanggulangan Terorisme", S.NATIONAL_GOVERNMENT,
            "National counter-terrorism agency; owns the national action plan."),
        Org("ID", "Kementerian Dalam Negeri", S.NATIONAL_GOVERNMENT, "Ministry of Home Affairs."),
        Org("ID", "Kepolisian Negara Republik Indonesia", S.POLICE_SECURITY, "National police."),
        Org("ID", "Nusantara Resilience Programme", S.INTERNATIONAL,
            "International programme supporting provinces and cities with local action plans."),
        Org("ID-JI", "Pemerintah Provinsi Jawa Timur", S.LOCAL_GOVERNMENT, "Provincial government of East Java."),
        Org("ID-JI", "Kepolisian Daerah Jawa Timur", S.POLICE_SECURITY, "East Java regional police.",
            parent="Kepolisian Negara Republik Indonesia"),
        Org("surabaya", "Pemerintah Kota Surabaya", S.LOCAL_GOVERNMENT, "Surabaya city government."),
        Org("surabaya", "Dinas Pendidikan Kota Surabaya", S.EDUCATION, "City education office.",
            parent="Pemerintah Kota Surabaya"),
        Org("surabaya", "Dinas Sosial Kota Surabaya", S.SOCIAL_SERVICES, "City social services office.",
            parent="Pemerintah Kota Surabaya"),
        Org("surabaya", "Dinas Kesehatan Kota Surabaya", S.HEALTH, "City health office.",
            parent="Pemerintah Kota Surabaya"),
        Org("surabaya", "Balai Pemasyarakatan Surabaya", S.JUSTICE, "Probation and parole office."),
        Org("surabaya", "Forum Kerukunan Umat Beragama Kota Surabaya", S.RELIGIOUS, "City interfaith harmony forum."),
        Org("surabaya", "Arek Muda Damai", S.YOUTH, "Youth community for peace."),
        Org("surabaya", "Perempuan Damai Jawa Timur", S.WOMEN, "Women's peace network of East Java."),
        Org("surabaya", "Yayasan Kampung Rukun", S.COMMUNITY, "Neighbourhood cohesion foundation."),
        Org("surabaya", "PT Arek Logistik Nusantara", S.PRIVATE_SECTOR, "Logistics company."),
        Org("surabaya", "Radio Komunitas Suara Arek", S.MEDIA, "Community radio."),
        Org("surabaya", "Pusat Studi Perdamaian Surabaya", S.ACADEMIA, "Centre for peace studies."),
        Org("ID-SN", "Pemerintah Provinsi Sulawesi Selatan", S.LOCAL_GOVERNMENT, "Provincial government of South Sulawesi."),
        Org("makassar", "Pemerintah Kota Makassar", S.LOCAL_GOVERNMENT, "Makassar city government."),
        Org("makassar", "Forum Kerukunan Umat Beragama Kota Makassar", S.RELIGIOUS, "City interfaith harmony forum."),
        Org("makassar", "Pemuda Lintas Iman Makassar", S.YOUTH, "Interfaith youth group."),
        Org("makassar", "Institut Kohesi Sosial Makassar", S.ACADEMIA, "Research institute on social cohesion."),
        Org("ID-JK", "Jaringan Media Komunitas Jakarta", S.MEDIA, "Network of community media."),
    ],
    "MK": [
        Org("MK", "National Committee for Countering Violent Extremism and Countering Terrorism", S.NATIONAL_GOVERNMENT,
            "Coordinates the national strategy and supports the community action teams."),
        Org("MK", "Ministry of Internal Affairs", S.POLICE_SECURITY, "Police and internal security."),
        Org("MK", "Ministry of Justice", S.JUSTICE, "Justice ministry."),
        Org("MK", "Ministry of Social Policy, Demography and Youth", S.SOCIAL_SERVICES, "Social policy ministry."),
        Org("MK", "Ministry of Education and Science", S.EDUCATION, "Education ministry."),
        Org("MK", "Western Balkans Resilience Fund", S.INTERNATIONAL, "Donor fund for community resilience."),
        Org("MK-814", "Municipality of Centar", S.LOCAL_GOVERNMENT, "Municipal government in the City of Skopje."),
        Org("MK-814", "Sector for Internal Affairs Skopje", S.POLICE_SECURITY, "Police for the Skopje area.",
            parent="Ministry of Internal Affairs"),
        Org("MK-814", "Centar Community Action Team", S.COMMUNITY, "Implements the local prevention plan."),
        Org("MK-814", "Centar Centre for Social Work", S.SOCIAL_SERVICES, "Public social work centre.",
            parent="Ministry of Social Policy, Demography and Youth"),
        Org("MK-814", "Institute for Social Cohesion Skopje", S.ACADEMIA, "Independent research institute."),
        Org("MK-814", "Skopje Independent Media Hub", S.MEDIA, "Association of independent journalists."),
        Org("MK-703", "Municipality of Kumanovo", S.LOCAL_GOVERNMENT, "Municipal government."),
        Org("MK-703", "Kumanovo Community Action Team", S.COMMUNITY, "Implements the local prevention plan."),
        Org("MK-703", "Kumanovo Youth Council", S.YOUTH, "Local youth council."),
        Org("MK-703", "Kumanovo Health Centre", S.HEALTH, "Public health centre."),
        Org("MK-609", "Municipality of Tetovo", S.LOCAL_GOVERNMENT, "Municipal government."),
        Org("MK-609", "Tetovo Women's Initiative", S.WOMEN, "Women's association."),
        Org("MK-609", "Tetovo Interreligious Council", S.RELIGIOUS, "Interreligious council."),
        Org("MK-609", "Polog Business Association", S.PRIVATE_SECTOR, "Regional business association."),
        Org("MK-604", "Municipality of Gostivar", S.LOCAL_GOVERNMENT, "Municipal government."),
    ],
}
# fmt: on


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str
    place: str  # NETWORK, an ISO code or a LOCAL_UNITS key
    organisation: str | None  # acts on behalf of (name of a demo organisation)
    title: str


# fmt: off
PERSONAS: list[Persona] = [
    Persona("admin", "Sofia Lindqvist", Role.ADMINISTRATOR, NETWORK, None, "Platform administrator"),
    Persona("national.ke", "Grace Wanjiru Mwangi", Role.NATIONAL_COORDINATOR, "KE",
            "National Counter Terrorism Centre", "Head of County Engagement"),
    Persona("regional.ph", "Ramon Villanueva", Role.REGIONAL_COORDINATOR, "PH-07",
            "DILG Region VII Office", "Regional Prevention Focal Person"),
    Persona("local.mombasa", "Hassan Omar Bakari", Role.LOCAL_COORDINATOR, "KE-28",
            "Mombasa County Government", "County Prevention Coordinator"),
    Persona("member.mombasa", "Fatuma Said Mwinyi", Role.MEMBER, "KE-28",
            "Coast Youth Peace Network", "Programme Coordinator"),
    Persona("partner.cso", "Joseph Ouma Odhiambo", Role.PARTNER, "KE-28",
            "Pwani Community Dialogue Trust", "Executive Director"),
    Persona("partner.company", "Priya Patel", Role.PARTNER, "KE-28",
            "Bandari Logistics Ltd", "Corporate Social Responsibility Manager"),
    Persona("facilitator", "Ratna Wulandari", Role.FACILITATOR, "ID",
            "Nusantara Resilience Programme", "Country Coordinator"),
    Persona("viewer.skopje", "Marija Stojanovska", Role.VIEWER, "MK-814",
            "Centar Community Action Team", "Team member"),
    Persona("local.surabaya", "Budi Santoso", Role.LOCAL_COORDINATOR, "surabaya",
            "Pemerintah Kota Surabaya", "Prevention Coordinator"),
]
# fmt: on
PERSONA_USERNAMES = [p.username for p in PERSONAS]


@dataclass(frozen=True)
class NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]


# fmt: off
NAMES: dict[str, NamePool] = {
    "KE": NamePool(
        female=("Amina", "Wanjiru", "Achieng", "Mwanajuma", "Njeri", "Halima", "Zawadi", "Chebet", "Rehema", "Nafula",
                "Auma", "Faith", "Mercy"),
        male=("Baraka", "Kiprono", "Salim", "Juma", "Brian", "Kevin", "Ibrahim", "Abdi", "Daniel", "Omari", "Tom"),
        surnames=("Otieno", "Kamau", "Omondi", "Mwangi", "Wekesa", "Kiplagat", "Mohamed", "Hassan", "Njoroge",
                  "Ochieng", "Mutua", "Barasa", "Abdullahi", "Kariuki", "Wafula", "Said", "Chege", "Mwakio"),
    ),
    "PH": NamePool(
        female=("Maria", "Ana", "Liza", "Grace", "Joy", "Rowena", "Fatima", "Jasmin", "Cristina", "Norhana", "Aileen"),
        male=("Jose", "Ramon", "Mark", "Paolo", "Carlo", "Noel", "Amir", "Rey", "Edgar", "Jun", "Faisal"),
        surnames=("Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Ramos", "Castillo", "Flores",
                  "Navarro", "Tan", "Lim", "Sarip", "Usman", "Ampaso", "Abdulrahman", "Dizon", "Pascual"),
    ),
    "ID": NamePool(
        female=("Siti", "Dewi", "Rina", "Putri", "Nur", "Fitri", "Sri", "Indah", "Ayu", "Wulan", "Ratih"),
        male=("Budi", "Agus", "Ahmad", "Yusuf", "Eko", "Andi", "Wahyu", "Rizky", "Bayu", "Hendra", "Fajar"),
        surnames=("Santoso", "Wijaya", "Saputra", "Hidayat", "Kurniawan", "Pratama", "Nugroho", "Rahmawati",
                  "Hasanuddin", "Setiawan", "Wibowo", "Halim", "Rahman", "Susanto", "Permana", "Syamsuddin"),
    ),
    "MK": NamePool(
        female=("Marija", "Ana", "Elena", "Ivana", "Blerta", "Ardita", "Vesna", "Jovana", "Fatmire", "Teodora"),
        male=("Aleksandar", "Nikola", "Stefan", "Bojan", "Arben", "Besnik", "Goran", "Dragan", "Ilir", "Filip"),
        surnames=("Stojanovski", "Petrovski", "Nikolovski", "Trajkovski", "Ristovski", "Dimitrievski",
                  "Angelovski", "Jovanovski", "Ademi", "Rexhepi", "Ismaili", "Shabani", "Bajrami", "Memeti", "Iseni"),
    ),
}
# fmt: on

TITLES: dict[str, tuple[str, ...]] = {
    S.NATIONAL_GOVERNMENT: ("Director", "Senior Policy Officer", "Programme Officer", "Liaison Officer"),
    S.LOCAL_GOVERNMENT: (
        "Prevention Officer",
        "Head of Community Affairs",
        "Planning Officer",
        "Social Cohesion Adviser",
    ),
    S.POLICE_SECURITY: ("Community Policing Officer", "Station Commander", "Liaison Officer"),
    S.JUSTICE: ("Probation Officer", "Prosecutor", "Court Administrator"),
    S.HEALTH: ("Psychosocial Counsellor", "Public Health Officer", "Clinical Psychologist"),
    S.SOCIAL_SERVICES: ("Social Worker", "Children's Officer", "Case Manager"),
    S.EDUCATION: ("Head Teacher", "Guidance Counsellor", "Teacher"),
    S.YOUTH: ("Youth Worker", "Programme Coordinator", "Chairperson"),
    S.WOMEN: ("Chairperson", "Programme Coordinator", "Outreach Officer"),
    S.RELIGIOUS: ("Secretary General", "Dialogue Officer", "Council Member"),
    S.COMMUNITY: ("Executive Director", "Programme Officer", "Community Mobiliser"),
    S.PRIVATE_SECTOR: ("Human Resources Manager", "General Manager", "Community Relations Officer"),
    S.ACADEMIA: ("Lecturer", "Research Fellow", "Head of Department"),
    S.MEDIA: ("Editor", "Producer", "Journalist"),
    S.INTERNATIONAL: ("Country Coordinator", "Programme Manager", "Technical Adviser"),
}

FIRST_START = dt.date(2016, 1, 1)
LAST_START = dt.date(2025, 12, 31)


@dataclass
class DemoResult:
    created: bool = False
    jurisdictions: int = 0
    organisations: int = 0
    people: int = 0
    affiliations: int = 0
    users: int = 0
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)  # counts from the apps' demo builders


class DemoConflict(Exception):
    """The database holds records that the demo would collide with."""


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _domain(name: str) -> str:
    slug = slugify(_ascii(name))[:40].strip("-")
    return f"{slug}.example"


class _Builder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.result = DemoResult(created=True)
        self.places: dict[str, Jurisdiction] = {}
        self.orgs: dict[str, Organisation] = {}
        self.org_country: dict[str, str] = {}
        self.used_names: set[str] = {p.full_name for p in PERSONAS}

    # --- helpers ----------------------------------------------------------------

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def person_name(self, country: str) -> str:
        pool = NAMES[country]
        for _attempt in range(200):
            female = self.rng.random() < 0.5
            given = self.rng.choice(pool.female if female else pool.male)
            surname = self.rng.choice(pool.surnames)
            if country == "MK" and female and surname.endswith("ski"):
                surname = surname[:-1] + "a"
            name = f"{given} {surname}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("name pool exhausted")  # pragma: no cover

    @staticmethod
    def email_for(full_name: str) -> str:
        parts = _ascii(full_name).lower().replace("'", "").split()
        return f"{parts[0]}.{parts[-1]}@example.org"

    # --- steps ---------------------------------------------------------------------

    def jurisdictions(self, admin: User) -> None:
        seeding.load_countries(COUNTRIES)
        network, _created = seeding.ensure_network()
        self.places[NETWORK] = network
        codes = (
            {parent for *_rest, parent in LOCAL_UNITS.values()}
            | {o.place for orgs in ORGANISATIONS.values() for o in orgs}
            | {p.place for p in PERSONAS}
            | set(COUNTRIES)
        )
        for j in Jurisdiction.objects.filter(iso_code__in=codes):
            self.places[j.iso_code] = j
        for key, (name, kind, level_name, parent_code) in LOCAL_UNITS.items():
            parent = self.places[parent_code]
            existing = parent.children.filter(name=name).first()
            self.places[key] = existing or services.jurisdiction_create(
                actor=admin, name=name, kind=kind, parent=parent, level_name=level_name
            )

    def organisations(self, admin: User) -> None:
        for country, orgs in ORGANISATIONS.items():
            for spec in orgs:
                domain = _domain(spec.name)
                org = services.organisation_create(
                    actor=admin,
                    jurisdiction=self.places[spec.place],
                    name=spec.name,
                    sector=spec.sector,
                    parent=self.orgs[spec.parent] if spec.parent else None,
                    description=spec.description,
                    website=f"https://www.{domain}",
                    email=f"info@{domain}",
                )
                self.orgs[spec.name] = org
                self.org_country[spec.name] = country
                self.result.organisations += 1

    def people(self, admin: User) -> None:
        for country, orgs in ORGANISATIONS.items():
            earlier: list[Organisation] = []
            for spec in orgs:
                org = self.orgs[spec.name]
                for _n in range(self.rng.randint(1, 3)):
                    full_name = self.person_name(country)
                    person = services.person_create(
                        actor=admin,
                        jurisdiction=org.jurisdiction,
                        full_name=full_name,
                        email=self.email_for(full_name),
                    )
                    self.result.people += 1
                    start = self.date_between(FIRST_START, LAST_START)
                    # Some people moved here from another organisation of the same country.
                    if earlier and self.rng.random() < 0.15 and start > FIRST_START + dt.timedelta(days=400):
                        previous = self.rng.choice(earlier)
                        prev_start = self.date_between(FIRST_START, start - dt.timedelta(days=365))
                        services.affiliation_create(
                            actor=admin,
                            person=person,
                            organisation=previous,
                            title=self.rng.choice(TITLES[previous.sector]),
                            start_date=prev_start,
                            end_date=start - dt.timedelta(days=1),
                        )
                        self.result.affiliations += 1
                    services.affiliation_create(
                        actor=admin,
                        person=person,
                        organisation=org,
                        title=self.rng.choice(TITLES[spec.sector]),
                        start_date=start,
                    )
                    self.result.affiliations += 1
                earlier.append(org)

    def persona_accounts(self, admin: User) -> None:
        for persona in PERSONAS:
            place = self.places[persona.place]
            org = self.orgs[persona.organisation] if persona.organisation else None
            if persona.username == "admin":
                user = admin
            else:
                user = services.user_create(
                    actor=None,
                    username=persona.username,
                    password=DEMO_PASSWORD,
                    full_name=persona.full_name,
                    email=f"{persona.username}@example.org",
                )
                self.result.users += 1
                on_behalf = org if persona.role != Role.VIEWER else None
                services.role_grant(
                    actor=None, user=user, role=persona.role, jurisdiction=place, organisation=on_behalf
                )
            person = services.person_create(
                actor=admin,
                jurisdiction=place,
                full_name=persona.full_name,
                email=f"{persona.username}@example.org",
                user=user,
            )
            self.result.people += 1
            if org is not None:
                services.affiliation_create(
                    actor=admin,
                    person=person,
                    organisation=org,
                    title=persona.title,
                    start_date=self.date_between(FIRST_START, LAST_START),
                )
                self.result.affiliations += 1

    def build(self) -> DemoResult:
        taken = sorted(User.objects.filter(username__in=PERSONA_USERNAMES).values_list("username", flat=True))
        if taken:
            raise DemoConflict(f"these usernames already exist: {', '.join(taken)}")
        jurisdictions_before = Jurisdiction.objects.count()
        admin_spec = PERSONAS[0]
        admin = services.user_create(
            actor=None,
            username=admin_spec.username,
            password=DEMO_PASSWORD,
            full_name=admin_spec.full_name,
            email=f"{admin_spec.username}@example.org",
        )
        self.result.users += 1
        network, _created = seeding.ensure_network()
        services.role_grant(actor=None, user=admin, role=Role.ADMINISTRATOR, jurisdiction=network)
        self.jurisdictions(admin)
        self.organisations(admin)
        self.people(admin)
        self.persona_accounts(admin)
        # Apps beside core add their demo records (``demo_builder`` hooks, in their order).
        for build_app_demo in registry.functions("demo_builder"):
            self.result.extra.update(build_app_demo(admin=admin, seed=SEED))
        self.result.jurisdictions = Jurisdiction.objects.count() - jurisdictions_before
        services.audit_record(
            actor=None,
            action=AuditAction.IMPORT,
            jurisdiction=network,
            label="load_demo",
            changes={
                "jurisdictions": self.result.jurisdictions,
                "organisations": self.result.organisations,
                "people": self.result.people,
                "affiliations": self.result.affiliations,
                "users": self.result.users,
                **self.result.extra,
            },
        )
        return self.result


def demo_present() -> bool:
    return Organisation.objects.exists()


def build_demo() -> DemoResult:
    """Build the demo world, or do nothing (``created=False``) if organisations exist."""
    if demo_present():
        return DemoResult(created=False, logins=persona_logins())
    # The search index and the dashboards' cache are brought up to date once, at the end (core.bulk).
    with transaction.atomic(), bulk.deferred():
        result = _Builder().build()
    result.logins = persona_logins()
    return result


def persona_logins() -> list[tuple[str, str, str, str]]:
    """(username, role, jurisdiction, on behalf of) for each persona account that exists."""
    rows = (
        RoleAssignment.objects.filter(user__username__in=PERSONA_USERNAMES, revoked_at__isnull=True)
        .select_related("user", "jurisdiction", "organisation")
        .order_by("id")
    )
    found: dict[str, tuple[str, str, str, str]] = {}
    for r in rows:
        where = r.jurisdiction.name + (f" ({r.jurisdiction.iso_code})" if r.jurisdiction.iso_code else "")
        on_behalf = r.organisation.name if r.organisation_id else ""
        found.setdefault(r.user.username, (r.user.username, str(Role(r.role).label), where, on_behalf))
    return [found[name] for name in PERSONA_USERNAMES if name in found]
