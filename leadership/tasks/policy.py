"""Tasks of the quality policy (5.2): the controlled PDF copy and acknowledgement reminders."""

from celery import shared_task

from leadership.services import policy as services


# WeasyPrint runs only on the "pdf" queue, whose worker has its own time and memory limits.
@shared_task(
    soft_time_limit=60,
    time_limit=90,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def policy_version_render_pdf_task(version_id: int) -> bool:
    """Render and store the PDF of a version that was just published (once).

    A storage error (OSError) is retried with back-off; the service stores one file however
    often it runs.
    """
    return services.policy_version_render_pdf(version_id=version_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def policy_acknowledgement_remind_task() -> int:
    """Remind the people who have not acknowledged the published policy (weekly, and on publication).

    At most one reminder per person, version and ISO week, however often it runs; a mail
    server that cannot be reached is retried.
    """
    return services.policy_acknowledgement_remind()
