"""Tasks of the employee quality feedback box (5.1.1.h)."""

from celery import shared_task

from leadership.services import feedback as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def employee_feedback_notify_overdue_task() -> int:
    """Daily: send the management representatives the feedback not answered in time (once a day each)."""
    return services.employee_feedback_notify_overdue()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def employee_feedback_notify_answered_task(feedback_id: int) -> bool:
    """Tell a named reporter their feedback was answered (once)."""
    return services.employee_feedback_notify_answered(feedback_id=feedback_id)
