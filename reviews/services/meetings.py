"""Services of meetings: types and schedules, planning, editing and cancelling, agenda and invitees.

A meeting is prepared while it is planned: its details, its list of invitees and its agenda can
change until it is held. Then the minutes take over (`reviews.services.minutes`): the agenda may
still grow and be reordered while the minutes are taken, but nothing is removed from it, and a
signed meeting changes no more. A meeting type with a schedule keeps its next meetings planned
(`meeting_type_plan`, run daily); an occurrence that was moved or cancelled is never planned again.
"""

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from leadership.models import Department, Person
from qms.exceptions import ApplicationError
from qms.references import save_with_reference
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Meeting, MeetingType
from reviews.selectors import meetings as selectors

REFERENCE_PREFIX = "MTG"
logger = logging.getLogger(__name__)

MEETING_TYPE_EDITABLE = (
    "name",
    "category",
    "description",
    "is_quality_meeting",
    "frequency",
    "first_occurrence",
    "plan_ahead",
    "default_duration_minutes",
    "default_place",
    "default_link",
    "default_chair",
    "default_invitees",
    "default_agenda",
    "agenda_reminder_days",
)
MEETING_EDITABLE = (
    "type",
    "title",
    "planned_start",
    "duration_minutes",
    "place",
    "link",
    "department",
    "chair",
    "minute_taker",
    "invitees",
)
AGENDA_ITEM_EDITABLE = (
    "title",
    "description",
    "presenter",
    "duration_minutes",
    "objectives",
    "customer_feedback",
    "risks",
    "actions",
)
AGENDA_LINKS = ("objectives", "customer_feedback", "risks", "actions")
# The agenda may still change while minutes are taken; removing items only before.
AGENDA_OPEN = (Meeting.Status.PLANNED, Meeting.Status.HELD)


# Shared checks ----------------------------------------------------------------------------------


def _active_person(errors: dict, field: str, person: Person | None, what: str) -> None:
    if person is not None and not person.user.is_active:
        errors.setdefault(field, []).append(f"{person} can no longer sign in; choose an active person as {what}.")


# A meeting outside these years is a mistyped year (0026, 20266): refused before its end time,
# reminders and calendar entries are worked out from it (a start near year 9999 overflows them).
EARLIEST_MEETING_YEAR = 2000
LATEST_MEETING_YEARS_AHEAD = 10


def _check_planned_start(errors: dict, planned_start: datetime.datetime | None) -> None:
    if planned_start is None:
        return
    latest = timezone.localdate().year + LATEST_MEETING_YEARS_AHEAD
    if not EARLIEST_MEETING_YEAR <= planned_start.year <= latest:
        errors.setdefault("planned_start", []).append(
            f"{planned_start.date().isoformat()} is not a plausible meeting date; give a day between "
            f"{EARLIEST_MEETING_YEAR} and {latest}."
        )


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _full_clean(instance, errors: dict, exclude: Iterable[str] = (), validate_constraints: bool = True) -> None:
    """Run the model's validation and merge its messages into `errors`."""
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=validate_constraints)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))


