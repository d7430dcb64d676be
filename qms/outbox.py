"""The task outbox: background work is recorded with the change that calls for it, and never lost.

A service calls `enqueue(task, *args)` inside its transaction. The row (`OutboxMessage`) commits
or rolls back with the business change. Right after commit the row is published to the broker
with a short connect timeout and no retries, so a request never waits on a broker that is down.
A failed publish trips a per-process circuit breaker: for `BREAKER_SECONDS` no request tries
the broker again, and their rows simply wait. The relay (`relay()`, run by `manage.py
outbox_relay` and every minute by beat) publishes whatever waits once the broker answers.

Delivery is at least once: a process may die after the broker took a message and before the
row was marked sent, and the relay then sends it again, with the same task id. Tasks must
therefore be idempotent (see docs/architecture.md for the ones that are not).

With `CELERY_TASK_ALWAYS_EAGER` (the test settings) no row is written: the task runs at commit
in the same process, as `.delay()` inside `transaction.on_commit` did.
"""

import datetime
import logging
import threading
import time
import uuid

from django.db import DatabaseError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from qms.celery import app as celery_app
from qms.models import OutboxMessage

logger = logging.getLogger(__name__)

# Seconds to wait for the broker's TCP connection (and for each socket operation) when publishing.
CONNECT_TIMEOUT = 1.0
# After a failed publish, requests of this process leave their messages to the relay this long.
BREAKER_SECONDS = 30
# How long a claimant (the committing process or a relay) owns a row before others may send it.
LEASE = datetime.timedelta(minutes=2)
# Sent rows are kept this long, for the admin and for tracing a task id back to its change.
KEEP_SENT = datetime.timedelta(days=7)


def _clock() -> float:
    return time.monotonic()


