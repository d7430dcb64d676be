"""Meeting type schedules and the planning that keeps their next meetings planned."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from qms.exceptions import ApplicationError
from reviews.models.meetings import AgendaItem, Meeting, MeetingType
from reviews.selectors import meetings as selectors
from reviews.services import meetings as services
from reviews.tasks.meetings import meeting_types_plan_task
from tests.leadership.factories import PersonFactory
from tests.reviews.factories import MeetingTypeFactory
from tests.reviews.factories_meetings import chair_person, scheduled_type

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def starts(meeting_type, after=NOW, count=4):
    return [
        timezone.localtime(s).replace(tzinfo=None)
        for s in selectors.schedule_occurrences(meeting_type, after=after, count=count)
    ]


# The schedule ----------------------------------------------------------------------------------


def test_a_monthly_schedule_keeps_the_day_of_the_month_and_clips_to_the_month_end():
    meeting_type = scheduled_type(local(2026, 1, 31, 10, 0))

    assert starts(meeting_type, after=local(2026, 1, 1, 0, 0)) == [
        datetime.datetime(2026, 1, 31, 10, 0),
        datetime.datetime(2026, 2, 28, 10, 0),
        datetime.datetime(2026, 3, 31, 10, 0),
        datetime.datetime(2026, 4, 30, 10, 0),
    ]


def test_a_weekly_schedule_steps_by_seven_days():
    meeting_type = scheduled_type(local(2026, 3, 2, 8, 30), frequency=MeetingType.Frequency.WEEKLY)

    assert starts(meeting_type, count=3) == [
        datetime.datetime(2026, 3, 16, 8, 30),
        datetime.datetime(2026, 3, 23, 8, 30),
        datetime.datetime(2026, 3, 30, 8, 30),
    ]


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("quarterly", [(2026, 5, 31), (2026, 8, 31), (2026, 11, 30)]),
        ("half-yearly", [(2026, 5, 31), (2026, 11, 30), (2027, 5, 31)]),
        ("yearly", [(2026, 5, 31), (2027, 5, 31), (2028, 5, 31)]),
    ],
)
def test_longer_schedules_step_by_months(frequency, expected):
    meeting_type = scheduled_type(local(2025, 5, 31, 14, 0), frequency=frequency)

    assert starts(meeting_type, count=3) == [datetime.datetime(*day, 14, 0) for day in expected]


def test_a_yearly_schedule_from_the_29th_of_february_falls_on_the_28th_in_other_years():
    meeting_type = scheduled_type(local(2024, 2, 29, 9, 0), frequency=MeetingType.Frequency.YEARLY)

    assert [s.date() for s in starts(meeting_type, count=3)] == [
        datetime.date(2027, 2, 28),
        datetime.date(2028, 2, 29),
        datetime.date(2029, 2, 28),
    ]


def test_meetings_stay_at_the_same_local_time_across_daylight_saving():
    """10:00 in London is 10:00 UTC in winter and 09:00 UTC in summer."""
    meeting_type = scheduled_type(local(2026, 1, 15, 10, 0))

    occurrences = selectors.schedule_occurrences(meeting_type, after=NOW, count=2)

    assert [o.astimezone(datetime.UTC).hour for o in occurrences] == [10, 9]  # 15 March (GMT), 15 April (BST)


def test_occurrences_are_strictly_after_the_given_time():
    meeting_type = scheduled_type(local(2026, 3, 10, 9, 0))

    assert starts(meeting_type, after=local(2026, 3, 10, 9, 0), count=1) == [datetime.datetime(2026, 4, 10, 9, 0)]


def test_a_type_without_a_schedule_has_no_occurrences():
    assert selectors.schedule_occurrences(MeetingTypeFactory(), after=NOW, count=3) == []


# Planning -------------------------------------------------------------------------------------


def test_planning_creates_the_next_occurrences_with_the_types_defaults(mgmt_rep):
    invitee, departed = PersonFactory(), PersonFactory(user__is_active=False)
    meeting_type = scheduled_type(
        local(2026, 1, 20, 10, 0),
        plan_ahead=3,
        default_place="Board room",
        default_link="https://meet.example.com/quality",
        default_duration_minutes=90,
        default_agenda="Actions from the last meeting\nScrap and rework\n\nCustomer complaints",
    )
    meeting_type.default_invitees.set([invitee, departed])

    created = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)

    assert [timezone.localtime(m.planned_start).replace(tzinfo=None) for m in created] == [
        datetime.datetime(2026, 3, 20, 10, 0),
        datetime.datetime(2026, 4, 20, 10, 0),
        datetime.datetime(2026, 5, 20, 10, 0),
    ]
    first = created[0]
    assert first.scheduled
    assert first.status == Meeting.Status.PLANNED
    assert (first.title, first.place, first.link, first.duration_minutes) == (
        meeting_type.name,
        "Board room",
        "https://meet.example.com/quality",
        90,
    )
    assert first.chair == meeting_type.default_chair
    assert {a.person for a in first.attendees.all()} == {meeting_type.default_chair, invitee}
    assert [i.title for i in AgendaItem.objects.filter(meeting=first)] == [
        "Actions from the last meeting",
        "Scrap and rework",
        "Customer complaints",
    ]
    assert first.history.get().history_user == mgmt_rep
    assert first.attendees.first().history.get().history_user == mgmt_rep


def test_planning_twice_creates_nothing_the_second_time(mgmt_rep):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=3)

    services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)
    again = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)

    assert again == []
    assert Meeting.objects.filter(type=meeting_type).count() == 3


def test_a_moved_occurrence_is_not_planned_again(mgmt_rep):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=2)
    first, _second = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)

    services.meeting_update(actor=mgmt_rep, meeting=first, planned_start=local(2026, 3, 24, 14, 0))

    assert services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type) == []
    assert Meeting.objects.filter(type=meeting_type).count() == 2


def test_a_cancelled_occurrence_is_not_planned_again(mgmt_rep):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=2)
    first, _second = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)

    services.meeting_cancel(actor=mgmt_rep, meeting=first, reason="Plant shutdown for the ERP migration.")

    assert services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type) == []


def test_a_meeting_planned_by_hand_on_the_date_covers_the_occurrence(mgmt_rep):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=2)
    by_hand = services.meeting_create(
        actor=mgmt_rep,
        type=meeting_type,
        title="March quality meeting, early start",
        planned_start=local(2026, 3, 20, 8, 0),
        chair=meeting_type.default_chair,
    )

    created = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)

    assert [timezone.localdate(m.planned_start) for m in created] == [datetime.date(2026, 4, 20)]
    assert not by_hand.scheduled


def test_as_time_passes_the_next_occurrence_is_planned(mgmt_rep, clock):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=2)
    services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)

    clock.move_to(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC))
    created = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)

    assert [timezone.localdate(m.planned_start) for m in created] == [datetime.date(2026, 5, 20)]


def test_planning_from_a_given_day_includes_that_days_meeting(mgmt_rep):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=1)

    created = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type, today=datetime.date(2026, 3, 20))

    assert [timezone.localtime(m.planned_start).replace(tzinfo=None) for m in created] == [
        datetime.datetime(2026, 3, 20, 10, 0)
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"default_chair": None}, "no default chair"),
        ({"is_active": False}, "no longer used"),
        ({"frequency": "none", "first_occurrence": None}, "no schedule"),
    ],
)
def test_a_type_that_cannot_be_planned_says_why(mgmt_rep, changes, message):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0))
    MeetingType.objects.filter(pk=meeting_type.pk).update(**changes)

    with pytest.raises(ApplicationError, match=message):
        services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)
    assert not Meeting.objects.exists()


def test_a_default_chair_who_left_stops_planning(mgmt_rep):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), default_chair=chair_person(user__is_active=False))

    with pytest.raises(ApplicationError, match="can no longer sign in"):
        services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)


def test_the_next_occurrences_on_the_type_page_show_what_is_planned(mgmt_rep):
    meeting_type = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=2)
    first, _second = services.meeting_type_plan(actor=mgmt_rep, meeting_type=meeting_type)
    services.meeting_cancel(actor=mgmt_rep, meeting=first, reason="Customer audit that day.")

    rows = selectors.meeting_type_next_occurrences(meeting_type, count=4)

    assert [(r["meeting"] and r["meeting"].status, r["within_plan"]) for r in rows] == [
        ("cancelled", True),
        ("planned", True),
        (None, False),
        (None, False),
    ]


# The daily task --------------------------------------------------------------------------------


def test_the_daily_task_plans_every_active_scheduled_type_and_skips_broken_ones(django_capture_on_commit_callbacks):
    monthly = scheduled_type(local(2026, 1, 20, 10, 0), plan_ahead=3)
    weekly = scheduled_type(local(2026, 3, 2, 8, 30), frequency=MeetingType.Frequency.WEEKLY, plan_ahead=2)
    retired = scheduled_type(local(2026, 1, 5, 10, 0), is_active=False)
    unscheduled = MeetingTypeFactory()
    broken = scheduled_type(local(2026, 1, 6, 10, 0))
    MeetingType.objects.filter(pk=broken.pk).update(default_chair=None)

    with django_capture_on_commit_callbacks(execute=True):
        result = meeting_types_plan_task.delay().get()

    assert result == {monthly.name: 3, weekly.name: 2, broken.name: -1}
    assert not Meeting.objects.filter(type__in=[retired, unscheduled]).exists()
    assert meeting_types_plan_task.delay().get() == {monthly.name: 0, weekly.name: 0, broken.name: -1}
    assert Meeting.objects.count() == 5


def test_a_management_review_schedule_says_when_a_review_is_due_but_plans_no_bare_meetings(mgmt_rep):
    """A review is prepared with its period and inputs, which plans its meeting; the task leaves it alone."""
    review_type = services.meeting_type_create(
        actor=mgmt_rep,
        name="Management review",
        category=MeetingType.Category.MANAGEMENT_REVIEW,
        frequency=MeetingType.Frequency.YEARLY,
        first_occurrence=local(2025, 5, 20, 9, 0),
        plan=True,
    )

    with pytest.raises(ApplicationError, match="management review page"):
        services.meeting_type_plan(actor=mgmt_rep, meeting_type=review_type)
    assert meeting_types_plan_task.delay().get() == {}
    assert not Meeting.objects.exists()
    (due, *_rest) = selectors.meeting_type_next_occurrences(review_type)
    assert timezone.localdate(due["start"]) == datetime.date(2026, 5, 20)
