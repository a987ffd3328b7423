"""The demo's library and membership records (what ``manage.py load_demo`` builds)."""

from __future__ import annotations

import pytest

from tandem.library.models import ItemTag, LibraryItem, Status
from tandem.membership.models import NetworkMembership
from tandem.membership.selectors import public_list

pytestmark = pytest.mark.django_db


def test_demo_library_and_members(demo_world):
    items = LibraryItem.objects.filter(status=Status.PUBLISHED)
    assert items.count() >= 30
    assert set(items.values_list("language", flat=True)) == {"en", "fr"}
    assert set(items.values_list("kind", flat=True)) == {
        "case_study",
        "guidance",
        "lesson",
        "checklist",
        "tool",
        "policy",
        "event_report",  # the Manila workshop's published report
    }
    assert set(ItemTag.objects.filter(facet="competency").values_list("value", flat=True)) == {
        "trust",
        "inclusivity",
        "coordination",
        "communication",
        "capacity",
        "sustainability",
    }
    linked = items.values("translation_group").distinct().count()
    assert linked < items.count()  # translations share their group
    assert len(public_list()) == 4
    assert NetworkMembership.objects.filter(status="applied").count() == 1
