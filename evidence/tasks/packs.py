"""Tasks of evidence packs: building a pack on the "pdf" queue."""

from celery import shared_task

from evidence.services import packs as services


# WeasyPrint runs only on the "pdf" queue, whose worker has its own time and memory limits.
@shared_task(
    soft_time_limit=services.BUILD_SOFT_TIME_LIMIT,
    time_limit=services.BUILD_TIME_LIMIT,
    acks_late=True,
)
def evidence_pack_build_task(pack_id: int) -> bool:
    """Build a queued evidence pack (once: a duplicate finds it claimed and does nothing).

    Not retried automatically: a failure is recorded on the pack in words, and the user asks again.
    """
    return services.evidence_pack_build(pack_id=pack_id)


@shared_task(acks_late=True)
def evidence_pack_fail_stale_task() -> int:
    """Mark failed the packs whose builder stopped without finishing (every 5 minutes)."""
    return services.evidence_pack_fail_stale()
