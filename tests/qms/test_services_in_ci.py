"""CI runs the suite on the real PostgreSQL and Redis; these prove it did."""

import pytest
from django.core import mail
from django.db import connection

from qms.celery import app as celery_app
from tests.conftest import REQUIRE_SERVICES
from tests.leadership.factories import PersonFactory


def test_ci_runs_on_postgresql(db):
    if not REQUIRE_SERVICES:
        pytest.skip("only CI is required to run on PostgreSQL")
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["CONN_MAX_AGE"] > 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_task_travels_through_redis_to_a_worker_and_back(redis_url, request):
    from celery.contrib.testing.worker import start_worker

    person = PersonFactory(user__email="invitee@example.com")
    changes = {"task_always_eager": False, "broker_url": redis_url, "result_backend": redis_url}
    saved = {key: celery_app.conf[key] for key in changes}
    celery_app.conf.update(changes)
    request.addfinalizer(lambda: celery_app.conf.update(saved))
    from leadership.tasks.people import person_send_invitation_task

    with celery_app.connection_for_write() as conn:
        assert conn.transport.driver_type == "redis"
    # The worker runs in a thread of this process, consuming from Redis.
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = person_send_invitation_task.delay(person.pk)
        assert result.get(timeout=20) is True

    assert [m.to for m in mail.outbox] == [["invitee@example.com"]]
    person.refresh_from_db()
    assert person.invited_at is not None
