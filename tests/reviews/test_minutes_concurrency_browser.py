"""Two recorders on the live recording page typing under the same item, in real browsers."""

import re

import pytest
from django.urls import reverse

from reviews.models.meetings import AgendaItem
from tests.reviews.factories_minutes import held_meeting

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"Saved \d\d:\d\d")


def test_the_second_recorder_sees_the_other_text_and_keeps_their_own(page_as, live_server, ceo, qa, mgmt_rep):
    meeting = held_meeting(chair=ceo, items=1)
    item = AgendaItem.objects.get(meeting=meeting)
    url = live_server.url + reverse("reviews:meeting-record", args=[meeting.pk])
    first, second = page_as(qa), page_as(mgmt_rep)
    first.goto(url)
    second.goto(url)

    first.locator(f"#minutes-{item.pk}").type("Scrap 2.1% against a 2.5% target.")
    first.locator(f"#saved-item-{item.pk}").get_by_text(SAVED).wait_for()
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap 2.1% against a 2.5% target."

    # The second page still has the version it loaded: its autosave is refused, not saved over the first.
    area = second.locator(f"#minutes-{item.pk}")
    area.type("Scrap is down this month.")
    status = second.locator(f"#saved-item-{item.pk}")
    status.get_by_text("Not saved:").wait_for()
    assert status.locator(".minutes-theirs").inner_text() == "Scrap 2.1% against a 2.5% target."
    assert area.input_value() == "Scrap is down this month."
    draft = second.evaluate(f"window.localStorage.getItem('c5:minutes:{meeting.pk}:item:{item.pk}')")
    assert "Scrap is down this month." in draft
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Scrap 2.1% against a 2.5% target."

    # Combining both, having seen the other text, saves both texts.
    status.get_by_role("button", name="Combine: theirs, then mine").click()
    status.get_by_text(SAVED).wait_for()
    combined = "Scrap 2.1% against a 2.5% target.\n\nScrap is down this month."
    assert area.input_value() == combined
    assert AgendaItem.objects.get(pk=item.pk).minutes == combined
    assert second.evaluate(f"window.localStorage.getItem('c5:minutes:{meeting.pk}:item:{item.pk}')") is None

    # The first page is now the stale one: its next autosave is refused the same way.
    first.locator(f"#minutes-{item.pk}").type(" Rework 0.4%.")
    first.locator(f"#saved-item-{item.pk}").get_by_text("Not saved:").wait_for()
    assert AgendaItem.objects.get(pk=item.pk).minutes == combined
