"""Plan pages as a user meets them: progress form validation, locking, files, query counts."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tandem.core import services as core_services
from tandem.core.models import JurisdictionKind
from tandem.plans import services
from tandem.plans.models import Activity, IndicatorValue, Objective, PeriodState, PlanLevel, ReportingPeriod


def _progress_data(w, value, *, submit=False, version=None):
    period = ReportingPeriod.objects.get(pk=w.period.pk)
    data = {
        "version": version or period.version,
        f"value_{w.cebu_indicator.uuid}": value,
        f"note_{w.cebu_indicator.uuid}": "Sports league",
        f"status_{w.activity.uuid}": "on_track",
        f"anote_{w.activity.uuid}": "",
    }
    if submit:
        data["submit"] = "1"
    return data


def test_text_in_a_numeric_value_is_refused_with_a_clear_message(plans, as_user):
    client = as_user(plans.local)
    url = reverse("period_progress", args=[plans.period.uuid])
    response = client.post(url, _progress_data(plans, "forty"))
    assert response.status_code == 200
    assert "Enter a number" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_negative_people_count_is_refused(plans, as_user):
    client = as_user(plans.local)
    response = client.post(reverse("period_progress", args=[plans.period.uuid]), _progress_data(plans, "-5"))
    assert "People cannot be negative" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_submit_then_locked_then_accept_and_reopen(plans, as_user, client):
    w = plans
    url = reverse("period_progress", args=[w.period.uuid])
    as_user(w.local)
    response = client.post(url, _progress_data(w, "1 250,5", submit=True))
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(pk=w.period.pk)
    assert period.state == PeriodState.SUBMITTED
    assert IndicatorValue.objects.get().value == Decimal("1250.50")
    # Locked: the page shows the statuses by name (never the stored code), in French too.
    assert "On track" in client.get(url).content.decode() and "on_track" not in client.get(url).content.decode()
    client.cookies["django_language"] = "fr"
    assert "on_track" not in client.get(url).content.decode()
    del client.cookies["django_language"]
    # Locked: the local coordinator's edit is refused with a clear message and nothing changes.
    response = client.post(url, _progress_data(w, "99"))
    assert "locked" in response.content.decode()
    assert IndicatorValue.objects.get().value == Decimal("1250.50")
    # The local coordinator cannot accept their own submission.
    accept = reverse("period_action", args=[w.period.uuid, "accept"])
    assert client.post(accept, {"version": period.version}).status_code == 403
    as_user(w.national)
    assert client.get(accept).status_code == 200  # confirmation page first
    assert client.get(accept).status_code == 200
    assert ReportingPeriod.objects.get(pk=w.period.pk).state == PeriodState.SUBMITTED  # GET changed nothing
    response = client.post(accept, {"version": period.version})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == PeriodState.ACCEPTED
    reopen = reverse("period_action", args=[w.period.uuid, "reopen"])
    response = client.post(reopen, {"version": period.version, "note": ""})
    assert "This field is required" in response.content.decode()
    client.post(reopen, {"version": period.version, "note": "Wrong figure"})
    period.refresh_from_db()
    assert period.state == PeriodState.DRAFT
    assert "Wrong figure" in client.get(url).content.decode()


def test_foreign_plan_is_identical_to_missing(plans, as_user):
    client = as_user(plans.outsider)
    foreign = client.get(reverse("plan_detail", args=[plans.cebu_plan.uuid]))
    missing = client.get(reverse("plan_detail", args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


def test_activity_created_with_alignment_from_the_form(plans, as_user):
    client = as_user(plans.local)
    url = reverse("plan_activity_create", args=[plans.cebu_plan.uuid])
    response = client.post(url, {"title": "Peace radio", "status": "planned", "budget": "-1"})
    body = response.content.decode()
    assert "Choose at least one national objective" in body
    response = client.post(
        url, {"title": "Peace radio", "status": "planned", "national_objectives": [str(plans.n2.uuid)]}
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Peace radio")
    assert [a.national_objective.code for a in activity.alignments.all()] == ["1.2"]


def test_plan_list_search_and_export(plans, as_user):
    client = as_user(plans.national)
    response = client.get(reverse("plan_list"), {"q": "Cebu"})
    body = response.content.decode()
    assert "Cebu City Local Action Plan" in body and "National Action Plan on P/CVE" not in body
    export = client.get(reverse("plan_export", args=["csv"]), {"level": "local"})
    text = b"".join(export.streaming_content).decode()
    rows = text.strip().splitlines()[1:]
    assert len(rows) == 1 and "Cebu City Local Action Plan" in rows[0]


def _workbook(client, plan):
    response = client.get(reverse("plan_workbook", args=[plan.uuid]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _upload(client, plan, wb):
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.name = "plan.xlsx"
    buffer.seek(0)
    return client.post(reverse("plan_import", args=[plan.uuid]), {"file": buffer})


def test_xlsx_round_trip_updates_the_same_plan(plans, as_user):
    w = plans
    client = as_user(w.local)
    wb = _workbook(client, w.cebu_plan)
    ws = wb["Activities"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Budget") + 1, value=175000)
    ws.append(
        [
            "",
            "",
            "Mothers' circles",
            "",
            "C1",
            "Cebu City Hall",
            "Visayas Youth Forum",
            5000,
            "usd",
            "Donor",
            "2026-02-01",
            "2026-06-30",
            "ongoing",
            "1.2, 1.3",
            "no",
        ]
    )
    response = _upload(client, w.cebu_plan, wb)
    assert response.status_code == 302, response.content.decode()
    w.activity.refresh_from_db()
    assert w.activity.budget == Decimal("175000.00")
    new = Activity.objects.get(title="Mothers' circles")
    assert new.currency == "USD"  # the workbook's currency column, upper-cased
    assert sorted(a.national_objective.code for a in new.alignments.all()) == ["1.2", "1.3"]
    assert [o.name for o in new.partner_orgs.all()] == ["Visayas Youth Forum"]


def test_xlsx_import_is_all_or_nothing_with_a_row_report(plans, as_user):
    w = plans
    client = as_user(w.local)
    wb = _workbook(client, w.cebu_plan)
    ws = wb["Activities"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Budget") + 1, value=1)
    ws.append(["", "", "Bad row", "", "", "", "", "a lot", "", "", "", "", "ongoing", "9.9", "no"])
    response = _upload(client, w.cebu_plan, wb)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in body
    assert "Unknown national objective codes: 9.9" in body and "Enter a number" in body
    w.activity.refresh_from_db()
    assert w.activity.budget == Decimal("150000.00")
    assert not Activity.objects.filter(title="Bad row").exists()


def test_plan_pdf(plans, as_user):
    response = as_user(plans.member).get(reverse("plan_pdf", args=[plans.cebu_plan.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def _add_localities(w, n):
    """n more cities in Central Visayas, each with a plan, an aligned activity and a submitted value."""
    for i in range(n):
        city = core_services.jurisdiction_create(
            actor=None, name=f"Town {i}", kind=JurisdictionKind.CITY, parent=w.cebu, audit=False
        )
        plan = services.plan_create(
            actor=w.admin,
            level=PlanLevel.LOCAL,
            jurisdiction=city,
            national_plan=w.national_plan,
            title=f"Town {i} plan",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
        act = services.activity_create(actor=w.admin, plan=plan, title=f"Activity {i}")
        services.alignment_set(actor=w.admin, plan=plan, activity=act, national_objectives=[w.n1])
        ind = services.indicator_create(actor=w.admin, plan=plan, inherited_from=w.nat_indicator)
        period = services.period_create(
            actor=w.admin, plan=plan, label="2026-Q1", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
        )
        services.progress_save(
            actor=w.admin, period=period, expected_version=1, values={ind: (Decimal(10), "")}, statuses={}, submit=True
        )


def _count_queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_matrix_and_rollup_query_counts_do_not_grow_with_localities(plans, as_user, django_assert_max_num_queries):
    w = plans
    client = as_user(w.national)
    _add_localities(w, 2)
    matrix_params = {"plan": str(w.national_plan.uuid), "within": str(w.cebu.uuid), "depth": w.cebu.depth + 1}
    rollup_params = {"indicator": str(w.nat_indicator.uuid), "period": "2026-Q1"}
    matrix_before, _ = _count_queries(client, reverse("plan_matrix"), matrix_params)
    rollup_before, _ = _count_queries(client, reverse("plan_rollup"), rollup_params)
    # Twelve more localities, each with a plan, an aligned activity and a value.
    for batch in range(3):
        _add_localities_batch(w, batch)
    with django_assert_max_num_queries(matrix_before):
        response = client.get(reverse("plan_matrix"), matrix_params)
    assert "Town b2-3" in response.content.decode()
    with django_assert_max_num_queries(rollup_before):
        response = client.get(reverse("plan_rollup"), rollup_params)
    assert "Town b2-3" in response.content.decode()


def _add_localities_batch(w, batch):
    for i in range(4):
        city = core_services.jurisdiction_create(
            actor=None, name=f"Town b{batch}-{i}", kind=JurisdictionKind.CITY, parent=w.cebu, audit=False
        )
        plan = services.plan_create(
            actor=w.admin,
            level=PlanLevel.LOCAL,
            jurisdiction=city,
            national_plan=w.national_plan,
            title=f"Town b{batch}-{i} plan",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
        act = services.activity_create(actor=w.admin, plan=plan, title=f"Activity b{batch}-{i}", status="completed")
        services.alignment_set(actor=w.admin, plan=plan, activity=act, national_objectives=[w.n1, w.n2])
        ind = services.indicator_create(actor=w.admin, plan=plan, inherited_from=w.nat_indicator)
        period = services.period_create(
            actor=w.admin, plan=plan, label="2026-Q1", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
        )
        services.progress_save(
            actor=w.admin, period=period, expected_version=1, values={ind: (Decimal(5), "")}, statuses={}, submit=True
        )


def test_stale_plan_edit_shows_what_changed_and_saves_nothing(plans, as_user):
    w = plans
    client = as_user(w.local)
    url = reverse("plan_edit", args=[w.cebu_plan.uuid])
    base = {
        "title": "Cebu City Local Action Plan",
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "visible_to_partners": "on",
    }
    assert client.post(url, {**base, "legal_instrument": "Ordinance 1", "version": 1}).status_code == 302
    response = client.post(url, {**base, "legal_instrument": "Ordinance 2", "version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this record" in body and "Ordinance 1" in body
    w.cebu_plan.refresh_from_db()
    assert w.cebu_plan.legal_instrument == "Ordinance 1"


def test_inherited_indicator_form_locks_the_national_definition(plans, as_user):
    client = as_user(plans.local)
    url = reverse("plan_indicator_edit", args=[plans.cebu_indicator.uuid])
    body = client.get(url).content.decode()
    assert "National definition: not editable here." in body
    client.post(url, {"name": "Hacked", "unit": "count", "frequency": "annual", "target": "600", "version": 1})
    plans.cebu_indicator.refresh_from_db()
    assert (plans.cebu_indicator.name, plans.cebu_indicator.unit) == ("Young people reached", "people")
    assert plans.cebu_indicator.target == Decimal(600)


def test_roadmap_page_and_a_future_stage_is_refused(plans, as_user):
    w = plans
    client = as_user(w.national)
    response = client.post(
        reverse("plan_roadmap_record"), {"jurisdiction": str(w.visayas.uuid), "stage": "drafted", "date": "2999-01-01"}
    )
    assert "cannot be in the future" in response.content.decode()
    response = client.post(
        reverse("plan_roadmap_record"), {"jurisdiction": str(w.visayas.uuid), "stage": "drafted", "date": "2025-05-01"}
    )
    assert response.status_code == 302
    body = client.get(reverse("plan_roadmap"), {"country": str(w.ph.uuid)}).content.decode()
    assert "Central Visayas" in body and "Drafted" in body


@pytest.fixture
def _language_restored():
    from django.utils import translation

    with translation.override("en"):  # requests below switch the thread's language; later tests expect English
        yield


@pytest.mark.usefixtures("_language_restored")
def test_the_workbook_speaks_the_users_language_and_imports_in_the_other(plans, as_user):
    """A French user gets French sheets, headers and yes/no; an English colleague imports that file."""
    w = plans
    french = as_user(w.local)
    french.cookies["django_language"] = "fr"
    wb = _workbook(french, w.cebu_plan)
    assert wb.sheetnames[:4] == ["Plan", "Objectifs", "Activités", "Indicateurs"]
    assert wb["Plan"]["A1"].value == "UUID du plan"
    ws = wb["Activités"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["UUID", "Version", "Titre", "Description"] and "Innovation locale" in header
    assert {ws.cell(row=r, column=header.index("Innovation locale") + 1).value for r in range(2, ws.max_row + 1)} <= {
        "oui",
        "non",
    }
    ws.cell(row=2, column=header.index("Budget") + 1, value=180000)
    english = as_user(w.local)
    english.cookies["django_language"] = "en"
    response = _upload(english, w.cebu_plan, wb)
    assert response.status_code == 302, response.content.decode()
    w.activity.refresh_from_db()
    assert w.activity.budget == Decimal("180000.00")
    # The same file again is stale now: the French report names the French sheet and the column.
    french.cookies["django_language"] = "fr"
    report = _upload(french, w.cebu_plan, wb).content.decode()
    assert "<td>Activités</td><td>2</td><td>Version</td>" in report and "Exportez-le à nouveau" in report


def _plan_row(body, title):
    """The cells of the plans list's row for ``title`` (level, place, period, objectives, activities)."""
    row = body.split(f">{title}</a></th>", 1)[1].split("</tr>", 1)[0]
    return [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:]]


def test_plan_list_counts_objectives_and_activities_in_queries_that_do_not_grow(
    plans, as_user, django_assert_max_num_queries
):
    w = plans
    client = as_user(w.national)
    before, response = _count_queries(client, reverse("plan_list"), {})
    cebu = w.cebu_plan
    expected = [str(Objective.objects.filter(plan=cebu).count()), str(Activity.objects.filter(plan=cebu).count())]
    assert _plan_row(response.content.decode(), cebu.title)[-2:] == expected
    _add_localities(w, 3)  # three more plans, each with one activity and no objective
    with django_assert_max_num_queries(before):
        response = client.get(reverse("plan_list"))
    body = response.content.decode()
    assert _plan_row(body, "Town 2 plan")[-2:] == ["0", "1"]
    assert _plan_row(body, cebu.title)[-2:] == expected
