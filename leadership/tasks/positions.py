"""Background work of roles, responsibilities and authorities (5.3). Thin: each task calls one service."""

from celery import shared_task

from leadership.services import positions as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def position_request_acknowledgements_task(position_id: int) -> int:
    """Ask the holders of a position to acknowledge its current revision (once per holder and revision)."""
    return services.position_request_acknowledgements(position_id=position_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def position_acknowledgement_remind_task() -> int:
    """Weekly: remind holders who have not acknowledged the current revision (once per ISO week)."""
    return services.position_acknowledgement_remind()


@shared_task(acks_late=True)
def management_representative_appointment_end_expired_task() -> int:
    """Daily: end the signed appointment of the management representative whose end date has passed."""
    return services.management_representative_appointment_end_expired()
