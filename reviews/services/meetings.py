"""Services of meetings: types and schedules, planning, invitations, minutes, decisions, signing, amendments."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from leadership.models import Department, Person
from qms.references import save_with_reference
from reviews.models.meetings import AgendaItem, Attendee, Meeting, MeetingType

REFERENCE_PREFIX = "MTG"


@transaction.atomic
def meeting_create(
    *,
    actor,
    type: MeetingType,
    title: str,
    planned_start: datetime.datetime,
    chair: Person,
    duration_minutes: int | None = None,
    place: str | None = None,
    link: str | None = None,
    department: Department | None = None,
    minute_taker: Person | None = None,
    invitees: list[Person] | tuple[Person, ...] = (),
    agenda: list[str] | tuple[str, ...] | None = None,
    scheduled: bool = False,
) -> Meeting:
    """Plan a meeting of `type`: its chair and minute-taker are invited, the type's standing agenda is copied.

    Values not given come from the type (duration, place, link, invitees, agenda).
    """
    if type is None or not type.is_active:
        raise ValidationError({"type": "Choose an active meeting type."})
    meeting = Meeting(
        type=type,
        title=(title or "").strip() or type.name,
        planned_start=planned_start,
        duration_minutes=duration_minutes or type.default_duration_minutes,
        place=type.default_place if place is None else place,
        link=type.default_link if link is None else link,
        department=department,
        chair=chair,
        minute_taker=minute_taker,
        scheduled=scheduled,
    )
    save_with_reference(meeting, actor, REFERENCE_PREFIX)
    people = {chair.pk: chair}
    if minute_taker is not None:
        people[minute_taker.pk] = minute_taker
    for person in invitees or type.default_invitees.all():
        people.setdefault(person.pk, person)
    Attendee.objects.bulk_create(Attendee(meeting=meeting, person=person) for person in people.values())
    lines = agenda if agenda is not None else [line.strip() for line in type.default_agenda.splitlines()]
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, title=title[:200])
        for order, title in enumerate((line for line in lines if line and line.strip()), start=1)
    )
    return meeting
