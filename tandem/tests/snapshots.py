"""Build a test fixture's records once per session, restore them per test in a few INSERTs.

A fixture such as ``world`` runs dozens of services (each one several queries, audit rows,
closure updates) for every test that asks for it. ``capture(build)`` runs ``build()`` once
inside a transaction, copies every row it added (in every table, auto-created M2M tables
included) and rolls the transaction back, so the database a test starts from is unchanged.
``Snapshot.restore()`` then inserts those rows again, exactly as they were (raw inserts: no
``save()``, no signals, no ``auto_now``), inside the test's own transaction, and returns a
deep copy of what ``build()`` returned (the way ``TestCase.setUpTestData`` hands each test
its own copy), so a test that changes an object in memory does not leak it to the next one.

Primary keys are kept. On PostgreSQL the sequences already moved past them while the build
ran (sequences ignore rollbacks); on SQLite an explicit id moves ``sqlite_sequence`` too.
Foreign keys are deferred to the end of the transaction on both backends, so the insertion
order does not matter.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction


def _models() -> list[type]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _rows(model: type, using: str) -> dict[Any, tuple]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return {row[0]: row for row in model._base_manager.using(using).values_list("pk", *fields)}


@dataclass
class Snapshot:
    value: Any
    rows: list[tuple[type, list[Any]]] = field(default_factory=list)
    using: str = DEFAULT_DB_ALIAS

    def restore(self, memo: dict[int, Any] | None = None) -> Any:
        connection = connections[self.using]
        for model, objs in self.rows:
            fields = list(model._meta.local_concrete_fields)
            size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
            for start in range(0, len(objs), size):
                model._base_manager.using(self.using)._insert(
                    objs[start : start + size], fields=fields, using=self.using, raw=True
                )
        return copy.deepcopy(self.value, memo)

    def dump(self, path) -> None:
        """Write the snapshot to a file another process (another xdist worker) can ``load``: models are named
        by label (auto-created M2M models cannot be pickled by reference)."""
        rows = [(model._meta.label, objs) for model, objs in self.rows]
        with open(path, "wb") as handle:
            pickle.dump((self.value, rows, self.using), handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path) -> Snapshot:
        """A snapshot written by ``dump`` in another process, for a database copied from the same template.

        On PostgreSQL, this database's sequences did not run through the build, so each is moved past
        the snapshot's largest primary key (never back): rows a test inserts after restoring get new keys.
        """
        with open(path, "rb") as handle:
            value, rows, using = pickle.load(handle)
        snapshot = cls(value=value, rows=[(apps.get_model(label), objs) for label, objs in rows], using=using)
        snapshot._advance_sequences()
        return snapshot

    def _advance_sequences(self) -> None:
        connection = connections[self.using]
        if connection.vendor != "postgresql":
            return  # SQLite: an explicit id moves sqlite_sequence on insert
        with connection.cursor() as cursor:
            for model, objs in self.rows:
                pk = model._meta.pk
                if pk.get_internal_type() not in {"AutoField", "BigAutoField", "SmallAutoField"}:
                    continue
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
                (sequence,) = cursor.fetchone()
                if sequence is None:
                    continue
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                last_value, is_called = cursor.fetchone()
                largest = max(obj.pk for obj in objs)
                if largest > last_value or (largest == last_value and not is_called):
                    cursor.execute("SELECT setval(%s, %s)", [sequence, largest])


def capture(build: Callable[[], Any], using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Run ``build()`` in a transaction that is rolled back; keep the rows it added."""
    models = _models()
    with transaction.atomic(using=using):
        before = {m: _rows(m, using) for m in models}
        value = build()
        added: list[tuple[type, list[Any]]] = []
        for model in models:
            after = _rows(model, using)
            old = before[model]
            changed = [pk for pk in old if after.get(pk) != old[pk]]
            if changed:  # a build that edits or deletes existing rows cannot be replayed by inserts
                raise RuntimeError(f"{model._meta.label}: the build changed rows it did not create: {changed[:5]}")
            new = [pk for pk in after if pk not in old]
            if new:
                added.append((model, list(model._base_manager.using(using).filter(pk__in=new).order_by("pk"))))
        snapshot = Snapshot(value=copy.deepcopy(value), rows=added, using=using)
        transaction.set_rollback(True, using=using)
    return snapshot
