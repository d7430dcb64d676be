"""Reads of the calendar area: a person's feed, the meetings and actions it carries, one meeting's .ics.

Every function here runs a fixed number of queries, whatever the number of meetings, attendees,
agenda items or actions: the feed is fetched by calendar apps every few minutes.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from leadership.models import Person
from reviews.models.actions import Action
from reviews.models.calendar import CalendarFeed
from reviews.models.meetings import AgendaItem, Attendee, Meeting

# Past meetings stay in the feed this long, so that last month's meetings are still in the calendar.
FEED_PAST_DAYS = 90
# Only what a calendar entry shows is read: minutes and notes can be long.
_AGENDA_FIELDS = ("id", "meeting_id", "order", "title")
_MEETING_DEFERRED = ("general_notes",)


def calendar_feed_active_for(user) -> CalendarFeed | None:
    """The user's working feed, if they have one."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_url(feed: CalendarFeed | None, *, scheme: str = "") -> str:
    """The feed's absolute subscription URL ("" without a feed); `scheme="webcal"` for the webcal: form."""
    if feed is None:
        return ""
    url = settings.BASE_URL + reverse("reviews:calendar-feed", args=[feed.token])
    return f"{scheme}://{url.split('://', 1)[1]}" if scheme else url


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed behind a subscription URL, with its user and person, in one query.

    None for an unknown token, a revoked feed, an account that can no longer sign in or an
    account with no person: the caller answers all of these the same way.
    """
    return (
        CalendarFeed.objects.select_related("user__person")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True, user__person__isnull=False)
        .first()
    )


def person_for_user(user) -> Person | None:
    """The person behind an account, or None (an administrator's or a service account)."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("user").first()


def _takes_part(person: Person) -> Q:
    """Meetings the person chairs, minutes or is on the list of; removed attendees drop out at once."""
    attends = Attendee.objects.filter(meeting=OuterRef("pk"), person=person)
    return Q(chair=person) | Q(minute_taker=person) | Q(Exists(attends))


def calendar_meetings_for(person: Person, *, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The person's meetings from FEED_PAST_DAYS ago on, cancelled ones included, earliest first.

    Chair (with account) and type are joined; the agenda titles are prefetched in order: two queries.
    """
    now = now or timezone.now()
    return (
        Meeting.objects.filter(_takes_part(person), planned_start__gte=now - datetime.timedelta(days=FEED_PAST_DAYS))
        .select_related("type", "chair__user")
        .defer(*_MEETING_DEFERRED)
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.only(*_AGENDA_FIELDS).order_by("order", "pk"))
        )
        .order_by("planned_start", "pk")
    )


def calendar_actions_for(person: Person) -> QuerySet[Action]:
    """The person's open actions (open, in progress or reopened), earliest due first, in one query."""
    return (
        Action.objects.filter(owner=person, status__in=Action.OPEN_STATUSES)
        .only("id", "reference", "title", "due_date", "priority", "status", "source", "created_at", "updated_at")
        .order_by("due_date", "pk")
    )


def calendar_upcoming(person: Person, *, now: datetime.datetime | None = None, limit: int = 5) -> dict:
    """What the person's calendar shows next: their next meetings (not cancelled) and open actions.

    Three queries: the meetings, their agenda titles, the actions.
    """
    now = now or timezone.now()
    meetings = list(
        calendar_meetings_for(person, now=now)
        .filter(planned_start__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)[:limit]
    )
    actions = list(calendar_actions_for(person)[:limit])
    today = timezone.localdate(now)
    for action in actions:
        action.overdue = action.due_date < today
    return {"meetings": meetings, "actions": actions}


def meeting_ics_get(pk) -> Meeting:
    """One meeting for its .ics file: chair, minute-taker, attendees with accounts, agenda titles.

    Three queries; raises Meeting.DoesNotExist.
    """
    return (
        Meeting.objects.select_related("type", "chair__user", "minute_taker__user")
        .defer(*_MEETING_DEFERRED)
        .prefetch_related(
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("person__user").order_by(
                    "person__user__last_name", "person__user__first_name", "pk"
                ),
            ),
            Prefetch("agenda_items", queryset=AgendaItem.objects.only(*_AGENDA_FIELDS).order_by("order", "pk")),
        )
        .get(pk=pk)
    )
