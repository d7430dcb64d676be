"""Background work of quality objectives: telling people about activations and target revisions."""

from celery import shared_task

from objectives.services import objectives as services


@shared_task
def objective_notify_activated_task(objective_id: int, actor_id: int | None = None) -> int:
    """Tell the people concerned that an objective is active (once each)."""
    return services.objective_notify_activated(objective_id=objective_id, actor_id=actor_id)


@shared_task
def target_revision_notify_approvers_task(revision_id: int) -> int:
    """Tell top management a target revision waits for their decision (once each)."""
    return services.target_revision_notify_approvers(revision_id=revision_id)


@shared_task
def target_revision_notify_decision_task(revision_id: int) -> bool:
    """Tell the proposer of a target revision what was decided (once)."""
    return services.target_revision_notify_decision(revision_id=revision_id)
