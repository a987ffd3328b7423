"""Direct cases of the action-log rules of tandem.bodies.access (see tandem/tests/test_access_functions.py;
the bodies' older cases live there). The Secretariat seat of the Cebu City body is held by Cebu Shipping
Co, for which the ``company`` persona acts; the youth forum (``member``) holds its Chair seat and is a
member: neither makes it the keeper of the action log.
"""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, q_rows

COVERED = ["current_holding_q", "action_log_q", "action_item_writer_q"]


def build(w, name: str) -> Case:
    from tandem.bodies import access as a
    from tandem.bodies.models import Body, SeatHolding
    from tandem.bodies.tests.factories import cebu_secretariat

    if name == "current_holding_q":
        # Not an actor function: the company's holding ended yesterday (city hall took the seat today).
        cebu_secretariat(w, handed_over=True)
        current = SeatHolding.objects.get(seat=w.secretariat, end_date__isnull=True)
        return Case(
            lambda pk: ids(SeatHolding.objects.filter(a.current_holding_q(), pk__in=[pk])),
            None,
            current.pk,
            w.secretariat_holding.pk,
        )
    body = cebu_secretariat(w)
    if name == "action_log_q":
        return Case(q_rows(Body, a.action_log_q), body, w.company, w.member)
    if name == "action_item_writer_q":
        return Case(q_rows(Body, a.action_item_writer_q), body, w.company, w.member)
    raise LookupError(name)
