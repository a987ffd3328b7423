"""Queries that every request runs, compiled to SQL once per database and run again with new values.

Django compiles a queryset to SQL each time it is evaluated: it resolves every lookup, join and
ordering again. For a query that runs on every request (the actor's grants, read by
:class:`tandem.core.access.Access`), that compilation costs several times what the database
spends on it: 14.5 % of the request time in a sampling profile of the permission matrix, about
3 ms of a 10 ms list page requested in a loop (the whole suite, though, only 1 % faster).
:class:`Prepared` compiles its queryset once per database alias, with a placeholder for each
argument, and afterwards runs the same SQL with the real values; the rows go through the same
converters the ORM would apply (UUIDs, dates), so the values are those of ``values_list``.

Arguments are integers (primary keys) or strings (keys, hashes): both pass to the database
unchanged on every backend, so the placeholder's slot in the compiled parameters is the argument's. The query still goes through
Django's connection (so ``CaptureQueriesContext`` and the pinned query counts see it) and through
the database router (a read may go to the replica).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet

# Placeholders for the arguments while compiling: integers no primary key takes, strings no key holds.
_PLACEHOLDERS: dict[type, tuple[Any, ...]] = {
    int: tuple(-(2**31) + 7919 * (n + 1) for n in range(8)),
    str: tuple(f"\x00tandem-prepared-argument-{n}\x00" for n in range(8)),
}


class Prepared:
    """``build(*args)`` (a ``values_list`` queryset of ``model``), compiled once per database alias.

    ``args`` gives each argument's type (``int`` or ``str``). ``rows(*values)`` returns the rows as
    tuples, exactly as ``list(build(*values))`` would.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], args: tuple[type, ...]) -> None:
        if not 0 < len(args) <= 8 or any(kind not in _PLACEHOLDERS for kind in args):
            raise ValueError("between 1 and 8 arguments, each int or str")
        self.model = model
        self.build = build
        self.args = args
        self.arity = len(args)
        self._compiled: dict[str, tuple[str, list[Any], list[int], list[tuple[int, list, Any]]]] = {}

    def _compile(self, alias: str) -> tuple[str, list[Any], list[int], list[tuple[int, list, Any]]]:
        placeholders = [_PLACEHOLDERS[kind][n] for n, kind in enumerate(self.args)]
        queryset = self.build(*placeholders)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for placeholder in placeholders:
            found = [i for i, value in enumerate(params) if value == placeholder]
            if len(found) != 1:
                raise ValueError(f"each argument must be used once in the query (found {len(found)})")
            slots.append(found[0])
        converters = compiler.get_converters([column for column, _info, _alias in compiler.select])
        return sql, params, slots, [(pos, list(fns), expression) for pos, (fns, expression) in converters.items()]

    def rows(self, *values: int | str) -> list[tuple]:
        if len(values) != self.arity:
            raise TypeError(f"expected {self.arity} arguments, got {len(values)}")
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        sql, params, slots, converters = compiled
        bound = list(params)
        for slot, kind, value in zip(slots, self.args, values, strict=True):
            if not isinstance(value, kind) or isinstance(value, bool):
                raise TypeError(f"argument {value!r} is not {kind.__name__}")
            bound[slot] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            fetched = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in fetched]
        converted = []
        for row in fetched:
            values_out = list(row)
            for pos, fns, expression in converters:
                value = values_out[pos]
                for fn in fns:
                    value = fn(value, expression, connection)
                values_out[pos] = value
            converted.append(tuple(values_out))
        return converted
