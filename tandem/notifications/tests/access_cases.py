"""Direct cases of tandem.notifications.access (collected by tandem/tests/test_access_functions.py).

The record: the ``cso`` persona's notification about the matrix's AMBER item (the youth forum reads
it). The outsider is in the same place: ``member`` acts for the same forum (it may read the item,
not someone else's notification) or ``company`` (a partner in Cebu City that may not read it).
"""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, q_rows

COVERED = ["notification_q", "record_q", "visible_notifications", "visible_preferences"]


def _notification(w):
    from tandem.notifications.models import Notification
    from tandem.notifications.tests.matrix_rows import _notification as make

    return Notification.objects.get(uuid=make(w)["uuid"])


def build(w, name: str) -> Case:
    from tandem.notifications import access, services
    from tandem.notifications.models import Notification

    if name == "visible_preferences":
        pref = services.preference_set(actor=w.cso, kind="exchange.item_received", in_app="never", email="daily")
        return Case(lambda u: ids(access.visible_preferences(u)), pref, w.cso, w.member)
    note = _notification(w)
    if name == "notification_q":
        return Case(q_rows(Notification, access.notification_q), note, w.cso, w.member)
    if name == "record_q":
        return Case(q_rows(Notification, access.record_q), note, w.cso, w.company)
    if name == "visible_notifications":
        return Case(lambda u: ids(access.visible_notifications(u)), note, w.cso, w.member)
    raise KeyError(name)
