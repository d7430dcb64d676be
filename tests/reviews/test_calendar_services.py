"""Calendar services: one working feed per user, resetting and turning it off; invitations, reminders and
cancellation notices sent once each, in batches whose queries do not grow with the meetings."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from qms.exceptions import ApplicationError
from qms.models import Notification
from qms.notifications import notify_once
from reviews.models.calendar import CalendarFeed
from reviews.models.meetings import Attendee, Meeting
from reviews.services import calendar as services
from reviews.services.calendar import (
    calendar_feed_create,
    calendar_feed_reset,
    calendar_feed_revoke,
    meeting_send_invitations,
    meeting_send_reminders,
)
from reviews.tasks.calendar import meeting_send_invitations_task, meeting_send_reminders_task
from tests.leadership.factories import PersonFactory, UserFactory
from tests.reviews.factories import MeetingTypeFactory
from tests.reviews.factories_calendar import NOW, CalendarFeedFactory, meeting_with

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def sent(kind: str, meeting: Meeting | None = None) -> list[Notification]:
    rows = Notification.objects.filter(kind=kind).select_related("recipient").order_by("recipient__username")
    if meeting is not None:
        rows = rows.filter(subject_key=f"reviews.meeting:{meeting.pk}")
    return list(rows)


def recipients(kind: str, meeting: Meeting | None = None) -> set:
    return {n.recipient for n in sent(kind, meeting)}


# Feeds -------------------------------------------------------------------------------------------


def test_a_person_gets_one_working_feed(employee):
    feed = calendar_feed_create(actor=employee)

    assert feed.user == employee
    assert feed.revoked_at is None
    assert len(feed.token) >= 40
    with pytest.raises(ApplicationError, match="already have a calendar feed"):
        calendar_feed_create(actor=employee)
    assert CalendarFeed.objects.filter(user=employee).count() == 1


def test_the_database_refuses_a_second_working_feed(employee):
    CalendarFeedFactory(user=employee)

    with pytest.raises(IntegrityError):
        CalendarFeedFactory(user=employee)


def test_an_account_without_a_person_cannot_have_a_feed():
    user = UserFactory()

    with pytest.raises(PermissionDenied, match="not linked to a person"):
        calendar_feed_create(actor=user)
    assert not CalendarFeed.objects.exists()


def test_reset_revokes_the_old_url_and_issues_a_new_one(employee):
    old = calendar_feed_create(actor=employee)

    new = calendar_feed_reset(actor=employee)

    old.refresh_from_db()
    assert old.revoked_at == NOW
    assert new.revoked_at is None
    assert new.token != old.token
    assert CalendarFeed.objects.filter(user=employee, revoked_at__isnull=True).get() == new


def test_reset_without_a_feed_is_refused_with_404(employee):
    with pytest.raises(ApplicationError) as exc:
        calendar_feed_reset(actor=employee)

    assert exc.value.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_revoke_turns_the_own_feed_off_once(employee):
    feed = calendar_feed_create(actor=employee)

    calendar_feed_revoke(actor=employee)

    feed.refresh_from_db()
    assert feed.revoked_at == NOW
    with pytest.raises(ApplicationError, match="no calendar feed turned on"):
        calendar_feed_revoke(actor=employee)
    with pytest.raises(ApplicationError, match="already turned off"):
        calendar_feed_revoke(actor=employee, feed=feed)
    # A new one may be made afterwards.
    assert calendar_feed_create(actor=employee).revoked_at is None


def test_only_the_owner_or_an_administrator_turns_a_feed_off(employee, mgmt_rep):
    feed = calendar_feed_create(actor=employee)

    with pytest.raises(PermissionDenied, match="only your own"):
        calendar_feed_revoke(actor=mgmt_rep, feed=feed)
    admin = UserFactory(is_superuser=True, is_staff=True)
    calendar_feed_revoke(actor=admin, feed=feed)

    feed.refresh_from_db()
    assert feed.revoked_at == NOW


# Invitations -------------------------------------------------------------------------------------


def test_every_attendee_of_a_planned_meeting_is_invited_once(employee):
    chair = PersonFactory(user__first_name="Margaret", user__last_name="Hughes")
    meeting = meeting_with(
        employee.person,
        chair=chair,
        title="Monthly quality meeting",
        planned_start=NOW + 3 * DAY,
        place="Boardroom",
        link="https://meet.example.com/qm",
        agenda=["Customer complaints", "Scrap rate"],
    )

    result = meeting_send_invitations()

    assert result["sent_meeting-invitation"] == 2
    assert recipients("meeting-invitation", meeting) == {employee, chair.user}
    note = Notification.objects.get(kind="meeting-invitation", recipient=employee)
    assert note.period == "invite"
    assert note.title == "Invitation: Monthly quality meeting, Fri 13 Mar 2026 09:00"
    assert "When: Friday 13 March 2026, 09:00 to 10:00 (Europe/London)" in note.body
    assert "Where: Boardroom" in note.body
    assert "Video call: https://meet.example.com/qm" in note.body
    assert "Chair: Margaret Hughes" in note.body
    assert "1. Customer complaints" in note.body
    assert f"/reviews/meetings/{meeting.pk}/ics/" in note.body
    assert note.url.endswith(meeting.get_absolute_url())
    assert len(mail.outbox) == 2
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at == NOW

    # A second run sends nothing and keeps the first time stamp.
    with time_machine.travel(NOW + HOUR, tick=False):
        again = meeting_send_invitations()
    assert again.get("sent_meeting-invitation", 0) == 0
    assert len(mail.outbox) == 2
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at == NOW


def test_attendees_added_later_are_invited_on_the_next_run(employee, qa):
    meeting = meeting_with(employee.person, planned_start=NOW + 5 * DAY)
    meeting_send_invitations()

    Attendee.objects.create(meeting=meeting, person=qa.person)
    with time_machine.travel(NOW + HOUR, tick=False):
        result = meeting_send_invitations()

    assert result["sent_meeting-invitation"] == 1
    assert Notification.objects.get(kind="meeting-invitation", created_at=NOW + HOUR).recipient == qa
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at == NOW


def test_no_invitations_for_past_held_or_cancelled_meetings_nor_to_who_cannot_come(employee):
    meeting_with(employee.person, planned_start=NOW - HOUR)
    meeting_with(employee.person, planned_start=NOW - DAY, status=Meeting.Status.HELD, held_at=NOW - DAY)
    meeting_with(employee.person, planned_start=NOW + DAY, status=Meeting.Status.CANCELLED)
    meeting = meeting_with(planned_start=NOW + DAY)
    Attendee.objects.create(meeting=meeting, person=employee.person, status=Attendee.Status.APOLOGIES)
    gone = PersonFactory(user__is_active=False)
    Attendee.objects.create(meeting=meeting, person=gone)

    meeting_send_invitations()

    assert recipients("meeting-invitation") == {meeting.chair.user}


# Reminders ---------------------------------------------------------------------------------------


def test_attendees_are_reminded_once_about_a_day_before_the_meeting(employee):
    meeting = meeting_with(employee.person, title="Monthly quality meeting", planned_start=NOW + 50 * HOUR)

    meeting_send_reminders()
    with time_machine.travel(NOW + 3 * HOUR, tick=False):  # 47 hours ahead: too early
        meeting_send_reminders()
    assert sent("meeting-reminder") == []

    with time_machine.travel(NOW + 25 * HOUR, tick=False):  # 25 hours ahead
        result = meeting_send_reminders()
    assert result["sent_meeting-reminder"] == 2
    assert recipients("meeting-reminder", meeting) == {employee, meeting.chair.user}
    note = Notification.objects.get(kind="meeting-reminder", recipient=employee)
    assert note.period == "2026-03-12"
    assert note.title == "Reminder: Monthly quality meeting, Thu 12 Mar 2026 11:00"

    with time_machine.travel(NOW + 40 * HOUR, tick=False):  # 10 hours ahead: already reminded
        assert meeting_send_reminders().get("sent_meeting-reminder", 0) == 0


def test_a_meeting_moved_to_another_day_is_reminded_again(employee):
    meeting = meeting_with(employee.person, planned_start=NOW + 20 * HOUR)
    meeting_send_reminders()

    Meeting.objects.filter(pk=meeting.pk).update(planned_start=NOW + 2 * DAY + 6 * HOUR)
    with time_machine.travel(NOW + DAY + 6 * HOUR, tick=False):
        result = meeting_send_reminders()

    assert result["sent_meeting-reminder"] == 2
    assert {n.period for n in sent("meeting-reminder", meeting) if n.recipient == employee} == {
        "2026-03-11",
        "2026-03-12",
    }


def test_the_chair_is_reminded_to_prepare_the_agenda_once_per_meeting_date(employee):
    kind = MeetingTypeFactory(name="Monthly quality meeting", agenda_reminder_days=5)
    chair = PersonFactory()
    meeting_with(employee.person, chair=chair, type=kind, planned_start=NOW + 6 * DAY, agenda=["Figures"])

    meeting_send_reminders()
    assert sent("meeting-agenda-reminder") == []

    with time_machine.travel(NOW + DAY + HOUR, tick=False):
        result = meeting_send_reminders()
        again = meeting_send_reminders()

    assert result["sent_meeting-agenda-reminder"] == 1
    assert again.get("sent_meeting-agenda-reminder", 0) == 0
    note = Notification.objects.get(kind="meeting-agenda-reminder")
    assert note.recipient == chair.user
    assert note.period == "2026-03-16"
    assert "Its agenda has 1 item so far." in note.body
    assert "1. Figures" in note.body


def test_no_agenda_reminder_when_the_type_asks_for_none():
    kind = MeetingTypeFactory(name="Daily stand-up", agenda_reminder_days=0)
    meeting_with(type=kind, planned_start=NOW + 2 * HOUR)

    meeting_send_reminders()

    assert sent("meeting-agenda-reminder") == []


def test_cancelled_and_held_meetings_get_no_reminders(employee):
    meeting_with(employee.person, planned_start=NOW + 20 * HOUR, status=Meeting.Status.CANCELLED)
    meeting_with(employee.person, planned_start=NOW + 20 * HOUR, status=Meeting.Status.HELD, held_at=NOW)

    result = meeting_send_reminders()

    assert Notification.objects.count() == 0
    assert result["meetings"] == 0


def test_who_sent_apologies_gets_no_reminder(employee):
    meeting = meeting_with(planned_start=NOW + 20 * HOUR)
    Attendee.objects.create(meeting=meeting, person=employee.person, status=Attendee.Status.APOLOGIES)

    meeting_send_reminders()

    assert recipients("meeting-reminder") == {meeting.chair.user}


# Cancellations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("run", [meeting_send_invitations, meeting_send_reminders])
def test_the_invited_attendees_of_a_cancelled_meeting_are_told_once(employee, qa, run):
    meeting = meeting_with(employee.person, title="Quarterly review", planned_start=NOW + 3 * DAY)
    meeting_send_invitations()
    Attendee.objects.create(meeting=meeting, person=qa.person)  # added after the invitations went out
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED, cancel_reason="The CEO is abroad.")

    with time_machine.travel(NOW + HOUR, tick=False):
        result = run()
        again = run()

    assert result["sent_meeting-cancelled"] == 2
    assert again.get("sent_meeting-cancelled", 0) == 0
    assert recipients("meeting-cancelled", meeting) == {employee, meeting.chair.user}
    note = Notification.objects.get(kind="meeting-cancelled", recipient=employee)
    assert note.period == "cancelled"
    assert note.title.startswith("Cancelled: Quarterly review")
    assert "Reason: The CEO is abroad." in note.body


def test_a_meeting_cancelled_before_anyone_was_invited_tells_nobody(employee):
    meeting_with(employee.person, planned_start=NOW + 3 * DAY, status=Meeting.Status.CANCELLED)

    meeting_send_invitations()
    meeting_send_reminders()

    assert Notification.objects.count() == 0


# Batches and queries -----------------------------------------------------------------------------


def _meetings(count: int) -> None:
    """`count` planned meetings 30 hours ahead (reminder window), each with a chair and three attendees."""
    kind = MeetingTypeFactory(name="Cell meeting", agenda_reminder_days=2)
    for _ in range(count):
        meeting_with(*PersonFactory.create_batch(3), type=kind, planned_start=NOW + 20 * HOUR, agenda=["Figures"])


@pytest.mark.parametrize("count", [3, 30])
def test_invitation_queries_grow_with_the_batches_not_the_meetings(count, django_assert_num_queries):
    _meetings(count)
    batches = -(-count // 10)
    first = meeting_send_invitations(batch_size=10)
    assert first["sent_meeting-invitation"] == 4 * count
    assert first["meetings_invited"] == count

    # The ids; per batch: the meetings (type and chair joined), their attendees (with accounts),
    # their agenda titles, the messages already sent. Nothing new, so notify_once never runs.
    with (
        mock.patch.object(services, "notify_once", wraps=notify_once) as spy,
        django_assert_num_queries(1 + 4 * batches),
    ):
        meeting_send_invitations(batch_size=10)
    assert spy.call_count == 0


@pytest.mark.parametrize("count", [3, 30])
def test_reminder_queries_grow_with_the_batches_not_the_meetings(count, django_assert_num_queries):
    _meetings(count)
    batches = -(-count // 10)
    first = meeting_send_reminders(batch_size=10)
    assert first["sent_meeting-reminder"] == 4 * count
    assert first["sent_meeting-agenda-reminder"] == count

    with (
        mock.patch.object(services, "notify_once", wraps=notify_once) as spy,
        django_assert_num_queries(1 + 4 * batches),
    ):
        meeting_send_reminders(batch_size=10)
    assert spy.call_count == 0


def test_the_first_invitations_stamp_the_meetings_with_one_update_per_batch(django_assert_num_queries):
    _meetings(3)
    meeting_send_invitations()
    Meeting.objects.update(invitations_sent_at=None)

    # The ids, the meetings, attendees, agenda, messages already sent, and one update for all three.
    with django_assert_num_queries(6):
        result = meeting_send_invitations()
    assert result["meetings_invited"] == 3
    assert not Meeting.objects.filter(invitations_sent_at__isnull=True).exists()


# Tasks -------------------------------------------------------------------------------------------


def test_the_tasks_run_the_services(employee):
    meeting_with(employee.person, planned_start=NOW + 20 * HOUR)

    invited = meeting_send_invitations_task.delay().get()
    reminded = meeting_send_reminders_task.delay().get()

    assert invited["sent_meeting-invitation"] == 2
    assert reminded["sent_meeting-reminder"] == 2
    assert meeting_send_invitations_task.delay().get().get("sent_meeting-invitation", 0) == 0


def test_a_mail_failure_is_retried_without_sending_twice(employee, monkeypatch):
    from django.core.mail import EmailMessage

    meeting_with(employee.person, planned_start=NOW + 3 * DAY)
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(self.to)
        if len(calls) == 2:
            raise ConnectionRefusedError

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with pytest.raises(ConnectionRefusedError):
        meeting_send_invitations()
    # The retry sends only the one that failed.
    meeting_send_invitations()

    assert len(calls) == 3
    assert calls[1] == calls[2]
    assert Notification.objects.filter(kind="meeting-invitation").count() == 2
