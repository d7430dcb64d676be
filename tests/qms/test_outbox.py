"""The task outbox: background work survives a broker that is down, and requests do not wait on it."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu import Connection

from evidence.models import EvidencePack
from evidence.tasks.packs import evidence_pack_build_task
from leadership.tasks.people import person_send_invitation_task
from qms import outbox
from qms.models import OutboxMessage
from qms.tasks import outbox_relay_task
from tests.evidence.test_clauses_factories import catalogue  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalogue")

BUILD = "evidence.tasks.packs.evidence_pack_build_task"


def pack_body():
    today = timezone.localdate()
    return {"period_start": str(today - datetime.timedelta(days=90)), "period_end": str(today)}


@pytest.fixture
def publishes(monkeypatch):
    """Every attempt to hand a message to the broker, as (task name, args), successful or not."""
    attempts = []
    real = outbox._publish

    def spy(conn, message):
        attempts.append((message.task_name, message.args))
        return real(conn, message)

    monkeypatch.setattr(outbox, "_publish", spy)
    return attempts


@pytest.fixture
def clock(monkeypatch):
    """The circuit breaker's clock, moved by hand: `clock.now += 31`."""

    class Clock:
        now = 1000.0

    monkeypatch.setattr(outbox, "_clock", lambda: Clock.now)
    return Clock


def ask_for_pack(api_as, who, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(who).post(reverse("evidence-pack-list"), pack_body())
    assert response.status_code == 201, response.content
    return EvidencePack.objects.get(pk=response.data["id"])


def test_asking_for_a_pack_while_the_broker_is_down_succeeds_and_keeps_the_build_in_the_outbox(
    broker_down, publishes, clock, api_as, ceo, auditor, mgmt_rep, django_capture_on_commit_callbacks
):
    """One attempt to reach the broker, then the breaker spares later requests; nothing is lost."""
    first = ask_for_pack(api_as, ceo, django_capture_on_commit_callbacks)

    assert first.status == EvidencePack.Status.QUEUED
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args, message.sent_at) == (BUILD, [first.pk], None)
    assert message.attempts == 1
    assert "127.0.0.1:1" in message.last_error
    # Handed back at once, so the relay need not wait for the committing process's lease.
    assert message.claimed_until is None
    assert publishes == [(BUILD, [first.pk])]

    # Within the breaker's window the next request does not try the broker at all.
    clock.now += outbox.BREAKER_SECONDS - 1
    second = ask_for_pack(api_as, auditor, django_capture_on_commit_callbacks)
    assert publishes == [(BUILD, [first.pk])]
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk")
    assert [m.args for m in waiting] == [[first.pk], [second.pk]]
    assert waiting[1].attempts == 0

    # Once the window has passed, a request tries again (once).
    clock.now += 2
    third = ask_for_pack(api_as, mgmt_rep, django_capture_on_commit_callbacks)
    assert publishes == [(BUILD, [first.pk]), (BUILD, [third.pk])]
    assert outbox.unsent_count() == 3


def test_a_rolled_back_change_leaves_no_message(broker_down, publishes, ceo, django_capture_on_commit_callbacks):
    """The message commits or rolls back with the change that called for it."""

    def failing_service():
        with transaction.atomic():
            outbox.enqueue(evidence_pack_build_task, 1)
            raise RuntimeError("the service failed after queueing")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_service()
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert publishes == []


def test_in_eager_mode_the_task_runs_at_commit_without_a_row(ceo, django_capture_on_commit_callbacks, monkeypatch):
    """The test settings' eager mode behaves as .delay() after commit did: run in-process, nothing stored."""
    ran = []
    monkeypatch.setattr(evidence_pack_build_task, "delay", lambda *args: ran.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assert outbox.enqueue(evidence_pack_build_task, 7) is None
        assert ran == []
    assert ran == [(7,)]
    assert not OutboxMessage.objects.exists()


def test_a_plain_delay_while_the_broker_is_down_returns_at_once_and_is_kept(broker_down, clock, db):
    """`.delay()` outside a service (a view, a task) does not hang on the broker and loses nothing."""
    result = person_send_invitation_task.delay(42)
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args, str(message.task_id)) == (
        "leadership.tasks.people.person_send_invitation_task",
        [42],
        result.id,
    )
    assert not outbox.breaker.allows()
    person_send_invitation_task.delay(43)
    assert outbox.unsent_count() == 2


