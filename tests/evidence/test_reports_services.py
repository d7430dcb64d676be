"""The weekly operation report: what it says, one per week, its PDF and the e-mail to top management."""

import datetime
import re
import shutil
import subprocess
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from evidence.models import IssuedDocument, WeeklyReport
from evidence.selectors import reports as selectors
from evidence.services import reports as services
from evidence.tasks.reports import weekly_report_task
from tests.evidence.factories_access import MONDAY_AFTER, WEEK, WeeklyReportFactory, plant_week
from tests.leadership.factories import PersonFactory
from tests.leadership.factories_customers import CustomerFeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted_week(ceo):
    """Records in and around week 2026-W48 (see `plant_week`)."""
    return plant_week(ceo)


@pytest.fixture(autouse=True)
def _monday():
    """Monday 30 Nov 2026, 07:30: beat's time for the report on 2026-W48."""
    with time_machine.travel(MONDAY_AFTER, tick=False):
        yield


def pdf_text(content: bytes) -> str:
    """The text of a PDF, as poppler's pdftotext extracts it (Debian package poppler-utils)."""
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext is missing: install the Debian package poppler-utils"
    result = subprocess.run(  # noqa: S603 - fixed executable, PDF on standard input
        [executable, "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def refs(rows):
    return [row["reference"] for row in rows]


def test_weeks_are_iso_weeks_and_the_default_is_the_last_complete_one():
    assert selectors.previous_week(datetime.date(2026, 11, 30)) == WEEK
    assert selectors.previous_week(datetime.date(2026, 11, 29)) == "2026-W47"
    assert selectors.previous_week(datetime.date(2027, 1, 4)) == "2026-W53"
    assert selectors.week_bounds(WEEK) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))


@pytest.mark.parametrize("week", ["2026-48", "2026-W54", "2025-W53", "W48"])
def test_a_week_that_is_not_an_iso_week_is_refused(week):
    with pytest.raises(ValidationError) as exc:
        services.weekly_report_write(week=week)

    assert "ISO week" in exc.value.message_dict["week"][0]


def test_a_week_that_is_not_over_is_not_reported():
    with pytest.raises(ValidationError) as exc:
        services.weekly_report_write(week="2026-W49")

    assert "once it is over" in exc.value.message_dict["week"][0]
    assert not WeeklyReport.objects.exists()


def test_the_report_lists_the_weeks_problems_and_resource_requests(planted_week):
    report = services.weekly_report_write()
    data = report.data

    assert (report.week, report.period_start, report.period_end) == (
        WEEK,
        datetime.date(2026, 11, 23),
        datetime.date(2026, 11, 29),
    )
    # Complaints and returns received in the week, the most severe first; not compliments.
    assert refs(data["complaints"]) == ["CF-2026-042", "CF-2026-041"]
    assert data["complaints"][0] | {"url": ""} == data["complaints"][0] | {
        "customer": "Midland Automotive",
        "severity": "critical",
        "severity_label": "Critical",
        "received": "2026-11-29",
        "url": "",
    }
    # Open past their due date at the end of the week, with the days overdue.
    assert refs(data["overdue_actions"]) == ["ACT-2026-101"]
    action = data["overdue_actions"][0]
    assert (action["days_overdue"], action["owner"]) == (10, planted_week["overdue"].owner.full_name)
    # Turned off track during the week (the progress check's transition notices), not before.
    assert refs(data["off_track"]) == ["OBJ-2026-007"]
    assert (data["off_track"][0]["what"], data["off_track"][0]["on"]) == ("Off track", "2026-11-26")
    # Missing measurements of active objectives: the week of 16 Nov, overdue since Saturday.
    assert [(r["reference"], r["period"], r["new"]) for r in data["missing_measurements"]] == [
        ("OBJ-2026-009", "2026-11-16", True)
    ]
    assert data["missing_measurements"][0]["owner"] == planted_week["weekly"].owner.full_name
    # Unanswered beyond the 10-day target, without naming anyone.
    assert refs(data["unanswered_feedback"]) == ["EF-2026-021"]
    assert data["unanswered_feedback"][0]["days_open"] == 19
    assert "reporter" not in data["unanswered_feedback"][0]
    # Resource requests submitted in the week, and those decided in it.
    assert refs(data["resources_submitted"]) == ["RR-2026-031"]
    assert data["resources_submitted"][0]["amount"] == "2450.00"
    assert refs(data["resources_decided"]) == ["RR-2026-030"]
    assert data["resources_decided"][0]["status"] == "Approved"
    assert data["counts"] == {
        "complaints": 2,
        "overdue_actions": 1,
        "off_track": 1,
        "missing_measurements": 1,
        "unanswered_feedback": 1,
        "resources_submitted": 1,
        "resources_decided": 1,
    }
    assert selectors.weekly_report_problem_count(report) == 6


def test_the_report_names_the_representative(mgmt_rep):
    report = services.weekly_report_write()

    assert report.data["representatives"] == [mgmt_rep.person.full_name]


