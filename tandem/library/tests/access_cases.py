"""Direct cases of tandem.library.access (see tandem/tests/test_access_functions.py).

The rightful user reads a Cebu City record; the outsider is in the same country where the rule
is narrower than the country (a Manila coordinator), else a Kenyan user.
"""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, manila_coordinator, q_rows

COVERED = [
    "audience_q",
    "item_q",
    "published_q",
    "visible_items",
    "visible_published_items",
    "visible_review_queue",
    "visible_attachments",
    "visible_versions",
    "visible_checklist_runs",
]


def build(w, name: str) -> Case:
    from tandem.library import access as a
    from tandem.library import services
    from tandem.library.models import LibraryItem
    from tandem.library.tests.factories import make_item

    if name == "audience_q":
        # The visibility rule alone (the events reuse it): a subtree item of Cebu City.
        item = make_item(w, visibility="subtree")
        return Case(q_rows(LibraryItem, a.audience_q), item, w.viewer, manila_coordinator(w))
    if name in ("item_q", "visible_items"):
        # A subtree item of Cebu City: the Manila coordinator (same country) does not read it.
        item = make_item(w, visibility="subtree")
        rows = q_rows(LibraryItem, a.item_q) if name == "item_q" else (lambda u: ids(a.visible_items(u)))
        return Case(rows, item, w.viewer, manila_coordinator(w))
    if name in ("published_q", "visible_published_items"):
        item = make_item(w, visibility="country")
        rows = (
            q_rows(LibraryItem, a.published_q)
            if name == "published_q"
            else (lambda u: ids(a.visible_published_items(u)))
        )
        return Case(rows, item, w.viewer, w.outsider)
    if name == "visible_review_queue":
        item = make_item(w, publish=False)
        item = services.item_submit(actor=w.facilitator, item=item, expected_version=item.version)
        return Case(lambda u: ids(a.visible_review_queue(u)), item, w.national, manila_coordinator(w))
    if name == "visible_attachments":
        item = make_item(w, visibility="subtree")
        attachment = services.attachment_add(actor=w.admin, item=item, name="n.txt", data=b"Notes\n")
        return Case(lambda u: ids(a.visible_attachments(u)), attachment, w.local, manila_coordinator(w))
    if name == "visible_versions":
        item = make_item(w, visibility="subtree")
        version = item.versions.order_by("number").first()
        return Case(lambda u: ids(a.visible_versions(u)), version, w.local, manila_coordinator(w))
    if name == "visible_checklist_runs":
        run = services.checklist_start(actor=w.local, code="body-setup", jurisdiction=w.cebu_city)
        return Case(lambda u: ids(a.visible_checklist_runs(u)), run, w.viewer, manila_coordinator(w))
    raise LookupError(name)
