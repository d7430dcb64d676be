from celery import shared_task

from leadership.services import people as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def person_send_invitation_task(person_id: int) -> bool:
    """Send the set-your-password e-mail to a newly created person (once).

    A mail server that cannot be reached (OSError, which includes SMTP errors) is retried
    with back-off.
    """
    return services.person_send_invitation(person_id=person_id)
