"""A bulk write (``tandem.core.bulk.deferred``, used by the demo) skips the per-save search indexing and
dashboard cache invalidation, and leaves both as fresh as if every save had done its part."""

from __future__ import annotations

import pytest

from tandem.core import bulk, registry
from tandem.core import services as core_services
from tandem.core.models import Sector
from tandem.dashboards.tests.test_cache import _home_counts, cached  # noqa: F401  (the fixture)
from tandem.search import selectors
from tandem.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def _found(user, word: str) -> int:
    return selectors.run(user, selectors.Query(q=word)).total


def test_what_a_bulk_write_saved_is_found_by_search_once_it_ends(world):
    with bulk.deferred():
        org = core_services.organisation_create(
            actor=world.admin, jurisdiction=world.manila, name="Quixotic Harbour Volunteers", sector=Sector.COMMUNITY
        )
        assert not SearchEntry.objects.filter(kind="organisation", object_id=org.pk).exists()  # not yet
    assert SearchEntry.objects.filter(kind="organisation", object_id=org.pk).exists()
    assert _found(world.national, "Quixotic") == 1
    assert _found(world.outsider, "Quixotic") == 0  # the rebuilt entry still passes the record's own rule


def test_a_record_deleted_during_a_bulk_write_is_not_found_after_it(world):
    with bulk.deferred():
        org = core_services.organisation_create(
            actor=world.admin, jurisdiction=world.manila, name="Ephemeral Quorum Circle", sector=Sector.COMMUNITY
        )
        pk = org.pk
        org.delete()
    assert not SearchEntry.objects.filter(kind="organisation", object_id=pk).exists()
    assert _found(world.national, "Ephemeral") == 0


def test_the_dashboards_count_what_a_bulk_write_added(world, cached):  # noqa: F811
    built: dict = {}
    before = _home_counts(world.national, built)
    assert _home_counts(world.national, built) == before and built[world.national.username] == 1  # cached
    with bulk.deferred():
        core_services.organisation_create(
            actor=world.admin, jurisdiction=world.manila, name="Tondo Neighbours", sector=Sector.COMMUNITY
        )
    assert _home_counts(world.national, built) == before + 1
    assert built[world.national.username] == 2  # counted afresh


@pytest.fixture
def finishes():
    calls: list[str] = []
    registry.register("bulk_finish", "test-recorder", lambda: calls.append("finished"))
    yield calls
    registry._hooks["bulk_finish"].pop("test-recorder")


def test_the_apps_finish_once_after_a_bulk_write_and_never_after_a_failed_one(db, finishes):
    with bulk.deferred():
        assert bulk.active()
        with bulk.deferred():  # nested: the outer block finishes
            pass
        assert finishes == [] and bulk.active()
    assert finishes == ["finished"] and not bulk.active()

    with pytest.raises(RuntimeError), bulk.deferred():
        raise RuntimeError("the import failed")
    assert finishes == ["finished"]  # the failed block's transaction is rolled back: nothing to bring up to date
    assert not bulk.active()
