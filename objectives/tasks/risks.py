"""Background work of the progress check and the risk register."""

from celery import shared_task

from objectives.services.progress import progress_check_run


@shared_task
def progress_check_run_task() -> dict:
    """The daily progress check of every active objective: health, forecast, missing measurements."""
    return progress_check_run()
