"""PostgreSQL restarted under the running app: the next request (and the next task) succeeds.

A restart ends every server process, so Django's persistent connection (CONN_MAX_AGE) is dead
when the next request arrives. Terminating the backend of that connection from another one is
what a restart does to it. Only PostgreSQL keeps connections open; on SQLite these tests skip.
"""

import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from qms.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL keeps connections between requests")


def backend_pid(conn=connection) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    """End a server process from a separate connection, as a database restart does, and wait until it is gone."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
    finally:
        other.close()
    raise AssertionError(f"backend {pid} did not end")


def get(path: str, token: str) -> tuple[str, bytes]:
    """A request through Django's production WSGI handler (the test client skips closing old connections)."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "HTTP_AUTHORIZATION": f"Token {token}"}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished: what Django does at the end of every request
    return answer["status"], body


@pytest.fixture
def token(auditor):
    return Token.objects.create(user=auditor).key


def test_the_first_request_after_the_database_restarted_succeeds(token):
    path = reverse("department-list")
    assert get(path, token)[0].startswith("200")
    held = backend_pid()
    assert connection.connection is not None  # persistent: kept after the request

    terminate(held)

    status, body = get(path, token)
    assert status.startswith("200"), body[:500]
    assert backend_pid() != held


def test_without_health_checks_that_request_would_fail(token, monkeypatch):
    """Why CONN_HEALTH_CHECKS is on: a dead persistent connection is otherwise used once more, and fails."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    connection.close()  # the setting is read when connecting
    path = reverse("department-list")
    assert get(path, token)[0].startswith("200")
    terminate(backend_pid())

    assert get(path, token)[0].startswith("500")
    # The failed connection is dropped at the end of that request, so the one after works again.
    assert get(path, token)[0].startswith("200")
    monkeypatch.undo()
    connection.close()  # the next test connects with health checks again


# The server process each run of the task below talked to, in order (the test worker is a thread).
_worker_pids: list[int] = []


@celery_app.task(name="tests.qms.database_backend_pid")
def database_backend_pid_task() -> None:
    """Note the server process the worker's task talks to."""
    _worker_pids.append(backend_pid())


def _wait_for_pids(count: int) -> None:
    for _ in range(400):
        if len(_worker_pids) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the worker ran {len(_worker_pids)} of {count} tasks")


@pytest.mark.services
def test_a_worker_task_after_the_database_restarted_succeeds(broker_up):
    """Celery's Django fixup closes the worker's connections around each task, so none is reused stale."""
    from celery.contrib.testing.worker import start_worker

    _worker_pids.clear()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        database_backend_pid_task.apply_async()
        _wait_for_pids(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = %s", [_worker_pids[0]])
            alive = cursor.fetchone()
        if alive:
            terminate(_worker_pids[0])
        database_backend_pid_task.apply_async()
        _wait_for_pids(2)
    assert _worker_pids[1] != _worker_pids[0]
