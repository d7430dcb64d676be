"""Overdue management reviews: top management and the representative hear once a week until one is held."""

import datetime

import pytest
import time_machine
from django.core import mail

from qms.models import Notification
from reviews.models.management_reviews import ManagementReview
from reviews.models.meetings import MeetingType
from reviews.selectors.management_reviews import management_review_overdue
from reviews.services.management_reviews import management_review_notify_overdue
from reviews.tasks.management_reviews import management_review_notify_overdue_task
from tests.reviews.factories import MeetingFactory
from tests.reviews.factories_management_reviews import ManagementReviewFactory, ReviewMeetingTypeFactory

pytestmark = pytest.mark.django_db

KIND = "management-review-overdue"


def at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(hour=7, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def yearly():
    """Reviews called for every 15 January, the first in 2025."""
    return ReviewMeetingTypeFactory(
        frequency=MeetingType.Frequency.YEARLY,
        first_occurrence=datetime.datetime(2025, 1, 15, 10, 0, tzinfo=datetime.UTC),
    )


def held_review(meeting_type, held: str) -> ManagementReview:
    moment = datetime.datetime.fromisoformat(held).replace(hour=10, tzinfo=datetime.UTC)
    return ManagementReviewFactory(
        meeting=MeetingFactory(type=meeting_type, planned_start=moment, status="held", held_at=moment),
        status=ManagementReview.Status.HELD,
        frozen_at=moment,
    )


def test_a_review_not_held_after_its_date_and_the_grace_days_is_overdue(yearly, ceo, mgmt_rep, qa, settings):
    settings.CLAUSE5_REVIEW_OVERDUE_GRACE_DAYS = 14
    held_review(yearly, "2025-01-20")
    with at("2026-01-29"):  # 14 days after 15 January 2026: still within the grace
        assert management_review_notify_overdue() == 0
    with at("2026-01-30"):
        rows = management_review_overdue()
        assert [(r["type"], r["due"], r["days_overdue"]) for r in rows] == [(yearly, datetime.date(2026, 1, 15), 15)]
        assert management_review_notify_overdue() == 2

    notices = Notification.objects.filter(kind=KIND)
    assert {n.recipient for n in notices} == {ceo, mgmt_rep}
    notice = notices.first()
    assert notice.title == "Management review overdue: “Management review” was due on 15 Jan 2026"
    assert notice.url.endswith("/reviews/management-reviews/")
    assert len(mail.outbox) == 2


def test_each_person_hears_once_a_week(yearly, ceo, mgmt_rep):
    with at("2026-02-02"):
        assert management_review_notify_overdue() == 2
        assert management_review_notify_overdue() == 0
    with at("2026-02-06"):  # same ISO week
        assert management_review_notify_overdue() == 0
    with at("2026-02-09"):  # the next week
        assert management_review_notify_overdue() == 2


def test_a_review_held_since_the_scheduled_date_or_a_little_before_counts(yearly, ceo):
    held_review(yearly, "2026-01-05")  # ten days early
    with at("2026-02-10"):
        assert management_review_overdue() == []
        assert management_review_notify_overdue() == 0


def test_a_review_still_being_prepared_does_not_count(yearly, ceo):
    ManagementReviewFactory(meeting=MeetingFactory(type=yearly))
    with at("2026-02-10"):
        assert len(management_review_overdue()) == 1


def test_a_review_of_another_type_does_not_count(yearly, ceo):
    held_review(ReviewMeetingTypeFactory(name="Site review"), "2026-01-20")
    with at("2026-02-10"):
        assert len(management_review_overdue()) == 1


@pytest.mark.parametrize(
    "changes",
    [{"is_active": False}, {"frequency": MeetingType.Frequency.NONE, "first_occurrence": None}],
)
def test_unscheduled_or_retired_types_are_never_overdue(yearly, ceo, changes):
    MeetingType.objects.filter(pk=yearly.pk).update(**changes)
    with at("2026-06-01"):
        assert management_review_notify_overdue() == 0


def test_nothing_is_due_before_the_first_occurrence(ceo):
    ReviewMeetingTypeFactory(
        frequency=MeetingType.Frequency.HALF_YEARLY,
        first_occurrence=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC),
    )
    with at("2026-03-10"):
        assert management_review_overdue() == []


def test_month_ends_are_respected(ceo):
    """A schedule on the 31st falls on the last day of shorter months."""
    meeting_type = ReviewMeetingTypeFactory(
        frequency=MeetingType.Frequency.QUARTERLY,
        first_occurrence=datetime.datetime(2025, 8, 31, 9, 0, tzinfo=datetime.UTC),
    )
    with at("2026-03-20"):
        rows = management_review_overdue()
    assert [(r["type"], r["due"]) for r in rows] == [(meeting_type, datetime.date(2026, 2, 28))]


def test_the_daily_task_sends_and_a_second_run_sends_nothing(yearly, ceo, mgmt_rep):
    with at("2026-02-02"):
        assert management_review_notify_overdue_task.delay().get() == 2
        assert management_review_notify_overdue_task.delay().get() == 0
