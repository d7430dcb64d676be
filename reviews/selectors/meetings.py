"""Reads of meetings: types and their schedules, the meeting list, agendas, top management attendance.

A type's schedule is pure arithmetic on its first occurrence, done in the organisation's time zone
so that a 10:00 meeting stays at 10:00 across daylight-saving changes; the results are aware
datetimes stored in UTC like every other time.
"""

import calendar
import datetime

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from leadership.models import Person
from leadership.models.customers import CustomerFeedback
from leadership.roles import Role
from objectives.models import Objective
from objectives.models.risks import Risk
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting, MeetingType

# Months between two occurrences; weekly schedules step by days instead.
STEP_MONTHS = {
    MeetingType.Frequency.MONTHLY: 1,
    MeetingType.Frequency.QUARTERLY: 3,
    MeetingType.Frequency.HALF_YEARLY: 6,
    MeetingType.Frequency.YEARLY: 12,
}
# Meetings that took place: they count as held in attendance figures.
HELD_STATUSES = (Meeting.Status.HELD, Meeting.Status.SIGNED)
# Attendance below this share of the quality meetings held is flagged.
ATTENDANCE_THRESHOLD_PCT = 50
ATTENDANCE_WINDOWS = (6, 12)


# Schedules ------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int, keep_day: int | None = None) -> datetime.date:
    """`day` moved by `months`, on `keep_day` (default: its own day) clipped to the month's last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return datetime.date(year, month, min(keep_day or day.day, calendar.monthrange(year, month)[1]))


def local_day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the organisation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def is_scheduled(meeting_type: MeetingType) -> bool:
    return meeting_type.frequency != MeetingType.Frequency.NONE and meeting_type.first_occurrence is not None


def plans_meetings(meeting_type: MeetingType) -> bool:
    """Whether the schedule plans meetings by itself.

    A management review is prepared with its review period and 9.3.2 inputs
    (`management_review_prepare`), which plans its meeting; a bare meeting would lack the review.
    Its type's schedule only says when a review is due.
    """
    return is_scheduled(meeting_type) and meeting_type.category != MeetingType.Category.MANAGEMENT_REVIEW


def schedule_occurrence(meeting_type: MeetingType, n: int) -> datetime.datetime:
    """The `n`th occurrence (0 = the first) of a scheduled type, at the first one's local time of day.

    Monthly and longer schedules keep the first occurrence's day of the month, clipped to the last
    day of shorter months (31 January, 28 February, 31 March).
    """
    first = timezone.localtime(meeting_type.first_occurrence)
    if meeting_type.frequency == MeetingType.Frequency.WEEKLY:
        day = first.date() + datetime.timedelta(weeks=n)
    else:
        day = add_months(first.date(), n * STEP_MONTHS[meeting_type.frequency], first.day)
    return timezone.make_aware(datetime.datetime.combine(day, first.time()))


def schedule_occurrences(meeting_type: MeetingType, *, after: datetime.datetime, count: int) -> list[datetime.datetime]:
    """The next `count` occurrences strictly after `after`; none for a type without a schedule."""
    if not is_scheduled(meeting_type) or count <= 0:
        return []
    first = timezone.localtime(meeting_type.first_occurrence)
    after_local = timezone.localtime(after)
    # Start just before `after` rather than walking every occurrence since the first one.
    if meeting_type.frequency == MeetingType.Frequency.WEEKLY:
        n = (after_local.date() - first.date()).days // 7 - 1
    else:
        months = (after_local.year - first.year) * 12 + after_local.month - first.month
        n = months // STEP_MONTHS[meeting_type.frequency] - 1
    n = max(n, 0)
    result = []
    while len(result) < count:
        occurrence = schedule_occurrence(meeting_type, n)
        if occurrence > after:
            result.append(occurrence)
        n += 1
    return result


def occurrence_coverage(meeting_type: MeetingType, *, since: datetime.datetime) -> dict[datetime.date, Meeting]:
    """The meetings of `meeting_type` from `since` on, by the local dates they cover, in at most three queries.

    A meeting covers the date it is planned for now and the date it was first planned for, so an
    occurrence that was moved or cancelled is never planned a second time. Where two meetings cover
    one date, the one not cancelled is given.
    """
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(type=meeting_type, planned_start__gte=since).select_related("chair__user")
    }
    # The history's creation rows tell the date each meeting was first planned for.
    first_planned = dict(
        Meeting.history.filter(type_id=meeting_type.pk, history_type="+", planned_start__gte=since).values_list(
            "id", "planned_start"
        )
    )
    missing = set(first_planned) - set(meetings)
    if missing:
        meetings.update({m.pk: m for m in Meeting.objects.filter(pk__in=missing).select_related("chair__user")})
    coverage: dict[datetime.date, Meeting] = {}

    def cover(day: datetime.date, meeting: Meeting) -> None:
        current = coverage.get(day)
        if current is None or (current.status == Meeting.Status.CANCELLED and meeting.status != current.status):
            coverage[day] = meeting

    for meeting in meetings.values():
        cover(timezone.localdate(meeting.planned_start), meeting)
    for pk, planned_start in first_planned.items():
        if pk in meetings:
            cover(timezone.localdate(planned_start), meetings[pk])
    return coverage


def meeting_type_next_occurrences(
    meeting_type: MeetingType, *, count: int | None = None, now: datetime.datetime | None = None
) -> list[dict]:
    """The type's next occurrences for its page: [{start, meeting (or None), within_plan}].

    `within_plan` marks the occurrences that planning keeps as meetings (the first `plan_ahead`).
    """
    now = now or timezone.now()
    count = count or max(meeting_type.plan_ahead + 2, 6)
    occurrences = schedule_occurrences(meeting_type, after=now, count=count)
    if not occurrences:
        return []
    coverage = occurrence_coverage(meeting_type, since=local_day_start(timezone.localdate(occurrences[0])))
    return [
        {
            "start": start,
            "meeting": coverage.get(timezone.localdate(start)),
            "within_plan": index < meeting_type.plan_ahead,
        }
        for index, start in enumerate(occurrences)
    ]


# People who may take a part -------------------------------------------------------------------


def people_with_permission(permission: str) -> QuerySet[Person]:
    """Active people whose role (or account) holds `permission`, e.g. chairs who may sign minutes."""
    # Named, because with_perm() refuses to guess once there is more than one backend (the login throttle).
    users = get_user_model().objects.with_perm(
        permission, is_active=True, include_superusers=True, backend="django.contrib.auth.backends.ModelBackend"
    )
    return Person.objects.select_related("user").filter(user__in=users.values("pk"))


def active_people() -> QuerySet[Person]:
    return Person.objects.select_related("user").filter(user__is_active=True)


# Meeting types ----------------------------------------------------------------------------------


def meeting_type_list(*, now: datetime.datetime | None = None) -> QuerySet[MeetingType]:
    """Types with their default chair, the number of meetings and of planned meetings still to come."""
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(type=OuterRef("pk"), status=Meeting.Status.PLANNED, planned_start__gte=now)
    return MeetingType.objects.select_related("default_chair__user").annotate(
        meetings_count=_count(Meeting.objects.filter(type=OuterRef("pk"))),
        upcoming_count=_count(upcoming),
        next_meeting_start=Subquery(upcoming.order_by("planned_start").values("planned_start")[:1]),
    )


def meeting_type_get(pk) -> MeetingType:
    """One type with its default chair and invitees."""
    return (
        meeting_type_list()
        .prefetch_related(Prefetch("default_invitees", queryset=Person.objects.select_related("user")))
        .get(pk=pk)
    )


def meeting_type_meetings(meeting_type: MeetingType, *, now: datetime.datetime | None = None) -> dict:
    """The type's meetings still to come (soonest first) and its ten most recent past ones."""
    now = now or timezone.now()
    base = meeting_list(now=now).filter(type=meeting_type)
    return {
        "upcoming": list(base.filter(planned_start__gte=now)[:24]),
        "recent": list(base.filter(planned_start__lt=now)[:10]),
    }


