"""The personal subscription feed (`/reviews/calendar/<token>.ics`): what it carries, for whom, and when it is 404."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reviews.models.actions import Action
from reviews.models.meetings import Attendee, Meeting
from tests.leadership.factories import PersonFactory
from tests.reviews.factories import ActionFactory
from tests.reviews.factories_calendar import NOW, CalendarFeedFactory, events, meeting_with, parse

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1"  # the host of settings.BASE_URL in tests


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def feed_of(person):
    return CalendarFeedFactory(user=person.user)


def fetch(client, feed):
    return client.get(reverse("reviews:calendar-feed", args=[feed.token]))


def at(days: float, hour: int = 10) -> datetime.datetime:
    """`days` from today at `hour`:00 UTC."""
    return NOW.replace(hour=hour) + datetime.timedelta(days=days)


# What it carries ---------------------------------------------------------------------------------


def test_the_feed_is_icalendar_with_the_persons_meetings(client):
    """Chaired, minuted and attended meetings are in it with stable UIDs, UTC times, place, link, agenda, chair."""
    person = PersonFactory(user__first_name="Priya", user__last_name="Shah")
    chair = PersonFactory(user__first_name="Margaret", user__last_name="Hughes", user__email="margaret@example.com")
    attended = meeting_with(
        person,
        chair=chair,
        title="Monthly quality meeting",
        planned_start=at(2),
        duration_minutes=90,
        place="Boardroom, Building A",
        agenda=["Customer complaints since February", "Scrap rate on the 5-axis cell"],
    )
    chaired = meeting_with(chair=person, title="QA team meeting", planned_start=at(-3))
    minuted = meeting_with(title="Production review", planned_start=at(20), minute_taker=person)
    meeting_with(title="Not hers", planned_start=at(3))

    response = fetch(client, feed_of(person))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    found = events(parse(response.content))
    assert set(found) == {f"meeting-{m.pk}@{HOST}" for m in (attended, chaired, minuted)}
    event = found[f"meeting-{attended.pk}@{HOST}"]
    assert event["SUMMARY"] == "Monthly quality meeting"
    assert event["LOCATION"] == "Boardroom, Building A"
    assert event["URL"] == settings.BASE_URL + attended.get_absolute_url()
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == at(2)
    assert event.decoded("DTEND") == at(2) + datetime.timedelta(minutes=90)
    assert str(event["ORGANIZER"]) == "mailto:margaret@example.com"
    assert event["ORGANIZER"].params["CN"] == "Margaret Hughes"
    description = str(event["DESCRIPTION"])
    assert "1. Customer complaints since February\n2. Scrap rate on the 5-axis cell" in description
    assert attended.reference in description
    # Times are written in UTC, whatever the organisation's time zone.
    assert b"DTSTART:20260312T100000Z" in response.content


def test_cancelled_meetings_are_marked_so_calendars_remove_them(client):
    person = PersonFactory()
    meeting = meeting_with(person, planned_start=at(5), status=Meeting.Status.CANCELLED, cancel_reason="CEO abroad")

    event = events(parse(fetch(client, feed_of(person)).content))[f"meeting-{meeting.pk}@{HOST}"]

    assert event["STATUS"] == "CANCELLED"
    assert "CANCELLED: CEO abroad" in str(event["DESCRIPTION"])


def test_the_feed_keeps_90_days_of_past_meetings_and_every_future_one(client):
    person = PersonFactory()
    recent = meeting_with(person, planned_start=at(-89), status=Meeting.Status.HELD, held_at=at(-89))
    meeting_with(person, planned_start=at(-91), status=Meeting.Status.HELD, held_at=at(-91))
    far = meeting_with(person, planned_start=at(400))

    found = events(parse(fetch(client, feed_of(person)).content))

    assert set(found) == {f"meeting-{recent.pk}@{HOST}", f"meeting-{far.pk}@{HOST}"}


def test_a_person_taken_off_the_list_no_longer_sees_the_meeting(client):
    person = PersonFactory()
    meeting = meeting_with(person, planned_start=at(4))
    feed = feed_of(person)
    assert f"meeting-{meeting.pk}@{HOST}" in events(parse(fetch(client, feed).content))

    Attendee.objects.filter(meeting=meeting, person=person).delete()

    assert events(parse(fetch(client, feed).content)) == {}


def test_open_actions_are_all_day_events_on_their_due_date(client):
    person = PersonFactory()
    due = timezone.localdate() + datetime.timedelta(days=9)
    action = ActionFactory(owner=person, title="Recalibrate the Zeiss CMM", due_date=due)
    reopened = ActionFactory(owner=person, status=Action.Status.REOPENED, due_date=due)
    ActionFactory(owner=person, status=Action.Status.DONE, completed_at=NOW)
    ActionFactory(due_date=due)  # someone else's

    found = events(parse(fetch(client, feed_of(person)).content))

    assert set(found) == {f"action-{action.pk}@{HOST}", f"action-{reopened.pk}@{HOST}"}
    event = found[f"action-{action.pk}@{HOST}"]
    assert event["SUMMARY"] == f"Action {action.reference}: Recalibrate the Zeiss CMM due"
    assert event.decoded("DTSTART") == due
    assert event.decoded("DTEND") == due + datetime.timedelta(days=1)
    assert event["URL"] == settings.BASE_URL + action.get_absolute_url()
    assert event["TRANSP"] == "TRANSPARENT"


def test_the_feed_asks_calendars_to_refresh_hourly_and_names_itself(client):
    person = PersonFactory(user__first_name="Tom", user__last_name="Baker")

    content = fetch(client, feed_of(person)).content.decode()

    assert "X-PUBLISHED-TTL:PT1H" in content
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in content
    assert f"X-WR-CALNAME:{settings.ORGANISATION_NAME}: Tom Baker" in content


def test_another_users_token_gives_their_feed_only(client):
    priya, tom = PersonFactory(), PersonFactory()
    hers = meeting_with(priya, planned_start=at(1))
    his = meeting_with(tom, planned_start=at(1))

    found = events(parse(fetch(client, feed_of(tom)).content))

    assert set(found) == {f"meeting-{his.pk}@{HOST}"}
    assert f"meeting-{hers.pk}@{HOST}" not in found


# When it answers 404 -----------------------------------------------------------------------------


def test_unknown_and_revoked_tokens_get_the_same_404(client):
    person = PersonFactory()
    meeting_with(person, planned_start=at(1))
    revoked = CalendarFeedFactory(user=person.user, revoked_at=NOW)

    unknown = client.get(reverse("reviews:calendar-feed", args=["not-a-token-at-all"]))
    gone = fetch(client, revoked)

    assert unknown.status_code == gone.status_code == 404
    assert unknown.content == gone.content == b"No such calendar feed.\n"
    assert unknown["Content-Type"] == gone["Content-Type"]


def test_an_account_that_can_no_longer_sign_in_gets_404(client):
    person = PersonFactory()
    feed = feed_of(person)
    person.user.is_active = False
    person.user.save()

    assert fetch(client, feed).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_feed_only_reads(client, method):
    feed = feed_of(PersonFactory())

    response = getattr(client, method)(reverse("reviews:calendar-feed", args=[feed.token]))

    assert response.status_code == 405


# Last used, queries ------------------------------------------------------------------------------


def test_last_used_is_recorded_at_most_once_an_hour(client):
    feed = feed_of(PersonFactory())

    fetch(client, feed)
    feed.refresh_from_db()
    assert feed.last_used_at == NOW

    with time_machine.travel(NOW + datetime.timedelta(minutes=59), tick=False):
        fetch(client, feed)
    feed.refresh_from_db()
    assert feed.last_used_at == NOW

    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        fetch(client, feed)
    feed.refresh_from_db()
    assert feed.last_used_at == NOW + datetime.timedelta(minutes=61)


@pytest.mark.parametrize("size", [2, 40])
def test_the_feed_runs_the_same_queries_however_full_it_is(client, size, django_assert_num_queries):
    person = PersonFactory()
    for i in range(size):
        meeting_with(person, *PersonFactory.create_batch(2), planned_start=at(i), agenda=["Figures", "Actions"])
        ActionFactory(owner=person)
    feed = CalendarFeedFactory(user=person.user, last_used_at=NOW)

    # The feed (user and person joined), the meetings (type and chair joined), their agenda
    # titles, the open actions. Nothing is written: it was fetched less than an hour ago.
    with django_assert_num_queries(4):
        response = fetch(client, feed)
    assert len(events(parse(response.content))) == 2 * size

    # An hour later: one more, the update of last_used_at.
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False), django_assert_num_queries(5):
        fetch(client, feed)


def test_a_bad_token_costs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("reviews:calendar-feed", args=["x" * 43])).status_code == 404
