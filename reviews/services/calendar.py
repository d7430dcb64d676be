"""Services of the calendar area: personal feed URLs, and meeting invitations, reminders and cancellations.

Feeds. A user who is a person of the organisation may have one working feed URL at a time
(`calendarfeed_one_active_per_user`). Resetting revokes the URL and issues a new one; turning
the feed off revokes it. A revoked token is never reused, so a leaked URL stays dead.

Messages (Celery beat), each sent at most once through `qms.notifications.notify_once`, whose
unique (recipient, kind, subject, period) decides who sends when a task runs twice:

- meeting-invitation, to every attendee of a planned future meeting (period "invite"); attendees
  added later get theirs on the next run. The first run that invites anyone sets
  `Meeting.invitations_sent_at` (compare-and-set).
- meeting-reminder, the day before: to the attendees of planned meetings that start 24 to 48
  hours from now (period = the meeting's date, so a meeting moved to another day reminds again).
- meeting-agenda-reminder, to the chair, from `type.agenda_reminder_days` days before the start,
  with the number of agenda items so far (period = the meeting's date; 0 days turns it off).
- meeting-cancelled, once, to the attendees of a cancelled meeting who had been invited
  (period "cancelled"). Both tasks send it, so attendees hear within 15 minutes.

Attendees who sent apologies or are marked absent get no invitation or reminder; accounts that
can no longer sign in get nothing. Cancelled, held and signed meetings get no invitation or
reminder. Both runs work in batches: per batch one query each for the meetings (type and
chair joined), their attendees, their agenda titles and the messages already sent, and one
update of `invitations_sent_at` when a meeting's first invitations went out. The query count
grows with the number of batches, not of meetings or attendees; `notify_once` runs only for
what is new.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import dateformat, timezone

from leadership.models import Person
from qms.exceptions import ApplicationError
from qms.models import Notification
from qms.notifications import notify_once
from reviews.models.calendar import CalendarFeed
from reviews.models.meetings import AgendaItem, Attendee, Meeting

# Personal feeds ----------------------------------------------------------------------------------

NO_PERSON_MESSAGE = (
    "Your account is not linked to a person of the organisation, so it has no meetings or actions to put "
    "in a calendar. Ask the management representative to link it."
)
ALREADY_MESSAGE = "You already have a calendar feed. Reset its URL if you need a new one."
NO_FEED_MESSAGE = "You have no calendar feed turned on."
MANAGE_OTHERS = "reviews.change_calendarfeed"


def _check_may_have_feed(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("Sign in to manage your calendar feed.")
    if not Person.objects.filter(user=actor).exists():
        raise PermissionDenied(NO_PERSON_MESSAGE)


def _issue(user) -> CalendarFeed:
    feed = CalendarFeed(user=user)
    # Validates the one-working-feed constraint too; the unique index settles a race.
    feed.full_clean()
    try:
        with transaction.atomic():
            feed.save()
    except IntegrityError as exc:
        raise ApplicationError(ALREADY_MESSAGE) from exc
    return feed


def _revoke(feed: CalendarFeed, now: datetime.datetime) -> bool:
    """Compare-and-set: True only for the call that turned the feed off."""
    changed = CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
    if changed:
        feed.revoked_at = feed.updated_at = now
    return bool(changed)


@transaction.atomic
def calendar_feed_create(*, actor) -> CalendarFeed:
    """Give the actor a personal iCalendar feed URL (one working feed per user)."""
    _check_may_have_feed(actor)
    if CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).exists():
        raise ApplicationError(ALREADY_MESSAGE)
    return _issue(actor)


@transaction.atomic
def calendar_feed_reset(*, actor) -> CalendarFeed:
    """Revoke the actor's feed URL and issue a new one: calendars still using the old URL stop updating."""
    _check_may_have_feed(actor)
    feed = CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True).first()
    if feed is None or not _revoke(feed, timezone.now()):
        raise ApplicationError(NO_FEED_MESSAGE, status_code=404)
    return _issue(actor)


@transaction.atomic
def calendar_feed_revoke(*, actor, feed: CalendarFeed | None = None) -> CalendarFeed:
    """Turn a feed off: its URL answers 404 from now on. Without `feed`, the actor's own working feed.

    Someone else's feed only with `reviews.change_calendarfeed` (an administrator who suspects a leak).
    """
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in to manage calendar feeds.")
    if feed is None:
        feed = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).first()
        if feed is None:
            raise ApplicationError(NO_FEED_MESSAGE, status_code=404)
    elif feed.user_id != actor.pk and not actor.has_perm(MANAGE_OTHERS):
        raise PermissionDenied("You may turn off only your own calendar feed.")
    if not _revoke(feed, timezone.now()):
        raise ApplicationError("This calendar feed is already turned off.")
    return feed


