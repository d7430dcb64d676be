"""Weekly report pages and API: list, the week's page, the PDF (status, download, render), both ways."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from evidence.models import DownloadLog, WeeklyReport
from evidence.services import reports as services
from tests.evidence.factories_access import (
    MONDAY_AFTER,
    WEEK,
    WeeklyReportFactory,
    plant_week,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted_week(ceo):
    """Records in and around week 2026-W48 (see `plant_week`)."""
    return plant_week(ceo)


READERS = ["ceo", "mgmt_rep", "auditor"]
NOT_READERS = ["dept_manager", "qa", "employee", "outsider"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY_AFTER, tick=False):
        yield


@pytest.fixture
def report(planted_week):
    """The 2026-W48 report of the planted week, with its PDF."""
    written = services.weekly_report_write()
    services.weekly_report_render_pdf(report_id=written.pk)
    written.refresh_from_db()
    return written


def detail(week=WEEK):
    return reverse("evidence:weekly-report-detail", args=[week])


def test_the_detail_url_is_the_iso_week():
    assert detail() == "/evidence/reports/2026-W48/"


@pytest.mark.parametrize("persona", READERS)
def test_readers_open_the_list_and_the_weeks_report(client_as, persona, request, report):
    client = client_as(request.getfixturevalue(persona))

    listing = client.get(reverse("evidence:weekly-report-list"))
    page = client.get(detail())

    assert listing.status_code == 200
    assert detail() in listing.text
    assert page.status_code == 200
    for expected in (
        "Monday 23 Nov 2026 to Sunday 29 Nov 2026",
        "CF-2026-042",
        "Midland Automotive",
        "ACT-2026-101",
        "Recalibrate CMM probe",
        "OBJ-2026-007",
        "week of 16 Nov 2026",
        "EF-2026-021",
        "RR-2026-031",
        "RR-2026-030",
        "6</strong> items need",
        reverse("evidence:weekly-report-download", args=[WEEK]),
        report.sha256,
    ):
        assert expected in page.text


@pytest.mark.parametrize("persona", NOT_READERS)
def test_other_roles_cannot_open_reports_or_their_pdf(client_as, persona, request, report):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(reverse("evidence:weekly-report-list")).status_code == 403
    assert client.get(detail()).status_code == 403
    assert client.get(reverse("evidence:weekly-report-download", args=[WEEK])).status_code == 403
    assert not DownloadLog.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, report):
    for url in (
        reverse("evidence:weekly-report-list"),
        detail(),
        reverse("evidence:weekly-report-download", args=[WEEK]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_an_unknown_week_is_404(client_as, ceo):
    assert client_as(ceo).get(detail("2026-W01")).status_code == 404


def test_downloading_the_pdf_is_logged(client_as, auditor, report):
    response = client_as(auditor).get(reverse("evidence:weekly-report-download", args=[WEEK]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="weekly-report-2026-W48.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = DownloadLog.objects.get()
    assert (log.user, log.kind, log.record, log.sha256) == (auditor, "document", report, report.sha256)


def test_while_the_pdf_is_prepared_the_page_polls_and_offers_no_download(client_as, ceo):
    WeeklyReportFactory(period_start=datetime.date(2026, 11, 23))
    client = client_as(ceo)

    page = client.get(detail())
    status = client.get(reverse("evidence:weekly-report-pdf-status", args=[WEEK]), **HTMX)

    assert 'hx-trigger="every 3s"' in page.text
    assert "being prepared" in status.text
    assert "<html" not in status.text
    assert client.get(reverse("evidence:weekly-report-download", args=[WEEK])).status_code == 404


def test_the_status_box_stops_polling_once_the_pdf_is_there(client_as, ceo, report):
    status = client_as(ceo).get(reverse("evidence:weekly-report-pdf-status", args=[WEEK]), **HTMX)

    assert "hx-trigger" not in status.text
    assert "Download the PDF" in status.text


def test_the_representative_asks_for_a_missing_pdf_again(client_as, mgmt_rep, ceo, django_capture_on_commit_callbacks):
    WeeklyReportFactory(period_start=datetime.date(2026, 11, 23))
    client = client_as(mgmt_rep)
    assert "Prepare the PDF again" in client.get(detail()).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:weekly-report-render", args=[WEEK]))

    assert response.status_code == 302
    assert WeeklyReport.objects.get(week=WEEK).file


@pytest.mark.parametrize("persona", ["ceo", "auditor", "employee", "outsider"])
def test_other_roles_cannot_ask_for_the_pdf(client_as, persona, request):
    WeeklyReportFactory(period_start=datetime.date(2026, 11, 23))
    client = client_as(request.getfixturevalue(persona))

    assert "Prepare the PDF again" not in client.get(detail()).text
    assert client.post(reverse("evidence:weekly-report-render", args=[WEEK])).status_code == 403
    assert not WeeklyReport.objects.get(week=WEEK).file


def test_the_history_of_a_report_is_shown_to_auditors(client_as, auditor, report):
    assert "Change history" in client_as(auditor).get(detail()).text


@pytest.mark.parametrize("rows", [3, 60])
def test_list_query_count_does_not_grow(client_as, ceo, rows, django_assert_num_queries):
    WeeklyReportFactory.create_batch(rows)
    client = client_as(ceo)
    # session, user, permissions (2), role badge groups, count, the page of reports.
    with django_assert_num_queries(7):
        assert client.get(reverse("evidence:weekly-report-list")).status_code == 200


def test_the_list_filters_by_year_with_htmx(client_as, ceo):
    WeeklyReportFactory(period_start=datetime.date(2026, 11, 23))
    WeeklyReportFactory(period_start=datetime.date(2025, 11, 24))

    response = client_as(ceo).get(reverse("evidence:weekly-report-list"), {"year": 2025}, **HTMX)

    assert "2025-W48" in response.text
    assert "2026-W48" not in response.text


# API --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_list_and_read_reports_through_the_api(api_as, persona, request, report):
    client = api_as(request.getfixturevalue(persona))

    listing = client.get("/api/weekly-reports/")
    one = client.get(f"/api/weekly-reports/{WEEK}/")

    assert listing.status_code == 200
    assert [r["week"] for r in listing.json()["results"]] == [WEEK]
    body = one.json()
    assert (body["period_start"], body["period_end"], body["pdf_ready"]) == ("2026-11-23", "2026-11-29", True)
    assert body["counts"]["complaints"] == 2
    assert body["data"]["complaints"][0]["reference"] == "CF-2026-042"
    assert body["pdf_url"].endswith(f"/api/weekly-reports/{WEEK}/pdf/")


def test_the_pdf_through_the_api_is_logged(api_as, auditor, report):
    response = api_as(auditor).get(f"/api/weekly-reports/{WEEK}/pdf/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert DownloadLog.objects.get().user == auditor


@pytest.mark.parametrize("persona", NOT_READERS)
def test_other_roles_cannot_read_reports_through_the_api(api_as, persona, request, report):
    client = api_as(request.getfixturevalue(persona))

    assert client.get("/api/weekly-reports/").status_code == 403
    assert client.get(f"/api/weekly-reports/{WEEK}/pdf/").status_code == 403


def test_the_reports_api_is_read_only_and_needs_credentials(api_client, api_as, mgmt_rep, auditor):
    assert api_client.get("/api/weekly-reports/").status_code == 401
    assert api_as(mgmt_rep).post("/api/weekly-reports/", {}).status_code == 405
    assert api_as(auditor).post("/api/weekly-reports/", {}).status_code == 405


@pytest.mark.parametrize("rows", [3, 60])
def test_api_list_query_count_does_not_grow(api_as, ceo, rows, django_assert_num_queries):
    WeeklyReportFactory.create_batch(rows)
    client = api_as(ceo)
    # token with user, permissions (2), count, the page.
    with django_assert_num_queries(5):
        assert client.get("/api/weekly-reports/").status_code == 200
