"""The quarterly report PDF is built in the background (django-tasks; the immediate backend here, as
in the notifications tests): asking queues it, its page shows its state and then links to the file,
only its requester downloads it (and only while they hold the roles they asked with), and a build
that keeps failing is retried, then shown as failed."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tandem.core import figures as core_figures
from tandem.dashboards.models import QuarterlyReport
from tandem.dashboards.tests.test_dashboards import busy  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _ask(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("dashboard_report"), data)


def test_asking_queues_the_report_its_page_follows_it_and_links_the_pdf(
    busy,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    client.force_login(busy.national)
    period = core_figures.quarters(2)[0][0]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = client.post(reverse("dashboard_report"), {"period": period})
    report = QuarterlyReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("dashboard_report_status", args=[report.uuid])
    assert len(queued) == 1  # enqueued once the request's transaction commits
    waiting = client.get(answer["Location"])
    assert 'data-state="queued"' in waiting.content.decode()
    assert waiting["Refresh"] == "3"  # reloads itself: no JavaScript needed
    assert client.get(reverse("dashboard_report_download", args=[report.uuid])).status_code == 404
    queued[0]()  # the worker runs it
    done = client.get(answer["Location"])
    html = done.content.decode()
    assert 'data-state="done"' in html and "Refresh" not in done
    assert reverse("dashboard_report_download", args=[report.uuid]) in html
    pdf = client.get(reverse("dashboard_report_download", args=[report.uuid]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="dashboard-{period}.pdf"'
    assert "no-store" in pdf["Cache-Control"]
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "TLP:AMBER" in text and "quarterly report" in text and period in text
    assert "Open requests by age and direction" in text and "The units below" in text
    # The dashboard lists it with its state and link.
    assert reverse("dashboard_report_download", args=[report.uuid]) in client.get(reverse("dashboard")).content.decode()


def test_only_the_requester_and_only_with_the_same_roles(busy, client, django_capture_on_commit_callbacks):  # noqa: F811
    from tandem.core import services as core_services
    from tandem.core.models import Role

    client.force_login(busy.regional)
    answer = _ask(client, django_capture_on_commit_callbacks, period="2026-Q1", within=busy.cebu_city.uuid)
    report = QuarterlyReport.objects.get()
    status_url, pdf_url = answer["Location"], reverse("dashboard_report_download", args=[report.uuid])
    assert client.get(pdf_url).status_code == 200
    missing = reverse("dashboard_report_download", args=["00000000-0000-4000-8000-000000000000"])
    for other in (busy.national, busy.local, busy.admin, busy.outsider):
        client.force_login(other)  # even those who see Cebu City: it is not theirs
        assert client.get(status_url).status_code == 404
        assert client.get(pdf_url).content == client.get(missing).content
    client.force_login(busy.regional)
    grant = core_services.role_grant(actor=None, user=busy.regional, role=Role.VIEWER, jurisdiction=busy.manila)
    assert client.get(pdf_url).status_code == 404  # asked with other roles: gone
    core_services.role_revoke(actor=busy.admin, assignment=grant)
    assert client.get(pdf_url).status_code == 200


def test_bad_requests_are_refused_clearly(busy, client, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(busy.national)
    for bad in ("2026-Q5", "nope", "1999-Q1", ""):
        answer = _ask(client, django_capture_on_commit_callbacks, period=bad)
        assert answer.status_code == 302 and answer["Location"] == reverse("dashboard")
    assert not QuarterlyReport.objects.exists()
    assert client.get(reverse("dashboard_report")).status_code == 405
    for _i in range(3):  # three waiting at once is the most
        with django_capture_on_commit_callbacks(execute=False):
            client.post(reverse("dashboard_report"), {"period": "2026-Q1"})
    answer = client.post(reverse("dashboard_report"), {"period": "2026-Q1"}, follow=True)
    assert "being built already" in answer.content.decode() and QuarterlyReport.objects.count() == 3


def test_a_failing_build_is_retried_then_shown_failed(
    busy,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
    monkeypatch,
    settings,
    caplog,
):
    from tandem.dashboards import pdf

    calls = []

    def broken(*args):
        calls.append(args)
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "report_bytes", broken)
    settings.TANDEM_TASK_MAX_ATTEMPTS = 3
    client.force_login(busy.national)
    answer = _ask(client, django_capture_on_commit_callbacks, period="2026-Q1")
    report = QuarterlyReport.objects.get()
    assert len(calls) == 3 and report.state == "failed" and report.attempts == 3
    assert "disk full" in report.error and "failed after 3 attempts" in caplog.text
    html = client.get(answer["Location"]).content.decode()
    assert 'data-state="failed"' in html and "could not be built" in html
    assert client.get(reverse("dashboard_report_download", args=[report.uuid])).status_code == 404
