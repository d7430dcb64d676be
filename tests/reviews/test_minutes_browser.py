"""The live recording page in a real browser: one page, no reloads, autosave that loses nothing."""

import re

import pytest
from django.urls import reverse

from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting
from tests.reviews.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

MINUTES_SAVE = re.compile(r".*/agenda-items/\d+/minutes/$")


@pytest.fixture
def meeting(ceo, employee):
    meeting = MeetingFactory(chair=ceo.person, title="Monthly quality meeting")
    AttendeeFactory(meeting=meeting, person=ceo.person)
    AttendeeFactory(meeting=meeting, person=employee.person)
    AgendaItemFactory(meeting=meeting, order=1, title="Scrap and rework")
    AgendaItemFactory(meeting=meeting, order=2, title="Customer complaints")
    return meeting


def test_a_meeting_is_recorded_on_one_page_without_reloading(page_as, live_server, qa, ceo, employee, meeting):
    page = page_as(qa)
    page.goto(live_server.url + reverse("reviews:meeting-record", args=[meeting.pk]))
    page.click("text=Start the meeting")
    page.wait_for_selector("textarea.autosave")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    # From here on, nothing reloads the page: this marker would be lost.
    page.evaluate("window.c5Marker = 'same page'")

    row = page.locator(f"#attendee-{Attendee.objects.get(meeting=meeting, person=employee.person).pk}")
    row.get_by_role("button", name="Sent apologies").click()
    page.wait_for_function("() => document.querySelector('[aria-pressed=true]') !== null")
    row.locator("button.btn-warning").wait_for()
    assert Attendee.objects.get(meeting=meeting, person=employee.person).status == "apologies"

    first = AgendaItem.objects.get(meeting=meeting, order=1)
    area = page.locator(f"#minutes-{first.pk}")
    area.click()
    area.type("Scrap 2.1% against a 2.5% target.")
    page.locator(f"#saved-item-{first.pk}").get_by_text(re.compile(r"Saved \d\d:\d\d")).wait_for()
    assert AgendaItem.objects.get(pk=first.pk).minutes == "Scrap 2.1% against a 2.5% target."

    form = page.locator(f"#decision-add-{first.pk}")
    form.locator("textarea[name=text]").fill("Start SPC on the 4471 bore.")
    form.locator("select[name=owner]").select_option(str(ceo.person.pk))
    form.get_by_role("button", name="Add decision").click()
    page.locator(".decision").first.get_by_role("link", name="D1").wait_for()
    decision = Decision.objects.get()
    action_form = page.locator(f"#action-add-{decision.pk}")
    action_form.locator("input[name=title]").fill("Set up the SPC chart at the machine")
    action_form.locator("select[name=owner]").select_option(str(qa.person.pk))
    action_form.locator("input[name=due_date]").fill("2030-01-31")
    action_form.get_by_role("button", name="Add action").click()
    page.locator(f"#actions-{decision.pk}").get_by_text("Set up the SPC chart at the machine").wait_for()
    assert Action.objects.get().decision == decision

    # A refused decision keeps its text next to the error.
    second = AgendaItem.objects.get(meeting=meeting, order=2)
    form = page.locator(f"#decision-add-{second.pk}")
    form.locator("select[name=owner]").select_option(str(ceo.person.pk))
    form.get_by_role("button", name="Add decision").click()
    page.locator(f"#decision-add-{second.pk}").get_by_text("This field is required.").wait_for()
    assert page.locator(f"#decision-add-{second.pk} select[name=owner]").input_value() == str(ceo.person.pk)

    assert page.evaluate("window.c5Marker") == "same page"


def test_typed_minutes_survive_a_network_failure_and_a_reload(page_as, live_server, qa, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD, held_at=meeting.planned_start)
    item = AgendaItem.objects.get(meeting=meeting, order=1)
    page = page_as(qa)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server.url + reverse("reviews:meeting-record", args=[meeting.pk]))
    status = page.locator(f"#saved-item-{item.pk}")

    page.route(MINUTES_SAVE, lambda route: route.abort())
    page.locator(f"#minutes-{item.pk}").type("Two complaints: Aerolux and Kestrel.")
    status.get_by_text("Not saved — retrying").wait_for()
    assert page.locator(f"#minutes-{item.pk}").input_value() == "Two complaints: Aerolux and Kestrel."
    page.unroute(MINUTES_SAVE)
    status.get_by_text(re.compile(r"Saved \d\d:\d\d")).wait_for(timeout=15_000)
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Two complaints: Aerolux and Kestrel."

    # Offline again: the text typed now exists only in the browser; a reload brings it back and saves it.
    page.route(MINUTES_SAVE, lambda route: route.abort())
    page.locator(f"#minutes-{item.pk}").type(" Both contained.")
    status.get_by_text("Not saved — retrying").wait_for()
    page.unroute(MINUTES_SAVE)
    page.reload()
    page.locator(f"#saved-item-{item.pk}").get_by_text(re.compile(r"Saved \d\d:\d\d")).wait_for(timeout=15_000)
    assert page.locator(f"#minutes-{item.pk}").input_value() == "Two complaints: Aerolux and Kestrel. Both contained."
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Two complaints: Aerolux and Kestrel. Both contained."
