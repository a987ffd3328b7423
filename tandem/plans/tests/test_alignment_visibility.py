"""A plan's alignments name an objective only to a reader who may open that objective's plan.

Cebu City's plan is shared with partners; its activity is aligned to national 1.1 and to the
Central Visayas objective R1, whose regional plan is not shared. A member of Cebu City reads the
local plan but not the regional one: the page, the API, the workbook and the PDF name 1.1 and
nothing of R1 (no code, no uuid, no count). When the national plan is not shared either, the
member sees no national objective and not the national plan's title.
"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from tandem.core import services as core_services
from tandem.plans import selectors, services
from tandem.plans.tests.factories import build_regional

REGIONAL_MARKS = ("R1", "Interfaith councils", "Central Visayas Regional Action Plan")


def _names(html: str, mark: str) -> bool:
    """The page shows ``mark`` as a word of its own (not inside a random CSRF token, e.g. "fR1c")."""
    return re.search(rf"(?<!\w){re.escape(mark)}(?!\w)", html) is not None


@pytest.fixture
def regional(world):
    w = build_regional(world)
    # The Cebu objective C1 too: aligned to the regional objective only.
    services.alignment_set(actor=w.local, plan=w.cebu_plan, local_objective=w.l1, national_objectives=[w.r1])
    return w


def _unshare_national(w):
    w.national_plan = services.plan_update(
        actor=w.national, plan=w.national_plan, expected_version=w.national_plan.version, visible_to_partners=False
    )


def _api(client, user, path):
    token = core_services.api_token_create(actor=user, name="t").secret
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return response


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def _workbook_text(content: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def test_api_names_only_the_objectives_of_plans_the_reader_may_open(regional, client):
    w = regional
    base = f"/api/v1/plans/{w.cebu_plan.uuid}"
    for user, codes in ((w.member, ["1.1"]), (w.local, ["1.1", "R1"]), (w.admin, ["1.1", "R1"])):
        activities = _api(client, user, f"{base}/activities").json()
        assert [a["national_objective"]["code"] for a in activities[0]["alignments"]] == codes, user
        objectives = _api(client, user, f"{base}/objectives").json()
        assert [a["national_objective"]["code"] for a in objectives[0]["alignments"]] == codes[1:], user
    body = _api(client, w.member, f"{base}/activities").content.decode()
    assert str(w.r1.uuid) not in body and "R1" not in body


def test_api_hides_the_national_plan_and_its_objectives_from_a_reader_who_may_not_open_it(regional, client):
    w = regional
    _unshare_national(w)
    base = f"/api/v1/plans/{w.cebu_plan.uuid}"
    plan = _api(client, w.member, base).json()
    assert plan["national_plan"] is None and plan["regional_plan"] is None
    activities = _api(client, w.member, f"{base}/activities").json()
    assert activities[0]["alignments"] == []
    assert str(w.n1.uuid) not in _api(client, w.member, f"{base}/activities").content.decode()
    assert _api(client, w.local, base).json()["national_plan"]["title"] == w.national_plan.title


def test_page_names_only_the_objectives_of_plans_the_reader_may_open(regional, as_user):
    w = regional
    url = reverse("plan_detail", args=[w.cebu_plan.uuid])
    body = as_user(w.member).get(url).content.decode()
    assert "Youth resilience" in body  # national 1.1, shared with partners
    for mark in REGIONAL_MARKS:
        assert not _names(body, mark), mark
    assert "(regional)" not in body
    # C1 is aligned, to an objective the member may not see: neither its code nor "not aligned".
    assert "not aligned" not in body
    local = as_user(w.local).get(url).content.decode()
    assert "R1" in local and "Interfaith councils" in local


def test_page_hides_the_national_plan_from_a_reader_who_may_not_open_it(regional, as_user):
    w = regional
    _unshare_national(w)
    body = as_user(w.member).get(reverse("plan_detail", args=[w.cebu_plan.uuid])).content.decode()
    assert "Youth sports league" in body
    for mark in ("National Action Plan on P/CVE", "1.1", "Youth resilience", str(w.national_plan.uuid)):
        assert mark not in body, mark


def test_workbook_and_pdf_name_only_the_objectives_of_plans_the_reader_may_open(regional, as_user):
    w = regional
    _unshare_national(w)
    member = as_user(w.member)
    for name, read in (("plan_workbook", _workbook_text), ("plan_pdf", _pdf_text)):
        text = read(member.get(reverse(name, args=[w.cebu_plan.uuid])).content)
        assert "Youth sports league" in text, name
        for mark in (*REGIONAL_MARKS, "1.1", "Youth resilience", "National Action Plan on P/CVE"):
            assert mark not in text, (name, mark)
    local = as_user(w.local)
    for name, read in (("plan_workbook", _workbook_text), ("plan_pdf", _pdf_text)):
        text = read(local.get(reverse(name, args=[w.cebu_plan.uuid])).content)
        assert "R1" in text and "1.1" in text, name


def test_national_matrix_counts_through_a_regional_objective_only_for_its_readers(regional):
    """The Cebu activity reaches national 1.2 only through R1: a reader who may not open the regional
    plan does not see it counted there (that would tell how the region aligned R1)."""
    w = regional
    _unshare_national(w)
    services.plan_update(
        actor=w.national, plan=w.national_plan, expected_version=w.national_plan.version, visible_to_partners=True
    )
    member = selectors.matrix(w.member, w.national_plan, w.ph, w.ph.depth + 1)
    assert member.objective_totals.get(w.n2.pk, 0) == 0
    assert member.objective_totals.get(w.n1.pk) == 1
    local = selectors.matrix(w.local, w.national_plan, w.ph, w.ph.depth + 1)
    assert local.objective_totals.get(w.n2.pk) == 1


def test_api_names_the_inherited_national_indicator_only_to_its_readers(regional, client):
    w = regional
    _unshare_national(w)
    path = f"/api/v1/plans/{w.cebu_plan.uuid}/indicators"
    member = _api(client, w.member, path).json()
    assert member[0]["name"] == "Young people reached" and member[0]["inherited_from"] is None
    assert str(w.nat_indicator.uuid) not in _api(client, w.member, path).content.decode()
    assert _api(client, w.local, path).json()[0]["inherited_from"] == str(w.nat_indicator.uuid)


def test_plan_list_export_names_the_national_plan_only_to_its_readers(regional, as_user):
    w = regional
    _unshare_national(w)
    for user, shown in ((w.member, False), (w.local, True)):
        response = as_user(user).get(reverse("plan_export", args=["csv"]), {"level": "local"})
        export = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "Cebu City Local Action Plan" in export
        assert ("National Action Plan on P/CVE" in export) is shown, user
