"""The national-scale dataset (``manage.py generate_scale``): one country the size of a large
national network, for the benchmark (``manage.py bench_scale``).

Core builds the country, its directory and the persona accounts; each app adds its records
through its ``scale_builder`` hook (``fn(world)``, in order). Everything is deterministic
(``random.Random(seed)``, uuids drawn from it) and written with ``bulk_create`` in batches,
bypassing the services on purpose: the dataset is a measuring instrument, not user input,
and nothing here is audited.

``World.count(name)`` scales a base count of the national profile by ``--scale``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import operator
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import connection, models
from django.utils import timezone

from . import seeding
from .models import (
    Affiliation,
    AuditAction,
    AuditEvent,
    Jurisdiction,
    JurisdictionKind,
    Organisation,
    Person,
    Role,
    RoleAssignment,
    Sector,
    User,
)

COUNTRY_CODE = "XS"  # ISO 3166 user-assigned: never a real country
COUNTRY_NAME = "Scaleland"
PASSWORD = "scale-bench-2026"
BATCH = 5000

# The national profile: base counts at --scale 1 (the apps' own counts live in their scale.py).
NATIONAL = {
    "regions": 20,
    "provinces": 400,
    "municipalities": 4579,
    "organisations": 20000,
    "people": 60000,
}

# Persona accounts of the benchmark: (username, role, level of their place: 1 country .. 4 municipality).
PERSONAS = (
    ("scale.national", Role.NATIONAL_COORDINATOR, 1),
    ("scale.regional", Role.REGIONAL_COORDINATOR, 2),
    ("scale.local", Role.LOCAL_COORDINATOR, 4),
    ("scale.member", Role.MEMBER, 4),
)

SECTORS = [value for value, _label in Sector.choices]
START = dt.date(2022, 1, 1)


@dataclass
class World:
    """What the builders share: the seeded randomness, the scale, and the ids made so far."""

    scale: float
    seed: int
    out: TextIO = sys.stdout
    rng: random.Random = field(init=False)
    rows: int = 0
    started: float = field(default_factory=time.perf_counter)
    country: Jurisdiction | None = None
    # level (1 country .. 4 municipality) -> [(id, path)]
    units: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    parent_of: dict[int, int] = field(default_factory=dict)
    organisations: list[tuple[int, int]] = field(default_factory=list)  # (id, jurisdiction id)
    people: list[tuple[int, int]] = field(default_factory=list)  # (id, jurisdiction id)
    users: list[int] = field(default_factory=list)
    user_places: list[tuple[int, int, int]] = field(default_factory=list)  # (user id, person id, jurisdiction id)
    personas: dict[str, User] = field(default_factory=dict)
    persona_places: dict[str, int] = field(default_factory=dict)
    persona_orgs: dict[str, int] = field(default_factory=dict)
    persona_people: dict[str, int] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # what one app's builder leaves for the next
    # label -> [rows, seconds] of each bulk step, for the summary (rows/s per table)
    stats: dict[str, list[float]] = field(default_factory=dict)
    # PostgreSQL: the secondary indexes and unique constraints of each table, read from the catalogue
    # (table -> [(drop statement, recreate statement)]), and the recreate statements of those dropped
    indexes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    recreate: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def count(self, base: int, minimum: int = 1) -> int:
        return max(minimum, round(base * self.scale))

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def date(self, start: dt.date = START, days: int = 1400) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange(days))

    def moment(self, start: dt.date = START, days: int = 1400) -> dt.datetime:
        day = self.date(start, days)
        return dt.datetime(day.year, day.month, day.day, 8 + self.rng.randrange(10), tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return timezone.now()

    def localities(self) -> list[tuple[int, str]]:
        return self.units[4]

    def all_units(self) -> list[tuple[int, str]]:
        return [unit for level in sorted(self.units) for unit in self.units[level]]

    def orgs_in(self, jurisdiction_id: int) -> list[int]:
        index = self.shared.setdefault("_orgs_by_unit", {})
        if not index:
            for org_id, jur_id in self.organisations:
                index.setdefault(jur_id, []).append(org_id)
        return index.get(jurisdiction_id, [])

    def people_in(self, jurisdiction_id: int) -> list[int]:
        index = self.shared.setdefault("_people_by_unit", {})
        if not index:
            for person_id, jur_id in self.people:
                index.setdefault(jur_id, []).append(person_id)
        return index.get(jurisdiction_id, [])

    def progress(self, label: str, done: int, total: int) -> None:
        if not self.out.isatty() and done not in (total,) and done % (BATCH * 10):
            return
        elapsed = time.perf_counter() - self.started
        width = 30
        filled = int(width * done / total) if total else width
        rate = self.rows / elapsed if elapsed else 0.0
        end = "\n" if done >= total else "\r"
        self.out.write(
            f"  {label:<28} [{'#' * filled}{'.' * (width - filled)}] {done:>9}/{total:<9} {rate:>9,.0f} rows/s{end}"
        )
        self.out.flush()

    def tally(self, label: str, rows: int, seconds: float) -> None:
        entry = self.stats.setdefault(label, [0, 0.0])
        entry[0] += rows
        entry[1] += seconds

    def unindex(self, model: type[models.Model]) -> None:
        """On PostgreSQL, drop the secondary indexes and unique constraints of ``model``'s table
        (once), to be built over the loaded rows at the end (:func:`_rebuild_indexes`). Called for
        the tables that receive many rows; a small table keeps its indexes (a rebuild costs more)."""
        statements = self.indexes.pop(model._meta.db_table, None)
        if not statements:
            return
        with connection.cursor() as cursor:
            for drop, recreate in statements:
                cursor.execute(drop)
                self.recreate.append(recreate)

    def bulk(
        self, label: str, model: type[models.Model], rows: Iterable[dict[str, Any]], total: int, *, keep: bool = True
    ) -> list[int]:
        """Insert ``rows`` (dicts of field attnames; the other fields take their defaults) in
        batches, with a progress line. Returns the new ids in order, unless ``keep`` is false."""
        began = time.perf_counter()
        if total >= BATCH:
            self.unindex(model)
        ids: list[int] = []
        batch: list[dict[str, Any]] = []
        done = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                made = self._insert(model, batch)
                if keep:
                    ids.extend(made)
                done += len(batch)
                batch = []
                self.progress(label, done, max(total, done))
        if batch:
            made = self._insert(model, batch)
            if keep:
                ids.extend(made)
            done += len(batch)
        self.progress(label, done, done)
        self.tally(label, done, time.perf_counter() - began)
        return ids

    def insert_select(
        self, label: str, model: type[models.Model], sql: str, params: list[Any] | dict[str, Any], total: int
    ) -> bool:
        """On PostgreSQL, run ``sql`` (an ``INSERT INTO {table} ... SELECT``, e.g. over
        ``generate_series`` or ``unnest`` of ids) and count its rows; elsewhere do nothing and
        answer False (the caller then inserts row by row)."""
        if connection.vendor != "postgresql":
            return False
        began = time.perf_counter()
        if total >= BATCH:
            self.unindex(model)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=connection.ops.quote_name(model._meta.db_table)), params)
            made = cursor.rowcount
        self.rows += made
        self.progress(label, made, max(total, made))
        self.tally(label, made, time.perf_counter() - began)
        return True

    def audit_trail(
        self,
        model: type[models.Model],
        *,
        most: int,
        label: str = "r.title",
        jurisdiction: str = "r.jurisdiction_id",
        joins: str = "",
    ) -> None:
        """The audit events of ``model``'s records, as the services would have written them over the
        years: each record created (by one of the accounts), then updated up to ``most - 1`` times,
        some days apart; named by type and uuid like :func:`tandem.core.auditlog.audit_record`,
        labelled with the SQL expression ``label`` (as ``str(record)`` would be), at its jurisdiction (the SQL expression
        ``jurisdiction`` over the record ``r`` and the tables of ``joins``).

        On PostgreSQL one ``INSERT ... SELECT`` (nothing crosses the connection); elsewhere row by
        row, with the same times, actors and uuids (both hash the seed, the type and the ids)."""
        object_type = model._meta.model_name
        table = connection.ops.quote_name(model._meta.db_table)
        actors = self.shared.get("_actors")
        if actors is None:
            ids = [self.personas[name].pk for name in self.personas] + [user for user, _p, _j in self.user_places]
            names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
            actors = self.shared["_actors"] = ([i for i in ids if i in names], [names[i] for i in ids if i in names])
        total = model._default_manager.count() * (1 + most) // 2  # about the mean
        source = f"FROM {table} r {joins} JOIN core_jurisdiction j ON j.id = {jurisdiction}"
        tag = f"audit: {object_type}"
        if connection.vendor == "postgresql":
            sql = _AUDIT_SQL.format(source=source, label=label)
            params = {"key": f"{self.seed}:{object_type}", "most": most, "ids": actors[0], "names": actors[1]}
            self.insert_select(tag, AuditEvent, sql, {**params, "type": object_type}, total)
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT r.id, r.uuid, {label}, j.id, j.path {source}")
            records = cursor.fetchall()
        key = f"{self.seed}:{object_type}"

        def events() -> Iterator[dict[str, Any]]:
            for pk, record_uuid, text, jur_id, path in records:
                h = hashed(f"{key}:{pk}")
                for g in range(1, 2 + h % most):
                    actor = h % len(actors[0])
                    yield {
                        "uuid": uuid.UUID(hashlib.md5(f"{key}:{pk}:{g}".encode(), usedforsecurity=False).hexdigest()),
                        "created_at": _audit_time(h, g),
                        "actor_id": actors[0][actor],
                        "actor_label": actors[1][actor],
                        "action": AuditAction.CREATE if g == 1 else AuditAction.UPDATE,
                        "object_type": object_type,
                        "object_uuid": str(uuid.UUID(str(record_uuid))),
                        "object_repr": str(text)[:300],
                        "jurisdiction_id": jur_id,
                        "jurisdiction_path": path,
                        "changes": {},
                    }

        self.bulk(tag, AuditEvent, events(), total, keep=False)

    def _columns(self, model: type[models.Model]) -> list[tuple[str, str, Callable[[], Any]]]:
        """(attname, column, default) of each concrete field but the id."""
        spec = self.shared.setdefault("_columns", {})
        if model not in spec:
            columns = []
            for f in model._meta.concrete_fields:
                if f.primary_key and isinstance(f, models.AutoField):
                    continue
                if f.attname == "uuid":
                    default: Callable[[], Any] = self.uuid
                elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default = _constant(self.now())
                elif f.has_default() and callable(f.default):
                    default = f.get_default
                else:
                    default = _constant(f.get_default() if f.has_default() else None if f.null else "")
                columns.append((f.attname, f.column, default))
            spec[model] = columns
        return spec[model]

    def _insert(self, model: type[models.Model], batch: list[dict[str, Any]]) -> list[int]:
        self.rows += len(batch)
        columns = self._columns(model)
        if connection.vendor != "postgresql":
            full = [{name: row[name] if name in row else default() for name, _c, default in columns} for row in batch]
            with _given_times(model, batch[0]):
                objects = model.objects.bulk_create([model(**row) for row in full])  # type: ignore[attr-defined]
            return [obj.pk for obj in objects]
        # PostgreSQL: COPY, with ids drawn from the table's sequence first (so they are known).
        table = model._meta.db_table
        names, values = _copy_plan(model, columns, batch[0])
        with connection.cursor() as cursor:
            if not isinstance(model._meta.pk, models.AutoField):
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(values(row))
                return []
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(batch)]
            )
            ids = [row[0] for row in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {table} (id, {names}) FROM STDIN") as copy:
                for pk, row in zip(ids, batch, strict=True):
                    copy.write_row((pk, *values(row)))
        return ids


@contextlib.contextmanager
def _given_times(model: type[models.Model], row: dict[str, Any]) -> Iterator[None]:
    """While ``bulk_create`` runs: the ``auto_now``/``auto_now_add`` fields the rows give keep their
    values (the audit trail's times in the past), instead of taking the current time."""
    given = [
        f
        for f in model._meta.concrete_fields
        if f.attname in row and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in given]  # type: ignore[attr-defined]
    for f in given:
        f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[attr-defined]


def _copy_plan(
    model: type[models.Model], columns: list[tuple[str, str, Callable[[], Any]]], first: dict[str, Any]
) -> tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]]]:
    """The COPY column list and a function turning a row into its values, in that order.

    The columns are ordered as the batch's first row gives them: its own keys first (picked with
    one ``itemgetter``), then the constant defaults (one tuple for every row), then the computed
    ones (uuids, drawn per row in the fields' order, as before). This loop is most of the
    generator's Python time; a row with other keys takes the slow way."""
    from psycopg.types.json import Jsonb

    json = {f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)}
    present = [c for c in columns if c[0] in first]
    constant = [c for c in columns if c[0] not in first and isinstance(c[2], _Constant)]
    computed = [c for c in columns if c[0] not in first and not isinstance(c[2], _Constant)]
    order = present + constant + computed
    names = ", ".join(connection.ops.quote_name(column) for _name, column, _default in order)
    keys = [name for name, _column, _default in present]
    pick = operator.itemgetter(*keys) if len(keys) > 1 else (lambda row: tuple(row[k] for k in keys))
    wrap = [i for i, name in enumerate(keys) if name in json]
    fixed = tuple(Jsonb(d()) if name in json else d() for name, _column, d in constant)
    drawn = [(d, name in json) for name, _column, d in computed]

    def slow(row: dict[str, Any]) -> tuple[Any, ...]:
        out = (row[name] if name in row else d() for name, _column, d in order)
        return tuple(Jsonb(v) if name in json else v for (name, _c, _d), v in zip(order, out, strict=True))

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        if len(row) != len(keys):
            return slow(row)
        try:
            got = pick(row)
        except KeyError:
            return slow(row)
        if wrap:
            got = tuple(Jsonb(v) if i in wrap else v for i, v in enumerate(got))
        if drawn:
            return (*got, *fixed, *(Jsonb(d()) if is_json else d() for d, is_json in drawn))
        return (*got, *fixed)

    return names, values


