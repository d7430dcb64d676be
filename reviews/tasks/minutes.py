"""Background work of minutes: telling attendees and action owners that the minutes are signed."""

from celery import shared_task

from reviews.services import minutes as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_notify_signed_task(meeting_id: int) -> int:
    """Tell the attendees and action owners of a meeting that its minutes are signed (once each)."""
    return services.meeting_notify_signed(meeting_id=meeting_id)
