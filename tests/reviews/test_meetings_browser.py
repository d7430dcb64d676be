"""Agenda preparation in a real browser: items and invitees change in place, without reloading the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models.meetings import AgendaItem, Attendee
from tests.leadership.factories import PersonFactory
from tests.reviews.factories import AttendeeFactory, MeetingFactory, MeetingTypeFactory
from tests.reviews.factories_meetings import chair_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_preparing_an_agenda_changes_it_in_place(page_as, live_server, qa):
    meeting = MeetingFactory(
        type=MeetingTypeFactory(name="Monthly quality meeting"),
        title="April quality meeting",
        planned_start=timezone.now() + datetime.timedelta(days=7),
        chair=chair_person(user__first_name="Margaret", user__last_name="Hale"),
        place="Board room",
    )
    AttendeeFactory(meeting=meeting, person=meeting.chair)
    PersonFactory(user__first_name="Lucy", user__last_name="Okafor", job_title="Quality engineer")
    page = page_as(qa)
    page.goto(live_server.url + reverse("reviews:meeting-agenda", args=[meeting.pk]))
    # A marker that a full page load would wipe out.
    page.evaluate("window.notReloaded = true")

    page.fill("#id_add_title", "Scrap rate on the 5-axis cell")
    page.fill("#id_add_duration_minutes", "20")
    page.click("text=Add to the agenda")
    page.wait_for_selector("text=“Scrap rate on the 5-axis cell”, added.")
    page.fill("#id_add_title", "Customer complaints")
    page.click("text=Add to the agenda")
    page.wait_for_selector("text=Item 2, “Customer complaints”, added.")

    page.click("button:has-text('Move item 2 up')")
    page.wait_for_function(
        "() => document.querySelector('#agenda li .fw-medium').textContent.includes('Customer complaints')"
    )
    page.select_option("#id_invite_person", label="Lucy Okafor (Quality engineer)")
    page.click("button:has-text('Invite')")
    page.wait_for_selector("text=Lucy Okafor invited.")

    assert page.evaluate("window.notReloaded") is True
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == [
        "Customer complaints",
        "Scrap rate on the 5-axis cell",
    ]
    assert Attendee.objects.filter(meeting=meeting).count() == 2
