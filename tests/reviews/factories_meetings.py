"""Factories and data builders for the meetings area: scheduled types, chairs, meetings for query counts."""

import datetime

from reviews.models.meetings import Attendee, Meeting, MeetingType
from tests.leadership.factories import DepartmentFactory, PersonFactory
from tests.leadership.factories_policy import SignatureFactory
from tests.reviews.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    MeetingTypeFactory,
)


def chair_person(**kwargs):
    """A person who may chair and sign: top management."""
    return PersonFactory(roles=["Top management"], **kwargs)


def scheduled_type(first_occurrence: datetime.datetime, frequency=MeetingType.Frequency.MONTHLY, **kwargs):
    """A quality meeting type with a schedule and a default chair."""
    kwargs.setdefault("default_chair", chair_person())
    return MeetingTypeFactory(frequency=frequency, first_occurrence=first_occurrence, **kwargs)


def held_meeting(type, held_at: datetime.datetime, present=(), absent=(), status=Meeting.Status.HELD, **kwargs):
    """A meeting held at `held_at`, with `present` people marked present and `absent` ones absent."""
    if status == Meeting.Status.SIGNED:
        kwargs.update(signature=SignatureFactory(), signed_at=held_at + datetime.timedelta(days=2))
    meeting = MeetingFactory(type=type, planned_start=held_at, held_at=held_at, status=status, **kwargs)
    for person in present:
        AttendeeFactory(meeting=meeting, person=person, status=Attendee.Status.PRESENT)
    for person in absent:
        AttendeeFactory(meeting=meeting, person=person, status=Attendee.Status.ABSENT)
    return meeting


def grow_meetings(rows: int, now: datetime.datetime) -> list[Meeting]:
    """Meetings around `now` over a few types, chairs and departments, each with agenda items,
    decisions and actions: data for query counts."""
    types = [MeetingTypeFactory() for _ in range(3)]
    departments = DepartmentFactory.create_batch(3)
    chairs = [chair_person(department=d) for d in departments]
    meetings = []
    for i in range(rows):
        meeting = MeetingFactory(
            type=types[i % 3],
            chair=chairs[i % 3],
            department=departments[i % 3] if i % 4 else None,
            planned_start=now + datetime.timedelta(days=i - rows // 2, hours=1),
            place="Board room" if i % 2 else "",
            link="https://meet.example.com/q" if i % 5 == 0 else "",
        )
        AgendaItemFactory(meeting=meeting, order=1)
        decision = DecisionFactory(meeting=meeting, number=1)
        ActionFactory(decision=decision, owner=chairs[(i + 1) % 3])
        AttendeeFactory(meeting=meeting, person=chairs[i % 3])
        meetings.append(meeting)
    return meetings
