"""The two setup commands: load_jurisdictions (ISO 3166) and load_demo."""

from __future__ import annotations

import re
from io import StringIO

import pycountry
import pytest
from django.core.management import CommandError, call_command

from tandem.core import demo, seeding
from tandem.core.models import (
    Affiliation,
    AuditEvent,
    Jurisdiction,
    JurisdictionKind,
    Organisation,
    Person,
    RoleAssignment,
    Sector,
    User,
)

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "jurisdictions": Jurisdiction.objects.count(),
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


# --- load_jurisdictions ----------------------------------------------------------------


def test_kenya_has_its_47_counties_under_the_country():
    output = run("load_jurisdictions", "KE")

    network = Jurisdiction.objects.get(parent__isnull=True)
    assert (network.name, network.kind) == ("Tandem network", JurisdictionKind.NETWORK)
    kenya = Jurisdiction.objects.get(iso_code="KE")
    assert (kenya.name, kenya.kind, kenya.parent) == ("Kenya", JurisdictionKind.COUNTRY, network)
    counties = list(kenya.children.all())
    assert len(counties) == 47
    assert all(c.kind == JurisdictionKind.COUNTY and c.level_name == "County" for c in counties)
    assert all(re.fullmatch(r"KE-\d\d", c.iso_code) for c in counties)
    assert all(c.path == f"{kenya.path}{c.pk}/" and c.depth == 2 for c in counties)
    mombasa = Jurisdiction.objects.get(iso_code="KE-28")
    assert mombasa.name == "Mombasa"
    assert "Kenya (KE): 48 created" in output


def test_philippine_provinces_hang_under_their_regions():
    run("load_jurisdictions", "ph")  # codes are case-insensitive

    ph = Jurisdiction.objects.get(iso_code="PH")
    regions = ph.children.all()
    assert regions.count() == 17
    assert {r.kind for r in regions} == {JurisdictionKind.REGION}
    assert {r.level_name for r in regions} == {"Region"}

    cebu = Jurisdiction.objects.get(iso_code="PH-CEB")
    assert cebu.parent.iso_code == "PH-07"
    assert (cebu.kind, cebu.level_name) == (JurisdictionKind.PROVINCE, "Province")
    assert cebu.is_within(Jurisdiction.objects.get(iso_code="PH-07"))

    provinces = Jurisdiction.objects.filter(iso_code__startswith="PH-", kind=JurisdictionKind.PROVINCE)
    expected = {s.code: s.parent_code for s in pycountry.subdivisions.get(country_code="PH") if s.parent_code}
    assert provinces.count() == len(expected) > 0
    assert {p.iso_code: p.parent.iso_code for p in provinces.select_related("parent")} == expected


def test_indonesian_provinces_hang_under_geographical_units_and_names_are_clean():
    run("load_jurisdictions", "ID", "MK")

    jawa = Jurisdiction.objects.get(iso_code="ID-JW")
    assert (jawa.kind, jawa.level_name, jawa.parent.iso_code) == (JurisdictionKind.REGION, "Geographical unit", "ID")
    east_java = Jurisdiction.objects.get(iso_code="ID-JI")
    assert (east_java.name, east_java.parent, east_java.depth) == ("Jawa Timur", jawa, 3)
    jakarta = Jurisdiction.objects.get(iso_code="ID-JK")
    assert jakarta.level_name == "Capital district"

    skopje_municipalities = Jurisdiction.objects.filter(iso_code__startswith="MK-")
    assert skopje_municipalities.count() == 80
    assert not skopje_municipalities.filter(name__contains="†").exists()
    assert Jurisdiction.objects.get(iso_code="MK-814").name == "Centar"


def test_second_run_creates_nothing():
    first = run("load_jurisdictions")
    before = counts()
    assert before["audit"] == 1  # one summary row, not one per unit
    assert "276 jurisdiction(s) created" in first

    second = run("load_jurisdictions")

    assert counts() == before
    assert "Nothing to do" in second