class _Constant:
    """A default that is the same for every row (so the COPY plan sends it as it is)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self) -> Any:
        return self.value


def hashed(text: str) -> int:
    """The first 32 bits of ``text``'s MD5, as PostgreSQL's ``('x' || substr(md5(t), 1, 8))::bit(32)::bigint``
    computes them (so SQL-generated rows and row-by-row ones agree)."""
    return int(hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:8], 16)


# The audit events of one record type: 1 + h % most per record (h hashed from the seed, the type and
# the record's id): the first "create", the others "update", 9 days apart, from a day of 2022-2025
# (see _audit_time); the actor drawn from the accounts by h.
_AUDIT_SQL = """
INSERT INTO {{table}} (uuid, created_at, actor_id, actor_label, action, object_type, object_uuid, object_repr,
                      jurisdiction_id, jurisdiction_path, changes, ip_address)
SELECT md5(%(key)s || ':' || r.id || ':' || g)::uuid,
       timestamptz '2022-01-01 08:00:00+00'
         + ((h %% 1400) * 86400 + (g - 1) * 777600 + (h / 1400) %% 36000) * interval '1 second',
       (%(ids)s::bigint[])[1 + h %% cardinality(%(ids)s::bigint[])],
       (%(names)s::text[])[1 + h %% cardinality(%(ids)s::bigint[])],
       CASE WHEN g = 1 THEN 'create' ELSE 'update' END,
       %(type)s, r.uuid::text, left(({label})::text, 300), j.id, j.path, '{{{{}}}}'::jsonb, NULL
{source}
CROSS JOIN LATERAL (SELECT ('x' || substr(md5(%(key)s || ':' || r.id), 1, 8))::bit(32)::bigint AS h) x
CROSS JOIN LATERAL generate_series(1, 1 + (x.h %% %(most)s)::int) AS g
"""


def _audit_time(h: int, g: int) -> dt.datetime:
    """When the ``g``-th audit event of a record hashed ``h`` happened (as ``_AUDIT_SQL`` computes it)."""
    seconds = (h % 1400) * 86400 + (g - 1) * 777600 + (h // 1400) % 36000
    return dt.datetime(2022, 1, 1, 8, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


def _constant(value: Any) -> Callable[[], Any]:
    return _Constant(value)


def _name(rng: random.Random) -> str:
    first = ("Amina", "Juan", "Siti", "Elena", "Kofi", "Maria", "Budi", "Ana", "Jomo", "Lea", "Rafael", "Dewi")
    last = ("Santos", "Reyes", "Wanjiru", "Petrova", "Mensah", "Cruz", "Halim", "Otieno", "Garcia", "Nowak")
    return f"{rng.choice(first)} {rng.choice(last)}"


def _jurisdictions(world: World, network: Jurisdiction) -> None:
    country = Jurisdiction.objects.create(
        name=COUNTRY_NAME,
        kind=JurisdictionKind.COUNTRY,
        iso_code=COUNTRY_CODE,
        parent=network,
        path="/pending/",
        depth=network.depth + 1,
    )
    country.path = f"{network.path}{country.pk}/"
    country.save(update_fields=["path"])
    world.country = country
    world.units[1] = [(country.pk, country.path)]
    world.rows += 1
    plan = (
        (2, "regions", JurisdictionKind.REGION, "Region"),
        (3, "provinces", JurisdictionKind.PROVINCE, "Province"),
        (4, "municipalities", JurisdictionKind.MUNICIPALITY, "Municipality"),
    )
    for level, key, kind, word in plan:
        parents = world.units[level - 1]
        total = world.count(NATIONAL[key], minimum=len(parents))
        parent_ids = [parents[i % len(parents)][0] for i in range(total)]
        ids = world.bulk(
            key,
            Jurisdiction,
            (
                {
                    "name": f"{word} {i + 1}",
                    "kind": kind,
                    "level_name": word,
                    "parent_id": parent_ids[i],
                    "path": "/pending/",
                    "depth": country.depth + level - 1,
                }
                for i in range(total)
            ),
            total,
        )
        paths = dict(parents)
        made = [
            Jurisdiction(pk=pk, path=f"{paths[parent_id]}{pk}/") for pk, parent_id in zip(ids, parent_ids, strict=True)
        ]
        Jurisdiction.objects.bulk_update(made, ["path"], batch_size=500)
        world.parent_of.update(zip(ids, parent_ids, strict=True))
        world.units[level] = [(unit.pk, unit.path) for unit in made]


def _weighted_unit(world: World, i: int) -> int:
    """Mostly local units, some at each level above (as a directory is spread)."""
    roll = i % 20
    level = 1 if roll == 0 else 2 if roll <= 2 else 3 if roll <= 6 else 4
    units = world.units[level]
    return units[world.rng.randrange(len(units))][0]


def _directory(world: World) -> None:
    # Every unit has an organisation of its own (its office), the rest are spread as a directory is: so
    # no unit borrows another's organisation for its body or its people's affiliations.
    own = [unit_id for unit_id, _path in world.all_units()]
    total = max(len(own), world.count(NATIONAL["organisations"]))
    kinds = ("Office", "Council", "Association", "Clinic", "Police station", "Court", "School", "Foundation")
    places = own + [_weighted_unit(world, i) for i in range(total - len(own))]
    ids = world.bulk(
        "organisations",
        Organisation,
        (
            {"name": f"{kinds[i % len(kinds)]} {i + 1}", "sector": SECTORS[i % len(SECTORS)], "jurisdiction_id": place}
            for i, place in enumerate(places)
        ),
        total,
    )
    world.organisations = list(zip(ids, places, strict=True))
    total = world.count(NATIONAL["people"])
    places = [_weighted_unit(world, i) for i in range(total)]
    ids = world.bulk(
        "people",
        Person,
        ({"full_name": _name(world.rng), "jurisdiction_id": place} for place in places),
        total,
    )
    world.people = list(zip(ids, places, strict=True))

    def affiliations() -> Iterator[dict[str, Any]]:
        for person_id, jur_id in world.people:
            local = world.orgs_in(jur_id)
            yield {
                "person_id": person_id,
                "organisation_id": local[world.rng.randrange(len(local))],
                "jurisdiction_id": jur_id,
                "title": "Officer",
                "start_date": world.date(),
            }

    world.bulk("affiliations", Affiliation, affiliations(), len(world.people), keep=False)


def _personas(world: World, network: Jurisdiction) -> None:
    """The benchmark's logins, each with a person record and an affiliation at their place."""
    password = world.shared["password"]
    for index, (username, role, level) in enumerate(PERSONAS):
        units = world.units[level]
        place_id = units[0][0] if level == 1 else units[index % len(units)][0]
        if username == "scale.member":
            place_id = world.persona_places["scale.local"]
        user = User.objects.create(username=username, password=password, email=f"{username}@example.org")
        org_id = world.orgs_in(place_id)[0]
        RoleAssignment.objects.create(user=user, role=role, jurisdiction_id=place_id, organisation_id=org_id)
        person = Person.objects.create(full_name=username, jurisdiction_id=place_id, user=user)
        Affiliation.objects.create(
            person=person, organisation_id=org_id, jurisdiction_id=place_id, title=str(role), start_date=START
        )
        world.personas[username] = user
        world.persona_places[username] = place_id
        world.persona_orgs[username] = org_id
        world.persona_people[username] = person.pk
        world.users.append(user.pk)
        world.rows += 4


