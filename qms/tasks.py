"""Tasks of the shared layer: relaying the task outbox."""

from celery import shared_task

from qms import outbox


@shared_task(ignore_result=True)
def outbox_relay_task() -> dict:
    """Publish the outbox messages the broker did not take at commit, and forget old sent ones (every minute).

    This reaches a worker only while the broker is up; `manage.py outbox_relay` is the process
    that keeps trying while it is down. Both may run: a row is claimed before it is sent.
    """
    result = outbox.relay()
    result["pruned"] = outbox.prune()
    return result
