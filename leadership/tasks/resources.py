"""Tasks of resource requests and the quality budget (5.1.1.e, 7.1)."""

from celery import shared_task

from leadership.services import resources as services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def resource_request_notify_deciders_task(request_id: int) -> int:
    """Tell top management that a new request waits for their decision (once per person)."""
    return services.resource_request_notify_deciders(request_id=request_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def resource_request_notify_decision_task(request_id: int) -> bool:
    """Tell the requester what top management decided (once)."""
    return services.resource_request_notify_decision(request_id=request_id)
