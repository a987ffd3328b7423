"""What a direct case of an access function is (see test_access_functions), for every app's
``tests/access_cases.py`` to build its cases with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Case:
    """``rows(user)`` lists the ids the function gives ``user``; ``record`` must be among them for
    ``rightful`` and absent for ``outsider``."""

    rows: Callable[[Any], set[int]]
    record: Any
    rightful: Any
    outsider: Any


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def q_rows(model, q_function: Callable, *args: Any) -> Callable[[Any], set[int]]:
    return lambda user: ids(model.objects.filter(q_function(user, *args)))


def manila_coordinator(w):
    """Same country (Philippines), coordinator rank, but over Manila only: no grant on Cebu City."""
    if not hasattr(w, "manila_local"):
        from tandem.core import services
        from tandem.core.models import Role, User

        w.manila_local = User.objects.create_user(username="manila", password="correct-horse-battery-staple")
        services.role_grant(
            actor=None, user=w.manila_local, role=Role.LOCAL_COORDINATOR, jurisdiction=w.manila, organisation=None
        )
    return w.manila_local
