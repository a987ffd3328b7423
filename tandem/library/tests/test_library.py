"""The library: visibility, workflow and versions, sanitising, translations, attachments,
checklist records, pages and their pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core.versioning import VersionConflict
from tandem.library import access, services
from tandem.library.models import ItemVersion, LibraryItem, SearchDocument, Status
from tandem.library.services import ItemData
from tandem.library.tests.factories import make_item
from tandem.tests.access_cases import manila_coordinator

pytestmark = pytest.mark.django_db


def _readers(w, item) -> set[str]:
    return {name for name, user in w.personas.items() if access.visible_items(user).filter(pk=item.pk).exists()}


PH = {"national", "regional", "local", "member", "cso", "company", "facilitator", "viewer"}


def test_visibility_of_published_items(world):
    clear = make_item(world, visibility="clear")
    green = make_item(world, visibility="green")
    country = make_item(world, visibility="country")
    subtree = make_item(world, visibility="subtree", jurisdiction=world.cebu)
    everyone = set(world.personas)
    assert _readers(world, clear) == everyone
    assert _readers(world, green) == everyone
    assert _readers(world, country) == PH | {"admin"}
    # Cebu province's subtree: its city's roles (inside), the region's and the nation's (above).
    assert _readers(world, subtree) == PH | {"admin"}
    assert not access.visible_items(manila_coordinator(world)).filter(pk=subtree.pk).exists()
    assert access.visible_items(manila_coordinator(world)).filter(pk=country.pk).exists()


def test_anonymous_and_inactive_users_read_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    make_item(world, visibility="clear")
    assert not access.visible_items(AnonymousUser()).exists()
    world.local.is_active = False
    world.local.save()
    assert not access.visible_items(world.local).exists()


def test_drafts_reach_their_proposer_and_curators_only(world):
    draft = make_item(world, actor=world.local, publish=False, visibility="clear")
    assert _readers(world, draft) == {"local", "admin", "national", "facilitator"}


def test_propose_review_publish_and_versions(world):
    item = make_item(world, actor=world.local, publish=False)
    with pytest.raises(PermissionDenied):
        services.item_publish(actor=world.local, item=item, expected_version=item.version)
    with pytest.raises(PermissionDenied):
        services.item_publish(actor=world.regional, item=item, expected_version=item.version)
    item = services.item_submit(actor=world.local, item=item, expected_version=item.version)
    assert item.status == Status.REVIEW
    assert list(access.visible_review_queue(world.facilitator)) == [item]
    assert list(access.visible_review_queue(manila_coordinator(world))) == []
    item = services.item_publish(actor=world.facilitator, item=item, expected_version=item.version)
    assert item.status == Status.PUBLISHED and item.published_by == world.facilitator
    # Published: its proposer no longer edits it, its curators do.
    assert not access.can_edit(world.local, item)
    assert access.can_edit(world.national, item)
    data = ItemData(
        kind="guidance",
        title="A new title",
        summary="New summary",
        body="<p>New</p>",
        language="en",
        visibility="green",
    )
    with pytest.raises(VersionConflict):
        services.item_update(actor=world.national, item=item, expected_version=1, data=data)
    item = services.item_update(actor=world.national, item=item, expected_version=item.version, data=data)
    numbers = list(ItemVersion.objects.filter(item=item).order_by("number").values_list("number", "title"))
    assert numbers[-1] == (item.version, "A new title")
    assert len(numbers) == 4  # created, submitted, published, edited
    assert SearchDocument.objects.get(item=item).title == "A new title"


def test_members_and_viewers_cannot_propose(world):
    data = ItemData(kind="guidance", title="T", summary="S", body="", language="en", visibility="green")
    for user in (world.member, world.cso, world.viewer):
        with pytest.raises(PermissionDenied):
            services.item_propose(actor=user, jurisdiction=world.cebu_city, data=data)
    with pytest.raises(PermissionDenied):
        services.item_propose(actor=world.outsider, jurisdiction=world.cebu_city, data=data)
    assert not LibraryItem.objects.exists()


def test_formatted_text_is_sanitised(world):
    item = make_item(
        world,
        body='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">link</a>'
        '<img src=x onerror=alert(1)><strong>ok</strong><a href="https://example.org">site</a></p>',
    )
    assert "script" not in item.body and "onclick" not in item.body and "javascript" not in item.body
    assert "<img" not in item.body and "onerror" not in item.body
    assert "<strong>ok</strong>" in item.body
    assert 'href="https://example.org"' in item.body and 'rel="noopener noreferrer"' in item.body


def test_bad_input_is_refused_and_nothing_written(world):
    bad = [
        ItemData(
            kind="guidance", title="T", summary="S", body="", language="en", visibility="green", competencies=("x",)
        ),
        ItemData(kind="guidance", title="T", summary="S", body="", language="en", visibility="green", sectors=("x",)),
        ItemData(
            kind="guidance", title="T", summary="S", body="", language="en", visibility="green", countries=(world.cebu,)
        ),
        ItemData(kind="nope", title="T", summary="S", body="", language="en", visibility="green"),
        ItemData(kind="guidance", title="", summary="S", body="", language="en", visibility="green"),
        ItemData(kind="guidance", title="T", summary="S", body="x" * 100_001, language="en", visibility="green"),
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            services.item_propose(actor=world.national, jurisdiction=world.cebu_city, data=data)
    assert not LibraryItem.objects.exists() and not SearchDocument.objects.exists()


def test_translations_are_linked_and_one_per_language(world):
    english = make_item(world, title="Safe spaces for dialogue")
    french = make_item(world, title="Des espaces sûrs pour dialoguer", language="fr", translation_of=english)
    assert french.translation_group == english.translation_group
    with pytest.raises(ValidationError):
        make_item(world, title="Another French one", language="fr", translation_of=english)
    client_facts = __import__("tandem.library.selectors", fromlist=["item_facts"]).item_facts(world.local, english)
    assert client_facts.translations == [french]


def test_attachments_go_through_the_checker_and_their_text_is_searched(world):
    from tandem.library import search

    item = make_item(world)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=world.admin, item=item, name="x.exe", data=b"MZ\x90\x00" + b"\x00" * 100)
    assert not item.attachments.exists()
    services.attachment_add(actor=world.admin, item=item, name="minutes.txt", data=b"The ombudsman attended.\n")
    assert [i.pk for i in search.search_items(world.local, search.Filters(q="ombudsman"))] == [item.pk]
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=world.member, item=item, name="m.txt", data=b"x\n")


def test_checklist_record_keeps_ticks_notes_and_dates(world):
    run = services.checklist_start(actor=world.local, code="information-sharing", jurisdiction=world.cebu_city)
    with pytest.raises(PermissionDenied):
        services.checklist_start(actor=world.member, code="information-sharing", jurisdiction=world.cebu_city)
    with pytest.raises(ValidationError):
        services.checklist_tick(actor=world.local, run=run, step="nope", done=True, note="", expected_version=1)
    version = run.version
    for code in ("purpose", "training", "civil-society", "formats"):
        run = services.checklist_tick(
            actor=world.local, run=run, step=code, done=True, note=f"Agreed: {code}", expected_version=version
        )
        version = run.version
    assert run.completed_on is None
    with pytest.raises(VersionConflict):
        services.checklist_tick(actor=world.local, run=run, step="review", done=True, note="", expected_version=1)
    run = services.checklist_tick(
        actor=world.local, run=run, step="review", done=True, note="", expected_version=version
    )
    assert run.completed_on == dt.date.today()
    assert run.ticks.get(step="purpose").note == "Agreed: purpose"


def test_search_page_shows_snippets_and_counts(world, client):
    make_item(world, title="Coordination councils", body="<p>Councils meet <em>monthly</em> to coordinate.</p>")
    client.force_login(world.local)
    response = client.get(reverse("library_search"), {"q": "monthly"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>monthly</mark>" in html and "Coordination councils" in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", 9), ("?q=coordination", 10), ("?q=coordination&competency=trust&kind=guidance", 10)],
)
def test_search_page_query_count_is_constant(world, client, query, expected):
    """Session, user and grants, the items found (at most the cap, with their kind, language and year), the
    page of items, the tag and country counts, tags of the page, drafts, review count (and the snippets with
    words): the same for 1 or 13 items."""
    client.force_login(world.local)
    make_item(world, title="Coordination one", kind="guidance")
    few = _queries(client, reverse("library_search") + query)
    for n in range(12):
        make_item(world, title=f"Coordination {n}", kind="guidance", competencies=("trust", "capacity"))
    many = _queries(client, reverse("library_search") + query)
    assert few == many == expected


def test_checklist_and_item_pages_render(world, client):
    item = make_item(world)
    run = services.checklist_start(actor=world.local, code="body-setup", jurisdiction=world.cebu_city)
    client.force_login(world.local)
    assert client.get(reverse("library_item_detail", args=[item.uuid])).status_code == 200
    page = client.get(reverse("checklist_run", args=[run.uuid]))
    assert "The structure suits the place" in page.content.decode()
    response = client.post(
        reverse("checklist_run", args=[run.uuid]), {"step": "fit", "done": "on", "note": "Done", "version": run.version}
    )
    assert response.status_code == 302


def _submitted(w, title: str) -> LibraryItem:
    item = make_item(w, actor=w.local, publish=False, title=title)
    return services.item_submit(actor=w.local, item=item, expected_version=item.version)


def test_the_review_queue_holds_items_in_review_where_the_curator_curates(world):
    """A draft is not in anyone's queue; a facilitator of Kenya does not review the Philippines' items."""
    from tandem.core import access as core_access
    from tandem.core import services as core_services
    from tandem.core.models import Role

    in_review = _submitted(world, "In review")
    make_item(world, actor=world.local, publish=False, title="Still a draft")
    core_services.role_grant(
        actor=None, user=world.outsider, role=Role.FACILITATOR, jurisdiction=world.ke, organisation=None
    )
    core_access.forget_grants(world.outsider)
    assert list(access.visible_review_queue(world.facilitator)) == [in_review]
    assert list(access.visible_review_queue(world.admin)) == [in_review]
    assert not access.visible_review_queue(world.outsider).exists()
    assert not access.visible_review_queue(world.local).exists()


def test_review_page_query_count_does_not_grow_with_the_items(world, client):
    _submitted(world, "One")
    client.force_login(world.facilitator)
    few = _queries(client, reverse("library_review"))
    for n in range(3):
        _submitted(world, f"More {n}")
    assert _queries(client, reverse("library_review")) == few


def test_who_may_propose_and_where(world):
    from tandem.core.models import Jurisdiction

    for user in (world.local, world.regional, world.facilitator, world.admin):
        assert access.can_propose_anywhere(user)
    for user in (world.viewer, world.member, world.cso):
        assert not access.can_propose_anywhere(user)
        assert not access.proposable_jurisdictions(user).exists()
    assert list(access.proposable_jurisdictions(world.local)) == [world.cebu_city]
    assert list(access.proposable_jurisdictions(world.regional)) == [world.visayas, world.cebu, world.cebu_city]
    assert list(access.proposable_jurisdictions(world.admin)) == list(Jurisdiction.objects.order_by("path"))


def test_a_deactivated_proposer_no_longer_edits_their_draft(world):
    draft = make_item(world, actor=world.local, publish=False)
    assert access.can_edit(world.local, draft)
    world.local.is_active = False
    world.local.save()
    assert not access.can_edit(world.local, draft)


def test_checklists_are_worked_where_the_coordinator_coordinates(world):
    assert list(access.checklist_jurisdictions(world.local)) == [world.cebu_city]
    assert not access.checklist_jurisdictions(world.viewer).exists()


def test_a_subtree_item_of_the_network_reaches_every_role_holder(world):
    item = make_item(world, actor=world.admin, visibility="subtree", jurisdiction=world.network)
    assert _readers(world, item) == set(world.personas)


def test_anonymous_reads_no_published_item(world):
    from django.contrib.auth.models import AnonymousUser

    make_item(world, visibility="clear")
    assert not access.visible_published_items(AnonymousUser()).exists()


def test_drafts_stay_with_their_proposer_and_the_curators_of_their_place(world):
    """A coordinator of Manila who also facilitates in Kenya reads their own Manila draft; the
    facilitator of Central Visayas does not."""
    from tandem.core import access as core_access
    from tandem.core import services as core_services
    from tandem.core.models import Role

    manila = manila_coordinator(world)
    core_services.role_grant(actor=None, user=manila, role=Role.FACILITATOR, jurisdiction=world.ke, organisation=None)
    core_access.forget_grants(manila)
    draft = make_item(world, actor=manila, publish=False, jurisdiction=world.manila, title="Manila draft")
    assert access.visible_items(manila).filter(pk=draft.pk).exists()
    assert not access.visible_items(world.facilitator).filter(pk=draft.pk).exists()


def test_a_proposer_who_lost_their_role_reads_their_published_item_no_more(world):
    from tandem.core import access as core_access
    from tandem.core import services as core_services
    from tandem.core.models import RoleAssignment

    item = make_item(world, actor=world.local, publish=False, visibility="subtree")
    item = services.item_submit(actor=world.local, item=item, expected_version=item.version)
    item = services.item_publish(actor=world.facilitator, item=item, expected_version=item.version)
    assert access.visible_items(world.local).filter(pk=item.pk).exists()
    for grant in RoleAssignment.objects.filter(user=world.local):
        core_services.role_revoke(actor=world.admin, assignment=grant)
    core_access.forget_grants(world.local)
    assert not access.visible_items(world.local).filter(pk=item.pk).exists()
