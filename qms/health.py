"""Checks of the services Clause5 depends on, for /healthz."""

import time

from django.db import connection

from qms.celery import app as celery_app


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        # The class name only: this endpoint is public, and messages may name hosts.
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_broker(timeout: float = 2.0) -> dict:
    started = time.monotonic()
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            transport = conn.transport.driver_type
    except Exception as exc:  # a broker that does not answer in time is "down"
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "ok", "transport": str(transport), "ms": round((time.monotonic() - started) * 1000, 1)}
