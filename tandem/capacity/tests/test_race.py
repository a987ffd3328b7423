"""The last place: two organisers accept two people at the same moment; exactly one gets it.

Needs row locks (``select_for_update`` on the session), so it runs on PostgreSQL only:
SQLite serialises every writer anyway and has no row locks to test.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tandem.capacity import services
from tandem.capacity.models import Participation, PlaceStatus
from tandem.core import services as core_services

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_for_the_last_place_give_it_to_exactly_one():
    from tandem.conftest import build_world

    from .factories import cebu_course, cebu_session

    w = build_world()
    session = cebu_session(w, cebu_course(w), places=1)
    nominees = [
        services.participation_nominate(
            actor=w.local,
            session=session,
            person=core_services.person_create(actor=w.admin, jurisdiction=w.cebu_city, full_name=name),
        )
        for name in ("First Caller", "Second Caller")
    ]
    deciders = [w.local, w.national]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(i: int) -> None:
        try:
            barrier.wait()
            services.participation_decide(actor=deciders[i], participation=nominees[i], status=PlaceStatus.ACCEPTED)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Participation.objects.filter(session=session, status=PlaceStatus.ACCEPTED).count() == 1