# Meetings ---------------------------------------------------------------------------------------


class _SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: counts of several many-sides without multiplying rows."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _count(queryset) -> _SubqueryCount:
    return _SubqueryCount(queryset.order_by().values("pk"))


def meeting_list(*, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings for lists: upcoming first (soonest first), then past ones (latest first).

    Type, chair, minute-taker and department are joined; `decisions_count`, `actions_count`,
    `agenda_count` and `attendees_count` are annotated, and `is_upcoming` says which group a row
    is in.
    """
    now = now or timezone.now()
    upcoming = Q(planned_start__gte=now)
    return (
        Meeting.objects.select_related("type", "chair__user", "minute_taker__user", "department")
        .annotate(
            decisions_count=_count(Decision.objects.filter(meeting=OuterRef("pk"))),
            actions_count=_count(Action.objects.filter(decision__meeting=OuterRef("pk"))),
            agenda_count=_count(AgendaItem.objects.filter(meeting=OuterRef("pk"))),
            attendees_count=_count(Attendee.objects.filter(meeting=OuterRef("pk"))),
            is_upcoming=Case(When(upcoming, then=Value(True)), default=Value(False), output_field=BooleanField()),
            upcoming_start=Case(When(upcoming, then=F("planned_start")), default=None, output_field=DateTimeField()),
        )
        .order_by("-is_upcoming", F("upcoming_start").asc(nulls_last=True), "-planned_start", "-pk")
    )


def meeting_list_for(person: Person | None, *, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The meetings `person` chairs, takes the minutes of or is invited to, with `my_status` (their attendance)."""
    if person is None:
        return meeting_list(now=now).none()
    mine = Attendee.objects.filter(meeting=OuterRef("pk"), person=person)
    return (
        meeting_list(now=now)
        .filter(Q(chair=person) | Q(minute_taker=person) | Q(Exists(mine)))
        .annotate(my_status=Subquery(mine.values("status")[:1]))
    )


def meeting_get(pk) -> Meeting:
    """One meeting with its type, people and department, for its forms."""
    return Meeting.objects.select_related("type", "chair__user", "minute_taker__user", "department").get(pk=pk)


def _agenda_queryset() -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.select_related("presenter__user")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.only("id", "reference", "title").order_by("reference")),
            Prefetch(
                "customer_feedback",
                queryset=CustomerFeedback.objects.select_related("customer").only(
                    "id", "reference", "type", "customer__name"
                ),
            ),
            Prefetch("risks", queryset=Risk.objects.only("id", "reference", "title").order_by("reference")),
            Prefetch(
                "actions", queryset=Action.objects.only("id", "reference", "title", "status").order_by("reference")
            ),
        )
        .order_by("order", "pk")
    )


