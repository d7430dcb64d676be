"""Sending a notification once: in the app, and by e-mail when the recipient has an address."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from qms.models import Notification


def iso_week(day=None) -> str:
    """The ISO week of `day` (default today, in the organisation's time zone), e.g. "2026-W48"."""
    day = day or timezone.localdate()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def notify_once(
    *, recipient, kind: str, subject_key: str, period: str, title: str, body: str = "", url: str = ""
) -> bool:
    """Record a notification and e-mail it, unless one of this kind, subject and period exists.

    Returns whether it was sent now. Safe to call from tasks that run twice or concurrently:
    the database's unique constraint decides who sends (see notify_many, which this sends through).
    """
    message = Message(recipient, kind, subject_key, period, title, body, url)
    return bool(notify_many([message]))


@dataclass(frozen=True)
class Message:
    """One notification to send with notify_many; the same fields as notify_once takes."""

    recipient: object
    kind: str
    subject_key: str
    period: str
    title: str
    body: str = ""
    url: str = ""

    @property
    def key(self) -> tuple:
        return (self.recipient.pk, self.kind, self.subject_key, self.period)


# Rows per INSERT: 8 parameters each, well under SQLite's and PostgreSQL's parameter limits.
_INSERT_CHUNK = 500


def _insert_new(messages: list[Message], now) -> dict[tuple, int]:
    """Insert the rows that do not exist yet, in one statement per chunk; the ids of those inserted.

    `INSERT ... ON CONFLICT DO NOTHING RETURNING` on the unique constraint: the database decides,
    row by row, which run sends a message, as notify_once's single insert does. Both PostgreSQL
    and SQLite (3.35 or later) support it; Django's bulk_create(ignore_conflicts=True) does not
    return which rows it inserted.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ("recipient_id", "kind", "subject_key", "period", "title", "body", "url", "created_at")
    inserted = {}
    for start in range(0, len(messages), _INSERT_CHUNK):
        chunk = messages[start : start + _INSERT_CHUNK]
        params = []
        for message in chunk:
            params += [message.recipient.pk, message.kind, message.subject_key, message.period]
            params += [message.title, message.body, message.url, now]
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "  # noqa: S608 (names are ours)
            "ON CONFLICT (recipient_id, kind, subject_key, period) DO NOTHING "
            "RETURNING id, recipient_id, kind, subject_key, period"
        )
        field = Notification._meta.get_field("created_at")
        params = [field.get_db_prep_value(p, connection) if p is now else p for p in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, *key in cursor.fetchall():
                inserted[tuple(key)] = pk
    return inserted


def notify_many(messages: Iterable[Message]) -> list[Message]:
    """Record and e-mail many notifications, skipping those of a kind, subject and period sent already.

    The batch form of notify_once for reminder tasks: one insert per 500 messages, one SMTP
    connection, one update of the e-mail stamps, instead of four queries and a connection per
    message. Safe when a task runs twice or on two beat processes at once: the unique
    constraint decides who sends. If the mail server fails, the rows of the messages not
    e-mailed yet are removed before the error is raised, so the task's retry sends them.
    Returns the messages sent now.
    """
    unique = {}
    for message in messages:
        unique.setdefault(message.key, message)
    if not unique:
        return []
    now = timezone.now()
    with transaction.atomic():
        inserted = _insert_new(list(unique.values()), now)
    sent = [message for key, message in unique.items() if key in inserted]
    to_email = [message for message in sent if message.recipient.email]
    emailed: list[int] = []
    try:
        if to_email:
            with get_connection() as mail:
                for message in to_email:
                    EmailMessage(
                        subject=message.title,
                        body=message.body + (f"\n\n{message.url}" if message.url else ""),
                        to=[message.recipient.email],
                        connection=mail,
                    ).send()
                    emailed.append(inserted[message.key])
    except OSError:
        done = set(emailed)
        Notification.objects.filter(pk__in=[inserted[m.key] for m in to_email if inserted[m.key] not in done]).delete()
        raise
    finally:
        if emailed:
            Notification.objects.filter(pk__in=emailed).update(emailed_at=timezone.now())
    return sent
