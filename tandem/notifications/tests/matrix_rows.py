"""Permission-matrix rows of tandem.notifications.

Every signed-in user has a notification centre. The notification named in the URLs belongs to the
``cso`` persona (about the matrix's AMBER item, which the youth forum reads): only they open it,
everyone else gets the 404 of a missing one (administrators included).
"""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)


def _notification(w):
    from tandem.core.events import Event
    from tandem.exchange.tests.matrix_rows import _send
    from tandem.notifications import services

    item = _send(w)
    event = Event(
        kind="exchange.item_received",
        object_type="exchangeitem",
        object_uuid=str(item.uuid),
        recipient_ids=(w.cso.pk,),
        key=str(item.uuid),
        title=item.title,
        url=f"/exchange/{item.uuid}/",
        label="TLP:AMBER",
        restricted=True,
    )
    [notification] = services.notify(event)
    return {"uuid": notification.uuid}


def _only_cso(ok: int, e: Expect) -> dict[str, int]:
    return {**e.statuses(404), "cso": ok}


PAGE_ROWS: list[Row] = [
    Row("notification_list", get=_page.read()),
    Row("notification_badge", get=_page.read()),
    Row("notification_read_all", post=_page.statuses(302)),
    Row("notification_preferences", get=_page.read(), post=_page.statuses(302)),
    Row("notification_open", _notification, get=_only_cso(302, _page)),
    Row("notification_mark_read", _notification, post=_only_cso(302, _page)),
]

BASE = "/api/v1/notifications"

API_OPS: list[Op] = [
    Op("get", f"{BASE}/", _api.read()),
    Op("get", f"{BASE}/unread-count", _api.read()),
    Op("post", f"{BASE}/read-all", _api.read()),
    Op("get", f"{BASE}/preferences", _api.read()),
    Op(
        "put",
        f"{BASE}/preferences",
        _api.read(),
        body=lambda w: {"kind": "exchange.item_received", "in_app": "immediately", "email": "daily"},
    ),
    Op("get", f"{BASE}/{{uuid}}", _only_cso(200, _api), uuid=lambda w: _notification(w)["uuid"]),
    Op(
        "post",
        f"{BASE}/{{uuid}}/read",
        _only_cso(200, _api),
        uuid=lambda w: _notification(w)["uuid"],
        body=lambda w: {"read": True},
    ),
]
