"""Tasks of the weekly operation report: write it on Monday, render its PDF, e-mail top management."""

from celery import shared_task

from evidence.services import reports as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def weekly_report_task() -> str:
    """Write the report of the last complete ISO week (beat, Monday 07:30) and finish earlier steps.

    Running it twice writes, renders and sends nothing twice. Returns the week.
    """
    return services.weekly_report_run().week


# WeasyPrint runs only on the "pdf" queue, whose worker has its own time and memory limits.
@shared_task(
    soft_time_limit=120,
    time_limit=180,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def weekly_report_render_pdf_task(report_id: int) -> bool:
    """Render and store the report's PDF (once), then queue the e-mail."""
    return services.weekly_report_render_pdf(report_id=report_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def weekly_report_email_task(report_id: int) -> bool:
    """E-mail the report with its PDF to top management, at most once; an unreachable mail server is retried."""
    return services.weekly_report_email(report_id=report_id)
