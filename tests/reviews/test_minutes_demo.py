"""The demo year of monthly quality meetings: recorded and signed through the services, dated realistically."""

import datetime

import pytest
from django.utils import timezone

from leadership.demo import people
from leadership.models.commitment import CommitmentEntry
from reviews.demo import meetings as demo
from reviews.models.actions import Action
from reviews.models.meetings import Attendee, Meeting, MeetingType, MinutesAmendment
from reviews.selectors import minutes as selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    people.seed_organisation()
    return people.people_by_username()


def test_a_year_of_signed_quality_meetings_with_decisions_actions_and_the_next_two_planned(staff):
    created = demo.seed(staff)

    assert created["meeting types"] == 4
    quality = MeetingType.objects.get(name=demo.QUALITY)
    signed = Meeting.objects.filter(type=quality, status=Meeting.Status.SIGNED).order_by("planned_start")
    assert signed.count() == 12
    assert (
        Meeting.objects.filter(type=quality, status=Meeting.Status.PLANNED, planned_start__gt=timezone.now()).count()
        == 2
    )
    assert MeetingType.objects.get(name="Operations meeting").is_quality_meeting is False
    assert MeetingType.objects.get(name="Management review").category == MeetingType.Category.MANAGEMENT_REVIEW
    for meeting in signed:
        loaded = selectors.meeting_get(meeting.pk)
        assert selectors.meeting_signature_intact(loaded) is True, meeting.reference
        assert 4 <= loaded.agenda_items.count() <= 6
        assert loaded.chair.user.username in ("margaret", "priya")
        assert not loaded.attendees.filter(status=Attendee.Status.INVITED).exists()
        # Dated when it happened: signed the day after the meeting, not when the demo ran.
        assert loaded.signed_at.date() - loaded.held_at.date() == datetime.timedelta(days=1)
        assert loaded.signature.signed_at == loaded.signed_at
        assert loaded.created_at < loaded.held_at
    david, margaret = staff["david"], staff["margaret"]
    present = Attendee.objects.filter(meeting__type=quality, status=Attendee.Status.PRESENT)
    assert present.filter(person=david).count() == 2
    assert present.filter(person=margaret).count() == 10
    actions = Action.objects.filter(decision__meeting__type=quality)
    assert created["actions"] == actions.count() >= 16
    statuses = set(actions.values_list("status", flat=True))
    assert statuses == {"open", "in-progress", "done", "verified"}
    overdue = actions.filter(status__in=Action.OPEN_STATUSES, due_date__lt=timezone.localdate())
    assert overdue.count() == 3
    assert CommitmentEntry.objects.filter(source=CommitmentEntry.Source.MEETING_CHAIRED, person=margaret).count() == 10
    amendment = MinutesAmendment.objects.get()
    assert amendment.signature.meaning == "authored"


def test_seeding_twice_adds_nothing(staff):
    demo.seed(staff)
    counts = (Meeting.objects.count(), Action.objects.count(), MeetingType.objects.count())

    assert demo.seed(staff) == {}
    assert (Meeting.objects.count(), Action.objects.count(), MeetingType.objects.count()) == counts