def _lock(meeting: Meeting) -> Meeting:
    """The meeting's row, locked until the end of the transaction, so two edits never interleave."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("type").get(pk=meeting.pk)


def _state_words(meeting: Meeting) -> str:
    if meeting.status == Meeting.Status.HELD:
        return f"{meeting.reference} has been held"
    if meeting.status == Meeting.Status.SIGNED:
        return f"The minutes of {meeting.reference} are signed"
    if meeting.status == Meeting.Status.CANCELLED:
        return f"{meeting.reference} was cancelled"
    return f"{meeting.reference} is {meeting.get_status_display().lower()}"


def _require_planned(meeting: Meeting, what: str) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ApplicationError(f"{meeting.reference} was cancelled: it is kept as it was.")
    if meeting.status != Meeting.Status.PLANNED:
        raise ApplicationError(f"{_state_words(meeting)}: {what} only before a meeting is held.")


def _require_agenda_open(meeting: Meeting) -> None:
    if meeting.status not in AGENDA_OPEN:
        raise ApplicationError(f"{_state_words(meeting)}: its agenda can no longer change.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


# Meeting types ----------------------------------------------------------------------------------


def meeting_type_validate(meeting_type: MeetingType) -> None:
    """Raise a ValidationError naming each field that is wrong, schedule rules included (also used by the admin)."""
    errors: dict[str, list[str]] = {}
    if meeting_type.frequency != MeetingType.Frequency.NONE:
        label = meeting_type.get_frequency_display().lower()
        if meeting_type.first_occurrence is None:
            errors["first_occurrence"] = [f"A {label} schedule needs the date and time of its first meeting."]
        # A management review's schedule only says when one is due (see selectors.plans_meetings).
        plans = meeting_type.category != MeetingType.Category.MANAGEMENT_REVIEW
        if meeting_type.default_chair_id is None and plans:
            errors["default_chair"] = [
                f"A {label} schedule plans meetings by itself, so it needs a default chair to chair them."
            ]
    _active_person(errors, "default_chair", meeting_type.default_chair, "default chair")
    name = meeting_type.name
    if name and MeetingType.objects.filter(name__iexact=name).exclude(pk=meeting_type.pk).exists():
        errors["name"] = [f"A meeting type named {name!r} already exists."]
    # A missing first occurrence is reported on its field above, not again by the check constraint.
    _full_clean(meeting_type, errors, validate_constraints="first_occurrence" not in errors)
    _raise(errors)


def _set_invitees(meeting_type: MeetingType, actor, invitees: Iterable[Person] | None) -> None:
    if invitees is None:
        return
    invitees = list(invitees)
    errors: dict[str, list[str]] = {}
    for person in invitees:
        _active_person(errors, "default_invitees", person, "a default invitee")
    _raise(errors)
    wanted = {p.pk for p in invitees}
    # set() with the same members would still write a history entry for nothing.
    if wanted != set(meeting_type.default_invitees.values_list("pk", flat=True)):
        meeting_type._history_user = actor
        meeting_type.default_invitees.set(wanted)


@transaction.atomic
def meeting_type_create(
    *,
    actor,
    name: str,
    category: str,
    frequency: str = MeetingType.Frequency.NONE,
    first_occurrence: datetime.datetime | None = None,
    default_invitees: list[Person] | tuple[Person, ...] = (),
    plan: bool = False,
    **fields,
) -> MeetingType:
    """Add a kind of meeting, optionally with the schedule that plans it.

    A schedule needs its first date and time and a default chair. With `plan`, the schedule's
    next meetings are planned at once (otherwise the daily planning does it).
    """
    unknown = set(fields) - set(MEETING_TYPE_EDITABLE)
    if unknown:
        raise TypeError(f"meeting_type_create() got unexpected fields: {', '.join(sorted(unknown))}")
    meeting_type = MeetingType(
        name=(name or "").strip(),
        category=category,
        frequency=frequency or MeetingType.Frequency.NONE,
        first_occurrence=first_occurrence,
        **{key: _strip(value) for key, value in fields.items()},
    )
    meeting_type_validate(meeting_type)
    meeting_type._history_user = actor
    meeting_type.save()
    _set_invitees(meeting_type, actor, default_invitees)
    if plan and selectors.plans_meetings(meeting_type):
        meeting_type_plan(actor=actor, meeting_type=meeting_type)
    return meeting_type


@transaction.atomic
def meeting_type_update(*, actor, meeting_type: MeetingType, plan: bool = False, **changes) -> MeetingType:
    """Change a type's description, defaults or schedule.

    Meetings already planned keep their date, time, chair and invitees: a changed schedule or
    default applies to the meetings planned from now on.
    """
    meeting_type = MeetingType.objects.select_for_update().get(pk=meeting_type.pk)
    invitees = None
    for name, value in changes.items():
        if name not in MEETING_TYPE_EDITABLE:
            raise TypeError(f"{name} cannot be changed through meeting_type_update")
        if name == "default_invitees":
            invitees = value
            continue
        if name == "frequency" and not value:
            value = MeetingType.Frequency.NONE
        setattr(meeting_type, name, _strip(value))
    meeting_type_validate(meeting_type)
    meeting_type._history_user = actor
    meeting_type.save()
    _set_invitees(meeting_type, actor, invitees)
    if plan and meeting_type.is_active and selectors.plans_meetings(meeting_type):
        meeting_type_plan(actor=actor, meeting_type=meeting_type)
    return meeting_type


def _set_active(actor, meeting_type: MeetingType, active: bool) -> MeetingType:
    meeting_type = MeetingType.objects.select_for_update().get(pk=meeting_type.pk)
    if meeting_type.is_active == active:
        return meeting_type
    meeting_type.is_active = active
    meeting_type._history_user = actor
    meeting_type.save(update_fields=["is_active", "updated_at"])
    return meeting_type


@transaction.atomic
def meeting_type_deactivate(*, actor, meeting_type: MeetingType) -> MeetingType:
    """Retire a type: no new meetings of it, and its schedule plans none. Its meetings stay as they are."""
    return _set_active(actor, meeting_type, False)


@transaction.atomic
def meeting_type_activate(*, actor, meeting_type: MeetingType) -> MeetingType:
    """Bring a retired type back; the next planning run fills its schedule again."""
    return _set_active(actor, meeting_type, True)


@transaction.atomic
def meeting_type_plan(*, actor, meeting_type: MeetingType, today: datetime.date | None = None) -> list[Meeting]:
    """Keep the type's next `plan_ahead` occurrences planned; returns the meetings it created.

    Each occurrence with no meeting of the type on its date (the date planned now, or the date a
    meeting was first planned for, so a moved or cancelled occurrence counts as handled) is planned
    with the type's default chair, invitees, place, link and standing agenda. Running it again
    creates nothing; the type's row is locked so two runs never plan the same occurrence twice.
    `today` starts the look-ahead at the beginning of that day instead of now.
    """
    meeting_type = (
        MeetingType.objects.select_for_update(of=("self",))
        .select_related("default_chair__user")
        .get(pk=meeting_type.pk)
    )
    if not meeting_type.is_active:
        raise ApplicationError(f"{meeting_type} is no longer used: its schedule plans no meetings.")
    if not selectors.is_scheduled(meeting_type):
        raise ApplicationError(f"{meeting_type} has no schedule to plan meetings from.")
    if not selectors.plans_meetings(meeting_type):
        raise ApplicationError(
            f"{meeting_type} is for management reviews: each is prepared, with its period and inputs, from the "
            "management review page; the schedule says when one is due."
        )
    chair = meeting_type.default_chair
    if chair is None:
        raise ApplicationError(f"{meeting_type} has a schedule but no default chair: choose one before planning.")
    if not chair.user.is_active:
        raise ApplicationError(f"{meeting_type}'s default chair, {chair}, can no longer sign in: choose another.")
    after = selectors.local_day_start(today) if today is not None else timezone.now()
    occurrences = selectors.schedule_occurrences(meeting_type, after=after, count=meeting_type.plan_ahead)
    coverage = selectors.occurrence_coverage(
        meeting_type, since=selectors.local_day_start(timezone.localdate(occurrences[0]))
    )
    created = []
    for start in occurrences:
        if timezone.localdate(start) in coverage:
            continue
        created.append(
            meeting_create(
                actor=actor,
                type=meeting_type,
                title=meeting_type.name,
                planned_start=start,
                chair=chair,
                scheduled=True,
            )
        )
    return created


def meeting_types_plan(*, today: datetime.date | None = None) -> dict[str, int]:
    """Plan every active scheduled type but management reviews (the daily task); returns {type name: meetings planned}.

    A type that cannot be planned (its default chair left, say) is skipped and counted as -1, so
    one broken type never stops the others.
    """
    result = {}
    scheduled = (
        MeetingType.objects.filter(is_active=True, first_occurrence__isnull=False)
        .exclude(frequency=MeetingType.Frequency.NONE)
        .exclude(category=MeetingType.Category.MANAGEMENT_REVIEW)
    )
    for meeting_type in scheduled:
        try:
            result[meeting_type.name] = len(meeting_type_plan(actor=None, meeting_type=meeting_type, today=today))
        except (ApplicationError, ValidationError) as exc:
            logger.warning("Meeting type %r was not planned: %s", meeting_type.name, exc)
            result[meeting_type.name] = -1
    return result


# Meetings ---------------------------------------------------------------------------------------


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

    Values not given come from the type (duration, place, link, invitees, agenda); default
    invitees who can no longer sign in are left out.
    """
    if type is None or not type.is_active:
        raise ValidationError({"type": "Choose an active meeting type."})
    errors: dict[str, list[str]] = {}
    if chair is None:
        errors["chair"] = ["Choose who chairs the meeting."]
    _active_person(errors, "chair", chair, "chair")
    _active_person(errors, "minute_taker", minute_taker, "minute-taker")
    for person in invitees or ():
        _active_person(errors, "invitees", person, "an invitee")
    _check_planned_start(errors, planned_start)
    _raise(errors)
    meeting = Meeting(
        type=type,
        title=(title or "").strip() or type.name,
        planned_start=planned_start,
        duration_minutes=duration_minutes or type.default_duration_minutes,
        place=type.default_place if place is None else place.strip(),
        link=type.default_link if link is None else link.strip(),
        department=department,
        chair=chair,
        minute_taker=minute_taker,
        scheduled=scheduled,
    )
    save_with_reference(meeting, actor, REFERENCE_PREFIX)
    people = {chair.pk: chair}
    if minute_taker is not None:
        people[minute_taker.pk] = minute_taker
    for person in invitees or type.default_invitees.filter(user__is_active=True):
        people.setdefault(person.pk, person)
    # With history rows, so the trail shows who was invited from the start.
    bulk_create_with_history(
        [Attendee(meeting=meeting, person=person) for person in people.values()], Attendee, default_user=actor
    )
    lines = agenda if agenda is not None else [line.strip() for line in type.default_agenda.splitlines()]
    bulk_create_with_history(
        [
            AgendaItem(meeting=meeting, order=order, title=line.strip()[:200])
            for order, line in enumerate((line for line in lines if line and line.strip()), start=1)
        ],
        AgendaItem,
        default_user=actor,
    )
    return meeting


