"""The named cast every test uses.

Two countries. The Philippines has two regions, a province and cities; Kenya has
a county and a district. One person per persona, each with a role at a
jurisdiction, and an outsider from Kenya.

    network "Tandem network"                      admin (administrator)
      Philippines (PH)                            national (national coordinator)
        Central Visayas (PH-07)                   regional (regional coordinator), facilitator
          Cebu (PH-CEB)
            Cebu City (local unit)                local, member, cso, company, viewer
        National Capital Region (PH-00)
          Manila (local unit)
      Kenya (KE)
        Nairobi (KE-30)                           outsider (local coordinator)
          Westlands (local unit)
"""

from __future__ import annotations

import contextlib
import os
import shutil
from types import SimpleNamespace

import pytest


def pytest_configure(config):
    # freezegun replaces time functions in every loaded module, pytest's own clock included, so a
    # test under freeze_time reported a 56-year setup in --durations: leave pytest's timing alone.
    import freezegun

    freezegun.configure(extend_ignore_list=["_pytest.timing"])
    _flush_postgresql_by_delete()


def _flush_postgresql_by_delete() -> None:
    """After each transactional test (browser tests, races, backups) pytest-django empties every table.
    On PostgreSQL Django does it with one TRUNCATE of all ~200 tables, which makes the server create
    new files for each table and index: seconds per test for a few rows. DELETE empties tables this
    small in milliseconds; the foreign keys Django creates are DEFERRABLE INITIALLY DEFERRED and the
    flush runs in one transaction, so the order of the tables does not matter. Tests only."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except Exception:  # no PostgreSQL driver installed: the suite runs on SQLite only
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


def pytest_collection_modifyitems(config, items):
    """Tests that read the demo run first: under xdist they are one unit of work, run by one worker
    (``pytest_xdist_make_scheduler`` below), which builds the demo once for the run
    (``_demo_snapshot``) before any transactional test of the worker empties its database, while
    the other worker runs other tests instead of waiting for that build. Browser tests last: their
    Chromium (``browser``) lives until the end of the session, and with it Playwright's event
    loop. ``make test`` hands each worker the other tests one at a time in this order, so every
    worker still runs its browser tests after all its other tests. (``--dist worksteal`` would
    break that: a worker that steals runs the stolen tests after its own.) Within each group the
    tests marked ``slow`` (the long browser journeys, the demo command) come first, so the short
    ones are left for the end and the two workers finish within a short test of each other
    instead of one waiting out a journey."""

    def reads_demo(item) -> bool:
        return "_demo_snapshot" in getattr(item, "fixturenames", ())  # demo_world, demo_load_output

    def order(item) -> tuple[int, int]:
        group = 0 if reads_demo(item) else 2 if item.get_closest_marker("browser") else 1
        return group, 0 if item.get_closest_marker("slow") else 1

    items.sort(key=order)
    factory = getattr(config, "_tmp_path_factory", None)
    if os.environ.get("PYTEST_XDIST_WORKER") and factory is not None:
        from tandem.tests import xdist_groups

        xdist_groups.record(factory.getbasetemp().parent, [item.nodeid for item in items if reads_demo(item)])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist load`` (``make test``): the tests that read the demo as one unit (tandem.tests.xdist_groups)."""
    if config.getvalue("dist") != "load":
        return None
    from tandem.tests.xdist_groups import DemoGroupScheduling

    return DemoGroupScheduling(config, log)


# `make mutate` runs each mutant's tests in a new pytest session (mutmut forks a process per mutant).
# The schema is the same for every mutant, so when TANDEM_TEST_DB_TEMPLATE names a file, the first
# session migrates a SQLite test database and saves it there before any test runs, and every later
# session starts from its own copy of it, with no migration to run or check (the migrate command
# alone, even with nothing to apply, costs about half of a short session). Unset, nothing changes.
TEST_DB_TEMPLATE = os.environ.get("TANDEM_TEST_DB_TEMPLATE")

