"""Direct cases of tandem.search.access (see tandem/tests/test_access_functions.py): a Cebu City
person's entry is found by the viewer of Cebu City, not by a Manila coordinator."""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, manila_coordinator, q_rows

COVERED = ["entry_q", "visible_entries"]


def build(w, name: str) -> Case:
    from tandem.search import access as a
    from tandem.search.models import SearchEntry

    entry = SearchEntry.objects.get(kind="person", object_id=w.person_cebu.pk)
    if name == "entry_q":
        return Case(q_rows(SearchEntry, a.entry_q), entry, w.viewer, manila_coordinator(w))
    if name == "visible_entries":
        return Case(lambda u: ids(a.visible_entries(u)), entry, w.viewer, manila_coordinator(w))
    raise LookupError(name)