def _user_accounts(world: World) -> None:
    """Accounts for one person in thirty (the people who sign in), each with a role at their place."""
    password = world.shared["password"]
    chosen = world.people[::30]
    ids = world.bulk(
        "users",
        User,
        ({"username": f"user{i}", "password": password, "is_active": True} for i in range(len(chosen))),
        len(chosen),
    )
    world.users.extend(ids)
    world.user_places = [(user_id, person, jur) for (person, jur), user_id in zip(chosen, ids, strict=True)]
    Person.objects.bulk_update(
        [Person(pk=person_id, user_id=user_id) for user_id, person_id, _jur in world.user_places],
        ["user"],
        batch_size=500,
    )
    roles = (Role.MEMBER, Role.MEMBER, Role.MEMBER, Role.LOCAL_COORDINATOR, Role.VIEWER)
    world.bulk(
        "roles",
        RoleAssignment,
        (
            {"user_id": user_id, "role": roles[i % len(roles)], "jurisdiction_id": jur}
            for i, (user_id, _person, jur) in enumerate(world.user_places)
        ),
        len(chosen),
        keep=False,
    )


def _skip_foreign_key_triggers() -> None:
    """On PostgreSQL, as a superuser: no per-row foreign key trigger in this transaction (the
    generator makes every reference from ids it has just inserted). Otherwise nothing changes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


# Secondary indexes and unique constraints of the model tables (not the primary keys, nor a unique
# constraint a foreign key refers to, nor an expression index: rebuilt from pg_get_indexdef, its
# expression would come back in another form the planner no longer matches to the query's),
# read from the catalogue.
_SECONDARY = """
SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid), con.conname, pg_get_constraintdef(con.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = c.oid
WHERE n.nspname = current_schema() AND c.relname = ANY(%s) AND NOT x.indisprimary
  AND (con.oid IS NULL OR con.contype = 'u') AND x.indexprs IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid)