if TEST_DB_TEMPLATE:

    def _copy_sqlite(source: str, target: str) -> None:
        """A consistent copy of a SQLite database in WAL mode (the backup API, not a file copy)."""
        import sqlite3

        with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
            src.backup(dst)

    @pytest.fixture(scope="session")
    def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
        """This session's own test database: ``<template>.<pid>``, a copy of the template if there is one."""
        from django.conf import settings
        from django.db import connections

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
            raise RuntimeError("TANDEM_TEST_DB_TEMPLATE is for SQLite test databases (unset DATABASE_URL)")
        own = f"{TEST_DB_TEMPLATE}.{os.getpid()}"
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(own + suffix)
        os.makedirs(os.path.dirname(os.path.abspath(own)), exist_ok=True)
        if os.path.exists(TEST_DB_TEMPLATE):
            _copy_sqlite(TEST_DB_TEMPLATE, own)
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = own
        yield
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(own + suffix)

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
        """Replaces pytest-django's: the first session migrates its database (Django's ``setup_databases``,
        kept) and saves it as the template; later ones point the connections at their copy, every
        migration already applied (what ``setup_databases`` does with keepdb, minus the migrate command)."""
        from django.conf import settings
        from django.db import connections
        from django.test.utils import setup_databases

        default = connections["default"]
        own = default.settings_dict["TEST"]["NAME"]
        with django_db_blocker.unblock():
            if os.path.exists(TEST_DB_TEMPLATE):
                default.close()
                settings.DATABASES["default"]["NAME"] = own
                default.settings_dict["NAME"] = own
                for alias in connections:
                    mirror = connections[alias].settings_dict["TEST"].get("MIRROR")
                    if mirror:
                        connections[alias].creation.set_as_test_mirror(connections[mirror].settings_dict)
            else:
                setup_databases(verbosity=0, interactive=False, keepdb=True, serialized_aliases=[])
                partial = f"{TEST_DB_TEMPLATE}.partial"
                _copy_sqlite(own, partial)
                os.replace(partial, TEST_DB_TEMPLATE)
        yield

else:

    @pytest.fixture(scope="session")
    def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
        """Under xdist, one worker migrates a template database and every worker copies it
        (tandem.tests.template_db); the folder of the run (the parent of each worker's) is shared."""
        if os.environ.get("PYTEST_XDIST_WORKER"):
            from tandem.tests import template_db

            template_db.install(tmp_path_factory.getbasetemp().parent)


def pytest_sessionfinish(session):
    """The controller of an xdist run drops the template databases its workers made."""
    config = session.config
    factory = getattr(config, "_tmp_path_factory", None)
    if getattr(config, "workerinput", None) is not None or not config.getoption("numprocesses", None) or not factory:
        return
    from pytest_django.plugin import blocking_manager_key

    from tandem.tests import template_db

    try:
        with config.stash[blocking_manager_key].unblock():
            template_db.drop_templates(factory.getbasetemp())
    except Exception as error:  # the server is gone: say so, never fail the run here
        print(f"\nCould not drop the template test database: {error}")


@pytest.fixture(autouse=True)
def _language_reset_after_each_test():
    """A test that switches the language (a request in French activates it for the thread) must not
    leave the next test in French: with a different order (make mutate runs each mutant's tests in
    whatever order mutmut lists them) a test asserting an English message failed on a French one."""
    yield
    from django.utils import translation

    translation.deactivate()


PERSONAS = ["admin", "national", "regional", "local", "member", "cso", "company", "facilitator", "viewer", "outsider"]


@pytest.fixture(scope="session")
def _world_snapshot(django_db_setup, django_db_blocker):
    """The world's rows, built once per session (and per xdist worker); see tandem.tests.snapshots."""
    from tandem.tests.snapshots import capture

    with django_db_blocker.unblock():
        return capture(build_world)


@pytest.fixture
def world(db, _world_snapshot):
    """The named cast (see the module docstring), in the database and as attributes: ``world.local``.

    Each test gets its own copy of the objects and of the rows (restored inside the test's
    transaction), the same as if ``build_world()`` had run for it.
    """
    return _world_snapshot.restore()


