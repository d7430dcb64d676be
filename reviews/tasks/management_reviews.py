"""Background work of management reviews (9.3.1): chasing reviews the schedule called for and nobody held."""

from celery import shared_task

from reviews.services import management_reviews as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def management_review_notify_overdue_task() -> int:
    """Daily: tell top management and the management representative of management reviews overdue.

    Safe to run more than once a day: each person hears about each overdue review type once a week.
    """
    return services.management_review_notify_overdue()
