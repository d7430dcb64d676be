"""The calendar pages: My calendar with its feed buttons, and one meeting's .ics download."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from reviews.models.calendar import CalendarFeed
from reviews.models.meetings import Attendee, Meeting
from reviews.views.calendar import calendar_panel_context
from tests.leadership.factories import PersonFactory, UserFactory
from tests.reviews.factories import ActionFactory
from tests.reviews.factories_calendar import NOW, CalendarFeedFactory, events, meeting_with, parse

pytestmark = pytest.mark.django_db

PERSONAS = ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee", "outsider"]
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# My calendar -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_who_is_a_person_may_open_my_calendar_and_turn_the_feed_on(request, client_as, persona):
    user = request.getfixturevalue(persona)
    client = client_as(user)

    page = client.get(reverse("reviews:calendar"))
    assert page.status_code == 200
    assert "Create feed" in page.content.decode()

    response = client.post(reverse("reviews:calendar-create"))

    assert response.status_code == 302
    feed = CalendarFeed.objects.get(user=user)
    page = client.get(reverse("reviews:calendar")).content.decode()
    assert f"{settings.BASE_URL}/reviews/calendar/{feed.token}.ics" in page
    assert f"webcal://{settings.BASE_URL.split('://')[1]}/reviews/calendar/{feed.token}.ics" in page
    assert "Reset URL" in page
    assert "Turn off" in page


def test_an_account_without_a_person_gets_a_clear_page_and_no_feed(client_as):
    user = UserFactory(username="svc-backup")
    client = client_as(user)

    page = client.get(reverse("reviews:calendar"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "is not linked to a person" in text
    assert "Create feed" not in text
    assert client.post(reverse("reviews:calendar-create")).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_signed_out_visitors_are_sent_to_log_in(client):
    for name in ("reviews:calendar", "reviews:calendar-create", "reviews:calendar-reset", "reviews:calendar-revoke"):
        response = client.post(reverse(name)) if name != "reviews:calendar" else client.get(reverse(name))
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert not CalendarFeed.objects.exists()


def test_feed_buttons_only_post(client_as, employee):
    client = client_as(employee)

    for name in ("reviews:calendar-create", "reviews:calendar-reset", "reviews:calendar-revoke"):
        assert client.get(reverse(name)).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_reset_gives_a_new_url_and_the_old_one_stops_working(client_as, employee):
    client = client_as(employee)
    client.post(reverse("reviews:calendar-create"))
    old = CalendarFeed.objects.get(user=employee)

    response = client.post(reverse("reviews:calendar-reset"), follow=True)

    new = CalendarFeed.objects.get(user=employee, revoked_at__isnull=True)
    assert new.token != old.token
    assert "The old one no longer works" in messages_of(response)[-1]
    assert new.token in response.content.decode()
    assert old.token not in response.content.decode()
    assert client.get(reverse("reviews:calendar-feed", args=[old.token])).status_code == 404
    assert client.get(reverse("reviews:calendar-feed", args=[new.token])).status_code == 200


def test_turning_the_feed_off_stops_the_url(client_as, employee):
    client = client_as(employee)
    client.post(reverse("reviews:calendar-create"))
    feed = CalendarFeed.objects.get(user=employee)

    response = client.post(reverse("reviews:calendar-revoke"), follow=True)

    assert "Your calendar feed is off" in messages_of(response)[-1]
    assert "Create feed" in response.content.decode()
    assert client.get(reverse("reviews:calendar-feed", args=[feed.token])).status_code == 404


def test_a_refused_request_is_explained(client_as, employee):
    client = client_as(employee)
    client.post(reverse("reviews:calendar-create"))

    response = client.post(reverse("reviews:calendar-create"), follow=True)

    assert messages_of(response)[-1] == "You already have a calendar feed. Reset its URL if you need a new one."
    assert CalendarFeed.objects.filter(user=employee).count() == 1


def test_htmx_buttons_get_only_the_feed_card_back(client_as, employee):
    client = client_as(employee)

    response = client.post(reverse("reviews:calendar-create"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="calendar-feed"' in text
    assert "<html" not in text
    assert "Your calendar feed is on" in text
    assert CalendarFeed.objects.get(user=employee).token in text

    refused = client.post(reverse("reviews:calendar-create"), HTTP_HX_REQUEST="true").content.decode()
    assert "alert-danger" in refused
    assert "already have a calendar feed" in refused


def test_the_page_previews_what_the_calendar_will_show(client_as, employee):
    mine = meeting_with(employee.person, title="Monthly quality meeting", planned_start=NOW + 2 * DAY)
    meeting_with(employee.person, title="Called off", planned_start=NOW + DAY, status=Meeting.Status.CANCELLED)
    meeting_with(title="Someone else's", planned_start=NOW + DAY)
    ActionFactory(owner=employee.person, title="Recalibrate the Zeiss CMM")

    page = client_as(employee).get(reverse("reviews:calendar")).content.decode()

    assert "Monthly quality meeting" in page
    assert reverse("reviews:meeting-ics", args=[mine.pk]) in page
    assert "Called off" not in page
    assert "Someone else" not in page
    assert "Recalibrate the Zeiss CMM" in page


def test_a_private_address_warns_that_web_calendars_cannot_reach_it(client_as, employee, settings):
    client = client_as(employee)
    client.post(reverse("reviews:calendar-create"))
    assert "only this network reaches" in client.get(reverse("reviews:calendar")).content.decode()

    settings.BASE_URL = "https://quality.northbridge-precision.co.uk"
    page = client.get(reverse("reviews:calendar")).content.decode()
    assert "only this network reaches" not in page
    assert "https://quality.northbridge-precision.co.uk/reviews/calendar/" in page


@pytest.mark.parametrize("size", [2, 30])
def test_my_calendar_query_count_does_not_grow(client_as, employee, size, django_assert_num_queries):
    for i in range(size):
        meeting_with(employee.person, planned_start=NOW + (i + 1) * DAY, agenda=["Figures"])
        ActionFactory(owner=employee.person)
    CalendarFeedFactory(user=employee)
    client = client_as(employee)
    # session, user, the person, the feed, the next meetings (type and chair joined), their agenda
    # titles, the open actions, permissions (user + group) for the links, groups for the role badge.
    with django_assert_num_queries(10):
        assert client.get(reverse("reviews:calendar")).status_code == 200


# One meeting's .ics ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ceo", "mgmt_rep", "dept_manager", "qa", "auditor", "employee"])
def test_who_may_see_a_meeting_downloads_its_ics(request, client_as, persona):
    meeting = meeting_with(planned_start=NOW + DAY)

    response = client_as(request.getfixturevalue(persona)).get(reverse("reviews:meeting-ics", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{meeting.reference}.ics"'


def test_the_ics_download_needs_view_meeting(client_as, outsider, client):
    meeting = meeting_with(planned_start=NOW + DAY)
    url = reverse("reviews:meeting-ics", args=[meeting.pk])

    assert client.get(url).status_code == 302  # signed out: to the login page
    assert client_as(outsider).get(url).status_code == 403


def test_an_unknown_meeting_is_404(client_as, employee):
    assert client_as(employee).get(reverse("reviews:meeting-ics", args=[999999])).status_code == 404


def test_the_ics_publishes_the_meeting_with_attendees_and_a_reminder_the_day_before(client_as, employee):
    chair = PersonFactory(user__first_name="Margaret", user__last_name="Hughes", user__email="margaret@example.com")
    priya = PersonFactory(user__first_name="Priya", user__last_name="Shah", user__email="priya@example.com")
    no_mail = PersonFactory(user__first_name="Oliver", user__last_name="Grant", user__email="")
    meeting = meeting_with(
        priya,
        no_mail,
        chair=chair,
        title="Management review Q1",
        planned_start=NOW + 3 * DAY,
        duration_minutes=120,
        place="Boardroom",
        agenda=["Status of actions from the previous review"],
    )
    Attendee.objects.filter(meeting=meeting, person=priya).update(status=Attendee.Status.APOLOGIES)

    response = client_as(employee).get(reverse("reviews:meeting-ics", args=[meeting.pk]))

    calendar = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    event = events(calendar)[f"meeting-{meeting.pk}@127.0.0.1"]
    assert event["SUMMARY"] == "Management review Q1"
    assert event.decoded("DTSTART") == NOW + 3 * DAY
    assert event.decoded("DTEND") == NOW + 3 * DAY + datetime.timedelta(hours=2)
    attendees = {str(a): a.params for a in event.get("ATTENDEE")}
    assert set(attendees) == {"mailto:margaret@example.com", "mailto:priya@example.com"}
    assert attendees["mailto:margaret@example.com"]["CN"] == "Margaret Hughes"
    assert attendees["mailto:margaret@example.com"]["ROLE"] == "CHAIR"
    assert attendees["mailto:priya@example.com"]["PARTSTAT"] == "DECLINED"
    # Who has no e-mail address is still named.
    assert "Oliver Grant" in str(event["DESCRIPTION"])
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -DAY
    assert alarm["ACTION"] == "DISPLAY"


def test_the_ics_of_a_cancelled_meeting_cancels_it_and_sets_no_alarm(client_as, employee):
    meeting = meeting_with(planned_start=NOW + DAY, status=Meeting.Status.CANCELLED)

    calendar = parse(client_as(employee).get(reverse("reviews:meeting-ics", args=[meeting.pk])).content)

    event = events(calendar)[f"meeting-{meeting.pk}@127.0.0.1"]
    assert event["STATUS"] == "CANCELLED"
    assert event.walk("VALARM") == []


@pytest.mark.parametrize("size", [2, 40])
def test_the_ics_query_count_does_not_grow_with_attendees(client_as, employee, size, django_assert_num_queries):
    meeting = meeting_with(*PersonFactory.create_batch(size), planned_start=NOW + DAY, agenda=["A", "B", "C"])
    client = client_as(employee)
    # session, user, permissions (user + group), the meeting (type, chair, minute-taker joined),
    # its attendees with their accounts, its agenda titles.
    with django_assert_num_queries(7):
        response = client.get(reverse("reviews:meeting-ics", args=[meeting.pk]))
    assert len(events(parse(response.content))[f"meeting-{meeting.pk}@127.0.0.1"].get("ATTENDEE")) == size + 1


# The suggested dashboard panel -------------------------------------------------------------------


def test_the_suggested_dashboard_panel_shows_the_next_meetings_and_actions(employee):
    meeting_with(employee.person, title="Monthly quality meeting", planned_start=NOW + DAY)
    ActionFactory(owner=employee.person, title="Recalibrate the Zeiss CMM", due_date=NOW.date() - DAY)
    request = RequestFactory().get("/")
    request.user = employee

    html = render_to_string(
        "reviews/calendar/partials/_dashboard.html", {"data": calendar_panel_context(request)}, request=request
    )

    assert "Monthly quality meeting" in html
    assert "Recalibrate the Zeiss CMM" in html
    assert "overdue" in html
    assert "Add to my calendar" in html


def test_the_panel_is_empty_for_an_account_without_a_person():
    request = RequestFactory().get("/")
    request.user = UserFactory()

    html = render_to_string(
        "reviews/calendar/partials/_dashboard.html", {"data": calendar_panel_context(request)}, request=request
    )

    assert html.strip() == ""
