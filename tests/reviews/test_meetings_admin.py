"""The admin of meeting types and meetings: types are corrected under the app's rules, meetings only read."""

import datetime

import pytest
from django.urls import reverse

from reviews.models.meetings import MeetingType
from tests.leadership.factories import UserFactory
from tests.reviews.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory, MeetingTypeFactory
from tests.reviews.factories_meetings import chair_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_lists_and_a_meeting_with_its_list_and_agenda_are_shown(admin_client):
    meeting = MeetingFactory(title="Monthly quality meeting")
    AttendeeFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, title="Scrap and rework")

    assert admin_client.get(reverse("admin:reviews_meetingtype_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:reviews_meeting_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:reviews_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    assert "Scrap and rework" in page.content.decode()


def test_meetings_are_not_added_changed_or_deleted_in_the_admin(admin_client):
    meeting = MeetingFactory()

    assert admin_client.get(reverse("admin:reviews_meeting_add")).status_code == 403
    response = admin_client.post(reverse("admin:reviews_meeting_change", args=[meeting.pk]), {"title": "Changed"})
    assert response.status_code == 403
    assert admin_client.get(reverse("admin:reviews_meeting_delete", args=[meeting.pk])).status_code == 403


def test_a_type_corrected_in_the_admin_keeps_the_schedule_rules(admin_client):
    meeting_type = MeetingTypeFactory(name="Monthly quality meeting")
    data = {
        "name": "Monthly quality meeting",
        "category": "quality",
        "is_quality_meeting": "on",
        "frequency": "monthly",
        "first_occurrence_0": "2026-01-14",
        "first_occurrence_1": "10:00:00",
        "plan_ahead": "3",
        "default_duration_minutes": "60",
        "agenda_reminder_days": "5",
        "is_active": "on",
    }

    response = admin_client.post(reverse("admin:reviews_meetingtype_change", args=[meeting_type.pk]), data)
    assert response.status_code == 200
    assert "needs a default chair" in response.content.decode()

    chair = chair_person()
    response = admin_client.post(
        reverse("admin:reviews_meetingtype_change", args=[meeting_type.pk]), {**data, "default_chair": chair.pk}
    )
    assert response.status_code == 302
    meeting_type.refresh_from_db()
    assert meeting_type.first_occurrence.date() == datetime.date(2026, 1, 14)
    assert admin_client.get(reverse("admin:reviews_meetingtype_delete", args=[meeting_type.pk])).status_code == 403
    assert MeetingType.objects.count() == 1
