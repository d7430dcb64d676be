"""Factories and helpers for the calendar area's tests: feeds, and meetings with people on their list."""

import datetime

import factory
from icalendar import Calendar

from reviews.models.calendar import CalendarFeed
from reviews.models.meetings import Attendee, Meeting
from tests.leadership.factories import PersonFactory
from tests.reviews.factories import AgendaItemFactory, MeetingFactory

# Tuesday 10 March 2026, 09:00 UTC (also 09:00 in London: summer time starts on 29 March).
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    user = factory.LazyFunction(lambda: PersonFactory().user)


def meeting_with(*people, chair=None, agenda=(), **kwargs) -> Meeting:
    """A meeting whose list holds its chair and `people`, with agenda items titled `agenda`."""
    chair = chair or PersonFactory()
    meeting = MeetingFactory(chair=chair, **kwargs)
    Attendee.objects.bulk_create(Attendee(meeting=meeting, person=p) for p in {chair, *people})
    for order, title in enumerate(agenda, start=1):
        AgendaItemFactory(meeting=meeting, order=order, title=title)
    return meeting


def parse(content: bytes) -> Calendar:
    """The calendar in a response body; fails the test if it is not valid iCalendar."""
    return Calendar.from_ical(content)


def events(calendar: Calendar) -> dict[str, object]:
    """The calendar's VEVENTs by UID."""
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}
