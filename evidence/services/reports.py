"""Writes of the weekly operation report (5.3.c): the management representative's report to top
management on the week's problems and resource requests, as data, a page, a PDF and an e-mail.

Each step is idempotent by compare-and-set, so beat running twice, a retried task or two workers
produce one report, one PDF and one e-mail per week:

1. `weekly_report_write` freezes the week's content; the week is unique, a second call returns
   the existing report untouched. On creation it queues the PDF (after commit).
2. `weekly_report_render_pdf` (task on the "pdf" queue) stores the PDF only if the report has none,
   registers it as an issued document, and queues the e-mail.
3. `weekly_report_email` claims `emailed_at` before sending; a second call sends nothing.

`weekly_report_run` (Monday's beat task) writes the previous week and resumes whichever step an
earlier run did not finish.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from evidence.models import IssuedDocument, WeeklyReport
from evidence.selectors import reports as selectors
from evidence.services.documents import document_issue, sha256_of
from leadership.roles import Role
from qms import outbox

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "pdf/reports/weekly.html"
EMAIL_TEMPLATE = "evidence/reports/email/weekly.txt"


def _week_and_bounds(week: str | None, today: datetime.date | None) -> tuple[str, datetime.date, datetime.date]:
    week = week or selectors.previous_week(today)
    start, end = selectors.week_bounds(week)
    return week, start, end


def _write(*, week: str | None, today: datetime.date | None) -> tuple[WeeklyReport, bool]:
    week, start, end = _week_and_bounds(week, today)
    existing = WeeklyReport.objects.filter(week=week).first()
    if existing is not None:
        return existing, False
    if end >= (today or timezone.localdate()):
        raise ValidationError({"week": f"Week {week} ends on {end:%d %b %Y}: it can be reported once it is over."})
    report = WeeklyReport(
        week=week,
        period_start=start,
        period_end=end,
        data=selectors.weekly_report_content(start=start, end=end),
        generated_at=timezone.now(),
    )
    report.full_clean(validate_unique=False)
    try:
        # A savepoint: losing the race to another worker must not break the caller's transaction.
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return WeeklyReport.objects.get(week=week), False
    return report, True


def _queue_pdf(report_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from evidence.tasks.reports import weekly_report_render_pdf_task

    outbox.enqueue(weekly_report_render_pdf_task, report_id)


def _queue_email(report_id: int) -> None:
    from evidence.tasks.reports import weekly_report_email_task

    outbox.enqueue(weekly_report_email_task, report_id)


@transaction.atomic
def weekly_report_write(*, week: str | None = None, today: datetime.date | None = None) -> WeeklyReport:
    """Write the report of `week` ("2026-W48"; default: the last complete ISO week before `today`).

    One report per week: if it exists already, it is returned unchanged. A new report's PDF is
    rendered in the background once this transaction commits.
    """
    report, created = _write(week=week, today=today)
    if created:
        _queue_pdf(report.pk)
    return report


@transaction.atomic
def weekly_report_run(*, week: str | None = None, today: datetime.date | None = None) -> WeeklyReport:
    """Monday's run: write the previous week's report and finish what an earlier run left undone."""
    report, created = _write(week=week, today=today)
    if created or not report.file:
        _queue_pdf(report.pk)
    elif report.emailed_at is None:
        _queue_email(report.pk)
    return report


def weekly_report_render_pdf(*, report_id: int) -> bool:
    """Render the report's PDF, store it with its SHA-256 and register it; then queue the e-mail.

    Returns whether a file was stored: False when the report has one already (a retried or
    duplicated task stores one file).
    """
    # Imported here: WeasyPrint is heavy, and only the "pdf" worker renders.
    from qms.pdf import render_pdf

    report = WeeklyReport.objects.get(pk=report_id)
    if report.file:
        return False
    content = render_pdf(PDF_TEMPLATE, pdf_context(report))
    digest = sha256_of(content)
    storage = WeeklyReport._meta.get_field("file").storage
    name = storage.save(f"reports/{report.period_start:%Y}/weekly-report-{report.week}.pdf", ContentFile(content))
    with transaction.atomic():
        if not WeeklyReport.objects.filter(pk=report_id, file="").update(file=name, sha256=digest):
            # Another worker stored its copy first.
            transaction.on_commit(lambda: storage.delete(name))
            return False
        report.refresh_from_db()
        document_issue(kind=IssuedDocument.Kind.WEEKLY_REPORT, record=report, content=content, title=title_of(report))
        _queue_email(report.pk)
    return True


def weekly_report_email(*, report_id: int) -> bool:
    """E-mail the report, PDF attached, to top management; at most once (compare-and-set on emailed_at).

    Returns whether an e-mail was sent. Nothing is claimed while the PDF is missing or nobody in
    top management has an e-mail address, so a later run can still send it.
    """
    report = WeeklyReport.objects.get(pk=report_id)
    recipients = selectors.top_management_recipients()
    if not report.file or not recipients:
        if not recipients:
            logger.warning("Weekly report %s not e-mailed: nobody in top management has an e-mail address.", report)
        return False
    claimed = (
        WeeklyReport.objects.filter(pk=report_id, emailed_at__isnull=True)
        .exclude(file="")
        .update(emailed_at=timezone.now())
    )
    if not claimed:
        return False
    with report.file.open("rb") as handle:
        content = handle.read()
    context = {
        **email_context(report),
        "recipients": recipients,
    }
    message = EmailMessage(
        subject=f"{title_of(report)} ({report.period_start:%d %b} to {report.period_end:%d %b %Y})",
        body=render_to_string(EMAIL_TEMPLATE, context),
        to=[u.email for u in recipients],
        reply_to=context["reply_to"] or None,
    )
    message.attach(f"weekly-report-{report.week}.pdf", content, "application/pdf")
    try:
        message.send()
    except OSError:
        # Release the claim so that the task's retry can send it.
        WeeklyReport.objects.filter(pk=report_id).update(emailed_at=None)
        raise
    # Who received which file: one issue per recipient, for the verification page.
    for user in recipients:
        document_issue(
            kind=IssuedDocument.Kind.WEEKLY_REPORT,
            record=report,
            content=content,
            title=title_of(report),
            issued_to=user,
        )
    return True


# What the PDF and the e-mail show --------------------------------------------------------------------


def title_of(report: WeeklyReport) -> str:
    return f"Weekly operation report {report.week}"


def pdf_context(report: WeeklyReport) -> dict:
    return {
        "report": report,
        "title": title_of(report),
        "sections": selectors.weekly_report_sections(report),
        "representatives": (report.data or {}).get("representatives", []),
        "problem_count": selectors.weekly_report_problem_count(report),
        "data": report.data or {},
        "as_of": selectors.weekly_report_as_of(report),
        "generated_at": timezone.localtime(report.generated_at),
        "base_url": settings.BASE_URL,
    }


def email_context(report: WeeklyReport) -> dict:
    representatives = (report.data or {}).get("representatives", [])
    # Questions about the report go to the management representative, who writes it.
    reply_to = list(
        selectors.User.objects.filter(is_active=True, groups__name=Role.MANAGEMENT_REPRESENTATIVE.value)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return {
        **pdf_context(report),
        "representatives": representatives,
        "link": settings.BASE_URL + report.get_absolute_url(),
        "organisation_name": settings.ORGANISATION_NAME,
        "reply_to": reply_to,
    }