def agenda_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """A meeting's agenda in order, each item with its presenter and the records it links to."""
    return _agenda_queryset().filter(meeting=meeting)


def attendees(meeting: Meeting) -> QuerySet[Attendee]:
    """A meeting's list of invited people, by name, with their accounts and departments."""
    return Attendee.objects.filter(meeting=meeting).select_related("person__user", "person__department")


def meeting_list_detailed(*, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """`meeting_list()` with each meeting's agenda (and the records it links to) and attendees prefetched."""
    return meeting_list(now=now).prefetch_related(
        Prefetch("agenda_items", queryset=_agenda_queryset()),
        Prefetch("attendees", queryset=Attendee.objects.select_related("person__user", "person__department")),
    )


def meeting_detail(pk) -> Meeting:
    """One meeting as in the list, with its agenda (and links) and attendees, in a fixed number of queries."""
    return meeting_list_detailed().get(pk=pk)


# Top management attendance ----------------------------------------------------------------------


def top_management_attendance(today: datetime.date | None = None) -> dict:
    """Quality meetings each top manager attended, against those held, over the last 6 and 12 months.

    A quality meeting is a meeting of a type counted as one (`is_quality_meeting`) that was held
    (held or signed); attended means marked present. Rates under 50 % are flagged, and so is anyone
    who attended none of the year's meetings. Three queries, whatever the number of people or meetings.
    """
    today = today or timezone.localdate()
    end = local_day_start(today + datetime.timedelta(days=1))
    windows = [
        {"months": months, "since": add_months(today, -months), "start": local_day_start(add_months(today, -months))}
        for months in ATTENDANCE_WINDOWS
    ]

    def in_window(prefix: str, window: dict) -> Q:
        return Q(**{f"{prefix}held_at__gte": window["start"], f"{prefix}held_at__lt": end})

    quality = Q(type__is_quality_meeting=True, status__in=HELD_STATUSES)
    held = Meeting.objects.filter(quality).aggregate(
        **{f"held_{w['months']}": Count("pk", filter=in_window("", w)) for w in windows}
    )
    managers = list(
        Person.objects.select_related("user", "department")
        .filter(user__is_active=True, user__groups__name=Role.TOP_MANAGEMENT)
        .distinct()
    )
    present = Q(status=Attendee.Status.PRESENT)
    stats = {
        row["person"]: row
        for row in Attendee.objects.filter(
            person__in=[m.pk for m in managers],
            meeting__type__is_quality_meeting=True,
            meeting__status__in=HELD_STATUSES,
        )
        .order_by()
        .values("person")
        .annotate(
            last_attended=Max("meeting__held_at", filter=present),
            **{f"attended_{w['months']}": Count("pk", filter=present & in_window("meeting__", w)) for w in windows},
            **{f"invited_{w['months']}": Count("pk", filter=in_window("meeting__", w)) for w in windows},
        )
    }
    rows = []
    for person in managers:
        row = stats.get(person.pk, {})
        cells = []
        for window in windows:
            months = window["months"]
            attended, held_count = row.get(f"attended_{months}", 0), held[f"held_{months}"]
            rate = round(100 * attended / held_count) if held_count else None
            cells.append(
                {
                    "months": months,
                    "attended": attended,
                    "held": held_count,
                    "invited": row.get(f"invited_{months}", 0),
                    "rate": rate,
                    "low": rate is not None and 100 * attended < ATTENDANCE_THRESHOLD_PCT * held_count,
                }
            )
        year = cells[-1]
        none_attended = year["held"] > 0 and year["attended"] == 0
        rows.append(
            {
                "person": person,
                "windows": cells,
                "last_attended": row.get("last_attended"),
                "none_attended": none_attended,
                "flagged": none_attended or any(c["low"] for c in cells),
            }
        )
    return {
        "today": today,
        "windows": [{"months": w["months"], "since": w["since"], "held": held[f"held_{w['months']}"]} for w in windows],
        "rows": rows,
        "threshold": ATTENDANCE_THRESHOLD_PCT,
        "flagged_count": sum(1 for r in rows if r["flagged"]),
    }
