"""A department manager chairs and records a meeting in the browser, signs the minutes and finds them locked."""

import re

import pytest
from django.urls import reverse

from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, Attendee, Decision, Meeting
from tests.conftest import PASSWORD
from tests.reviews.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(dept_manager, employee):
    chair = dept_manager.person
    meeting = MeetingFactory(
        chair=chair, minute_taker=chair, department=chair.department, title="Production quality meeting"
    )
    AttendeeFactory(meeting=meeting, person=chair)
    AttendeeFactory(meeting=meeting, person=employee.person)
    AgendaItemFactory(meeting=meeting, order=1, title="Scrap on the 5-axis cell")
    return meeting


def test_a_manager_records_signs_and_finds_the_minutes_locked(page_as, live_server, dept_manager, employee, meeting):
    page = page_as(dept_manager)
    record_url = live_server.url + reverse("reviews:meeting-record", args=[meeting.pk])
    page.goto(record_url)
    page.get_by_role("button", name="Start the meeting").click()
    page.wait_for_selector("textarea.autosave")

    # Attendance: the chair is there, the machinist sent apologies.
    for person, mark, pressed in [
        (dept_manager.person, "Present", "btn-success"),
        (employee.person, "Sent apologies", "btn-warning"),
    ]:
        row = page.locator(f"#attendee-{Attendee.objects.get(meeting=meeting, person=person).pk}")
        row.get_by_role("button", name=mark).click()
        row.locator(f"button.{pressed}").wait_for()

    # Minutes of the item, saved as they are typed.
    item = AgendaItem.objects.get(meeting=meeting)
    area = page.locator(f"#minutes-{item.pk}")
    area.click()
    area.type("Scrap 3.4% in February against 2.5%: worn collet on the 5-axis cell.")
    page.locator(f"#saved-item-{item.pk}").get_by_text(re.compile(r"Saved \d\d:\d\d")).wait_for()

    # A decision and the action that carries it out.
    form = page.locator(f"#decision-add-{item.pk}")
    form.locator("textarea[name=text]").fill("Replace the collets on the 5-axis cell every 400 hours.")
    form.locator("select[name=owner]").select_option(str(dept_manager.person.pk))
    form.get_by_role("button", name="Add decision").click()
    page.locator(".decision").first.get_by_role("link", name="D1").wait_for()
    decision = Decision.objects.get(meeting=meeting)
    action_form = page.locator(f"#action-add-{decision.pk}")
    action_form.locator("input[name=title]").fill("Order two spare collet sets")
    action_form.locator("select[name=owner]").select_option(str(dept_manager.person.pk))
    action_form.locator("input[name=due_date]").fill("2030-01-31")
    action_form.get_by_role("button", name="Add action").click()
    page.locator(f"#actions-{decision.pk}").get_by_text("Order two spare collet sets").wait_for()

    # The chair reviews and signs with the password.
    page.get_by_role("link", name="Review and sign").first.click()
    page.wait_for_url(re.compile(r".*/sign/$"))
    page.fill("input[name=password]", "not my password")
    page.get_by_role("button", name="Sign the minutes").click()
    page.locator(".invalid-feedback").first.wait_for()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign the minutes").click()
    page.wait_for_url(live_server.url + meeting.get_absolute_url())

    # Signed: the banner and signature are shown, and nothing on the page edits the minutes.
    page.get_by_text(f"The minutes of {meeting.reference} are signed.").wait_for()
    assert page.locator("h1 .badge", has_text="Signed").count() == 1
    signature = page.locator("#signature")
    assert "Approved" in signature.inner_text()
    assert "The minutes are as signed." in signature.inner_text()
    body = page.locator("main").inner_text()
    assert "Scrap 3.4% in February" in body
    assert "Order two spare collet sets" in body
    for control in ("textarea", "button:has-text('Add decision')", "button:has-text('Add action')"):
        assert page.locator(control).count() == 0, control
    assert page.get_by_role("link", name=re.compile("Record minutes|Review and sign")).count() == 0

    # The recording page no longer opens for it.
    page.goto(record_url)
    page.wait_for_url(live_server.url + meeting.get_absolute_url())
    page.get_by_text("nothing to record").wait_for()

    signed = Meeting.objects.get(pk=meeting.pk)
    assert signed.status == Meeting.Status.SIGNED
    assert signed.signature.signer == dept_manager
    assert Action.objects.get().decision == decision