def test_the_relay_does_nothing_while_the_broker_is_down(broker_down, publishes, db):
    message = OutboxMessage.objects.create(task_name=BUILD, args=[5])
    assert outbox.relay() == {"sent": 0, "failed": 0, "waiting": 1}
    message.refresh_from_db()
    assert (message.sent_at, message.claimed_until, message.attempts) == (None, None, 0)


def test_the_relay_skips_a_row_another_process_holds_and_takes_one_whose_lease_ran_out(broker_down, db):
    """Two relays (or a relay and the committing process) do not both send a message."""
    now = timezone.now()
    held = OutboxMessage.objects.create(task_name=BUILD, args=[1], claimed_until=now + datetime.timedelta(minutes=1))
    expired = OutboxMessage.objects.create(task_name=BUILD, args=[2], claimed_until=now - datetime.timedelta(seconds=1))
    assert not outbox._claim(held.pk, now)
    assert outbox._claim(expired.pk, now)
    # Claimed now: a second relay does not get it.
    assert not outbox._claim(expired.pk, now)


@pytest.mark.services
def test_when_the_broker_returns_the_relay_publishes_what_waited_and_marks_it_sent(
    broker_up, publishes, api_as, ceo, auditor, django_capture_on_commit_callbacks, monkeypatch
):
    """Messages kept while Redis was down reach Redis, with their task ids, once the relay runs."""
    from qms.celery import app

    with Connection(broker_up) as conn:
        conn.SimpleQueue("pdf").clear()
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    first = ask_for_pack(api_as, ceo, django_capture_on_commit_callbacks)
    second = ask_for_pack(api_as, auditor, django_capture_on_commit_callbacks)
    assert outbox.unsent_count() == 2

    app.conf.broker_url = broker_up  # Redis is back
    assert outbox.relay() == {"sent": 2, "failed": 0, "waiting": 0}
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert all(row.sent_at is not None and row.claimed_until is None for row in rows)
    with Connection(broker_up) as conn:
        queue = conn.SimpleQueue("pdf")
        received = []
        for _ in rows:
            message = queue.get(timeout=5)
            received.append((message.headers["task"], message.headers["id"], message.payload[0]))
            message.ack()
        queue.close()
    assert received == [(BUILD, str(row.task_id), row.args) for row in rows]
    assert [row.args for row in rows] == [[first.pk], [second.pk]]
    # Sent is sent: a second run publishes nothing again.
    before = len(publishes)
    call_command("outbox_relay", "--once")
    assert len(publishes) == before


@pytest.mark.services
def test_with_the_broker_up_a_request_publishes_at_commit(broker_up, api_as, ceo, django_capture_on_commit_callbacks):
    with Connection(broker_up) as conn:
        conn.SimpleQueue("pdf").clear()
    pack = ask_for_pack(api_as, ceo, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None
    assert message.attempts == 1
    with Connection(broker_up) as conn:
        queue = conn.SimpleQueue("pdf")
        received = queue.get(timeout=5)
        assert (received.headers["id"], received.payload[0]) == (str(message.task_id), [pack.pk])
        received.ack()
        queue.close()


def test_the_beat_task_relays_every_minute_and_forgets_old_sent_messages(broker_down, db, settings):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == outbox_relay_task.name)
    assert entry["schedule"].minute == set(range(60))
    assert entry["schedule"].hour == set(range(24))
    old = OutboxMessage.objects.create(task_name=BUILD, args=[1], sent_at=timezone.now() - datetime.timedelta(days=8))
    recent = OutboxMessage.objects.create(task_name=BUILD, args=[2], sent_at=timezone.now())
    waiting = OutboxMessage.objects.create(task_name=BUILD, args=[3])
    result = outbox_relay_task.apply().get()
    assert result == {"sent": 0, "failed": 0, "waiting": 1, "pruned": 1}
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


def test_the_relay_command_reports_what_waits_and_refuses_a_bad_interval(broker_down, db, capsys):
    OutboxMessage.objects.create(task_name=BUILD, args=[1])
    call_command("outbox_relay", "--once")
    assert "Sent 0; 1 waiting." in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("outbox_relay", "--interval", "0")
    assert "--interval must be a positive number" in capsys.readouterr().err
