"""WeasyPrint runs only on the "pdf" Celery queue, whose worker has its own time and memory limits."""

import pytest

from qms.celery import app

# Import every app's tasks module, as a worker does at start-up.
app.loader.import_default_modules()


def queue_of(task_name: str) -> str:
    """The queue Celery sends the task to, from the routes in the settings."""
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


PDF_TASKS = [
    "leadership.tasks.policy.policy_version_render_pdf_task",
    "evidence.tasks.documents.record_pdf_render_task",
    "evidence.tasks.reports.weekly_report_render_pdf_task",
    "evidence.tasks.packs.evidence_pack_build_task",
]


@pytest.mark.parametrize("name", PDF_TASKS)
def test_pdf_tasks_run_on_the_pdf_queue_with_time_limits(name):
    task = app.tasks[name]
    assert queue_of(name) == "pdf"
    assert task.soft_time_limit
    assert task.time_limit
    assert task.soft_time_limit < task.time_limit


def test_every_task_that_names_a_pdf_or_a_pack_is_on_the_pdf_queue():
    ours = [name for name in app.tasks if name.split(".")[0] in {"leadership", "objectives", "reviews", "evidence"}]
    pdf_like = [name for name in ours if "pdf" in name or "pack_build" in name]
    assert set(PDF_TASKS) <= set(pdf_like)
    assert all(queue_of(name) == "pdf" for name in pdf_like)
    # The default worker never takes them: everything else stays on the default queue.
    assert all(queue_of(name) == "celery" for name in set(ours) - set(pdf_like))


def test_the_worker_processes_are_split_by_queue():
    from django.conf import settings

    procfile = (settings.BASE_DIR / "Procfile.dev").read_text()
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    assert "--queues pdf" in procfile
    assert "--max-memory-per-child" in procfile
    assert '"--queues", "pdf"' in compose
    assert '"--max-memory-per-child"' in compose
