"""Direct cases of tandem.membership.access (see tandem/tests/test_access_functions.py)."""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids, manila_coordinator

COVERED = ["visible_memberships"]


def build(w, name: str) -> Case:
    from tandem.membership import access as a
    from tandem.membership.tests.matrix_rows import _membership

    if name == "visible_memberships":
        return Case(lambda u: ids(a.visible_memberships(u)), _membership(w), w.viewer, manila_coordinator(w))
    raise LookupError(name)
