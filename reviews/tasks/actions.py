"""Background work of the action register: telling owners and verifiers, daily reminders and escalation."""

from celery import shared_task

from reviews.services import actions as services

# Which service each notification task calls; the services dispatch by name after commit.
NOTIFIERS = {
    "assigned": services.action_notify_assigned,
    "awaiting-verification": services.action_notify_awaiting_verification,
    "reopened": services.action_notify_reopened,
    "verified": services.action_notify_verified,
}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def action_notify_task(action_id: int, event: str) -> bool:
    """Send one lifecycle message about an action (assigned, awaiting verification, reopened, verified).

    Each message is sent once per event (notify_once), so a retry sends nothing twice.
    """
    return NOTIFIERS[event](action_id=action_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def action_send_reminders_task() -> dict:
    """Daily: due-soon and overdue reminders to owners, escalation of long-overdue actions.

    Safe to run more than once a day: each message is sent once per action and due date (or once a
    week for the overdue reminder), and the escalation is claimed by compare-and-set.
    """
    return services.action_send_reminders()
