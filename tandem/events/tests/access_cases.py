"""Direct cases of tandem.events.access (see tandem/tests/test_access_functions.py).

The rightful user reads a Cebu City record; the outsider is in the same country where the rule
is narrower than the country (a Manila coordinator), else the Kenyan outsider.
"""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, manila_coordinator, q_rows

COVERED = [
    "event_q",
    "visible_events",
    "participant_q",
    "visible_participants",
    "visible_breakouts",
    "visible_commitments",
    "report_q",
    "visible_reports",
]


def build(w, name: str) -> Case:
    from tandem.events import access as a
    from tandem.events import services
    from tandem.events.models import Event, EventReport, Participant
    from tandem.events.tests.factories import make_breakout, make_commitment, make_event, make_guest

    if name in ("event_q", "visible_events"):
        event = make_event(w, visibility="subtree")
        rows = q_rows(Event, a.event_q) if name == "event_q" else (lambda u: ids(a.visible_events(u)))
        return Case(rows, event, w.viewer, manila_coordinator(w))
    if name in ("participant_q", "visible_participants"):
        event = make_event(w, visibility="country")
        guest = make_guest(w, event)
        rows = (
            q_rows(Participant, a.participant_q)
            if name == "participant_q"
            else (lambda u: ids(a.visible_participants(u)))
        )
        # The organisers see names; a viewer of the same city reads the event but not the names.
        return Case(rows, guest, w.local, w.viewer)
    if name == "visible_breakouts":
        breakout = make_breakout(w, make_event(w, visibility="subtree"))
        return Case(lambda u: ids(a.visible_breakouts(u)), breakout, w.viewer, manila_coordinator(w))
    if name == "visible_commitments":
        commitment = make_commitment(w, make_event(w, visibility="subtree"))
        return Case(lambda u: ids(a.visible_commitments(u)), commitment, w.viewer, manila_coordinator(w))
    if name in ("report_q", "visible_reports"):
        event = make_event(w, visibility="subtree")
        report = services.report_start(actor=w.admin, event=event, summary="Draft")
        rows = q_rows(EventReport, a.report_q) if name == "report_q" else (lambda u: ids(a.visible_reports(u)))
        # A draft: the organisers (the local coordinator) read it, a viewer of the same city does not.
        return Case(rows, report, w.local, w.viewer)
    raise LookupError(name)