def _load_demo_command():
    """Run ``manage.py load_demo`` itself: its ``DemoResult`` (``demo.build_demo``'s) and what it printed."""
    from io import StringIO

    from django.core.management import call_command

    from tandem.core import demo

    results = []
    build = demo.build_demo

    def recording_build():
        results.append(build())
        return results[-1]

    demo.build_demo = recording_build
    try:
        output = StringIO()
        call_command("load_demo", stdout=output)
    finally:
        demo.build_demo = build
    (result,) = results
    return result, output.getvalue()


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    """The rows ``manage.py load_demo`` writes on an empty database (the real command), with its result and
    output, built once per run: under xdist the first worker that needs them runs the command and writes
    them beside the template database (``tandem.tests.template_db``); the other workers, whose databases
    are copies of the same template, read that file instead of building the demo again (about 20 s of
    CPU each)."""
    from tandem.tests import template_db
    from tandem.tests.snapshots import Snapshot, capture

    with django_db_blocker.unblock():
        shared = template_db.shared_directory()
        if shared is None:
            return capture(_load_demo_command)
        saved = shared / "demo-snapshot.pickle"
        with template_db.locked(shared / "demo-snapshot.lock"):
            if saved.exists():
                return Snapshot.load(saved)
            snapshot = capture(_load_demo_command)
            partial = shared / "demo-snapshot.partial"
            snapshot.dump(partial)
            os.replace(partial, saved)
            return snapshot


@pytest.fixture
def demo_world(db, _demo_snapshot):
    """The demo world (what ``manage.py load_demo`` builds), restored into this test's transaction.

    Building it takes about 20 s of CPU, so tests that read the demo share one build (one run of the
    real command: ``test_seeding.test_load_demo_builds_the_world_once`` checks what it wrote and printed).
    Returns the ``DemoResult`` of that build.
    """
    result, _output = _demo_snapshot.restore()
    return result


