"""The Celery app: JSON only, time limits, tasks discovered in every app's tasks.py."""

import os

from celery import Celery
from celery import Task as BaseTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.local")


class Task(BaseTask):
    """Every task of Clause5: `.delay()` never waits on a broker that is down, and loses nothing.

    Services dispatch through `qms.outbox.enqueue`, which writes the message with the change.
    A plain `.delay()` (a view, a task starting another) publishes with a short timeout and,
    if the broker does not answer, keeps the message in the outbox for the relay. Eager mode
    (the test settings) and `apply_async` (what beat uses) behave as Celery's own.
    """

    def delay(self, *args, **kwargs):
        if self.app.conf.task_always_eager:
            return super().delay(*args, **kwargs)
        from qms.outbox import send_or_keep

        return send_or_keep(self, args, kwargs)


app = Celery("qms", task_cls="qms.celery:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
