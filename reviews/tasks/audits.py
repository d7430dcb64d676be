"""Background work of internal audits: reporting a completed audit's results to the audited departments."""

from celery import shared_task

from reviews.services import audits as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def internal_audit_notify_completed_task(audit_id: int) -> int:
    """Tell the heads of the audited departments that the audit is completed, with its findings (9.2.2.d).

    Safe to run twice: each head hears about each audit once.
    """
    return services.internal_audit_notify_completed(audit_id=audit_id)