ORDER BY c.relname, i.relname
"""


def _bulk_load_session(world: World) -> None:
    """On PostgreSQL, for this transaction: commit without waiting for the disk, a larger sort
    memory for index builds, and the catalogue of secondary indexes and unique constraints, so that
    :meth:`World.unindex` drops those of a table about to receive many rows, to be built once over
    the loaded rows (:func:`_rebuild_indexes`: a sorted build instead of one random B-tree insertion
    per row and index). Tables that receive a few rows or none keep theirs (building 500 indexes
    again, most on empty tables, cost more than the inserts they saved).

    Everything is inside the generator's one transaction: if it fails, the indexes are back as they
    were; when it succeeds, the same indexes and constraints exist, and a unique constraint built
    over the rows checks them all (a duplicate fails the whole run, as a row-by-row check would)."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(_SECONDARY, [tables])
        for table, index, index_def, constraint, constraint_def in cursor.fetchall():
            if constraint:
                drop = f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(constraint)}"
                recreate = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(constraint)} {constraint_def}"
            else:
                drop, recreate = f"DROP INDEX {quote(index)}", index_def
            world.indexes.setdefault(table, []).append((drop, recreate))


def _rebuild_indexes(world: World) -> None:
    began = time.perf_counter()
    with connection.cursor() as cursor:
        for done, statement in enumerate(world.recreate, start=1):
            cursor.execute(statement)
            world.progress("indexes and unique constraints", done, len(world.recreate))
    world.tally(f"({len(world.recreate)} indexes rebuilt)", 0, time.perf_counter() - began)