def test_extends_an_existing_tree_without_duplicates(world):
    run("load_jurisdictions", "PH")

    assert Jurisdiction.objects.filter(iso_code="PH").get() == world.ph
    assert Jurisdiction.objects.get(iso_code="PH-BOH").parent == world.visayas
    # The hand-made local units below stay where they were.
    assert world.cebu_city.parent == Jurisdiction.objects.get(iso_code="PH-CEB")
    assert Jurisdiction.objects.filter(parent__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("iso_type", "has_children", "kind"),
    [
        ("County", False, JurisdictionKind.COUNTY),
        ("Region", True, JurisdictionKind.REGION),
        ("Province", False, JurisdictionKind.PROVINCE),
        ("Municipality", False, JurisdictionKind.MUNICIPALITY),
        ("Geographical unit", True, JurisdictionKind.REGION),
        ("Capital district", False, JurisdictionKind.PROVINCE),
        ("London borough", False, JurisdictionKind.DISTRICT),
        ("Unitary authority", False, JurisdictionKind.OTHER),
        ("Unitary authority", True, JurisdictionKind.REGION),
    ],
)
def test_iso_subdivision_types_map_to_kinds(iso_type, has_children, kind):
    assert seeding.kind_for(iso_type, has_children=has_children) == kind


@pytest.mark.parametrize("codes", [["XX"], ["KE", "ZZ"], ["KEN"], ["1"]])
def test_unknown_country_code_is_a_clear_error_and_writes_nothing(codes):
    with pytest.raises(CommandError, match="Unknown country code"):
        run("load_jurisdictions", *codes)
    assert Jurisdiction.objects.count() == 0


# --- load_demo -------------------------------------------------------------------------------

EXPECTED_PERSONAS = {
    "admin": ("administrator", "network"),
    "national.ke": ("national_coordinator", "KE"),
    "regional.ph": ("regional_coordinator", "PH-07"),
    "local.mombasa": ("local_coordinator", "KE-28"),
    "member.mombasa": ("member", "KE-28"),
    "partner.cso": ("partner", "KE-28"),
    "partner.company": ("partner", "KE-28"),
    "facilitator": ("facilitator", "ID"),
    "viewer.skopje": ("viewer", "MK-814"),
    "local.surabaya": ("local_coordinator", "surabaya"),
}


@pytest.mark.slow  # the whole demo, end to end, unless a test before it built it: scheduled early (conftest)
def test_load_demo_builds_the_world_once(demo_load_output):
    # The rows and output of the real command on an empty database (run once per test run and shared with
    # the tests of demo_world: tandem/conftest.py), restored into this test's transaction.
    output = demo_load_output

    # Every persona signs in with the demo password and holds its role at the right place.
    surabaya = Jurisdiction.objects.get(name="Surabaya")
    assert surabaya.parent == Jurisdiction.objects.get(iso_code="ID-JI")
    assert surabaya.kind == JurisdictionKind.CITY
    network = Jurisdiction.objects.get(parent__isnull=True)
    places = {"network": network, "surabaya": surabaya}
    for username, (role, where) in EXPECTED_PERSONAS.items():
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assignment = RoleAssignment.objects.get(user=user, revoked_at__isnull=True)
        expected_place = places.get(where) or Jurisdiction.objects.get(iso_code=where)
        assert (assignment.role, assignment.jurisdiction) == (role, expected_place), username
        assert user.person.jurisdiction == expected_place
        assert username in output
    assert RoleAssignment.objects.get(user__username="member.mombasa").organisation.sector != Sector.PRIVATE_SECTOR
    assert RoleAssignment.objects.get(user__username="partner.company").organisation.sector == Sector.PRIVATE_SECTOR
    assert demo.DEMO_PASSWORD in output and len(demo.DEMO_PASSWORD) >= 12

    # Every sector has at least one organisation in each country.
    for code in demo.COUNTRIES:
        country = Jurisdiction.objects.get(iso_code=code)
        sectors = set(
            Organisation.objects.filter(jurisdiction__path__startswith=country.path).values_list("sector", flat=True)
        )
        assert sectors == set(Sector.values), code

    # The full ISO trees, plus local units.
    assert Jurisdiction.objects.get(iso_code="KE").children.filter(kind=JurisdictionKind.COUNTY).count() == 47
    assert Jurisdiction.objects.get(iso_code="PH").children.count() == 17
    makassar = Jurisdiction.objects.get(name="Makassar")
    assert makassar.parent.iso_code == "ID-SN"
    assert Organisation.objects.filter(parent__isnull=False).count() >= 3
    assert Affiliation.objects.filter(end_date__isnull=False).exists()
    assert Person.objects.filter(user__isnull=False).count() == len(EXPECTED_PERSONAS)

    before = counts()
    second = run("load_demo")
    assert "demo data already present" in second
    assert counts() == before


def test_load_demo_does_nothing_when_organisations_exist(world):
    before = counts()
    output = run("load_demo")
    assert "demo data already present" in output
    assert counts() == before
