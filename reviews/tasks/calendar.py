"""Background work of the calendar area: meeting invitations, reminders and cancellation notices."""

from celery import shared_task

from reviews.services import calendar as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_send_invitations_task() -> dict:
    """Every 15 minutes: invite the attendees of planned meetings who have not been invited yet, and tell
    invited attendees of a cancelled meeting that it is off.

    Safe to run twice or to retry after a mail failure: each attendee gets each message once.
    """
    return services.meeting_send_invitations()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_send_reminders_task() -> dict:
    """Hourly: the day-before reminder to attendees, the agenda reminder to chairs, cancellation notices.

    Safe to run twice: each message goes once per meeting date.
    """
    return services.meeting_send_reminders()
