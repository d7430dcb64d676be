from django.conf import settings

from qms.celery import app


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()

    missing = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] not in app.tasks]

    assert missing == []
