import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from kombu import Connection

from qms import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_up(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] == connection.vendor
    assert body["broker"]["status"] == "ok"


def test_healthz_is_503_and_names_the_broker_when_it_is_down(client, monkeypatch):
    # Nothing listens on port 1: the broker is unreachable.
    monkeypatch.setattr(
        health.celery_app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0", connect_timeout=0.5)
    )

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["broker"]["status"] == "down"
    assert body["database"]["status"] == "ok"


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["database"] == {"status": "down", "error": "OperationalError"}