class CircuitBreaker:
    """Open for `seconds` after a failure: while open, callers skip the broker instead of waiting on it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._open_until = 0.0
        self._lock = threading.Lock()

    def allows(self) -> bool:
        return _clock() >= self._open_until

    def trip(self) -> None:
        with self._lock:
            self._open_until = _clock() + self.seconds

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


breaker = CircuitBreaker(BREAKER_SECONDS)


def _eager() -> bool:
    return bool(celery_app.conf.task_always_eager)


def broker_connection():
    """A new connection to the broker that gives up quickly: short timeouts, no reconnection attempts."""
    options = dict(celery_app.conf.broker_transport_options or {})
    options.update(socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT * 2, max_retries=0)
    return celery_app.connection_for_write(connect_timeout=CONNECT_TIMEOUT, transport_options=options)


def _publish(conn, message: OutboxMessage) -> None:
    # Routed by name (CELERY_TASK_ROUTES). No result is kept: nobody waits on these tasks, and
    # subscribing to the result backend is what makes a plain .delay() hang when Redis is down.
    celery_app.send_task(
        message.task_name,
        args=message.args,
        kwargs=message.kwargs,
        task_id=str(message.task_id),
        connection=conn,
        retry=False,
        ignore_result=True,
    )


def _error_text(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:300]


def _release(pk: int, exc: BaseException) -> None:
    """Hand a row back to the relay after a failed publish, noting why."""
    OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True).update(
        claimed_until=None, attempts=F("attempts") + 1, last_error=_error_text(exc)
    )


def _mark_sent(pk: int) -> None:
    OutboxMessage.objects.filter(pk=pk).update(sent_at=timezone.now(), claimed_until=None, attempts=F("attempts") + 1)


def enqueue(task, *args, **kwargs) -> OutboxMessage | None:
    """Record `task(*args, **kwargs)` in the current transaction and publish it once committed.

    Arguments must be JSON-serialisable (ids, not model instances). Returns the outbox row, or
    None in eager mode, where the task runs at commit instead.
    """
    if _eager():
        transaction.on_commit(lambda: task.delay(*args, **kwargs))
        return None
    # While the breaker is open the row is left unclaimed, so the relay takes it at once.
    claimed = timezone.now() + LEASE if breaker.allows() else None
    message = OutboxMessage.objects.create(
        task_name=task.name, args=list(args), kwargs=dict(kwargs), claimed_until=claimed
    )
    if claimed is not None:
        transaction.on_commit(lambda: publish_committed(message))
    return message


def publish_committed(message: OutboxMessage) -> bool:
    """Publish a just-committed row, unless the breaker is open; whether the broker took it.

    Never raises: the change is committed, the row keeps the task, and the relay sends it if
    this attempt fails. Runs in the request, so nothing here waits longer than the timeouts.
    """
    if not breaker.allows():
        _safely(_release, message.pk, RuntimeError("broker skipped: circuit breaker open"))
        return False
    try:
        with broker_connection() as conn:
            _publish(conn, message)
    except Exception as exc:  # any broker or transport error: the relay will send it
        breaker.trip()
        logger.warning("Broker unavailable, %s left in the outbox: %s", message.task_name, _error_text(exc))
        _safely(_release, message.pk, exc)
        return False
    _safely(_mark_sent, message.pk)
    return True


def _safely(function, *args) -> None:
    # The database may be the thing that is down; the row then stays as it was, and the relay
    # sends it again (at least once).
    try:
        function(*args)
    except DatabaseError:
        logger.exception("Could not update the outbox row %s", args[0])


def send_or_keep(task, args: tuple, kwargs: dict, options: dict | None = None):
    """Publish a task now if the broker answers promptly, else keep it in the outbox; its AsyncResult.

    For `.delay()` called outside `enqueue` (see `qms.celery.Task`): the call does not wait on a
    broker that is down and the task is not lost, though, unlike `enqueue`, the row is written
    only after the broker failed rather than with the change.
    """
    task_id = str(uuid.uuid4())
    if breaker.allows():
        try:
            with broker_connection() as conn:
                conn.ensure_connection(max_retries=1, timeout=CONNECT_TIMEOUT)
                return task.apply_async(args, kwargs, task_id=task_id, connection=conn, retry=False, **(options or {}))
        except Exception as exc:  # any broker or transport error: keep it for the relay
            breaker.trip()
            logger.warning("Broker unavailable, %s kept in the outbox: %s", task.name, _error_text(exc))
    OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=dict(kwargs), task_id=task_id)
    return task.AsyncResult(task_id)


def _claim(pk: int, now: datetime.datetime) -> bool:
    """Claim a waiting row by compare-and-set, so that two relays do not both send it."""
    return bool(
        OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + LEASE)
    )


def _waiting(now: datetime.datetime):
    return OutboxMessage.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def relay(*, batch: int = 200) -> dict:
    """Publish the rows that wait, oldest first, over one broker connection; what was done.

    Stops at the first failure (the broker is down: the rest would fail too) and hands that row
    back. Returns {"sent": n, "failed": 0 or 1, "waiting": rows still unsent}.
    """
    now = timezone.now()
    ids = list(_waiting(now).order_by("created_at", "pk").values_list("pk", flat=True)[:batch])
    sent = failed = 0
    if ids:
        try:
            conn = broker_connection()
            conn.ensure_connection(max_retries=1, timeout=CONNECT_TIMEOUT)
        except Exception as exc:  # the broker is still down: try again on the next run
            logger.info("Outbox relay: broker unavailable (%s); %d waiting", _error_text(exc), len(ids))
            return {"sent": 0, "failed": 0, "waiting": unsent_count()}
        with conn:
            for pk in ids:
                if not _claim(pk, now):
                    continue  # another relay, or the committing process, has it
                message = OutboxMessage.objects.get(pk=pk)
                try:
                    _publish(conn, message)
                except Exception as exc:  # broker lost mid-batch
                    _release(pk, exc)
                    failed = 1
                    logger.warning("Outbox relay: broker lost after %d sent: %s", sent, _error_text(exc))
                    break
                _mark_sent(pk)
                sent += 1
    if sent:
        breaker.reset()
        logger.info("Outbox relay: %d sent", sent)
    return {"sent": sent, "failed": failed, "waiting": unsent_count()}


def prune(*, now: datetime.datetime | None = None) -> int:
    """Delete sent rows older than KEEP_SENT; how many."""
    now = now or timezone.now()
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return deleted


def unsent_count() -> int:
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def backlog() -> dict:
    """How many messages wait and how old the oldest is (seconds), for /healthz."""
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).aggregate(oldest=Min("created_at"))
    count = unsent_count()
    oldest = waiting["oldest"]
    age = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    return {"unsent": count, "oldest_age_seconds": age}


def unsent_args(task_name: str) -> list[list]:
    """The arguments of the waiting messages of one task (e.g. which packs wait for their build)."""
    return list(OutboxMessage.objects.filter(task_name=task_name, sent_at__isnull=True).values_list("args", flat=True))
