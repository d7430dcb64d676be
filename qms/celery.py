"""The Celery app: JSON only, time limits, tasks discovered in every app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.local")

app = Celery("qms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
