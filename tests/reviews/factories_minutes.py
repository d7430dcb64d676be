"""Meetings ready to be recorded or signed, for the tests of minutes."""

import datetime

from django.utils import timezone

from reviews.models.meetings import Attendee, Meeting, MeetingType
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingTypeFactory,
)


def held_meeting(*, chair, items: int = 2, attendees=(), review: bool = False, **kwargs) -> Meeting:
    """A meeting held an hour ago, chaired by `chair`'s person, with `items` agenda items and everyone invited."""
    if review:
        kwargs.setdefault(
            "type", MeetingTypeFactory(name="Management review", category=MeetingType.Category.MANAGEMENT_REVIEW)
        )
    meeting = MeetingFactory(
        chair=chair.person,
        status=Meeting.Status.HELD,
        held_at=timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1),
        planned_start=timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1),
        **kwargs,
    )
    AttendeeFactory(meeting=meeting, person=chair.person)
    for person in attendees:
        AttendeeFactory(meeting=meeting, person=person)
    for n in range(items):
        AgendaItemFactory(meeting=meeting, order=n + 1, title=f"Item {n + 1}")
    return meeting


def complete(meeting: Meeting) -> Meeting:
    """Everyone marked present and minutes on every item: ready for the chair's signature."""
    meeting.attendees.update(status=Attendee.Status.PRESENT)
    for item in meeting.agenda_items.all():
        item.minutes = f"Discussed {item.title.lower()}: figures reviewed, no concerns."
        item.save()
    return meeting


def grow_minutes(meeting: Meeting, *, items: int, decisions: int, actions: int, attendees: int = 3) -> Meeting:
    """Add agenda items, decisions (one per item, then general) and actions (spread over the decisions)."""
    for _ in range(attendees):
        AttendeeFactory(meeting=meeting, status=Attendee.Status.PRESENT)
    created_items = [
        AgendaItemFactory(meeting=meeting, order=100 + n, title=f"Topic {n}", minutes=f"Minutes {n}")
        for n in range(items)
    ]
    created_decisions = [
        DecisionFactory(
            meeting=meeting,
            number=n + 1,
            agenda_item=created_items[n] if n < len(created_items) else None,
            owner=meeting.chair,
        )
        for n in range(decisions)
    ]
    for n in range(actions):
        ActionFactory(decision=created_decisions[n % len(created_decisions)])
    return meeting