def _sync_attendees(actor, meeting: Meeting, invitees: Iterable[Person] | None) -> None:
    """Make the list `invitees` plus the chair and the minute-taker; with None, only add those two."""
    current = {a.person_id: a for a in Attendee.objects.filter(meeting=meeting)}
    wanted: dict[int, Person] = {}
    if invitees is not None:
        wanted.update({p.pk: p for p in invitees})
    else:
        wanted.update(dict.fromkeys(current))
    wanted[meeting.chair_id] = meeting.chair
    if meeting.minute_taker_id:
        wanted[meeting.minute_taker_id] = meeting.minute_taker
    for pk, attendee in current.items():
        if pk not in wanted:
            attendee._history_user = actor
            attendee.delete()
    new = [Attendee(meeting=meeting, person=person) for pk, person in wanted.items() if pk not in current]
    if new:
        bulk_create_with_history(new, Attendee, default_user=actor)


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **changes) -> Meeting:
    """Change a planned meeting: type, title, time, place, link, department, chair, minute-taker, invitees.

    Refused once the meeting is held, signed or cancelled. The chair and minute-taker are always on
    the list of invitees; `invitees`, when given, is the whole list.
    """
    meeting = _lock(meeting)
    _require_planned(meeting, "its details change")
    errors: dict[str, list[str]] = {}
    invitees = None
    old_type_id = meeting.type_id
    for name, value in changes.items():
        if name not in MEETING_EDITABLE:
            raise TypeError(f"{name} cannot be changed through meeting_update")
        if name == "invitees":
            invitees = list(value) if value is not None else None
            continue
        if name in ("title", "place", "link"):
            value = (value or "").strip()
        setattr(meeting, name, value)
    # Left empty, the title and duration come from the type, as when the meeting was planned.
    if not meeting.title:
        meeting.title = meeting.type.name
    if not meeting.duration_minutes:
        meeting.duration_minutes = meeting.type.default_duration_minutes
    if meeting.type_id != old_type_id:
        if not meeting.type.is_active:
            errors["type"] = ["Choose an active meeting type."]
        review = getattr(meeting, "management_review", None)
        if review is not None and meeting.type.category != MeetingType.Category.MANAGEMENT_REVIEW:
            errors["type"] = ["This meeting holds a management review: its type must stay a management review type."]
    _active_person(errors, "chair", meeting.chair, "chair")
    _active_person(errors, "minute_taker", meeting.minute_taker, "minute-taker")
    # Someone invited before they left may stay on the list; nobody who left is newly invited.
    invited = set(Attendee.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    for person in invitees or ():
        if person.pk not in invited:
            _active_person(errors, "invitees", person, "an invitee")
    if "planned_start" in changes:
        _check_planned_start(errors, meeting.planned_start)
    _full_clean(meeting, errors, exclude=["reference"])
    _raise(errors)
    meeting._history_user = actor
    meeting.save()
    _sync_attendees(actor, meeting, invitees)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting, saying why. Its attendees are told by the calendar's notices.

    A cancelled occurrence of a schedule is not planned again.
    """
    meeting = _lock(meeting)
    _require_planned(meeting, "it can be cancelled")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the meeting is cancelled; the invitees are told."})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason
    errors: dict[str, list[str]] = {}
    _full_clean(meeting, errors, exclude=["reference"])
    _raise(errors)
    meeting._history_user = actor
    meeting.save()
    return meeting


# Invitees ---------------------------------------------------------------------------------------


@transaction.atomic
def attendee_add(*, actor, meeting: Meeting, person: Person) -> Attendee:
    """Invite `person` to a planned meeting."""
    meeting = _lock(meeting)
    _require_planned(meeting, "people are invited")
    errors: dict[str, list[str]] = {}
    if person is None:
        errors["person"] = ["Choose the person to invite."]
    _active_person(errors, "person", person, "an invitee")
    _raise(errors)
    if Attendee.objects.filter(meeting=meeting, person=person).exists():
        raise ValidationError({"person": f"{person} is already on the list of {meeting.reference}."})
    attendee = Attendee(meeting=meeting, person=person)
    _full_clean(attendee, errors)
    _raise(errors)
    attendee._history_user = actor
    attendee.save()
    return attendee


@transaction.atomic
def attendee_remove(*, actor, attendee: Attendee) -> Meeting:
    """Take someone off a planned meeting's list; the chair and the minute-taker stay on it."""
    meeting = _lock(attendee.meeting)
    attendee = Attendee.objects.select_related("person__user").get(pk=attendee.pk)
    _require_planned(meeting, "people are taken off the list")
    if attendee.person_id == meeting.chair_id:
        raise ApplicationError(
            f"{attendee.person} chairs {meeting.reference}: choose another chair before removing them."
        )
    if attendee.person_id == meeting.minute_taker_id:
        raise ApplicationError(
            f"{attendee.person} takes the minutes of {meeting.reference}: choose another minute-taker first."
        )
    attendee._history_user = actor
    attendee.delete()
    return meeting


# Agenda -----------------------------------------------------------------------------------------


def _check_links(errors: dict, item: AgendaItem, links: dict) -> None:
    """Newly linked actions must be open: the agenda discusses follow-up still to be done."""
    actions = links.get("actions")
    if actions is None:
        return
    already = set(item.actions.values_list("pk", flat=True)) if item.pk else set()
    closed = [a for a in actions if a.pk not in already and a.status not in Action.OPEN_STATUSES]
    if closed:
        listed = ", ".join(f"{a.reference} ({a.get_status_display().lower()})" for a in closed)
        errors.setdefault("actions", []).append(f"Link only open actions; not open: {listed}.")


def _validate_item(item: AgendaItem, links: dict) -> None:
    errors: dict[str, list[str]] = {}
    if not item.title:
        errors["title"] = ["Give the agenda item a title."]
    if item.duration_minutes is not None and item.duration_minutes < 1:
        errors["duration_minutes"] = ["Give the time for the item in minutes (1 to 600), or leave it empty."]
    _active_person(errors, "presenter", item.presenter, "presenter")
    _check_links(errors, item, links)
    _full_clean(item, errors, exclude=["meeting"])
    _raise(errors)


def _set_links(actor, item: AgendaItem, links: dict) -> None:
    for name, records in links.items():
        if records is None:
            continue
        wanted = {r.pk for r in records}
        manager = getattr(item, name)
        if wanted != set(manager.values_list("pk", flat=True)):
            item._history_user = actor
            manager.set(wanted)


def _renumber(actor, meeting: Meeting, items: list[AgendaItem]) -> None:
    """Number the items 1, 2, 3 ... in the given order, saving only those whose number changed."""
    for order, item in enumerate(items, start=1):
        if item.order != order:
            item.order = order
            item._history_user = actor
            item.save(update_fields=["order", "updated_at"])


@transaction.atomic
def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    description: str = "",
    presenter: Person | None = None,
    duration_minutes: int | None = None,
    objectives: Iterable = (),
    customer_feedback: Iterable = (),
    risks: Iterable = (),
    actions: Iterable = (),
) -> AgendaItem:
    """Add an item at the end of the agenda, with the objectives, feedback, risks and open actions it covers."""
    meeting = _lock(meeting)
    _require_agenda_open(meeting)
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-order").values_list("order", flat=True).first()
    item = AgendaItem(
        meeting=meeting,
        order=(last or 0) + 1,
        title=(title or "").strip(),
        description=(description or "").strip(),
        presenter=presenter,
        duration_minutes=duration_minutes,
    )
    links = {
        "objectives": list(objectives or ()),
        "customer_feedback": list(customer_feedback or ()),
        "risks": list(risks or ()),
        "actions": list(actions or ()),
    }
    _validate_item(item, links)
    item._history_user = actor
    item.save()
    _set_links(actor, item, links)
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, **changes) -> AgendaItem:
    """Change an item's title, description, presenter, time or the records it links to."""
    meeting = _lock(item.meeting)
    _require_agenda_open(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    links = {}
    for name, value in changes.items():
        if name not in AGENDA_ITEM_EDITABLE:
            raise TypeError(f"{name} cannot be changed through agenda_item_update")
        if name in AGENDA_LINKS:
            links[name] = list(value) if value is not None else None
            continue
        if name in ("title", "description"):
            value = (value or "").strip()
        setattr(item, name, value)
    _validate_item(item, links)
    item._history_user = actor
    item.save()
    _set_links(actor, item, links)
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> Meeting:
    """Take an item off the agenda of a planned meeting; the others close up."""
    meeting = _lock(item.meeting)
    _require_planned(meeting, "agenda items are removed")
    item = AgendaItem.objects.get(pk=item.pk)
    if item.decisions.exists() or item.amendments.exists():
        raise ApplicationError(f"Item {item.order} of {meeting.reference} has decisions recorded: it stays.")
    item._history_user = actor
    item.delete()
    _renumber(actor, meeting, list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk")))
    return meeting


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda; the first stays first when moved up."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move an agenda item “up” or “down”."})
    meeting = _lock(item.meeting)
    _require_agenda_open(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(actor, meeting, items)
    return next(other for other in items if other.pk == item.pk)