def vacuum(world: World) -> None:
    """On PostgreSQL, ``VACUUM`` the new dataset (outside the generator's transaction: VACUUM cannot
    run in one). Bulk-loaded tables have an empty visibility map until autovacuum comes by, so
    every index-only scan (the covering indexes of the counts, e.g. ``exchange_rcpt_item_to``,
    ``bodies_action_overdue``) read the heap too: the benchmark measured a state production leaves
    within minutes. ``ANALYZE`` ran inside ``build`` already."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:  # a test's transaction
        return
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    world.tally("(vacuum)", 0, time.perf_counter() - began)


def present() -> bool:
    return Jurisdiction.objects.filter(iso_code=COUNTRY_CODE).exists()


def build(world: World, builders: Iterable[Callable[[World], None]]) -> None:
    if present():
        raise ValueError(f"{COUNTRY_NAME} ({COUNTRY_CODE}) exists already: generate into an empty database")
    from django.contrib.auth.hashers import make_password

    world.shared["password"] = make_password(PASSWORD)  # one hash for every account (hashing is slow on purpose)
    world.started = time.perf_counter()
    _skip_foreign_key_triggers()
    _bulk_load_session(world)
    network, _created = seeding.ensure_network()
    _jurisdictions(world, network)
    _directory(world)
    _personas(world, network)
    _user_accounts(world)
    world.audit_trail(Organisation, most=2, label="r.name")
    world.audit_trail(Person, most=2, label="r.full_name")
    for builder in builders:
        builder(world)
    _rebuild_indexes(world)
    if connection.vendor == "postgresql":
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        world.tally("(analyze)", 0, time.perf_counter() - began)