def test_the_content_takes_a_fixed_number_of_queries(planted_week, django_assert_max_num_queries):
    start, end = selectors.week_bounds(WEEK)
    # complaints, actions, notices, their objectives, active objectives, their revisions, measurements,
    # feedback, resource requests, the representative (appointment, then holders).
    with django_assert_max_num_queries(11):
        selectors.weekly_report_content(start=start, end=end)


def test_one_report_per_week_a_second_write_changes_nothing(planted_week):
    first = services.weekly_report_write()
    CustomerFeedbackFactory(reference="CF-2026-044", received_date=datetime.date(2026, 11, 27))

    second = services.weekly_report_write(week=WEEK)

    assert second.pk == first.pk
    assert second.data == first.data
    assert WeeklyReport.objects.count() == 1
    assert first.history.count() == 1


def test_losing_the_race_to_another_worker_returns_its_report():
    """The unique week decides: the insert that comes second returns the first one's report."""
    compile_content = selectors.weekly_report_content
    others = []

    def meanwhile_another_worker_writes(**kwargs):
        others.append(WeeklyReportFactory(period_start=datetime.date(2026, 11, 23)))
        return compile_content(**kwargs)

    with mock.patch.object(selectors, "weekly_report_content", side_effect=meanwhile_another_worker_writes):
        report = services.weekly_report_write()

    assert report.pk == others[0].pk
    assert WeeklyReport.objects.count() == 1


def test_the_pdf_is_rendered_registered_and_emailed_once_to_top_management(
    planted_week, ceo, mgmt_rep, django_capture_on_commit_callbacks
):
    david = PersonFactory(
        user__first_name="David", user__last_name="Okafor", user__email="david@example.com", roles=["Top management"]
    ).user
    PersonFactory(user__email="", roles=["Top management"])  # no address: not a recipient

    with django_capture_on_commit_callbacks(execute=True):
        report = services.weekly_report_write()

    report.refresh_from_db()
    content = report.file.read()
    assert content.startswith(b"%PDF")
    assert report.sha256 == services.sha256_of(content)
    issued = IssuedDocument.objects.filter(kind="weekly-report", sha256=report.sha256)
    assert issued.filter(issued_to__isnull=True).count() == 1
    assert set(issued.exclude(issued_to__isnull=True).values_list("issued_to", flat=True)) == {ceo.pk, david.pk}
    assert report.emailed_at is not None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([ceo.email, "david@example.com"])
    assert message.subject == "Weekly operation report 2026-W48 (23 Nov to 29 Nov 2026)"
    assert message.reply_to == [mgmt_rep.email]
    assert "6 items need your attention this week." in message.body
    assert "- New customer complaints and returns: 2" in message.body
    assert (
        "http://testserver/evidence/reports/2026-W48/" in message.body or "/evidence/reports/2026-W48/" in message.body
    )
    ((name, attached, mimetype),) = message.attachments
    assert (name, mimetype, attached) == ("weekly-report-2026-W48.pdf", "application/pdf", content)

    # Beat running again (or a retried task) writes, renders and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_report_task.delay().get() == WEEK
    assert services.weekly_report_render_pdf(report_id=report.pk) is False
    assert services.weekly_report_email(report_id=report.pk) is False
    assert len(mail.outbox) == 1
    assert WeeklyReport.objects.count() == 1


def test_the_pdf_shows_each_section_with_page_numbers(planted_week, mgmt_rep):
    report = services.weekly_report_write()
    services.weekly_report_render_pdf(report_id=report.pk)
    report.refresh_from_db()

    text = pdf_text(report.file.read())

    assert re.search(r"Page 1 of [1-9]", text)
    for expected in (
        "Weekly operation report",
        "Week 2026-W48: Monday 23 Nov 2026 to Sunday 29 Nov 2026",
        "CF-2026-042",
        "Midland Automotive",
        "ACT-2026-101",
        "OBJ-2026-007",
        "OBJ-2026-009",
        "EF-2026-021",
        "RR-2026-031",
        "RR-2026-030",
        mgmt_rep.person.full_name,
    ):
        assert expected in text


def test_the_weekly_task_writes_the_previous_week_and_resumes_a_missing_pdf(ceo, django_capture_on_commit_callbacks):
    """A report whose PDF was never stored (the renderer failed) gets it, and the e-mail, on the next run."""
    WeeklyReportFactory(period_start=datetime.date(2026, 11, 23))

    with django_capture_on_commit_callbacks(execute=True):
        weekly_report_task.delay()

    report = WeeklyReport.objects.get(week=WEEK)
    assert report.file
    assert report.emailed_at is not None
    assert len(mail.outbox) == 1


def test_nothing_is_claimed_while_top_management_has_no_address(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.weekly_report_write()

    report.refresh_from_db()
    assert report.file
    assert report.emailed_at is None
    assert mail.outbox == []


def test_a_mail_server_failure_releases_the_claim_for_the_retry(ceo):
    report = services.weekly_report_write()
    services.weekly_report_render_pdf(report_id=report.pk)

    failing = mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("connection refused"))
    with failing, pytest.raises(OSError, match="connection refused"):
        services.weekly_report_email(report_id=report.pk)
    report.refresh_from_db()
    assert report.emailed_at is None

    assert services.weekly_report_email(report_id=report.pk) is True
    assert len(mail.outbox) == 1