# Fetches from the same calendar app come every few minutes: record them once an hour, not each time.
LAST_USED_RESOLUTION = datetime.timedelta(hours=1)


def calendar_feed_mark_used(*, feed: CalendarFeed, now: datetime.datetime | None = None) -> bool:
    """Record that a calendar app fetched the feed, at most once per LAST_USED_RESOLUTION.

    No query at all while the recorded time is recent; returns whether it wrote.
    """
    now = now or timezone.now()
    if feed.last_used_at is not None and now - feed.last_used_at < LAST_USED_RESOLUTION:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    written = CalendarFeed.objects.filter(stale, pk=feed.pk).update(last_used_at=now)
    if written:
        feed.last_used_at = now
    return bool(written)


# Invitations, reminders, cancellations -----------------------------------------------------------

KIND_INVITATION = "meeting-invitation"
KIND_REMINDER = "meeting-reminder"
KIND_AGENDA = "meeting-agenda-reminder"
KIND_CANCELLED = "meeting-cancelled"
PERIOD_INVITE = "invite"
PERIOD_CANCELLED = "cancelled"

# The day-before reminder: the hourly run that first finds the meeting less than 26 hours away
# sends it, so it arrives about a day ahead; a meeting planned at shorter notice gets none.
REMINDER_FROM = datetime.timedelta(hours=2)
REMINDER_TO = datetime.timedelta(hours=26)
# MeetingType.agenda_reminder_days is at most 60: meetings further ahead need no agenda reminder yet.
AGENDA_HORIZON = datetime.timedelta(days=60)
# A meeting cancelled at the last minute is still worth telling people about until it would have ended.
CANCELLED_LOOKBACK = datetime.timedelta(days=1)
DEFAULT_BATCH_SIZE = 200
# Attendees who already said they will not come hear nothing more about the meeting.
NOT_COMING = (Attendee.Status.APOLOGIES, Attendee.Status.ABSENT)
AGENDA_LISTED = 12


def subject_key(meeting_id: int) -> str:
    return f"reviews.meeting:{meeting_id}"


def meeting_period(meeting: Meeting) -> str:
    """The meeting's date in the organisation's time zone: the period of its reminders."""
    return timezone.localdate(meeting.planned_start).isoformat()


@dataclass(frozen=True)
class _Notice:
    recipient: object
    kind: str
    meeting: Meeting
    period: str
    title: str
    body: str

    @property
    def key(self) -> tuple:
        return (self.recipient.pk, self.kind, subject_key(self.meeting.pk), self.period)


def _active_user(person: Person | None):
    user = getattr(person, "user", None)
    return user if user is not None and user.is_active else None


def _absolute(path: str) -> str:
    return settings.BASE_URL + path


def _meeting_url(meeting: Meeting) -> str:
    return _absolute(meeting.get_absolute_url())


def _ics_url(meeting: Meeting) -> str:
    return _absolute(reverse("reviews:meeting-ics", args=[meeting.pk]))


def _end(meeting: Meeting) -> datetime.datetime:
    return meeting.planned_start + datetime.timedelta(minutes=meeting.duration_minutes)


def when_text(meeting: Meeting, *, long: bool = True) -> str:
    """When the meeting is, in the organisation's time zone.

    Long: "Thursday 12 March 2026, 10:00 to 11:00 (Europe/London)"; short: "Thu 12 Mar 2026 10:00".
    """
    start, end = timezone.localtime(meeting.planned_start), timezone.localtime(_end(meeting))
    if not long:
        return dateformat.format(start, "D j M Y H:i")
    until = dateformat.format(end, "H:i" if end.date() == start.date() else "l j F Y, H:i")
    return f"{dateformat.format(start, 'l j F Y, H:i')} to {until} ({timezone.get_current_timezone_name()})"


def _facts(meeting: Meeting) -> list[str]:
    lines = [f"When: {when_text(meeting)}"]
    if meeting.place:
        lines.append(f"Where: {meeting.place}")
    if meeting.link:
        lines.append(f"Video call: {meeting.link}")
    lines.append(f"Chair: {meeting.chair}")
    return lines


