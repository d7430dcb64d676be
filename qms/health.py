"""Checks of the services Clause5 depends on, for /healthz."""

import time

from django.db import DatabaseError, connection

from qms.celery import app as celery_app

# Unsent outbox messages older than this while the broker is up mean the relay is not running.
OUTBOX_LAG_SECONDS = 5 * 60


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
        with celery_app.connection_for_write(connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            transport = conn.transport.driver_type
    except Exception as exc:  # a broker that does not answer in time is "down"
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "ok", "transport": str(transport), "ms": round((time.monotonic() - started) * 1000, 1)}


def check_outbox(*, broker_up: bool) -> dict:
    """Messages waiting in the task outbox and the age of the oldest, in seconds.

    "ok" when nothing waits longer than OUTBOX_LAG_SECONDS; "waiting" while the broker is down
    (the messages are safe and go out when it returns); "behind" when the broker is up and
    messages still wait: the relay (`manage.py outbox_relay`, or beat's every-minute task) is not running.
    """
    from qms import outbox

    try:
        backlog = outbox.backlog()
    except DatabaseError as exc:
        return {"status": "unknown", "error": exc.__class__.__name__}
    if backlog["unsent"] == 0 or backlog["oldest_age_seconds"] <= OUTBOX_LAG_SECONDS:
        status = "ok"
    else:
        status = "behind" if broker_up else "waiting"
    return {"status": status, **backlog}


def report() -> tuple[dict, int]:
    """The /healthz body and status code.

    503 only when the database is down: nothing works then. A broker that is down is "degraded"
    with 200, because pages still work and their background work waits in the outbox; a load
    balancer must not take the web servers out of rotation for it. Monitoring should alert on
    "degraded" (the body's status) and on the outbox's age.
    """
    database = check_database()
    broker = check_broker()
    checks = {"database": database, "broker": broker}
    if database["status"] == "ok":
        checks["outbox"] = check_outbox(broker_up=broker["status"] == "ok")
    else:
        checks["outbox"] = {"status": "unknown"}
    if database["status"] != "ok":
        status, code = "down", 503
    elif all(check["status"] == "ok" for check in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return {"status": status, **checks}, code
