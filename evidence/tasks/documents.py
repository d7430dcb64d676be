"""Tasks of issued documents: rendering single-record PDFs (signed minutes, management review reports)."""

from celery import shared_task

from evidence.services import documents as services


# WeasyPrint runs only on the "pdf" queue, whose worker has its own memory cap; the time limits are the task's.
@shared_task(soft_time_limit=60, time_limit=90, acks_late=True)
def record_pdf_render_task(pdf_id: int) -> bool:
    """Render, store and register the PDF a page asked for (once: a duplicated task renders nothing)."""
    return services.record_pdf_render(pdf_id=pdf_id)