def _agenda(meeting: Meeting) -> list[str]:
    items = list(meeting.agenda_items.all())
    if not items:
        return ["Agenda: not set yet."]
    lines = ["Agenda:"] + [f"  {item.order}. {item.title}" for item in items[:AGENDA_LISTED]]
    if len(items) > AGENDA_LISTED:
        lines.append(f"  and {len(items) - AGENDA_LISTED} more items")
    return lines


def _invitation(meeting: Meeting, user) -> _Notice:
    body = [
        f"You are invited to {meeting.reference} “{meeting.title}” ({meeting.type.name}).",
        "",
        *_facts(meeting),
        "",
        *_agenda(meeting),
        "",
        f"Add it to your calendar: {_ics_url(meeting)}",
    ]
    return _Notice(
        recipient=user,
        kind=KIND_INVITATION,
        meeting=meeting,
        period=PERIOD_INVITE,
        title=f"Invitation: {meeting.title}, {when_text(meeting, long=False)}",
        body="\n".join(body),
    )


def _reminder(meeting: Meeting, user) -> _Notice:
    body = [
        f"{meeting.reference} “{meeting.title}” is coming up.",
        "",
        *_facts(meeting),
        "",
        *_agenda(meeting),
        "",
        "If you cannot come, tell the chair, so that your apologies are minuted.",
    ]
    return _Notice(
        recipient=user,
        kind=KIND_REMINDER,
        meeting=meeting,
        period=meeting_period(meeting),
        title=f"Reminder: {meeting.title}, {when_text(meeting, long=False)}",
        body="\n".join(body),
    )


def _agenda_reminder(meeting: Meeting, user) -> _Notice:
    count = len(meeting.agenda_items.all())
    items = f"{count} item{'s' if count != 1 else ''}" if count else "no items"
    body = [
        f"You chair {meeting.reference} “{meeting.title}” on {when_text(meeting)}.",
        f"Its agenda has {items} so far. Add what the meeting must discuss, its presenters and the records "
        "(objectives, customer feedback, risks, actions) each item is about, so attendees can prepare.",
        "",
        *_agenda(meeting),
    ]
    return _Notice(
        recipient=user,
        kind=KIND_AGENDA,
        meeting=meeting,
        period=meeting_period(meeting),
        title=f"Prepare the agenda of {meeting.reference}: {meeting.title}, {when_text(meeting, long=False)}",
        body="\n".join(body),
    )


def _cancellation(meeting: Meeting, user) -> _Notice:
    body = [f"{meeting.reference} “{meeting.title}”, planned for {when_text(meeting)}, has been cancelled."]
    if meeting.cancel_reason.strip():
        body.append(f"Reason: {meeting.cancel_reason.strip()}")
    return _Notice(
        recipient=user,
        kind=KIND_CANCELLED,
        meeting=meeting,
        period=PERIOD_CANCELLED,
        title=f"Cancelled: {meeting.title}, {when_text(meeting, long=False)}",
        body="\n".join(body),
    )


def _expected_users(meeting: Meeting) -> list:
    """The accounts of the attendees still expected at the meeting, once each."""
    users = {}
    for attendee in meeting.attendees.all():
        user = _active_user(attendee.person)
        if user is not None and attendee.status not in NOT_COMING:
            users.setdefault(user.pk, user)
    return list(users.values())


def _load(ids: Sequence[int]) -> list[Meeting]:
    """A batch of meetings with type, chair, attendees (with accounts) and agenda titles: three queries."""
    return list(
        Meeting.objects.filter(pk__in=ids)
        .select_related("type", "chair__user")
        .defer("general_notes")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("person__user").order_by("pk")),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.only("id", "meeting_id", "order", "title").order_by("order", "pk"),
            ),
        )
        .order_by("planned_start", "pk")
    )


def _sent_before(meetings: Sequence[Meeting], kinds: Iterable[str]) -> set[tuple]:
    """(recipient, kind, subject, period) of the messages about these meetings already sent, in one query."""
    if not meetings:
        return set()
    rows = Notification.objects.filter(
        kind__in=list(kinds), subject_key__in=[subject_key(m.pk) for m in meetings]
    ).values_list("recipient_id", "kind", "subject_key", "period")
    return set(rows)


def _send(notices: Iterable[_Notice], already_sent: set[tuple], totals: Counter) -> set[tuple]:
    """Send what was not sent before; returns the keys sent now."""
    sent = set()
    for notice in notices:
        if notice.key in already_sent or notice.key in sent:
            continue
        if notify_once(
            recipient=notice.recipient,
            kind=notice.kind,
            subject_key=subject_key(notice.meeting.pk),
            period=notice.period,
            title=notice.title[:200],
            body=notice.body,
            url=_meeting_url(notice.meeting),
        ):
            totals[f"sent_{notice.kind}"] += 1
        # Sent now, or by a concurrent run a moment ago: either way the attendee has it.
        sent.add(notice.key)
    return sent


