"""Permission-matrix rows of tandem.bodies (collected by tandem/tests/matrix.py).

The records live in Cebu City (see factories.cebu_body): the youth forum, for
which the ``member`` and ``cso`` personas act, is a current member of the body.
Body internals (meetings, minutes, decisions, action items) addressed by their
own identifier answer 404 to anyone who may not see them (like missing records);
pages addressed by the (visible) body answer 403 to too little role.
"""

from __future__ import annotations

from tandem.tests.matrix import ANON, COORDINATORS_HERE, Expect, Op, Row

from .factories import cebu_body, cebu_secretariat

_page = Expect(anon=302)
_api = Expect(anon=401)
MEMBERS = ("member", "cso")


def internals(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Members of the body and coordinators of Cebu City read; everyone else: 404 (not in their view)."""
    return {**expect.statuses(404), **dict.fromkeys((*MEMBERS, *COORDINATORS_HERE), ok)}


def manage_internals(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Coordinators manage; members see the record but may not change it (403); the rest 404."""
    return {**internals(expect, 403), **dict.fromkeys(COORDINATORS_HERE, ok)}


def ended_membership(expect: Expect) -> dict[str, int]:
    """Only coordinators of Cebu City read the internals; the former members get 404 like everyone."""
    return {**expect.statuses(404), **dict.fromkeys(COORDINATORS_HERE, 200)}


def _body(w):
    return {"uuid": cebu_body(w).uuid}


def _meeting(w):
    cebu_body(w)
    return {"uuid": w.meeting.uuid}


def _item(w):
    cebu_body(w)
    return {"uuid": w.item.uuid}


def _membership(w):
    cebu_body(w)
    return {"uuid": w.body_hall.uuid}


def _seat(w):
    cebu_body(w)
    return {"uuid": w.seat.uuid}


def _meeting_after_the_forum_left(w):
    """The youth forum's membership ended yesterday: its people (member, cso) lose the internals."""
    import datetime as dt

    from django.utils import timezone

    from tandem.bodies import services

    cebu_body(w)
    services.membership_end(
        actor=w.admin,
        membership=w.body_youth,
        end_date=timezone.localdate() - dt.timedelta(days=1),
        expected_version=w.body_youth.version,
    )
    return {"uuid": w.meeting.uuid}


def _youth_representative(w):
    """Maria Santos (civil society: the youth forum) represents it on the body."""
    cebu_body(w)
    return {"uuid": w.person_cebu.uuid}


def _company_contact(w):
    """A company partner's contact person, in Cebu City; the company sits on no body."""
    from tandem.core import services as core_services

    cebu_body(w)
    person = core_services.person_create(
        actor=w.admin, jurisdiction=w.cebu_city, full_name="Lito Garcia", email="lito@shipping.example"
    )
    core_services.affiliation_create(actor=w.admin, person=person, organisation=w.company_org, title="CSR lead")
    return {"uuid": person.uuid}


def keeper(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Coordinators of Cebu City and the company (it holds the Secretariat seat) keep the action log;
    the youth forum's people (a member, holding the Chair seat) may not: 403; the outsider 404."""
    return {**expect.manage_cebu(ok), "company": ok}


def keeper_reads(expect: Expect, ok: int = 200) -> dict[str, int]:
    """The keeper of the action log (company) reads and updates the items, with those who see internals."""
    return {**internals(expect, ok), "company": ok}


def _kept_body(w):
    return {"uuid": cebu_secretariat(w).uuid}


def _handed_over_body(w):
    return {"uuid": cebu_secretariat(w, handed_over=True).uuid}


def _kept_item(w):
    cebu_secretariat(w)
    return {"uuid": w.item.uuid}


def _handed_over_item(w):
    cebu_secretariat(w, handed_over=True)
    return {"uuid": w.item.uuid}


def _in_progress(w):
    return {"version": 1, "status": "in_progress"}


def _new_item(w):
    return {"title": "Circulate the attendance list", "status": "open"}


def _feed(w):
    body = cebu_body(w)
    return {"uuid": body.uuid, "token": body.calendar_token}


read, read_cebu, manage_cebu, coordinators_only, statuses = (
    _page.read,
    _page.read_cebu,
    _page.manage_cebu,
    _page.coordinators_only,
    _page.statuses,
)

PAGE_ROWS: list[Row] = [
    Row("body_list", get=read()),
    Row("body_export", lambda w: {"fmt": "csv"}, get=read()),
    Row("body_create", get=coordinators_only(), post=coordinators_only()),
    Row("body_inclusivity_overview", get=coordinators_only()),
    Row("body_inclusivity_export", lambda w: {"fmt": "csv"}, get=coordinators_only()),
    Row("body_detail", _body, get=read_cebu()),
    Row("body_edit", _body, get=manage_cebu(), post=manage_cebu()),
    Row("body_archive", _body, get=manage_cebu(), post=manage_cebu(302)),
    Row("membership_create", _body, get=manage_cebu(), post=manage_cebu()),
    Row("membership_end", _membership, get=manage_cebu(), post=manage_cebu()),
    Row("seat_create", _body, get=manage_cebu(), post=manage_cebu()),
    Row("seat_assign", _seat, get=manage_cebu(), post=manage_cebu()),
    Row("body_lookup_organisations", _body, get=manage_cebu()),
    Row("meeting_create", _body, get=manage_cebu(), post=manage_cebu()),
    Row("action_item_create", _body, get=manage_cebu(), post=manage_cebu()),
    # The Secretariat seat's holder (the company) keeps the action log; the Chair's holder does not;
    # once the company handed the seat over, it keeps nothing.
    Row("action_item_create", _kept_body, get=keeper(_page), post=keeper(_page, 302), post_data=_new_item),
    Row("action_item_create", _handed_over_body, get=manage_cebu(), post=manage_cebu(302), post_data=_new_item),
    Row("body_calendar_rotate", _body, get=manage_cebu(), post=manage_cebu(302)),
    # The feed is for calendar applications: the private token is the credential, no session needed.
    Row("body_calendar_feed", _feed, get=statuses(200, anon=200)),
    Row("meeting_list", get=read()),
    Row("meeting_export", lambda w: {"fmt": "xlsx"}, get=read()),
    Row("meeting_detail", _meeting, get=internals(_page)),
    Row("meeting_ics", _meeting, get=internals(_page)),
    Row("minutes_pdf", _meeting, get=internals(_page)),
    Row("meeting_edit", _meeting, get=manage_internals(_page), post=manage_internals(_page)),
    Row("meeting_attendance", _meeting, get=manage_internals(_page), post=manage_internals(_page, 302)),
    Row("meeting_invitations", _meeting, get=manage_internals(_page), post=manage_internals(_page, 302)),
    Row("minutes_edit", _meeting, get=manage_internals(_page), post=manage_internals(_page)),
    Row("minutes_approve", _meeting, get=manage_internals(_page), post=manage_internals(_page, 302)),
    Row("minutes_amend", _meeting, get=manage_internals(_page), post=manage_internals(_page, 302)),
    Row(
        "decision_create",
        _meeting,
        get=statuses(405, anon=302),
        post=manage_internals(_page, 302),
    ),
    Row("action_item_list", get=read()),
    Row("action_item_mine", get=read()),
    Row("action_item_export", lambda w: {"fmt": "csv"}, get=read()),
    # The owner organisation's people (member, cso) may update the status.
    Row("action_item_detail", _item, get=internals(_page)),
    Row("action_item_edit", _item, get=internals(_page), post=internals(_page)),
    # The keeper reads the item, not the meeting it came from.
    Row(
        "action_item_detail",
        _kept_item,
        get=keeper_reads(_page),
        shows=lambda w: "Quarterly meeting",
        shown_to=frozenset({*COORDINATORS_HERE, *MEMBERS}),
    ),
    Row("action_item_edit", _kept_item, get=keeper_reads(_page), post=keeper_reads(_page)),
    Row("action_item_edit", _handed_over_item, get=internals(_page), post=internals(_page)),
    # Membership end dates: once the youth forum's membership has ended, its people see no internals.
    Row("meeting_detail", _meeting_after_the_forum_left, get=ended_membership(_page)),
    Row("minutes_pdf", _meeting_after_the_forum_left, get=ended_membership(_page)),
    # Partner contact details: coordinators of Cebu City, and fellow members of a body (the youth
    # forum's people see its representative); never the company, the viewer or the facilitator.
    Row(
        "person_detail",
        _youth_representative,
        get=read_cebu(),
        shows=lambda w: "maria@example.org",
        shown_to=frozenset({*COORDINATORS_HERE, *MEMBERS}),
    ),
    Row(
        "person_detail",
        _company_contact,
        get=read_cebu(),
        shows=lambda w: "lito@shipping.example",
        shown_to=frozenset(COORDINATORS_HERE),
    ),
]


def _future(days: int = 30) -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def _create_anywhere(ok: int, foreign: int) -> dict[str, int]:
    return {**_api.statuses(403), **dict.fromkeys(COORDINATORS_HERE, ok), "outsider": foreign}


def _future_day(days: int = 30) -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _body_uuid(w):
    return cebu_body(w).uuid


def _meeting_uuid(w):
    cebu_body(w)
    return w.meeting.uuid


def _item_uuid(w):
    cebu_body(w)
    return w.item.uuid


API_OPS: list[Op] = [
    Op("get", "/api/v1/bodies", _api.read()),
    Op(
        "post",
        "/api/v1/bodies",
        _create_anywhere(201, 422),
        body=lambda w: {
            "name": "Cebu Youth Council",
            "kind": "coordination_committee",
            "jurisdiction": str(w.cebu_city.uuid),
        },
    ),
    Op("get", "/api/v1/bodies/{uuid}", _api.read_cebu(), uuid=_body_uuid),
    Op(
        "patch",
        "/api/v1/bodies/{uuid}",
        _api.manage_cebu(),
        uuid=_body_uuid,
        body=lambda w: {"version": 1, "mandate": "New"},
    ),
    Op("get", "/api/v1/bodies/{uuid}/memberships", _api.read_cebu(), uuid=_body_uuid),
    Op(
        "post",
        "/api/v1/bodies/{uuid}/memberships",
        _api.manage_cebu(201),
        uuid=_body_uuid,
        body=lambda w: {"organisation": str(w.company_org.uuid), "role": "Member"},
    ),
    Op(
        "get",
        "/api/v1/bodies/{uuid}/meetings",
        {**_api.statuses(403, outsider=404), **dict.fromkeys((*MEMBERS, *COORDINATORS_HERE), 200)},
        uuid=_body_uuid,
    ),
    Op(
        "post",
        "/api/v1/bodies/{uuid}/meetings",
        _api.manage_cebu(201),
        uuid=_body_uuid,
        body=lambda w: {"title": "Planning", "starts_at": _future(), "time_zone": "Asia/Manila", "agenda": ["Plan"]},
    ),
    Op("get", "/api/v1/bodies/meetings/{uuid}", internals(_api), uuid=_meeting_uuid),
    Op(
        "get",
        "/api/v1/bodies/meetings/{uuid}",
        ended_membership(_api),
        uuid=lambda w: _meeting_after_the_forum_left(w)["uuid"],
    ),
    Op("get", "/api/v1/bodies/meetings/{uuid}/decisions", internals(_api), uuid=_meeting_uuid),
    Op(
        "post",
        "/api/v1/bodies/meetings/{uuid}/decisions",
        manage_internals(_api, 201),
        uuid=_meeting_uuid,
        body=lambda w: {"text": "Adopt the plan."},
    ),
    Op("get", "/api/v1/bodies/action-items", _api.read()),
    Op(
        "post",
        "/api/v1/bodies/{uuid}/action-items",
        _api.manage_cebu(201),
        uuid=_body_uuid,
        body=lambda w: {"title": "Draft the report", "owner_organisation": str(w.city_hall.uuid)},
    ),
    Op(
        "post",
        "/api/v1/bodies/{uuid}/action-items",
        keeper(_api, 201),
        uuid=lambda w: _kept_body(w)["uuid"],
        body=lambda w: {"title": "Circulate the attendance list", "owner_organisation": str(w.city_hall.uuid)},
    ),
    Op(
        "post",
        "/api/v1/bodies/{uuid}/action-items",
        _api.manage_cebu(201),
        uuid=lambda w: _handed_over_body(w)["uuid"],
        body=lambda w: {"title": "Circulate the attendance list"},
    ),
    # Owners (the youth forum's member and cso personas) may change the status; so may the keeper of
    # the action log (the company), until it hands the Secretariat seat over.
    *(
        Op("patch", "/api/v1/bodies/action-items/{uuid}", expected, uuid=item, body=_in_progress)
        for expected, item in (
            (internals(_api), _item_uuid),
            (keeper_reads(_api), lambda w: _kept_item(w)["uuid"]),
            (internals(_api), lambda w: _handed_over_item(w)["uuid"]),
        )
    ),
    Op("get", "/api/v1/bodies/{uuid}/seats", _api.read_cebu(), uuid=_body_uuid),
    Op(
        "post",
        "/api/v1/bodies/{uuid}/seats",
        _api.manage_cebu(201),
        uuid=_body_uuid,
        body=lambda w: {"title": "Secretariat", "kind": "secretariat"},
    ),
    Op(
        "post",
        "/api/v1/bodies/seats/{uuid}/holder",
        _api.manage_cebu(201),
        uuid=lambda w: _seat(w)["uuid"],
        body=lambda w: {"organisation": str(w.cso_org.uuid), "start_date": _future_day()},
    ),
    Op("get", "/api/v1/bodies/{uuid}/inclusivity", _api.read_cebu(), uuid=_body_uuid),
    Op(
        "patch",
        "/api/v1/bodies/meetings/{uuid}",
        manage_internals(_api),
        uuid=_meeting_uuid,
        body=lambda w: {"version": w.meeting.version, "place": "Barangay hall"},
    ),
    Op("get", "/api/v1/bodies/meetings/{uuid}/attendance", internals(_api), uuid=_meeting_uuid),
    Op(
        "put",
        "/api/v1/bodies/meetings/{uuid}/attendance",
        manage_internals(_api),
        uuid=_meeting_uuid,
        body=lambda w: {"present": [str(w.body_hall.uuid)]},
    ),
    Op("get", "/api/v1/bodies/meetings/{uuid}/minutes", internals(_api), uuid=_meeting_uuid),
    Op(
        "put",
        "/api/v1/bodies/meetings/{uuid}/minutes",
        manage_internals(_api),
        uuid=_meeting_uuid,
        body=lambda w: {"text": "We met and agreed on the plan.", "version": w.minutes.version},
    ),
    Op(
        "post",
        "/api/v1/bodies/meetings/{uuid}/minutes/approve",
        manage_internals(_api),
        uuid=_meeting_uuid,
        body=lambda w: {"version": w.minutes.version},
    ),
    Op("post", "/api/v1/bodies/meetings/{uuid}/minutes/amend", manage_internals(_api, 422), uuid=_meeting_uuid),
]

__all__ = ["ANON", "API_OPS", "PAGE_ROWS"]
