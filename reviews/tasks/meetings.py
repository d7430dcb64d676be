"""Background work of meetings: keeping the schedules' next meetings planned."""

from celery import shared_task

from reviews.services import meetings as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_types_plan_task() -> dict[str, int]:
    """Daily: plan the missing next occurrences of every active scheduled meeting type.

    Safe to run more than once: an occurrence that has a meeting (planned, moved or cancelled)
    is never planned again. Returns the number planned per type (-1: the type could not be planned).
    """
    return services.meeting_types_plan()
