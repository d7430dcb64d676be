import datetime

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from qms import health
from qms.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_up(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] == connection.vendor
    assert body["broker"]["status"] == "ok"


def test_healthz_is_degraded_but_200_when_the_broker_is_down(client, broker_down):
    """A load balancer keeps the web in rotation: pages work, their background work waits in the outbox."""
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"] == {"status": "down", "error": "OperationalError"}
    assert body["database"]["status"] == "ok"
    assert body["outbox"] == {"status": "ok", "unsent": 0, "oldest_age_seconds": 0}


def test_healthz_counts_the_outbox_backlog_and_the_age_of_the_oldest(client, broker_down, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    OutboxMessage.objects.create(task_name="a.task", created_at=timezone.now() - datetime.timedelta(minutes=10))
    OutboxMessage.objects.create(task_name="a.task", created_at=timezone.now() - datetime.timedelta(minutes=1))
    OutboxMessage.objects.create(task_name="a.task", sent_at=timezone.now() - datetime.timedelta(hours=1))

    body = client.get(reverse("healthz")).json()

    # Waiting for the broker to return: expected, and safe.
    assert body["outbox"] == {"status": "waiting", "unsent": 2, "oldest_age_seconds": 600}


def test_healthz_is_degraded_when_messages_wait_although_the_broker_is_up(client, monkeypatch):
    """Old unsent messages with the broker up mean the relay is not running."""
    monkeypatch.setattr(health, "check_broker", lambda: {"status": "ok", "transport": "redis"})
    OutboxMessage.objects.create(task_name="a.task", created_at=timezone.now() - datetime.timedelta(minutes=6))

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["outbox"]["status"] == "behind"


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"status": "down", "error": "OperationalError"}
    assert body["outbox"] == {"status": "unknown"}