def _cancellation_notices(meeting: Meeting, already_sent: set[tuple], now: datetime.datetime) -> list[_Notice]:
    """Attendees who were invited hear once that the meeting is off, until the time it would have ended."""
    if meeting.status != Meeting.Status.CANCELLED or _end(meeting) <= now:
        return []
    subject = subject_key(meeting.pk)
    notices = []
    for attendee in meeting.attendees.all():
        user = _active_user(attendee.person)
        if user is not None and (user.pk, KIND_INVITATION, subject, PERIOD_INVITE) in already_sent:
            notices.append(_cancellation(meeting, user))
    return notices


def _batches(ids: Sequence[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _cancelled_candidates(now: datetime.datetime) -> Q:
    return Q(
        status=Meeting.Status.CANCELLED,
        invitations_sent_at__isnull=False,
        planned_start__gt=now - CANCELLED_LOOKBACK,
    )


def meeting_send_invitations(*, now: datetime.datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> dict:
    """Invite each attendee of every planned future meeting who has not been invited; tell the invited
    attendees of cancelled meetings. Returns counts (meetings looked at, messages sent per kind).

    Idempotent: a second run sends nothing, a run after attendees were added invites only them.
    """
    now = now or timezone.now()
    ids = list(
        Meeting.objects.filter(Q(status=Meeting.Status.PLANNED, planned_start__gt=now) | _cancelled_candidates(now))
        .order_by("planned_start", "pk")
        .values_list("pk", flat=True)
    )
    totals = Counter(meetings=len(ids))
    for batch in _batches(ids, batch_size):
        meetings = _load(batch)
        already_sent = _sent_before(meetings, (KIND_INVITATION, KIND_CANCELLED))
        notices = []
        for meeting in meetings:
            if meeting.status == Meeting.Status.PLANNED:
                notices += [_invitation(meeting, user) for user in _expected_users(meeting)]
            else:
                notices += _cancellation_notices(meeting, already_sent, now)
        invited = {key[2] for key in already_sent | _send(notices, already_sent, totals) if key[1] == KIND_INVITATION}
        first_time = [
            m.pk
            for m in meetings
            if m.status == Meeting.Status.PLANNED and m.invitations_sent_at is None and subject_key(m.pk) in invited
        ]
        if first_time:
            # Compare-and-set: the first run that invited anyone stamps the meeting; later runs leave it.
            totals["meetings_invited"] += Meeting.objects.filter(
                pk__in=first_time, invitations_sent_at__isnull=True
            ).update(invitations_sent_at=now)
    return dict(totals)


def meeting_send_reminders(*, now: datetime.datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> dict:
    """The day-before reminder to attendees, the agenda reminder to chairs, the cancellation notices.

    Returns counts (meetings looked at, messages sent per kind). Idempotent per meeting date: a
    meeting moved to another day is reminded again; a second run the same day sends nothing.
    """
    now = now or timezone.now()
    ids = list(
        Meeting.objects.filter(
            Q(status=Meeting.Status.PLANNED, planned_start__gt=now, planned_start__lte=now + AGENDA_HORIZON)
            | _cancelled_candidates(now)
        )
        .order_by("planned_start", "pk")
        .values_list("pk", flat=True)
    )
    totals = Counter(meetings=len(ids))
    for batch in _batches(ids, batch_size):
        meetings = _load(batch)
        already_sent = _sent_before(meetings, (KIND_REMINDER, KIND_AGENDA, KIND_INVITATION, KIND_CANCELLED))
        notices = []
        for meeting in meetings:
            if meeting.status != Meeting.Status.PLANNED:
                notices += _cancellation_notices(meeting, already_sent, now)
                continue
            ahead = meeting.planned_start - now
            if REMINDER_FROM < ahead <= REMINDER_TO:
                notices += [_reminder(meeting, user) for user in _expected_users(meeting)]
            days = meeting.type.agenda_reminder_days
            chair = _active_user(meeting.chair)
            if days and chair is not None and ahead <= datetime.timedelta(days=days):
                notices.append(_agenda_reminder(meeting, chair))
        _send(notices, already_sent, totals)
    return dict(totals)
