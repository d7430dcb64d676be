"""Background work of customer focus (5.1.2): telling owners and chasing overdue feedback."""

from celery import shared_task

from leadership.services import customers as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def customer_feedback_notify_owner_task(feedback_id: int) -> bool:
    """Tell the owner that feedback needing management's response was assigned to them (once per owner)."""
    return services.customer_feedback_notify_owner(feedback_id=feedback_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def customer_feedback_notify_overdue_task() -> int:
    """Daily: remind owners and the management representative of feedback overdue for response or closure.

    Safe to run more than once a day: each person hears about each overdue record once a week.
    """
    return services.customer_feedback_notify_overdue()