@pytest.fixture
def demo_load_output(db, _demo_snapshot):
    """What ``manage.py load_demo`` printed on an empty database; its rows are restored into this test's
    transaction, as ``demo_world`` does."""
    _result, output = _demo_snapshot.restore()
    return output


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, through Playwright) per session and xdist worker.

    Browser tests run last (see ``pytest_collection_modifyitems``): while Playwright runs, its
    event loop is the thread's running loop, and Django's ORM refuses to run beside a running
    loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set.
    """
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install it")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, English) and a page in it, for one test."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    # Let the last page's requests finish on the live server before the database is flushed: a request
    # still reading when the test ends holds a lock on the shared in-memory SQLite database.
    with contextlib.suppress(Exception):  # a page that never idles is closed anyway
        page.wait_for_load_state("networkidle", timeout=10000)
    context.close()


def build_world():
    from tandem.core import services
    from tandem.core.models import JurisdictionKind as K
    from tandem.core.models import Role, Sector, User

    w = SimpleNamespace()
    mk = services.jurisdiction_create
    w.network = mk(actor=None, name="Tandem network", kind=K.NETWORK, parent=None, audit=False)
    w.ph = mk(actor=None, name="Philippines", kind=K.COUNTRY, parent=w.network, iso_code="PH", audit=False)
    w.visayas = mk(
        actor=None,
        name="Central Visayas",
        kind=K.REGION,
        parent=w.ph,
        iso_code="PH-07",
        level_name="Region",
        audit=False,
    )
    w.cebu = mk(
        actor=None,
        name="Cebu",
        kind=K.PROVINCE,
        parent=w.visayas,
        iso_code="PH-CEB",
        level_name="Province",
        audit=False,
    )
    w.cebu_city = mk(actor=None, name="Cebu City", kind=K.CITY, parent=w.cebu, level_name="City", audit=False)
    w.ncr = mk(actor=None, name="National Capital Region", kind=K.REGION, parent=w.ph, iso_code="PH-00", audit=False)
    w.manila = mk(actor=None, name="Manila", kind=K.CITY, parent=w.ncr, audit=False)
    w.ke = mk(actor=None, name="Kenya", kind=K.COUNTRY, parent=w.network, iso_code="KE", audit=False)
    w.nairobi = mk(
        actor=None, name="Nairobi", kind=K.COUNTY, parent=w.ke, iso_code="KE-30", level_name="County", audit=False
    )
    w.westlands = mk(actor=None, name="Westlands", kind=K.DISTRICT, parent=w.nairobi, audit=False)

    def user(username: str) -> User:
        u = User.objects.create_user(
            username=username, password="correct-horse-battery-staple", first_name=username.title()
        )
        return u

    w.admin = user("admin")
    services.role_grant(actor=None, user=w.admin, role=Role.ADMINISTRATOR, jurisdiction=w.network)

    org = services.organisation_create
    w.city_hall = org(actor=w.admin, jurisdiction=w.cebu_city, name="Cebu City Hall", sector=Sector.LOCAL_GOVERNMENT)
    w.cso_org = org(actor=w.admin, jurisdiction=w.cebu_city, name="Visayas Youth Forum", sector=Sector.YOUTH)
    w.company_org = org(actor=w.admin, jurisdiction=w.cebu_city, name="Cebu Shipping Co", sector=Sector.PRIVATE_SECTOR)
    w.police = org(actor=w.admin, jurisdiction=w.cebu, name="Cebu Provincial Police", sector=Sector.POLICE_SECURITY)
    w.manila_org = org(actor=w.admin, jurisdiction=w.manila, name="Manila Interfaith Council", sector=Sector.RELIGIOUS)
    w.national_org = org(
        actor=w.admin, jurisdiction=w.ph, name="Anti-Terrorism Council", sector=Sector.NATIONAL_GOVERNMENT
    )
    w.nairobi_org = org(
        actor=w.admin, jurisdiction=w.nairobi, name="Nairobi County Government", sector=Sector.LOCAL_GOVERNMENT
    )

    grants = {
        "national": (Role.NATIONAL_COORDINATOR, w.ph, w.national_org),
        "regional": (Role.REGIONAL_COORDINATOR, w.visayas, None),
        "local": (Role.LOCAL_COORDINATOR, w.cebu_city, w.city_hall),
        "member": (Role.MEMBER, w.cebu_city, w.cso_org),
        "cso": (Role.PARTNER, w.cebu_city, w.cso_org),
        "company": (Role.PARTNER, w.cebu_city, w.company_org),
        "facilitator": (Role.FACILITATOR, w.visayas, None),
        "viewer": (Role.VIEWER, w.cebu_city, None),
        "outsider": (Role.LOCAL_COORDINATOR, w.nairobi, w.nairobi_org),
    }
    for name, (role, where, on_behalf) in grants.items():
        u = user(name)
        services.role_grant(actor=None, user=u, role=role, jurisdiction=where, organisation=on_behalf)
        setattr(w, name, u)

    person = services.person_create
    w.person_cebu = person(
        actor=w.admin,
        jurisdiction=w.cebu_city,
        full_name="Maria Santos",
        email="maria@example.org",
        phone="+63 32 555 0101",
    )
    services.affiliation_create(actor=w.admin, person=w.person_cebu, organisation=w.cso_org, title="Programme lead")
    w.person_manila = person(actor=w.admin, jurisdiction=w.manila, full_name="Jose Reyes", email="jose@example.org")
    w.person_nairobi = person(
        actor=w.admin, jurisdiction=w.nairobi, full_name="Achieng Otieno", email="achieng@example.org"
    )
    w.personas = {name: getattr(w, name) for name in PERSONAS}
    return w


@pytest.fixture
def as_user(client):
    """Log the test client in as a user: ``as_user(world.local)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def real_mfa():
    """Request this fixture to make ``force_login`` a password-only sign-in (no second factor)."""
    return True


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(request, monkeypatch):
    """force_login stands for a complete sign-in incl. the second factor; the MFA tests sign in
    through the real forms (they request the ``real_mfa`` fixture to turn this off)."""
    if "real_mfa" in request.fixturenames:
        return
    from django.test import Client

    from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[MFA_SESSION_KEY] = VERIFIED
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _media_root_outside_the_repository(settings, tmp_path_factory):
    """Uploaded files written by any test land in pytest's temporary folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"
