"""The alignment matrix is cached per reader (``selectors.cached_matrix``, on the dashboards' version
tokens): the cached page is the page counted afresh, a write of anything the matrix reads shows on the
next request, and readers of other roles or places never get each other's entry."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from tandem.core import services as core_services
from tandem.core.models import JurisdictionKind, Role
from tandem.dashboards import cache
from tandem.dashboards.tests.test_cache import cached  # noqa: F401  (the fixture: the cache on, emptied)
from tandem.plans import services
from tandem.plans.tests.factories import build_regional
from tandem.plans.tests.factories import local_plan as _local_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached")]  # the cache on, emptied


@pytest.fixture
def regional(world):
    return build_regional(world)


def _page(client, **params: Any) -> str:
    response = client.get(reverse("plan_matrix"), params)
    assert response.status_code == 200
    return response.content.decode()


def _comparable(page: str) -> str:
    """The page without what differs on every request (the CSRF token, the CSP nonce)."""
    page = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1"', page)
    page = re.sub(r'("X-CSRFToken": ")[^"]+"', r'\1"', page)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', page)


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _rows(page: str) -> dict[str, list[str]]:
    """The matrix as the reader sees it: objective code -> the text of each cell (the "All" column last)."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", re.S):
        code = _text(re.search(r'<th scope="row">(.*?)</th>', row, re.S).group(1)).split()[0]
        rows[code] = [_text(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    return rows


def _columns(page: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", page, re.S)
    return [_text(c) for c in re.findall(r'<th scope="col">(.*?)</th>', head.group(1) if head else "", re.S)[1:-1]]


def _total(page: str, code: str) -> str:
    return _rows(page)[code][-1]


# --- The cached page is the page counted afresh ----------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "params"),
    [
        ("national", {}),
        ("national", {"within": "visayas", "depth": 2, "empty": "hide"}),
        ("regional", {}),
        ("regional", {"plan": "regional_plan"}),
        ("facilitator", {}),
    ],
)
def test_the_cached_page_and_api_answer_are_those_counted_afresh(regional, as_user, settings, persona, params):
    w = regional
    values = {k: str(getattr(w, v).uuid) if k in ("plan", "within") else v for k, v in params.items()}
    if "depth" in values:
        values["depth"] = w.visayas.depth + values["depth"]
    user = w.personas[persona]
    token = core_services.api_token_create(actor=user, name="test").secret

    def api() -> dict[str, Any]:
        answer = client.get("/api/v1/plans/matrix", api_params, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert answer.status_code == 200
        return answer.json()

    client = as_user(user)
    api_params = {k: v for k, v in values.items() if k != "empty"}
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 0
    afresh, afresh_api = _page(client, **values), api()
    assert _rows(afresh) and afresh_api["rows"]
    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    first = _page(client, **values)  # counted and stored
    again = _page(client, **values)  # from the entry
    assert _comparable(first) == _comparable(afresh)
    assert _comparable(again) == _comparable(afresh)
    assert api() == afresh_api
    assert api() == afresh_api  # from the entry the page filled


def test_the_warm_page_asks_the_database_for_the_reader_and_the_plans_only(
    regional, as_user, django_assert_num_queries
):
    client = as_user(regional.national)
    first = _page(client)
    # Session, user, grants, the plans to choose from, the units the reader may narrow to: no count.
    with django_assert_num_queries(5):
        again = _page(client)
    assert _comparable(again) == _comparable(first)


def test_a_write_of_another_app_leaves_the_entry_valid_and_a_plan_write_empties_it(
    regional, as_user, django_assert_num_queries
):
    """The matrix reads only the plans app's records: a coordination body created in Cebu City keeps
    the national coordinator's entry (the warm page's queries), an objective empties it."""
    from tandem.bodies import services as bodies_services
    from tandem.bodies.models import BodyKind

    w = regional
    client = as_user(w.national)
    first = _page(client)
    bodies_services.body_create(
        actor=w.local, name="Cebu peace council", kind=BodyKind.LOCAL_PREVENTION_NETWORK, jurisdiction=w.cebu_city
    )
    with django_assert_num_queries(5):
        assert _comparable(_page(client)) == _comparable(first)
    services.objective_create(actor=w.national, plan=w.national_plan, code="1.4", text="Safe schools")
    assert "1.4" in _rows(_page(client))


# --- A write shows on the next request -------------------------------------------------------------


def _add_objective(w):
    services.objective_create(actor=w.national, plan=w.national_plan, code="1.4", text="Safe schools")
    return lambda page: "1.4" in _rows(page)


def _edit_objective(w):
    services.objective_update(
        actor=w.national, objective=w.n3, expected_version=w.n3.version, text="Online counter-speech"
    )
    return lambda page: "Online counter-speech" in page


def _align_new_activity(w):
    activity = services.activity_create(actor=w.local, plan=w.cebu_plan, title="Radio show", status="planned")
    return activity


def _align_a_first_time(w):
    # Created before the page was cached (see the test), aligned now: a first alignment of the activity.
    activity = w.new_activity
    services.alignment_set(actor=w.local, plan=w.cebu_plan, activity=activity, national_objectives=[w.n3])
    return lambda page: _total(page, "1.3").startswith("1 activity")


def _change_status(w):
    services.activity_update(
        actor=w.local, activity=w.activity, expected_version=w.activity.version, status="completed"
    )
    return lambda page: "Completed: 1" in page and "Ongoing: 1" not in page


def _realign(w):
    services.alignment_set(actor=w.local, plan=w.cebu_plan, activity=w.activity, national_objectives=[w.n3])
    return lambda page: _total(page, "1.1").startswith("0 activities") and _total(page, "1.3").startswith("1 activity")


def _delete_activity(w):
    services.activity_delete(actor=w.local, activity=w.activity, expected_version=w.activity.version)
    return lambda page: _total(page, "1.1").startswith("0 activities")


def _regional_objective_realigned(w):
    # The regional objective R1 (at Central Visayas) now localises 1.3: the Cebu activity counts there.
    services.alignment_set(actor=w.regional, plan=w.regional_plan, local_objective=w.r1, national_objectives=[w.n3])
    return lambda page: _total(page, "1.3").startswith("1 activity") and _total(page, "1.2").startswith("0 activities")


def _new_local_plan(w):
    province = core_services.jurisdiction_create(
        actor=None, name="Bohol", kind=JurisdictionKind.PROVINCE, parent=w.visayas, audit=False
    )
    _local_plan(w, province, "Bohol plan")
    return lambda page: "Bohol" in _columns(page) and "0 of 2 units have no local plan" in page


def _rename_unit(w):
    core_services.jurisdiction_update(actor=w.admin, jurisdiction=w.cebu, expected_version=w.cebu.version, name="Sugbo")
    return lambda page: _columns(page) == ["Sugbo"]


WRITES: dict[str, Callable[[Any], Callable[[str], bool]]] = {
    "objective added to the national plan (above the reader)": _add_objective,
    "objective edited": _edit_objective,
    "activity aligned for the first time": _align_a_first_time,
    "activity status changed": _change_status,
    "activity aligned elsewhere": _realign,
    "activity deleted": _delete_activity,
    "regional objective aligned elsewhere": _regional_objective_realigned,
    "unit and local plan added": _new_local_plan,
    "unit renamed": _rename_unit,
}


@pytest.mark.parametrize("reader", ["national", "regional"])
@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_the_matrix_reads_shows_on_the_next_request(regional, as_user, reader, write):
    w = regional
    w.new_activity = _align_new_activity(w)
    client = as_user(w.personas[reader])
    # The regional coordinator's matrix: Central Visayas' provinces (Cebu); the national one's: the
    # regions, or with this choice Central Visayas' provinces too.
    params = {"within": str(w.visayas.uuid), "depth": w.visayas.depth + 1}
    before = _page(client, **params)
    assert _comparable(_page(client, **params)) == _comparable(before)  # served from the entry
    seen = WRITES[write](w)
    assert not seen(before), write
    assert seen(_page(client, **params)), write


def test_a_plan_write_shows_to_a_reader_above_and_not_to_an_unrelated_entry(regional, as_user):
    """A new local plan in Manila: the national matrix of the regions shows it at once; the regional
    coordinator's entry for Central Visayas stays valid (it counts nothing in Manila)."""
    w = regional
    assert "1 of 2 units has no local plan" in _page(as_user(w.national))
    region_client = as_user(w.regional)
    region = _page(region_client)
    _local_plan(w, w.manila, "Manila plan")
    assert _comparable(_page(region_client)) == _comparable(region)
    assert "0 of 2 units have no local plan" in _page(as_user(w.national))


# --- Readers never share an entry ------------------------------------------------------------------


def test_readers_of_the_same_unit_with_other_roles_get_their_own_matrix(regional, as_user):
    """The regional coordinator and the facilitator both start at Central Visayas: the same URL. The
    coordinator reads the (unshared) regional plan, so the Cebu activity counts under 1.2 through R1;
    the facilitator does not, and must not be served the coordinator's numbers."""
    w = regional
    coordinator = _page(as_user(w.regional))
    assert _total(coordinator, "1.2").startswith("1 activity")
    facilitator = _page(as_user(w.facilitator))
    assert _total(facilitator, "1.2").startswith("0 activities")
    assert _total(_page(as_user(w.regional)), "1.2").startswith("1 activity")  # and back


def test_a_regional_coordinator_asking_for_the_national_view_gets_their_own(regional, as_user):
    w = regional
    params = {"within": str(w.ph.uuid), "depth": w.ph.depth + 1}
    national = _page(as_user(w.national), **params)
    assert _columns(national) == ["Central Visayas", "National Capital Region no plan"]
    mine = _page(as_user(w.regional), **params)
    assert _columns(mine) == ["Cebu"]
    assert "National Capital Region" not in mine


@pytest.mark.parametrize("signals", [True, False], ids=["with-signals", "key-alone"])
def test_a_role_revoked_takes_effect_on_the_next_request(regional, as_user, monkeypatch, signals):
    w = regional
    assignment = core_services.role_grant(
        actor=None, user=w.facilitator, role=Role.REGIONAL_COORDINATOR, jurisdiction=w.visayas
    )
    client = as_user(w.facilitator)
    assert _total(_page(client), "1.2").startswith("1 activity")  # reads the regional plan now
    if not signals:  # the revocation empties no entry: the reader's roles in the key alone must tell
        monkeypatch.setattr(cache, "forget_all", lambda: None)
    core_services.role_revoke(actor=w.admin, assignment=assignment)
    assert _total(_page(client), "1.2").startswith("0 activities")


def test_a_reader_who_changes_language_reads_the_matrix_in_it(regional, as_user):
    client = as_user(regional.national)
    assert "Ongoing: 1" in _page(client)
    client.cookies["django_language"] = "fr"
    french = _page(client)
    assert "En cours: 1" in french
    assert "Ongoing" not in french
